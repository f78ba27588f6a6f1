"""The rooms behind :mod:`policylab.compare` (the public face: ``theme_shares``, ``contrast``, ``balance``, ...).

- :mod:`.provisions`: the provisions compared (coded units with one 0/1 column per theme), how
  they are grouped, the settings every comparison shares, and :class:`CompareError`.
- :mod:`.significance`: tests of significance: Dunning's G², the chi-square tail, Benjamini-Hochberg.
- :mod:`.words`: words of the full texts: tokens, counts per plan, keyness and dispersion.
- :mod:`.shares`: theme shares and attention (weights per provision, intervals per plan).
- :mod:`.contrast`: one plan against another, with a permutation test that moves whole clusters.
- :mod:`.balance`: the safety-versus-development balance.
- :mod:`.instruments`: instruments and the actors that lead.

Each room imports only the ones listed before it.
"""
