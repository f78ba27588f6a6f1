"""Download the official documents into the data home, verified by their sha256.

This module is the public face of fetching: :func:`fetch`, :func:`add`,
:func:`list_fetched`, :func:`clear_data_home` and the errors. The work is done in the
rooms of :mod:`policylab.fetching`: ``datahome`` (where files live, the lock file),
``download`` (HTTP with bounds, retries, deadline; mirrors) and ``checks`` (expected
hashes, plausibility, trust on first use). The decision of *what* to download (lock
file, trust on first use, ``--update``, language editions, a mirror) is made here.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import pandas as pd

from . import sources as _sources
from .datafiles import get_data_home
from .datafiles import sha256_file as _sha256
from .fetching import download as dl
from .fetching.checks import (
    check_plausible,
    expected_sha256,
    file_format,
    how_trusted,
    mismatch_hint,
    reads_as,
)
from .fetching.datahome import (
    LOCK_NAME,
    clear_data_home,
    disk_error,
    entry_problem,
    file_path,
    forget,
    lock_entry,
    lock_files,
    lock_key,
    logger,
    prune,
    read_lock,
    record,
    topmost_missing,
)
from .fetching.download import (
    ENV_DEADLINE,
    ENV_MAX_BYTES,
    copy_in,
    limit_setting,
    locations,
    retrieve,
)
from .fetching.errors import (
    ChecksumError,
    DownloadError,
    FetchError,
    FetchNotice,
    NetworkError,
    NotFetchedError,
    NotThePlanError,
    added_by_hand,
    edition,
    manual_route,
)
from .sources import Source, find_source_by_sha256, get_source
from .sources import plan_ids as registry_plan_ids
from .units import STRING

__all__ = [
    "ChecksumError", "DownloadError", "FetchError", "FetchNotice", "NetworkError", "NotFetchedError",
    "NotThePlanError", "add", "clear_data_home", "fetch", "file_format", "file_path", "get_data_home",
    "list_fetched", "lock_entry", "read_lock",
]


def _keep_present(source: Source, home: Path, target: Path, entry: dict | None, expected: str | None,
                  origin: str) -> bool:
    """Whether the file already at ``target`` can stay: it has the expected hash (recorded if it
    was not), or no hash is known and it passes the plausibility check (its hash is then recorded)."""
    found = _sha256(target)
    if expected is not None and found == expected:
        if entry is None or entry["sha256"] != found:  # placed by hand, or a lock entry not the registry's
            record(home, source, target, found, fetched_from=f"found at {target}", method="found", trust="registry")
        logger.info("%s is in the data home (%s), sha256 %s", edition(source), target, found)
        return True
    if expected is None:
        check_plausible(target, source, str(target), "It was left there, unrecorded; delete it")
        record(home, source, target, found, fetched_from=f"found at {target}", method="found", trust="first-use")
        warnings.warn(FetchNotice(_first_record(source, f"the file found at {target}", found, home)), stacklevel=4)
        return True
    logger.info("%s at %s has sha256 %s, expected %s from %s; downloading it again",
                edition(source), target, found, expected, origin)
    return False


def _fetch_one(source: Source, home: Path, *, force: bool, update: bool, reset: bool, mirror: str | None,
               timeout, retries: int, backoff: float, progress: bool, max_bytes: int, deadline: float) -> Path:
    if reset:
        forget(source, home)
    target = file_path(source, home)
    entry = lock_entry(source, home)
    expected, origin = expected_sha256(source, entry)
    update = update and source.sha256 is None  # a hash pinned by the registry cannot be updated

    if target.is_file() and not (force or update) and _keep_present(source, home, target, entry, expected, origin):
        return target
    urls = locations(source, mirror, None if update else expected)
    limit = max_bytes
    size = entry.get("size") if entry is not None and entry["sha256"] == expected and not update else None
    if type(size) is int and size > 0:
        limit = min(limit, size)  # the file must be the one recorded, so it has that size
    tmp = None
    try:
        tmp, url = retrieve(urls, target.parent, source, limit=limit, timeout=timeout, retries=retries,
                            backoff=backoff, progress=progress, deadline=deadline)
        got = _sha256(tmp)
        if expected is not None and got != expected and not update:
            kept = (f"The file already in the data home ({target}) was left as it was."
                    if target.exists() else "Nothing was written to the data home.")
            raise ChecksumError(
                f"sha256 mismatch for {edition(source)} downloaded from {url}: expected {expected} "
                f"(from {origin}), got {got}. {kept} "
                + mismatch_hint(source, f"policylab fetch {source.plan_id}", entry, home))
        if got != expected:  # trusted on first use, or an update: check what it is
            check_plausible(tmp, source, url)
        trust = how_trusted(source, entry, expected, got)
        os.replace(tmp, target)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        prune(target.parent, home)
    record(home, source, target, got, fetched_from=url, method="download", trust=trust)
    if expected is None:
        warnings.warn(FetchNotice(_first_record(source, f"the file downloaded from {url}", got, home)),
                      stacklevel=3)
    elif got != expected:
        warnings.warn(FetchNotice(
            f"{edition(source)}: the file has changed (sha256 was {expected}, is now {got}); the new "
            f"hash is recorded in {home / LOCK_NAME} because an update was asked for."), stacklevel=3)
    logger.info("Fetched %s into %s, sha256 %s", edition(source), target, got)
    return target


def fetch(plan_ids=None, *, data_home=None, force: bool = False, progress: bool = True,
          update: bool = False, reset: bool = False, language: str | None = None, mirror: str | None = None,
          timeout: float | tuple[float, float] | None = None, retries: int | None = None,
          backoff: float | None = None, max_bytes: int | None = None,
          deadline: float | None = None) -> dict[str, Path]:
    """Download plans' official files into the data home and return ``{plan_id: path}``.

    ``plan_ids``: one id, a list, or None for every plan in the registry. ``language``
    picks an edition (default: each plan's original). A file already present with the
    expected hash is not downloaded again unless ``force``. ``update`` downloads again and
    accepts a file whose hash changed. ``reset`` first forgets what the data home holds for
    each plan (its file and lock entry: a hash wrongly trusted on first use goes with it).
    ``mirror`` (else ``$POLICYLAB_MIRROR``) replaces the official hosts: an http(s) base URL,
    a ``file://`` URL or a local folder, flat or with one folder per plan (a local folder is
    searched at any depth for the file's name, and the hash picks among namesakes).
    ``progress`` shows a bar when stderr is a terminal. ``timeout`` (seconds, or a
    (connect, read) pair), ``retries`` and ``backoff`` default to the constants of :mod:`policylab.fetching.download`.
    ``max_bytes`` (else ``$POLICYLAB_MAX_BYTES``, else :data:`~policylab.fetching.download.MAX_BYTES`, 200 MB) caps each
    download: a server that sends more is cut off (a file whose size is recorded in the lock
    file may not exceed that size). ``deadline`` (else ``$POLICYLAB_DEADLINE``, else
    :data:`~policylab.fetching.download.DEADLINE`, 600 s) bounds the time of each file's download, retries included.
    Compressed transfers of PDFs are refused, never decompressed.

    Raises a :class:`FetchError` subclass; when several plans fail, one FetchError lists
    them all (its ``errors`` attribute maps plan id to error) after the others are fetched.
    """
    if isinstance(plan_ids, str):
        plan_ids = [plan_ids]
    wanted = list(dict.fromkeys(plan_ids)) if plan_ids is not None else registry_plan_ids()
    sources = [get_source(plan_id, language, data_home=data_home) for plan_id in wanted]  # unknown ids fail first
    by_hand = [s.plan_id for s in sources if added_by_hand(s)]
    if by_hand:
        raise FetchError(f"{', '.join(by_hand)}: added by hand (a plan you brought), so policylab does not "
                         "download it; its file is kept in the data home (list_fetched() or `policylab plans` "
                         f"shows whether it is there). To replace the file run `policylab add FILE --plan "
                         f"{by_hand[0]} --update`.")
    home = get_data_home(data_home)
    options = {"force": force, "update": update, "reset": reset, "mirror": mirror,
               "timeout": dl.TIMEOUT if timeout is None else timeout,
               "retries": dl.RETRIES if retries is None else retries,
               "backoff": dl.BACKOFF if backoff is None else backoff,
               "max_bytes": int(limit_setting(max_bytes, ENV_MAX_BYTES, dl.MAX_BYTES, "max_bytes", int)),
               "deadline": limit_setting(deadline, ENV_DEADLINE, dl.DEADLINE, "deadline"),
               "progress": bool(progress) and sys.stderr.isatty()}
    fetched: dict[str, Path] = {}
    errors: dict[str, FetchError] = {}
    created = topmost_missing(home)
    try:
        for source in sources:
            try:
                fetched[source.plan_id] = _fetch_one(source, home, **options)
            except FetchError as exc:
                errors[source.plan_id] = exc
            except OSError as exc:  # not a requests error: those are FetchErrors by now
                errors[source.plan_id] = disk_error(exc, source, home)
    finally:
        if created is not None:  # a data home this fetch made and left empty goes again
            prune(home, created.parent)
    if len(errors) == 1 and len(sources) == 1:
        raise next(iter(errors.values()))
    if errors:
        lines = "\n".join(f"  {plan_id}: {exc}" for plan_id, exc in errors.items())
        error = FetchError(f"{len(errors)} of {len(sources)} plans could not be fetched"
                           + (f" ({', '.join(fetched)} fetched)" if fetched else "") + f":\n{lines}")
        error.errors, error.fetched = errors, fetched
        raise error
    return fetched


def _first_record(source: Source, what: str, sha256: str, home: Path) -> str:
    """What was recorded about a file no hash was known for, in plain words."""
    return (f"{edition(source)}: policylab ships no hash for this file, so the sha256 of {what} "
            f"({sha256}) is now recorded in {home / LOCK_NAME}. From now on a different file is refused, "
            "unless you accept it with --update.")


def add(path, *, plan_id: str, language: str | None = None, data_home=None, update: bool = False) -> Path:
    """Copy a file downloaded by hand into the data home as the file of ``plan_id``.

    The file must be in the plan's format, have the hash recorded for the plan (registry
    or lock file) unless ``update``, not be the file of another plan, and be readable by
    the plan's reader. It is then copied in (atomically) and recorded in the lock file.
    Returns its path in the data home.
    """
    source = get_source(plan_id, language, data_home=data_home)
    path = Path(path).expanduser()
    fmt = file_format(path, f"the downloaded file of {edition(source)}")
    try:
        got = _sha256(path)
    except OSError as exc:
        raise NotThePlanError(f"{path} cannot be read ({exc.strerror}); check its permissions.") from None
    if reads_as(fmt) != reads_as(source.format):
        if added_by_hand(source):
            where, advice = "recorded", f"Give it as a {source.format} file, as it was first added."
        else:
            where, advice = f"published ({source.url_download})", manual_route(source)
        raise NotThePlanError(f"{path} is a {fmt} file, but {edition(source)} is {where} as {source.format}. "
                              + advice)
    other = find_source_by_sha256(got)
    if other is not None and (other.plan_id, other.language) != (source.plan_id, source.language):
        raise NotThePlanError(f"{path} is the file of {edition(other)}, not of {edition(source)}; "
                              f"run `policylab add {path} --plan {other.plan_id}` if that is what you meant.")
    home = get_data_home(data_home)
    entry = lock_entry(source, home)
    expected, origin = expected_sha256(source, entry)
    update = update and source.sha256 is None  # a hash pinned by the registry cannot be updated
    if expected is not None and got != expected and not update:
        raise ChecksumError(f"sha256 mismatch for {path} as {edition(source)}: expected {expected} (from "
                            f"{origin}), got {got}. It is not the file policylab knows. "
                            + mismatch_hint(source, f"policylab add {path} --plan {source.plan_id}", entry, home))
    check_plausible(path, source, str(path))
    target = file_path(source, home)
    created = topmost_missing(target.parent)
    trust = how_trusted(source, entry, expected, got)
    try:
        tmp = copy_in(path, target.parent, source)
        try:
            if _sha256(tmp) != got:
                raise FetchError(f"{path} changed while it was being copied to {target}; try again.")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        record(home, source, target, got, fetched_from=f"added from {path.resolve()}", method="add",
                trust=trust)
    except BaseException as exc:
        if created is not None:
            prune(target.parent, created.parent)
        if isinstance(exc, OSError):
            raise disk_error(exc, source, home) from None
        raise
    if expected is None:
        note = (f"Added your plan {plan_id}: copied {path} to {target} and recorded its sha256 ({got}) in "
                f"{home / LOCK_NAME}. policylab checks the file against that hash whenever it loads the "
                f"plan; to replace the file, run `policylab add FILE --plan {plan_id} --update`.")
        if source.origin != "user":
            note = _first_record(source, f"{path} (copied to {target})", got, home)
        warnings.warn(FetchNotice(note), stacklevel=2)
    elif got != expected:
        warnings.warn(FetchNotice(f"{edition(source)}: recorded the new sha256 {got} (was {expected}) in "
                                  f"{home / LOCK_NAME} because an update was asked for."), stacklevel=2)
    return target


def list_fetched(data_home=None) -> pd.DataFrame:
    """One row per edition, shipped or user-added: whether its file is in the data home, its hash
    and provenance.

    ``status`` is ``ok`` (present, hash as expected), ``modified`` (present, hash differs
    from the registry's or the lock file's), ``unrecorded`` (present, not in the lock file),
    ``damaged`` (present, its lock entry unusable) or ``missing``.
    """
    home = get_data_home(data_home)
    files = lock_files(home)
    rows = []
    for source in _sources.all_sources(home):
        target = file_path(source, home)
        entry = files.get(lock_key(source))
        damaged = entry is not None and entry_problem(entry) is not None
        entry = {} if entry is None or damaged else entry
        sha = _sha256(target) if target.is_file() else None
        if sha is None:
            status = "missing"
        elif damaged:
            status = "damaged"
        elif not entry:
            status = "unrecorded"
        else:
            status = "ok" if sha == expected_sha256(source, entry)[0] else "modified"
        rows.append({"plan_id": source.plan_id, "language": source.language, "status": status,
                     "sha256": sha or entry.get("sha256"), "url": source.url_download,
                     "fetched_from": entry.get("fetched_from"), "fetched_at": entry.get("fetched_at"),
                     "method": entry.get("method"), "trust": entry.get("trust"),
                     "path": str(target) if sha else None})
    return pd.DataFrame(rows).astype(STRING)

