"""The data home and its lock file: where each plan's file lives, and what is recorded about it.

Layout of the data home (``get_data_home()``)::

    <data_home>/policylab-lock.json                  what is there, its hash, where it came from
    <data_home>/.policylab-lock.json.lock            the inter-process lock guarding it
    <data_home>/<plan_id>/<language>/<filename>      one official file per language edition

The lock file's read-modify-write holds an inter-process lock (``.policylab-lock.json.lock``)
and the file is replaced atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import logging
import os
import re
import shutil
from pathlib import Path

from ..datafiles import ENV_DATA, get_data_home, write_text_atomic
from ..sources import Source, get_source
from ..sources import plan_ids as registry_plan_ids
from .errors import FetchError, edition

logger = logging.getLogger("policylab.fetch")

LOCK_NAME = "policylab-lock.json"
#: seconds to wait for another process's hold on the lock file.
LOCK_WAIT = 60.0


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
        lock_ids = [entry["plan_id"] for entry in lock_files(home).values()
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
        raise FetchError(f"Registry entry {edition(source)}: {'/'.join(parts)} is not a plain path "
                         "inside the data home; correct the entry's plan_id or url_download.")
    return get_data_home(data_home).joinpath(*parts)


def lock_key(source: Source) -> str:
    return f"{source.plan_id}/{source.language}"


def read_lock(data_home: str | os.PathLike | None = None) -> dict[str, dict]:
    """The lock file's entries, keyed ``"<plan_id>/<language>"`` (empty if there is none).

    FetchError if the lock file or one of its entries is damaged."""
    home = get_data_home(data_home)
    files = lock_files(home)
    for key, entry in files.items():
        problem = entry_problem(entry)
        if problem:
            raise _damaged_entry(home, key, problem)
    return files


def lock_files(home: Path) -> dict:
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


def entry_problem(entry: object) -> str | None:
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
    entry = lock_files(home).get(lock_key(source))
    problem = None if entry is None else entry_problem(entry)
    if problem is None:
        return entry
    if source.sha256 is not None:
        return None
    raise _damaged_entry(home, lock_key(source), problem)


def write_lock(home: Path, files: dict[str, dict]) -> None:
    """Write the lock file atomically: a temporary file beside it, then os.replace."""
    text = json.dumps({"version": 1, "files": files}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_text_atomic(home / LOCK_NAME, text)


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


def record(home: Path, source: Source, path: Path, sha256: str, *, fetched_from: str, method: str,
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
        files = lock_files(home)
        files[lock_key(source)] = entry
        write_lock(home, files)
    return entry


def topmost_missing(path: Path) -> Path | None:
    """The highest folder of ``path`` (itself included) that does not exist yet, or None."""
    if path.exists():
        return None
    while not path.parent.exists():
        path = path.parent
    return path


def prune(folder: Path, home: Path) -> None:
    """Remove the empty folders a failed download created, up to (not including) ``home``."""
    while folder != home and home in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty, or not there
        folder = folder.parent


def forget(source: Source, home: Path) -> None:
    """Remove one edition's file and lock entry from the data home (``policylab fetch --reset``)."""
    target = file_path(source, home)
    if not home.is_dir():
        return
    with lock_held(home):
        files = lock_files(home)
        if files.pop(lock_key(source), None) is not None:
            write_lock(home, files)
        if target.is_symlink() or target.is_file():
            target.unlink()
    logger.info("Forgot %s: its file and lock entry are gone from %s", edition(source), home)


def disk_error(exc: OSError, source: Source, home: Path) -> FetchError:
    """A file-system failure while putting a plan's file in the data home, as a FetchError."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        advice = "Free some space"
    elif isinstance(exc, (FileExistsError, NotADirectoryError)) or (home.exists() and not home.is_dir()):
        advice = "The data home must be a folder (or a path where one can be made)"
    else:
        advice = "Check the data home's permissions"
    return FetchError(f"Could not put {edition(source)} into the data home {home}: {reason}"
                      + (f" ({exc.filename})" if exc.filename else "") + f". {advice}, or choose another "
                      f"data home with --data-home or ${ENV_DATA}. Nothing was recorded.")

