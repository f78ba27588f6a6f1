"""Download the official documents into the data home, verified by their sha256.

Layout of the data home (``get_data_home()``)::

    <data_home>/policylab-lock.json                  what is there, its hash, where it came from
    <data_home>/.policylab-lock.json.lock            the inter-process lock guarding it
    <data_home>/<plan_id>/<language>/<filename>      one official file per language edition

Hashes: the registry (``data/sources.yaml``) records the sha256 of an official file where
it is known, and that hash always wins over the lock file. A file whose hash is not
recorded is *trusted on first use* once it passes a plausibility check (the plan's reader
reads it in the plan's format and language, its title or page URL is the plan's, it has
enough units): its hash goes into the lock file and every later download or load is
checked against it. A changed file is then an error unless ``update=True`` (``policylab
fetch --update``); a wrong record is cleared with ``reset=True`` (``--reset``). The lock
file's read-modify-write holds an inter-process lock (``.policylab-lock.json.lock``).

Downloads stream with requests (connect and read timeouts, a progress bar) into a
temporary file beside the target; the file is hashed, and only a verified file is moved
into place, in one ``os.replace``. Every download is bounded: at most ``max_bytes``
(:data:`MAX_BYTES`, or the size recorded in the lock file), within ``deadline`` seconds
(:data:`DEADLINE`, retries included), and a compressed PDF is refused rather than
decompressed. The decision of *what* to download (lock file, trust on first use,
``--update``, language editions, a mirror that may be a local folder) and the retries (exponential backoff that tests
can shorten) are done here rather than by ``pooch.retrieve``, whose cache check knows a
fixed hash only, whose retry waits are fixed and whose downloads are unbounded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import glob
import json
import logging
import math
import os
import re
import secrets
import shutil
import sys
import threading
import time
import typing
import warnings
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pandas as pd

from . import sources as _sources
from .datafiles import ENV_DATA, get_data_home, write_text_atomic
from .datafiles import sha256_file as _sha256
from .errors import PolicyLabError
from .parse import sniff_format
from .sources import Source, find_source_by_sha256, get_source
from .sources import plan_ids as registry_plan_ids

__all__ = [
    "ChecksumError", "DownloadError", "FetchError", "FetchNotice", "NetworkError", "NotFetchedError",
    "NotThePlanError", "add", "clear_data_home", "fetch", "file_path", "get_data_home", "list_fetched",
    "lock_entry", "read_lock",
]

logger = logging.getLogger("policylab.fetch")

LOCK_NAME = "policylab-lock.json"
ENV_MIRROR = "POLICYLAB_MIRROR"
#: (connect, read) timeouts in seconds; the read timeout is the longest silence allowed.
TIMEOUT = (10.0, 60.0)
#: attempts after the first one, for connection failures, timeouts, broken transfers, HTTP 5xx/429.
RETRIES = 3
#: seconds before the first retry; doubled before each next one.
BACKOFF = 1.0
CHUNK_SIZE = 64 * 1024
ENV_MAX_BYTES = "POLICYLAB_MAX_BYTES"
ENV_DEADLINE = "POLICYLAB_DEADLINE"
#: the largest download accepted (bytes) when the file's size is not recorded in the lock file.
MAX_BYTES = 200_000_000
#: seconds one file's download may take in all, retries and waits included.
DEADLINE = 600.0
#: seconds after which an untouched temporary file in the data home is a left-over, and deleted.
STALE_AFTER = 2 * DEADLINE
#: the fewest units of text a file must hold to be taken for a plan (see _check_plausible).
MIN_UNITS = 5
#: seconds to wait for another process's hold on the lock file.
LOCK_WAIT = 60.0


class FetchError(PolicyLabError):
    """A plan file could not be fetched, added or found in the data home."""


class DownloadError(FetchError):
    """The server answered with an error, or the transfer broke off."""


class NetworkError(DownloadError):
    """The host could not be reached: no network, refused connection, DNS failure, timeout."""


class ChecksumError(FetchError):
    """A file's sha256 is not the one recorded in the registry or the lock file."""


class NotFetchedError(FetchError, FileNotFoundError):
    """A plan's file is not in the data home."""


class NotThePlanError(FetchError):
    """A file given to :func:`add`, or downloaded to be trusted on first use, is not plausibly
    (a readable copy of) the plan named."""


class FetchNotice(UserWarning):
    """Something the user should know about a fetch: a hash trusted on first use, or updated."""


# --------------------------------------------------------------------------- data home


def clear_data_home(data_home: str | os.PathLike | None = None) -> None:
    """Delete what policylab keeps in the data home: the plan folders and the lock file.

    Only policylab's own entries are removed (one folder per plan of the registry or the
    lock file, the lock file, left-over temporary files), so pointing ``POLICYLAB_DATA`` at
    a shared folder by mistake cannot delete other files. Nothing outside the data home is
    ever deleted, whatever the lock file says: a plan id that is not a plain folder name is
    ignored, and a symbolic link in place of a plan folder is removed, never followed. The
    folder itself goes if it is then empty.
    """
    home = get_data_home(data_home)
    if not home.is_dir():
        return
    try:
        lock_ids = [entry["plan_id"] for entry in _lock_files(home).values()
                    if isinstance(entry, dict) and isinstance(entry.get("plan_id"), str)]
    except FetchError:
        lock_ids = []  # a damaged lock file is deleted below; the registry still names the plan folders
    try:
        for plan_id in dict.fromkeys([*registry_plan_ids(), *lock_ids]):
            folder = _child(home, plan_id)
            if folder is None:
                continue
            if folder.is_symlink():
                folder.unlink()
            elif folder.is_dir() and folder.resolve().parent == home.resolve():  # not a junction
                shutil.rmtree(folder)
        for path in [home / LOCK_NAME, *home.glob(f".{LOCK_NAME}.*")]:
            if path.is_symlink() or path.is_file():
                path.unlink()
    except OSError as exc:
        raise FetchError(f"Could not clear the data home {home}: {exc.strerror or exc} ({exc.filename}). "
                         "Check its permissions, or delete its plan folders by hand.") from None
    try:
        home.rmdir()
    except OSError:
        pass  # other files live there; leave them


def _child(home: Path, name: object) -> Path | None:
    """``home / name`` if ``name`` is one plain folder name, so that the path cannot leave ``home``."""
    if not isinstance(name, str) or name in ("", ".", "..") or "\0" in name or Path(name).name != name:
        return None
    return home / name


def file_path(source: Source, data_home: str | os.PathLike | None = None) -> Path:
    """Where the file of one language edition lives in the data home."""
    parts = (source.plan_id, source.language, source.filename)
    if any(_child(Path(), part) is None for part in parts):
        raise FetchError(f"Registry entry {_edition(source)}: {'/'.join(parts)} is not a plain path "
                         "inside the data home; correct the entry's plan_id or url_download.")
    return get_data_home(data_home).joinpath(*parts)


# --------------------------------------------------------------------------- lock file


def _key(source: Source) -> str:
    return f"{source.plan_id}/{source.language}"


def read_lock(data_home: str | os.PathLike | None = None) -> dict[str, dict]:
    """The lock file's entries, keyed ``"<plan_id>/<language>"`` (empty if there is none).

    FetchError if the lock file or one of its entries is damaged."""
    home = get_data_home(data_home)
    files = _lock_files(home)
    for key, entry in files.items():
        problem = _entry_problem(entry)
        if problem:
            raise _damaged_entry(home, key, problem)
    return files


def _lock_files(home: Path) -> dict:
    """The lock file's ``files`` mapping, as stored; FetchError if the file is not a lock file."""
    path = home / LOCK_NAME
    existing = next(p for p in (home, *home.parents) if p.exists())
    if not existing.is_dir():
        where = "" if existing == home else f" cannot be made: {existing}"
        raise FetchError(f"The data home {home}{where} is a file, not a folder. Choose another data home "
                         f"with --data-home or ${ENV_DATA}, or move the file away.")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FetchError(f"Lock file {path} is not valid JSON ({exc}). Restore it from a backup, or "
                         "delete it and run `policylab fetch --force` (hashes trusted on first use "
                         "will then be recorded anew).") from None
    except OSError as exc:
        what = "is a folder, not a file" if path.is_dir() else f"cannot be read ({exc.strerror})"
        raise FetchError(f"Lock file {path} {what}. Move it out of the way (policylab writes a new one), "
                         "or check the data home's permissions.") from None
    if not isinstance(document, dict) or not isinstance(document.get("files"), dict):
        raise FetchError(f"Lock file {path}: expected an object with a 'files' mapping. Restore it, "
                         "or delete it and run `policylab fetch --force`.")
    return document["files"]


def _entry_problem(entry: object) -> str | None:
    """What is wrong with a lock entry, or None when it is a record with a proper sha256."""
    if not isinstance(entry, dict):
        return f"a {type(entry).__name__}, not a record"
    sha = entry.get("sha256")
    if not (isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
        return f"its sha256 is {sha!r}, not 64 hex digits"
    return None


def _damaged_entry(home: Path, key: str, problem: str) -> FetchError:
    plan_id, _, language = key.partition("/")
    option = "" if plan_id not in registry_plan_ids() or get_source(plan_id).language == language \
        else f" --language {language}"
    return FetchError(f"Lock file {home / LOCK_NAME}: the entry {key!r} is damaged ({problem}). Run "
                      f"`policylab fetch --reset {plan_id}{option}` to drop it and fetch the file again, "
                      "or restore the lock file from a backup.")


def lock_entry(source: Source, data_home: str | os.PathLike | None = None) -> dict | None:
    """The lock-file record of one language edition, or None.

    A damaged record is a FetchError, unless the registry pins the file's hash: the record
    is then not needed (and is rewritten by the next fetch)."""
    home = get_data_home(data_home)
    entry = _lock_files(home).get(_key(source))
    problem = None if entry is None else _entry_problem(entry)
    if problem is None:
        return entry
    if source.sha256 is not None:
        return None
    raise _damaged_entry(home, _key(source), problem)


def _write_lock(home: Path, files: dict[str, dict]) -> None:
    """Write the lock file atomically: a temporary file beside it, then os.replace."""
    text = json.dumps({"version": 1, "files": files}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_text_atomic(home / LOCK_NAME, text)


def _new_file(folder: Path, prefix: str, suffix: str) -> tuple[Path, typing.BinaryIO]:
    """A new temporary file in ``folder``, open for writing, with the mode the umask gives
    (``tempfile.mkstemp`` would make it 0600, unreadable for the other users of a shared data home).

    Temporary files of the same kind that nobody has written to for :data:`STALE_AFTER`
    seconds are left-overs of killed processes (a live download is over within its
    deadline), and are deleted first.
    """
    stale = time.time() - STALE_AFTER
    for old in folder.glob(f"{glob.escape(prefix)}.*{suffix}"):
        try:
            if old.lstat().st_mtime < stale:
                old.unlink()
        except FileNotFoundError:
            pass  # another process swept it first
    path = folder / f"{prefix}.{secrets.token_hex(8)}{suffix}"
    return path, open(path, "xb")


@contextlib.contextmanager
def lock_held(home: Path, name: str = LOCK_NAME):
    """Hold the inter-process lock that guards the read-modify-write of the data-home file
    ``name`` (by default the lock file of fetched plans)."""
    import filelock

    home.mkdir(parents=True, exist_ok=True)
    path = home / f".{name}.lock"
    try:
        with filelock.FileLock(path, timeout=LOCK_WAIT):
            yield
    except filelock.Timeout:
        raise FetchError(f"Another policylab process has held {path} for more than {LOCK_WAIT:g} s; wait "
                         "for it to finish and try again.") from None


def _record(home: Path, source: Source, path: Path, sha256: str, *, fetched_from: str, method: str,
            trust: str) -> dict:
    entry = {
        "plan_id": source.plan_id,
        "language": source.language,
        "file": path.relative_to(home).as_posix(),
        "sha256": sha256,
        "size": path.stat().st_size,
        "url": source.url_download,
        "fetched_from": fetched_from,
        "fetched_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "method": method,
        "trust": trust,
    }
    with lock_held(home):
        files = _lock_files(home)
        files[_key(source)] = entry
        _write_lock(home, files)
    return entry


def _topmost_missing(path: Path) -> Path | None:
    """The highest folder of ``path`` (itself included) that does not exist yet, or None."""
    if path.exists():
        return None
    while not path.parent.exists():
        path = path.parent
    return path


def _prune(folder: Path, home: Path) -> None:
    """Remove the empty folders a failed download created, up to (not including) ``home``."""
    while folder != home and home in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty, or not there
        folder = folder.parent


def expected_sha256(source: Source, entry: dict | None) -> tuple[str | None, str]:
    """The hash a file must have, and where that hash comes from: the registry, where it pins
    one (whatever the lock file says), else the lock file."""
    if source.sha256 is not None:
        return source.sha256, "the registry (data/sources.yaml)"
    if entry is not None:
        return entry["sha256"], f"the lock file ({entry.get('trust', 'recorded')})"
    return None, "nowhere yet"


def _trust(source: Source, entry: dict | None, expected: str | None, got: str) -> str:
    """How a file with sha256 ``got`` comes to be trusted: the registry's pinned hash, the hash
    already trusted on first use, a first use now, or an update that was asked for."""
    if expected is None:
        return "first-use"
    if got != expected:
        return "updated"
    return "registry" if source.sha256 else entry.get("trust", "first-use")


def _mismatch_hint(source: Source, command: str, entry: dict | None, home: Path) -> str:
    """What to do about a file whose hash is not the expected one."""
    if source.sha256 is not None:
        return ("The registry (data/sources.yaml) pins this hash, so --update cannot accept another file: "
                "if the official file has changed, a newer policylab records its new hash; otherwise the "
                "file was damaged or tampered with.")
    hint = (f"If the official file has changed, run `{command} --update` to accept it; otherwise the "
            "file was damaged or tampered with.")
    if entry is not None:
        option = "" if source.original else f" --language {source.language}"
        hint += (f" The expected hash was trusted on first use: entry '{_key(source)}' of {home / LOCK_NAME}, "
                 f"from {entry.get('fetched_from', 'an unknown source')} at {entry.get('fetched_at', 'an unknown time')}. "
                 f"If that record is wrong (say, a login page was fetched instead of the plan), run "
                 f"`policylab fetch --reset {source.plan_id}{option}` to clear it and fetch the file again.")
    return hint


def _check_plausible(path: Path, source: Source, name: str, fate: str = "It was not kept") -> None:
    """Refuse a file that is not plausibly the plan, before it is trusted on first use or added.

    The plan's reader must read it into at least :data:`MIN_UNITS` units, in the plan's
    format and (for HTML and text, whose readers detect it) language; a file that says it is another plan (by its registered hash or
    its page URL) is refused, and an HTML page whose own title is not the plan's title is
    refused unless its page URL is the plan's. Raises NotThePlanError naming ``name`` and
    saying what became of the file (``fate``).
    """
    from .parse import read_document

    try:
        frame = read_document(path)  # without plan_id, the reader says which plan the file claims to be
    except PolicyLabError as exc:
        raise NotThePlanError(f"{name} cannot be read as {_edition(source)}: {exc} {fate}.") from None
    problems = []
    fmt, claimed = frame.attrs["format"], frame.attrs["plan_id"]
    if fmt != source.format:
        problems.append(f"it is a {fmt} file, but the plan is published as {source.format}")
    if claimed != source.plan_id and claimed in registry_plan_ids():
        problems.append(f"its own hash or page URL says it is {claimed}")
    languages = sorted(set(frame["language"].dropna()))
    if fmt != "pdf" and source.language not in languages:  # the PDF reader does not detect languages
        problems.append(f"it is in {', '.join(languages) or 'no known language'}, not {source.language}")
    if len(frame) < MIN_UNITS:
        problems.append(f"it holds {len(frame)} units of text, fewer than the {MIN_UNITS} any plan has")
    titles = frame.loc[frame["level"] == "title", "text"]
    title = titles.iloc[0] if len(titles) else ""
    if fmt == "html" and source.origin == "shipped" and claimed != source.plan_id and not _same_title(title, source):
        problems.append(f"its title {title!r} is not the plan's ({source.title_original!r})")
    if problems:
        if source.url_download is None:  # a plan the user registers: nothing was downloaded
            advice = "give the file that holds the full text of your plan (PDF, HTML page, text or Markdown)."
        else:
            advice = ("a captive portal, login or error page, or the wrong document, may have been served. "
                      + _manual_route(source))
        raise NotThePlanError(f"{name} does not look like {_edition(source)}: " + "; ".join(problems)
                              + f". {fate}: {advice}")


def _same_title(title: str, source: Source) -> bool:
    """Whether a page's title is the plan's (either contains the other, ignoring case and punctuation)."""
    def letters(text: str) -> str:
        return "".join(ch for ch in text.casefold() if ch.isalnum())

    page = letters(title)
    return len(page) >= 4 and any(page in letters(t) or letters(t) in page
                                  for t in (source.title_original, source.title_en))


def _disk_error(exc: OSError, source: Source, home: Path) -> FetchError:
    """A file-system failure while putting a plan's file in the data home, as a FetchError."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        advice = "Free some space"
    elif isinstance(exc, (FileExistsError, NotADirectoryError)) or (home.exists() and not home.is_dir()):
        advice = "The data home must be a folder (or a path where one can be made)"
    else:
        advice = "Check the data home's permissions"
    return FetchError(f"Could not put {_edition(source)} into the data home {home}: {reason}"
                      + (f" ({exc.filename})" if exc.filename else "") + f". {advice}, or choose another "
                      f"data home with --data-home or ${ENV_DATA}. Nothing was recorded.")


def _edition(source: Source) -> str:
    return f"{source.plan_id} ({source.language})"


# --------------------------------------------------------------------------- download


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


class _ProgressBar:
    """A small stderr progress bar: set ``total``, then ``update(n)`` per chunk, then ``close()``."""

    def __init__(self, label: str, stream=None):
        self.label, self.stream = label, stream or sys.stderr
        self.total, self.done = 0, 0

    def update(self, n: int) -> None:
        self.done += n
        if self.total:
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 30)
            self.stream.write(f"\r{self.label}  [{bar:<30}] {share:4.0%} of {_size(self.total)}")
        else:
            self.stream.write(f"\r{self.label}  {_size(self.done)}")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _mirror_url(source: Source, mirror: str | os.PathLike | None) -> str:
    """Where to get a file: the official URL, or ``<mirror>/<filename>``. A mirror is an
    http(s) URL, a ``file://`` URL or a local folder (given as a ``file://`` URL)."""
    mirror = os.fspath(mirror) if mirror is not None else os.environ.get(ENV_MIRROR, "")
    if not mirror:
        return source.url_download
    scheme = urlsplit(mirror).scheme.lower()
    if scheme in ("http", "https", "file"):
        return f"{mirror.rstrip('/')}/{source.filename}"
    if len(scheme) > 1:  # not a drive letter
        raise FetchError(f"Mirror {mirror!r} (mirror= or ${ENV_MIRROR}): expected an http(s) URL, a file:// "
                         "URL or a local folder.")
    return (Path(mirror).expanduser().resolve() / source.filename).as_uri()


def _copy_local(url: str, folder: Path, source: Source, *, limit: int) -> Path:
    """Copy a mirror's local file (a ``file://`` URL) into a temporary file in ``folder``."""
    path = Path(url2pathname(urlsplit(url).path))
    if not path.is_file():
        raise DownloadError(f"Could not fetch {_edition(source)}: the mirror has no file {path} "
                            f"(mirror= or ${ENV_MIRROR}). Put {source.filename} there, or {_manual_route(source)}")
    if path.stat().st_size > limit:
        raise _too_large(url, source, limit, f"holds {path.stat().st_size:,} bytes")
    return _copy_in(path, folder, source)


def _copy_in(path: Path, folder: Path, source: Source) -> Path:
    """Copy ``path`` into a new temporary file in ``folder`` (created if needed); return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp, handle = _new_file(folder, f".{source.filename}", ".part")
    try:
        with handle, open(path, "rb") as original:
            shutil.copyfileobj(original, handle)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _manual_route(source: Source) -> str:
    page = "" if source.url_main == source.url_download else f" (page: {source.url_main})"
    return (f"Download it by hand from {source.url_download}{page} and run "
            f"`policylab add PATH --plan {source.plan_id}"
            + ("" if source.original else f" --language {source.language}") + "`.")


def _failure(exc: Exception, url: str, source: Source, timeout) -> FetchError:
    """Translate a requests exception into a FetchError naming the host and the manual route."""
    import requests

    host = urlsplit(url).netloc or url
    mirror = "" if url == source.url_download else f" (mirror set by mirror= or ${ENV_MIRROR})"
    text = str(exc)
    if isinstance(exc, requests.exceptions.InvalidHeader):
        return DownloadError(f"Could not fetch {_edition(source)}: {url}{mirror} sent a malformed response "
                             f"({text}), so it cannot be trusted. Retry later or try another mirror. "
                             f"{_manual_route(source)}")
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        status = exc.response.status_code
        reason = exc.response.reason or ""
        hint = (" The file may have moved; check the plan's page." if status in (403, 404, 410) else
                " The server failed; try again later.")
        return DownloadError(f"Could not fetch {_edition(source)}: {url}{mirror} answered HTTP {status} "
                             f"{reason}.{hint} {_manual_route(source)}")
    if isinstance(exc, requests.Timeout) or "timed out" in text.lower():
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        what = f"timed out (connect timeout {connect:g} s, read timeout {read:g} s)"
        return NetworkError(f"Could not fetch {_edition(source)}: host {host}{mirror} {what}. Check the "
                            f"network, or retry later. {_manual_route(source)}")
    if isinstance(exc, requests.ConnectionError):
        if "refused" in text.lower():
            what = "refused the connection"
        elif _unresolved(text):
            what = "could not be resolved (is this machine offline?)"
        elif isinstance(exc, requests.exceptions.SSLError):
            what = "failed the TLS/SSL handshake"
        elif any(s in text for s in ("IncompleteRead", "ProtocolError", "Connection broken")):
            return DownloadError(f"Could not fetch {_edition(source)}: the transfer from {url}{mirror} "
                                 f"broke off before the end (truncated download). Retry later. "
                                 f"{_manual_route(source)}")
        else:
            what = "could not be reached"
        return NetworkError(f"Could not fetch {_edition(source)}: host {host}{mirror} {what}. Check the "
                            f"network (policylab needs internet access, or a mirror via ${ENV_MIRROR}). "
                            f"{_manual_route(source)}")
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return DownloadError(f"Could not fetch {_edition(source)}: the transfer from {url}{mirror} broke "
                             f"off before the end (truncated download). Retry later. {_manual_route(source)}")
    return DownloadError(f"Could not fetch {_edition(source)} from {url}{mirror}: {text}. {_manual_route(source)}")


def _unresolved(text: str) -> bool:
    return any(s in text for s in ("NameResolution", "Name or service not known", "getaddrinfo",
                                   "nodename nor servname", "Temporary failure in name resolution"))


def _retryable(exc: Exception) -> bool:
    """Worth another try: connection trouble (but not an unknown host), timeouts, HTTP 5xx and 429."""
    import requests

    if _unresolved(str(exc)):
        return False  # offline or a wrong host name: waiting will not help

    if isinstance(exc, requests.HTTPError):
        status = exc.response.status_code if exc.response is not None else 0
        return status >= 500 or status == 429
    return isinstance(exc, (requests.ConnectionError, requests.Timeout,
                            requests.exceptions.ChunkedEncodingError))


def _download(url: str, folder: Path, source: Source, *, timeout, retries: int, backoff: float,
              progress: bool, limit: int, deadline: float) -> Path:
    """Stream ``url`` into a temporary file in ``folder``; return its path (caller moves or deletes it).

    At most ``limit`` bytes are accepted, and the whole download, retries included, must be
    over within ``deadline`` seconds.
    """
    import requests

    folder.mkdir(parents=True, exist_ok=True)
    give_up = time.monotonic() + deadline
    for attempt in range(retries + 1):
        bar = _ProgressBar(f"{source.plan_id} {source.filename}") if progress else None
        tmp, handle = _new_file(folder, f".{source.filename}", ".part")
        try:
            with handle:
                logger.info("Downloading %s from %s", _edition(source), url)
                _run_until(give_up, deadline, url, source, functools.partial(
                    _stream, url, handle, source, timeout=timeout, limit=limit, bar=bar))
            if bar:
                bar.close()
            return tmp
        except requests.RequestException as exc:
            tmp.unlink(missing_ok=True)
            if bar:
                bar.close()
            wait = backoff * 2 ** attempt
            if attempt == retries or not _retryable(exc) or time.monotonic() + wait >= give_up:
                raise _failure(exc, url, source, timeout) from None
            logger.info("Fetching %s failed (%s); retrying in %.1f s (%d left)", _edition(source),
                        type(exc).__name__, wait, retries - attempt)
            time.sleep(wait)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    raise AssertionError("unreachable")


def _run_until(give_up: float, deadline: float, url: str, source: Source, work) -> None:
    """Run ``work(cancel=, held=)`` in a thread and wait for it until ``give_up`` (a monotonic time).

    ``work`` appends the responses it opens to ``held``; when time is up they are shut down
    (which ends a blocked read) and ``cancel`` is set. A DNS lookup or a server that drips
    its answer byte by byte cannot hold the caller beyond the deadline.
    """
    cancel, held, outcome = threading.Event(), [], []

    def run() -> None:
        try:
            work(cancel=cancel, held=held)
        except BaseException as exc:  # noqa: BLE001 - handed over to the waiting thread
            outcome.append(exc)

    thread = threading.Thread(target=run, name=f"policylab-download-{source.plan_id}", daemon=True)
    thread.start()
    timed_out = True  # until the wait ends normally (also when the caller is interrupted: Ctrl-C)
    try:
        thread.join(max(0.0, give_up - time.monotonic()))
        timed_out = thread.is_alive()
    finally:
        if timed_out:  # decided before the shutdown, whose broken read may end the thread at once
            cancel.set()
            for response in held:
                response.shutdown()
    if timed_out:
        raise DownloadError(f"Could not fetch {_edition(source)}: the download from {url} did not finish "
                            f"within the deadline of {deadline:g} s (deadline= or ${ENV_DEADLINE}); the "
                            f"server is too slow or stalls. Retry later, or raise the deadline. "
                            f"{_manual_route(source)}")
    if outcome:
        raise outcome[0]


def _stream(url: str, handle, source: Source, *, timeout, limit: int, bar, cancel: threading.Event,
            held: list) -> None:
    """GET ``url`` into the open file ``handle``: at most ``limit`` bytes, no decompression of binary files.

    urllib3's errors while reading the body are raised as the requests exceptions that
    :func:`_failure` and :func:`_retryable` know.
    """
    import requests
    from urllib3.exceptions import (
        DecodeError,
        ProtocolError,
        ReadTimeoutError,
        SSLError,
    )

    binary = source.format == "pdf"
    with requests.get(url, stream=True, timeout=timeout, allow_redirects=True,
                      headers={"Accept-Encoding": "identity"}) as response:
        held.append(response.raw)
        response.raise_for_status()
        length = _content_length(response, url, source)
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if binary and encoding not in ("", "identity"):
            raise DownloadError(f"Could not fetch {_edition(source)}: {url} sent the {source.format.upper()} "
                                f"compressed (Content-Encoding: {encoding}) although policylab asked for "
                                "no compression; policylab does not decompress binary downloads (a guard "
                                f"against decompression bombs). Try another mirror. {_manual_route(source)}")
        if length is not None and length > limit:
            raise _too_large(url, source, limit, f"announces {length:,} bytes")
        if bar:
            bar.total = length or 0
        received = 0
        try:
            while not cancel.is_set():
                chunk = response.raw.read1(CHUNK_SIZE, decode_content=not binary)
                if not chunk:
                    break
                received += len(chunk)
                if received > limit:
                    raise _too_large(url, source, limit, f"sent more than {limit:,} bytes")
                handle.write(chunk)
                if bar:
                    bar.update(len(chunk))
        except ProtocolError as exc:
            raise requests.exceptions.ChunkedEncodingError(exc) from None
        except DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(exc) from None
        except ReadTimeoutError as exc:
            raise requests.exceptions.ConnectionError(exc) from None
        except SSLError as exc:
            raise requests.exceptions.SSLError(exc) from None


def _content_length(response, url: str, source: Source) -> int | None:
    """The announced body size; DownloadError if the header is not one decimal number."""
    value = response.headers.get("Content-Length")
    if value is None:
        return None
    values = {v.strip() for v in value.split(",")}  # a repeated header arrives joined by commas
    if len(values) == 1 and re.fullmatch(r"\d{1,18}", next(iter(values)), re.ASCII):
        return int(values.pop())
    raise DownloadError(f"Could not fetch {_edition(source)}: {url} sent an invalid Content-Length header "
                        f"({value!r}), so the response cannot be trusted. Retry later or try another "
                        f"mirror. {_manual_route(source)}")


def _too_large(url: str, source: Source, limit: int, what: str) -> DownloadError:
    return DownloadError(f"Could not fetch {_edition(source)}: {url} {what}, but the cap for this file is "
                         f"{limit:,} bytes (max_bytes= or ${ENV_MAX_BYTES}; the size recorded in the lock "
                         "file when the hash is known). Nothing was kept. If the file really is that large, "
                         f"raise the cap. {_manual_route(source)}")


def _setting(value, env: str, default: float, what: str, convert=float) -> float:
    """A positive finite limit: the argument, else the environment variable, else the default."""
    origin = f"{what}={value!r}"
    if value is None:
        text = os.environ.get(env, "").strip()
        if not text:
            return default
        origin = f"${env}={text!r}"
        try:
            value = convert(text)
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0 < value < math.inf):
        raise FetchError(f"{origin}: expected a positive number ({what} is {_LIMITS[what]}).")
    return value


_LIMITS = {"max_bytes": "the largest download accepted, in bytes",
           "deadline": "the seconds one file's download may take, retries included"}


def _forget(source: Source, home: Path) -> None:
    """Remove one edition's file and lock entry from the data home (``policylab fetch --reset``)."""
    target = file_path(source, home)
    if not home.is_dir():
        return
    with lock_held(home):
        files = _lock_files(home)
        if files.pop(_key(source), None) is not None:
            _write_lock(home, files)
        if target.is_symlink() or target.is_file():
            target.unlink()
    logger.info("Forgot %s: its file and lock entry are gone from %s", _edition(source), home)


def _fetch_one(source: Source, home: Path, *, force: bool, update: bool, reset: bool, mirror: str | None,
               timeout, retries: int, backoff: float, progress: bool, max_bytes: int, deadline: float) -> Path:
    if reset:
        _forget(source, home)
    target = file_path(source, home)
    entry = lock_entry(source, home)
    expected, origin = expected_sha256(source, entry)
    update = update and source.sha256 is None  # a hash pinned by the registry cannot be updated

    if target.is_file() and not (force or update):
        found = _sha256(target)
        if expected is not None and found == expected:
            if entry is None or entry["sha256"] != found:  # placed by hand, or a lock entry not the registry's
                _record(home, source, target, found, fetched_from=f"found at {target}", method="found",
                        trust="registry")
            logger.info("%s is in the data home (%s), sha256 %s", _edition(source), target, found)
            return target
        if expected is None:
            _check_plausible(target, source, str(target), "It was left there, unrecorded; delete it")
            _record(home, source, target, found, fetched_from=f"found at {target}", method="found",
                    trust="first-use")
            warnings.warn(FetchNotice(
                f"{_edition(source)}: the file found at {target} has no recorded hash; its sha256 "
                f"{found} is now recorded in {home / LOCK_NAME} (trust on first use)."), stacklevel=3)
            return target
        logger.info("%s at %s has sha256 %s, expected %s from %s; downloading it again",
                    _edition(source), target, found, expected, origin)

    url = _mirror_url(source, mirror)
    limit = max_bytes
    size = entry.get("size") if entry is not None and entry["sha256"] == expected and not update else None
    if type(size) is int and size > 0:
        limit = min(limit, size)  # the file must be the one recorded, so it has that size
    try:
        if url.startswith("file:"):
            tmp = _copy_local(url, target.parent, source, limit=limit)
        else:
            tmp = _download(url, target.parent, source, timeout=timeout, retries=retries, backoff=backoff,
                            progress=progress, limit=limit, deadline=deadline)
    except BaseException:
        _prune(target.parent, home)
        raise
    try:
        got = _sha256(tmp)
        if expected is not None and got != expected and not update:
            kept = (f"The file already in the data home ({target}) was left as it was."
                    if target.exists() else "Nothing was written to the data home.")
            raise ChecksumError(
                f"sha256 mismatch for {_edition(source)} downloaded from {url}: expected {expected} "
                f"(from {origin}), got {got}. {kept} "
                + _mismatch_hint(source, f"policylab fetch {source.plan_id}", entry, home))
        if got != expected:  # trusted on first use, or an update: check what it is
            _check_plausible(tmp, source, url)
        trust = _trust(source, entry, expected, got)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        _prune(target.parent, home)
    _record(home, source, target, got, fetched_from=url, method="download", trust=trust)
    if expected is None:
        warnings.warn(FetchNotice(
            f"{_edition(source)}: no hash was recorded for this file; trusting it on first use and "
            f"recording sha256 {got} in {home / LOCK_NAME}. A later change will be an error unless "
            "you pass --update."), stacklevel=3)
    elif got != expected:
        warnings.warn(FetchNotice(
            f"{_edition(source)}: the file has changed (sha256 was {expected}, is now {got}); the new "
            f"hash is recorded in {home / LOCK_NAME} because an update was asked for."), stacklevel=3)
    logger.info("Fetched %s into %s, sha256 %s", _edition(source), target, got)
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
    each plan (its file and lock entry: a hash wrongly trusted on first use goes with it). ``mirror`` (else ``$POLICYLAB_MIRROR``) replaces the
    official hosts: an http(s) base URL, a ``file://`` URL or a local folder; each file is
    taken from ``<mirror>/<filename>``.
    ``progress`` shows a bar when stderr is a terminal. ``timeout`` (seconds, or a
    (connect, read) pair), ``retries`` and ``backoff`` default to the module constants.
    ``max_bytes`` (else ``$POLICYLAB_MAX_BYTES``, else :data:`MAX_BYTES`, 200 MB) caps each
    download: a server that sends more is cut off (a file whose size is recorded in the lock
    file may not exceed that size). ``deadline`` (else ``$POLICYLAB_DEADLINE``, else
    :data:`DEADLINE`, 600 s) bounds the time of each file's download, retries included.
    Compressed transfers of PDFs are refused, never decompressed.

    Raises a :class:`FetchError` subclass; when several plans fail, one FetchError lists
    them all (its ``errors`` attribute maps plan id to error) after the others are fetched.
    """
    if isinstance(plan_ids, str):
        plan_ids = [plan_ids]
    wanted = list(dict.fromkeys(plan_ids)) if plan_ids is not None else registry_plan_ids()
    sources = [get_source(plan_id, language, data_home=data_home) for plan_id in wanted]  # unknown ids fail first
    by_hand = [s.plan_id for s in sources if s.url_download is None]
    if by_hand:
        raise FetchError(f"{', '.join(by_hand)}: added by hand with no URL, so there is nothing to download; "
                         "the file is in the data home already (list_fetched()). To replace it run "
                         f"`policylab add FILE --plan {by_hand[0]} --update`.")
    home = get_data_home(data_home)
    options = {"force": force, "update": update, "reset": reset, "mirror": mirror,
               "timeout": TIMEOUT if timeout is None else timeout,
               "retries": RETRIES if retries is None else retries,
               "backoff": BACKOFF if backoff is None else backoff,
               "max_bytes": int(_setting(max_bytes, ENV_MAX_BYTES, MAX_BYTES, "max_bytes", int)),
               "deadline": _setting(deadline, ENV_DEADLINE, DEADLINE, "deadline"),
               "progress": bool(progress) and sys.stderr.isatty()}
    fetched: dict[str, Path] = {}
    errors: dict[str, FetchError] = {}
    created = _topmost_missing(home)
    try:
        for source in sources:
            try:
                fetched[source.plan_id] = _fetch_one(source, home, **options)
            except FetchError as exc:
                errors[source.plan_id] = exc
            except OSError as exc:  # not a requests error: those are FetchErrors by now
                errors[source.plan_id] = _disk_error(exc, source, home)
    finally:
        if created is not None:  # a data home this fetch made and left empty goes again
            _prune(home, created.parent)
    if len(errors) == 1 and len(sources) == 1:
        raise next(iter(errors.values()))
    if errors:
        lines = "\n".join(f"  {plan_id}: {exc}" for plan_id, exc in errors.items())
        error = FetchError(f"{len(errors)} of {len(sources)} plans could not be fetched"
                           + (f" ({', '.join(fetched)} fetched)" if fetched else "") + f":\n{lines}")
        error.errors, error.fetched = errors, fetched
        raise error
    return fetched


# --------------------------------------------------------------------------- manual add


def file_format(path: Path, wanted: str) -> str:
    """'pdf', 'html' or 'text' for the file at ``path``, from its first MiB; NotThePlanError
    naming it if it is not a readable file (``wanted`` says what to give instead)."""
    if not path.is_file():
        raise NotThePlanError(f"{path} {'is a folder' if path.is_dir() else 'does not exist'}; give "
                              f"the path of {wanted}.")
    try:
        with open(path, "rb") as handle:
            return sniff_format(handle.read(1 << 20), path)
    except OSError as exc:
        raise NotThePlanError(f"{path} cannot be read ({exc.strerror}); check its permissions.") from None


def add(path, *, plan_id: str, language: str | None = None, data_home=None, update: bool = False) -> Path:
    """Copy a file downloaded by hand into the data home as the file of ``plan_id``.

    The file must be in the plan's format, have the hash recorded for the plan (registry
    or lock file) unless ``update``, not be the file of another plan, and be readable by
    the plan's reader. It is then copied in (atomically) and recorded in the lock file.
    Returns its path in the data home.
    """
    source = get_source(plan_id, language, data_home=data_home)
    path = Path(path).expanduser()
    fmt = file_format(path, f"the downloaded file of {_edition(source)}")
    try:
        got = _sha256(path)
    except OSError as exc:
        raise NotThePlanError(f"{path} cannot be read ({exc.strerror}); check its permissions.") from None
    if fmt != source.format:
        raise NotThePlanError(f"{path} is a {fmt} file, but {_edition(source)} is published as "
                              f"{source.format} ({source.url_download}). {_manual_route(source)}")
    other = find_source_by_sha256(got)
    if other is not None and (other.plan_id, other.language) != (source.plan_id, source.language):
        raise NotThePlanError(f"{path} is the file of {_edition(other)}, not of {_edition(source)}; "
                              f"run `policylab add {path} --plan {other.plan_id}` if that is what you meant.")
    home = get_data_home(data_home)
    entry = lock_entry(source, home)
    expected, origin = expected_sha256(source, entry)
    update = update and source.sha256 is None  # a hash pinned by the registry cannot be updated
    if expected is not None and got != expected and not update:
        raise ChecksumError(f"sha256 mismatch for {path} as {_edition(source)}: expected {expected} (from "
                            f"{origin}), got {got}. It is not the file policylab knows. "
                            + _mismatch_hint(source, f"policylab add {path} --plan {source.plan_id}", entry, home))
    _check_plausible(path, source, str(path))
    target = file_path(source, home)
    created = _topmost_missing(target.parent)
    trust = _trust(source, entry, expected, got)
    try:
        tmp = _copy_in(path, target.parent, source)
        try:
            if _sha256(tmp) != got:
                raise FetchError(f"{path} changed while it was being copied to {target}; try again.")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        _record(home, source, target, got, fetched_from=f"added from {path.resolve()}", method="add",
                trust=trust)
    except BaseException as exc:
        if created is not None:
            _prune(target.parent, created.parent)
        if isinstance(exc, OSError):
            raise _disk_error(exc, source, home) from None
        raise
    if expected is None:
        warnings.warn(FetchNotice(f"{_edition(source)}: no hash was recorded; trusting {path} on first use "
                                  f"and recording sha256 {got} in {home / LOCK_NAME}."), stacklevel=2)
    elif got != expected:
        warnings.warn(FetchNotice(f"{_edition(source)}: recorded the new sha256 {got} (was {expected}) in "
                                  f"{home / LOCK_NAME} because an update was asked for."), stacklevel=2)
    return target


# --------------------------------------------------------------------------- listing


def list_fetched(data_home=None) -> pd.DataFrame:
    """One row per edition, shipped or user-added: whether its file is in the data home, its hash
    and provenance.

    ``status`` is ``ok`` (present, hash as expected), ``modified`` (present, hash differs
    from the registry's or the lock file's), ``unrecorded`` (present, not in the lock file),
    ``damaged`` (present, its lock entry unusable) or ``missing``.
    """
    home = get_data_home(data_home)
    files = _lock_files(home)
    rows = []
    for source in _sources.all_sources(home):
        target = file_path(source, home)
        entry = files.get(_key(source))
        damaged = entry is not None and _entry_problem(entry) is not None
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
    return pd.DataFrame(rows).astype("string")
