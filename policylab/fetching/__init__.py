"""The rooms behind :mod:`policylab.fetch` (the public face: ``fetch``, ``add``, ``list_fetched``).

- :mod:`.errors`: the exceptions, and the phrases their messages share.
- :mod:`.datahome`: where files live in the data home, and the lock file recording them.
- :mod:`.download`: getting a file: HTTP with bounds, retries and a deadline, or a mirror.
- :mod:`.checks`: whether a file is the right one: hashes expected, plausibility, trust on first use.

Each room imports only the ones listed before it.
"""
