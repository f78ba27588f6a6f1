"""Load plans from the data home into unit tables, with provenance in ``df.attrs``."""

from __future__ import annotations

import warnings

import pandas as pd

from .coded import CODED_PLANS, load_plan_coded
from .datafiles import sha256_file
from .errors import PolicyLabError
from .fetch import (
    ChecksumError,
    NotFetchedError,
    expected_sha256,
    file_path,
    get_data_home,
    lock_entry,
)
from .fetching.errors import added_by_hand
from .parse import read_document
from .sources import get_source, user_registry
from .sources import plan_ids as registry_plan_ids
from .units import empty_frame, validate_units

__all__ = ["MissingPlansWarning", "SourceNotAvailableError", "UserPlansLeftOutWarning", "load_corpus", "load_plan"]

SOURCES = ("fulltext", "coded")
MISSING = ("raise", "skip")


class SourceNotAvailableError(PolicyLabError, ValueError):
    """A ``source=`` that policylab cannot load (yet)."""


class UserPlansLeftOutWarning(UserWarning):
    """``load_corpus()`` without plan ids loaded the shipped plans only, not the plans a user added."""


class MissingPlansWarning(UserWarning):
    """``load_corpus(..., missing="skip")`` left out plans whose files are not in the data home."""


def load_plan(plan_id: str, *, source: str = "fulltext", language: str | None = None,
              data_home=None) -> pd.DataFrame:
    """The validated unit table of one plan, read from its fetched file.

    ``source="fulltext"`` reads the official file in the data home (see
    :func:`policylab.fetch`); ``language`` picks an edition (default: the original).
    ``source="coded"`` returns the coded edition shipped with policylab: our summary in
    ``text`` plus ``actors``, ``instruments``, ``themes``, ``orientation`` and ``basis``.
    ``df.attrs`` holds the provenance: ``url``, ``sha256``, ``fetched_at``,
    ``fetched_from``, ``path``, ``title``, ``producer``, ``date_published``, ``citation``,
    ``license``. The file's hash is checked against the lock file (or the registry).
    Plans a user added (``policylab add``) load the same way; code them with
    :func:`policylab.code_plan`.
    """
    if source == "fulltext":
        return _load_fulltext(plan_id, language=language, data_home=data_home)
    if source == "coded":
        if get_source(plan_id, data_home=data_home).origin == "user":  # unknown ids get the registry's error
            raise SourceNotAvailableError(
                f"load_plan({plan_id!r}, source='coded'): {plan_id} is a plan you added; policylab ships no "
                f"hand-coded edition of it. Code it with the tagger: "
                f"policylab.code_plan(policylab.load_plan({plan_id!r})).")
        return load_plan_coded(plan_id)
    raise SourceNotAvailableError(
        f"load_plan({plan_id!r}, source={source!r}): unknown source; expected one of "
        f"{', '.join(map(repr, SOURCES))}.")


def _load_fulltext(plan_id: str, *, language: str | None, data_home) -> pd.DataFrame:
    edition = get_source(plan_id, language, data_home=data_home)
    home = get_data_home(data_home)
    path = file_path(edition, home)
    if not path.is_file():
        option = "" if edition.original else f" --language {edition.language}"
        missing = f"Plan {plan_id} ({edition.language}) is not in the data home: {path} does not exist."
        if added_by_hand(edition):
            raise NotFetchedError(f"{missing} It is a plan you added by hand; add its file again with "
                                  f"`policylab add PATH --plan {plan_id}{option} --update`.")
        raise NotFetchedError(
            f"{missing} Run `policylab fetch {plan_id}{option}` (or policylab.fetch({plan_id!r})), or download "
            f"{edition.url_download} by hand and run `policylab add PATH --plan {plan_id}{option}`.")
    entry = lock_entry(edition, home)
    expected, origin = expected_sha256(edition, entry)
    entry = entry or {}
    sha256 = sha256_file(path)
    if expected is not None and sha256 != expected:
        restore = (f"Add your file again with `policylab add PATH --plan {plan_id} --update`"
                   if added_by_hand(edition) else f"Run `policylab fetch {plan_id} --force` to restore it")
        raise ChecksumError(
            f"{path} has sha256 {sha256}, but {expected} is recorded for {plan_id} ({edition.language}) in "
            f"{origin}; the file changed after it was fetched or added. {restore}.")
    frame = read_document(path, plan_id=plan_id)
    frame.attrs.update({
        "plan_id": plan_id, "language": edition.language, "source": "fulltext",
        "url": edition.url_download, "url_main": edition.url_main, "sha256": sha256,
        "fetched_at": entry.get("fetched_at"), "fetched_from": entry.get("fetched_from"),
        "path": str(path), "title": edition.title_original, "title_en": edition.title_en,
        "producer": edition.producer, "date_published": edition.date_published,
        "citation": edition.citation, "license": edition.license, "origin": edition.origin,
    })
    return frame


def load_corpus(plan_ids=None, *, source: str = "fulltext", language: str | None = None,
                data_home=None, missing: str = "raise") -> pd.DataFrame:
    """The unit tables of several plans, concatenated.

    ``plan_ids=None`` means every shipped plan (with ``source="coded"``, every one with a
    coded edition), in registry order; name plans you added to include them (a
    :class:`UserPlansLeftOutWarning` says which were left out).

    Plans whose files are not in the data home: ``missing="raise"`` names them all in one
    error; ``missing="skip"`` leaves them out with a :class:`MissingPlansWarning` that names
    them. ``df.attrs["plans"]`` maps each plan id to its provenance (the ``attrs`` of
    :func:`load_plan`).
    """
    if missing not in MISSING:
        raise SourceNotAvailableError(f"load_corpus(missing={missing!r}): expected 'raise' or 'skip'.")
    if isinstance(plan_ids, str):
        plan_ids = [plan_ids]
    if plan_ids is not None:
        wanted = list(dict.fromkeys(plan_ids))
    else:
        wanted = [p for p in registry_plan_ids() if source != "coded" or p in CODED_PLANS]
        yours = list(dict.fromkeys(s.plan_id for s in user_registry(data_home))) if source == "fulltext" else []
        if yours:
            warnings.warn(UserPlansLeftOutWarning(
                f"load_corpus() loads the plans policylab ships; the plans you added ({', '.join(yours)}) are left "
                f"out. Name them to include them: load_corpus([..., {yours[0]!r}])."), stacklevel=2)
    frames, absent = [], []
    for plan_id in wanted:
        try:
            frames.append(load_plan(plan_id, source=source, language=language, data_home=data_home))
        except NotFetchedError:
            absent.append(plan_id)
    if absent:
        option = f" --language {language}" if language else ""
        where = f"the data home {get_data_home(data_home)}: {', '.join(absent)}"
        fix = (f"Run `policylab fetch {' '.join(absent)}{option}`, or add files downloaded by hand with "
               "`policylab add PATH --plan PLAN_ID`")
        if missing == "raise":
            raise NotFetchedError(f"{len(absent)} of {len(wanted)} plans are not in {where}. {fix}; or pass "
                                  "plan_ids= to load only some plans, or missing='skip'.")
        warnings.warn(MissingPlansWarning(f"Skipped {len(absent)} of {len(wanted)} plans, whose files are not in "
                                          f"{where}. {fix}."), stacklevel=2)
    if not frames:
        return empty_frame()
    provenance = {frame.attrs["plan_id"]: dict(frame.attrs) for frame in frames}
    corpus = pd.concat(frames, ignore_index=True)
    corpus.attrs = {"source": source, "plans": provenance}
    return validate_units(corpus)
