"""Getting a file: streamed over HTTP(S) with bounds, retries and a deadline, or copied from
a mirror that is a local folder.

Downloads stream with requests (connect and read timeouts, a progress bar) into a
temporary file beside the target; the caller hashes it and moves only a verified file into
place. Every download is bounded: at most ``limit`` bytes, within ``deadline`` seconds
(retries included), and a compressed PDF is refused rather than decompressed. The retries
(exponential backoff that tests can shorten) are done here rather than by
``pooch.retrieve``, whose retry waits are fixed and whose downloads are unbounded.
"""

from __future__ import annotations

import functools
import glob
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
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from ..datafiles import sha256_file
from ..sources import Source
from .errors import DownloadError, FetchError, NetworkError, edition, manual_route

logger = logging.getLogger("policylab.fetch")

ENV_MIRROR = "POLICYLAB_MIRROR"
ENV_MAX_BYTES = "POLICYLAB_MAX_BYTES"
ENV_DEADLINE = "POLICYLAB_DEADLINE"
#: (connect, read) timeouts in seconds; the read timeout is the longest silence allowed.
TIMEOUT = (10.0, 60.0)
#: attempts after the first one, for connection failures, timeouts, broken transfers, HTTP 5xx/429.
RETRIES = 3
#: seconds before the first retry; doubled before each next one.
BACKOFF = 1.0
CHUNK_SIZE = 64 * 1024
#: the largest download accepted (bytes) when the file's size is not recorded in the lock file.
MAX_BYTES = 200_000_000
#: seconds one file's download may take in all, retries and waits included.
DEADLINE = 600.0
#: seconds after which an untouched temporary file in the data home is a left-over, and deleted.
STALE_AFTER = 2 * DEADLINE


def _temp_path(folder: Path, prefix: str, suffix: str) -> Path:
    """A fresh name for a temporary file in ``folder`` (the file is made by :func:`_new_file`,
    so that the caller holds the name before the file exists, and an interrupt cannot leave
    a file it does not know of).

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
    return folder / f"{prefix}.{secrets.token_hex(8)}{suffix}"


def _new_file(path: Path) -> typing.BinaryIO:
    """Create the temporary file ``path``, open for writing, with the mode the umask gives
    (``tempfile.mkstemp`` would make it 0600, unreadable for the other users of a shared data home)."""
    return open(path, "xb")


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


#: Where an http(s) mirror may keep a file, tried in turn: flat, or one folder per plan or edition.
MIRROR_LAYOUTS = ("{filename}", "{plan_id}/{filename}", "{plan_id}-{language}/{filename}",
                  "{plan_id}/{language}/{filename}")


def locations(source: Source, mirror: str | os.PathLike | None, expected: str | None) -> list[str]:
    """The URLs to try for a file, in turn: the official URL, or the mirror's.

    A mirror (``mirror``, else ``$POLICYLAB_MIRROR``) is an http(s) URL, a ``file://`` URL or
    a local folder. A local mirror may be flat or hold one folder per plan, at any depth: the
    file is found by its name and, where several have that name, by the ``expected`` sha256.
    An http(s) mirror cannot be searched, so the layouts of :data:`MIRROR_LAYOUTS` are tried.
    """
    mirror = os.fspath(mirror) if mirror is not None else os.environ.get(ENV_MIRROR, "")
    if not mirror:
        return [source.url_download]
    scheme = urlsplit(mirror).scheme.lower()
    if scheme in ("http", "https"):
        fields = {"filename": source.filename, "plan_id": source.plan_id, "language": source.language}
        return list(dict.fromkeys(f"{mirror.rstrip('/')}/{layout.format(**fields)}" for layout in MIRROR_LAYOUTS))
    if scheme == "file":
        folder = Path(url2pathname(urlsplit(mirror).path))
    elif len(scheme) > 1:  # not a drive letter
        raise FetchError(f"Mirror {mirror!r} (mirror= or ${ENV_MIRROR}): expected an http(s) URL, a file:// "
                         "URL or a local folder.")
    else:
        folder = Path(mirror).expanduser().resolve()
    return [_local_copy(folder, source, expected).as_uri()]


def _local_copy(folder: Path, source: Source, expected: str | None) -> Path:
    """The file named like the plan's in a local mirror, at its top or in any folder below it.

    Of several files with that name, the first with the ``expected`` sha256 (the shallowest
    first); with no hash known, they must all be the same file."""
    where = f"the mirror {folder} (mirror= or ${ENV_MIRROR})"
    if not folder.is_dir():
        raise DownloadError(f"Could not fetch {edition(source)}: {where} is not a folder. Give the folder "
                            f"that holds the plans' files, or unset the mirror. {manual_route(source)}")
    found = sorted((p for p in folder.rglob(glob.escape(source.filename)) if p.is_file()),
                   key=lambda p: (len(p.relative_to(folder).parts), p.as_posix()))
    if not found:
        raise DownloadError(f"Could not fetch {edition(source)}: {where} has no file named {source.filename}, "
                            "neither at its top nor in a folder below it. Put the file there, or unset the "
                            f"mirror. {manual_route(source)}")
    if len(found) == 1:
        return found[0]
    hashes = {path: sha256_file(path) for path in found}
    if expected is not None:
        return next((path for path in found if hashes[path] == expected), found[0])
    if len(set(hashes.values())) > 1:
        listed = ", ".join(str(path) for path in found)
        raise DownloadError(f"Could not fetch {edition(source)}: {where} holds {len(found)} different files "
                            f"named {source.filename} ({listed}), and no hash is recorded to tell which is "
                            "the plan's. Keep only the right one, or give its folder as the mirror.")
    return found[0]


def retrieve(urls: list[str], folder: Path, source: Source, *, limit: int, **http) -> tuple[Path, str]:
    """Get the first of ``urls`` that exists into a temporary file in ``folder``; return that file
    and its URL. ``http`` holds :func:`download`'s options; a ``file://`` URL is copied."""
    for url in urls:
        try:
            if url.startswith("file:"):
                return copy_local(url, folder, source, limit=limit), url
            return download(url, folder, source, limit=limit, **http), url
        except DownloadError as exc:
            if getattr(exc, "status", None) != 404 or len(urls) == 1:
                raise
    raise DownloadError(f"Could not fetch {edition(source)}: the mirror (mirror= or ${ENV_MIRROR}) answered "
                        f"HTTP 404 Not Found at each place a mirror may keep {source.filename}: "
                        f"{', '.join(urls)}. Put the file at one of them, or unset the mirror. "
                        f"{manual_route(source)}")


def copy_local(url: str, folder: Path, source: Source, *, limit: int) -> Path:
    """Copy a mirror's local file (a ``file://`` URL) into a temporary file in ``folder``."""
    path = Path(url2pathname(urlsplit(url).path))
    if not path.is_file():
        raise DownloadError(f"Could not fetch {edition(source)}: the mirror's file {path} has gone "
                            f"(mirror= or ${ENV_MIRROR}). Put {source.filename} back, or unset the mirror. "
                            f"{manual_route(source)}")
    if path.stat().st_size > limit:
        raise _too_large(url, source, limit, f"holds {path.stat().st_size:,} bytes")
    return copy_in(path, folder, source)


def copy_in(path: Path, folder: Path, source: Source) -> Path:
    """Copy ``path`` into a new temporary file in ``folder`` (created if needed); return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = _temp_path(folder, f".{source.filename}", ".part")
    try:
        with _new_file(tmp) as handle, open(path, "rb") as original:
            shutil.copyfileobj(original, handle)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _failure(exc: Exception, url: str, source: Source, timeout) -> FetchError:
    """Translate a requests exception into a FetchError naming the host and the manual route."""
    import requests

    host = urlsplit(url).netloc or url
    mirror = "" if url == source.url_download else f" (mirror set by mirror= or ${ENV_MIRROR})"
    text = str(exc)
    if isinstance(exc, requests.exceptions.InvalidHeader):
        return DownloadError(f"Could not fetch {edition(source)}: {url}{mirror} sent a malformed response "
                             f"({text}), so it cannot be trusted. Retry later or try another mirror. "
                             f"{manual_route(source)}")
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        status = exc.response.status_code
        reason = exc.response.reason or ""
        hint = (" The file may have moved; check the plan's page." if status in (403, 404, 410) else
                " The server failed; try again later.")
        error = DownloadError(f"Could not fetch {edition(source)}: {url}{mirror} answered HTTP {status} "
                              f"{reason}.{hint} {manual_route(source)}")
        error.status = status  # a mirror answering 404 for one layout is asked for the next
        return error
    if isinstance(exc, requests.Timeout) or "timed out" in text.lower():
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        what = f"timed out (connect timeout {connect:g} s, read timeout {read:g} s)"
        return NetworkError(f"Could not fetch {edition(source)}: host {host}{mirror} {what}. Check the "
                            f"network, or retry later. {manual_route(source)}")
    if isinstance(exc, requests.ConnectionError):
        if "refused" in text.lower():
            what = "refused the connection"
        elif _unresolved(text):
            what = "could not be resolved (is this machine offline?)"
        elif isinstance(exc, requests.exceptions.SSLError):
            what = "failed the TLS/SSL handshake"
        elif any(s in text for s in ("IncompleteRead", "ProtocolError", "Connection broken")):
            return DownloadError(f"Could not fetch {edition(source)}: the transfer from {url}{mirror} "
                                 f"broke off before the end (truncated download). Retry later. "
                                 f"{manual_route(source)}")
        else:
            what = "could not be reached"
        return NetworkError(f"Could not fetch {edition(source)}: host {host}{mirror} {what}. Check the "
                            f"network (policylab needs internet access, or a mirror via ${ENV_MIRROR}). "
                            f"{manual_route(source)}")
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return DownloadError(f"Could not fetch {edition(source)}: the transfer from {url}{mirror} broke "
                             f"off before the end (truncated download). Retry later. {manual_route(source)}")
    return DownloadError(f"Could not fetch {edition(source)} from {url}{mirror}: {text}. {manual_route(source)}")


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


def download(url: str, folder: Path, source: Source, *, timeout, retries: int, backoff: float,
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
        tmp = _temp_path(folder, f".{source.filename}", ".part")
        try:
            with _new_file(tmp) as handle:
                logger.info("Downloading %s from %s", edition(source), url)
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
            logger.info("Fetching %s failed (%s); retrying in %.1f s (%d left)", edition(source),
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
        raise DownloadError(f"Could not fetch {edition(source)}: the download from {url} did not finish "
                            f"within the deadline of {deadline:g} s (deadline= or ${ENV_DEADLINE}); the "
                            f"server is too slow or stalls. Retry later, or raise the deadline. "
                            f"{manual_route(source)}")
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
            raise DownloadError(f"Could not fetch {edition(source)}: {url} sent the {source.format.upper()} "
                                f"compressed (Content-Encoding: {encoding}) although policylab asked for "
                                "no compression; policylab does not decompress binary downloads (a guard "
                                f"against decompression bombs). Try another mirror. {manual_route(source)}")
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
    raise DownloadError(f"Could not fetch {edition(source)}: {url} sent an invalid Content-Length header "
                        f"({value!r}), so the response cannot be trusted. Retry later or try another "
                        f"mirror. {manual_route(source)}")


def _too_large(url: str, source: Source, limit: int, what: str) -> DownloadError:
    return DownloadError(f"Could not fetch {edition(source)}: {url} {what}, but the cap for this file is "
                         f"{limit:,} bytes (max_bytes= or ${ENV_MAX_BYTES}; the size recorded in the lock "
                         "file when the hash is known). Nothing was kept. If the file really is that large, "
                         f"raise the cap. {manual_route(source)}")


def limit_setting(value, env: str, default: float, what: str, convert=float) -> float:
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
