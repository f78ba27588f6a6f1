"""The registry of plans: which documents policylab knows, where they come from.

The shipped registry lives in ``data/sources.yaml``; each entry is one language edition
of one plan. Plans a user brings are registered in the *user registry*, the file
``policylab-plans.yaml`` in the data home, with the same fields (see
:mod:`policylab.userplans`). Both are validated when they are read; ``origin`` says which
one an entry comes from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .datafiles import DATA_DIR, get_data_home, read_yaml
from .errors import RegistryError, UnknownPlanError
from .units import STRING

REGISTRY_PATH = DATA_DIR / "sources.yaml"
USER_REGISTRY_NAME = "policylab-plans.yaml"

LANGUAGES = ("en", "zh-Hans")
FORMATS = ("pdf", "html", "text", "markdown")  # markdown is read by the text reader
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PLAN_ID = re.compile(r"^[a-z]{2}-[a-z0-9]+-\d{4}$")
#: A user's plan id: a lowercase slug (letters, digits, single hyphens), at most 64 characters.
USER_PLAN_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Fields a user-added plan may leave empty (null): what the user may not know.
USER_OPTIONAL = ("producer", "date_published", "url_main", "url_download", "license", "citation")
#: File extension of a user-added plan's file in the data home, by format.
EXTENSIONS = {"pdf": "pdf", "html": "html", "text": "txt", "markdown": "md"}


@dataclass(frozen=True)
class Source:
    """One language edition of one plan, as recorded in the registry."""

    plan_id: str
    language: str
    original: bool
    country: str
    title_en: str
    title_original: str
    producer: str | None
    date_published: str | None
    document_type: str
    url_main: str | None
    url_download: str | None
    format: str
    sha256: str | None
    license: str | None
    citation: str | None
    translator: str | None = None  # who translated a non-original edition, where not the producer
    origin: str = "shipped"  # "shipped" (data/sources.yaml) or "user" (the user registry)

    @property
    def filename(self) -> str:
        """Name of the file in the data home: ``<plan_id>.<pdf|html|txt>`` for user plans (whose
        URL is provenance only), else the last segment of url_download made safe (a query such
        as EUR-Lex's ``?uri=CELEX:52025DC0165`` becomes ``uri_CELEX_52025DC0165``)."""
        if self.origin == "user":
            return f"{self.plan_id}.{EXTENSIONS[self.format]}"
        segment = self.url_download.rstrip("/").rsplit("/", 1)[-1]
        return re.sub(r"[^\w.\-]+", "_", segment).strip("_") or self.plan_id


ORIGINS = ("shipped", "user")
FIELDS = [f.name for f in fields(Source) if f.name != "origin"]  # the fields of a registry entry
_REQUIRED = [name for name in FIELDS if name not in ("sha256", "translator")]


def check_plan_id(plan_id: object, where: str) -> None:
    """A user's plan id must be a lowercase slug; RegistryError saying why not otherwise."""
    text = str(plan_id)
    if not isinstance(plan_id, str) or len(text) > 64 or not USER_PLAN_ID.match(text):
        path_like = isinstance(plan_id, str) and any(c in text for c in "/\\.~")
        why = ("looks like a path; a plan id names a plan, not a file" if path_like else
               "is not a lowercase slug of letters, digits and single hyphens, at most 64 characters")
        raise RegistryError(f"{where}: plan id {plan_id!r} {why}. Choose an id such as 'my-plan' or "
                            "'gb-ai-strategy-2021'.")


def check_entry(entry: object, where: str, origin: str = "shipped") -> Source:
    """Validate one registry entry (``origin`` "shipped" or "user") and return its Source;
    errors name ``where`` (the registry file and the entry's number, or the command)."""
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping of fields, found {type(entry).__name__}.")
    optional = USER_OPTIONAL if origin == "user" else ()
    missing = [name for name in _REQUIRED if name not in optional and entry.get(name) in (None, "")]
    if missing:
        raise RegistryError(f"{where}: missing field(s) {', '.join(missing)}; add them and reload.")
    unknown = set(entry) - set(FIELDS)
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    problems = []
    if origin == "user":
        check_plan_id(entry["plan_id"], where)
    elif not _PLAN_ID.match(str(entry["plan_id"])):
        problems.append(f"plan_id {entry['plan_id']!r} is not of the form 'us-aap-2025'")
    if entry["language"] not in LANGUAGES:
        problems.append(f"language {entry['language']!r} is not one of {', '.join(LANGUAGES)}")
    if entry["format"] not in FORMATS:
        problems.append(f"format {entry['format']!r} is not one of {', '.join(FORMATS)}")
    if not re.fullmatch(r"[A-Z]{3}", str(entry["country"])):
        problems.append(f"country {entry['country']!r} is not an ISO 3166 alpha-3 code")
    if entry.get("date_published") is not None:
        try:
            dt.date.fromisoformat(str(entry["date_published"]))
        except ValueError:
            problems.append(f"date_published {entry['date_published']!r} is not YYYY-MM-DD")
    for key in ("url_main", "url_download"):
        if entry.get(key) is not None and not str(entry[key]).startswith(("https://", "http://")):
            problems.append(f"{key} {entry[key]!r} is not an http(s) URL")
    sha = entry.get("sha256")
    if sha is not None and not _SHA256.match(str(sha)):
        problems.append(f"sha256 {sha!r} is not 64 lowercase hex digits (or null)")
    if not isinstance(entry["original"], bool):
        problems.append("original must be true or false")
    if problems:
        raise RegistryError(f"{where} ({entry.get('plan_id')}): " + "; ".join(problems) + ".")
    values = {name: entry.get(name) for name in FIELDS}
    if values["date_published"] is not None:
        values["date_published"] = str(values["date_published"])
    return Source(**values, origin=origin)


def read_registry(path: str | Path = REGISTRY_PATH, *, origin: str = "shipped") -> tuple[Source, ...]:
    """Read and validate a registry file; raise RegistryError naming the entry at fault."""
    path = Path(path)
    remedy = ("reinstall policylab or restore data/sources.yaml" if origin == "shipped" else
              "fix the entry or delete the file and add your plans again with `policylab add`")
    document = read_yaml(path, RegistryError, "Registry", remedy)
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise RegistryError(f"Registry file {path}: expected a top-level 'sources:' list.")
    sources = tuple(check_entry(e, f"{path}, entry {i + 1}", origin) for i, e in enumerate(document["sources"]))
    keys = [(s.plan_id, s.language) for s in sources]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    if duplicated:
        raise RegistryError(f"Registry file {path}: duplicate plan/language entries {duplicated}.")
    for plan_id in {s.plan_id for s in sources}:
        if sum(s.original for s in sources if s.plan_id == plan_id) != 1:
            raise RegistryError(f"Registry file {path}: plan {plan_id} needs exactly one edition with original: true.")
    return sources


@lru_cache(maxsize=1)
def registry() -> tuple[Source, ...]:
    """The validated registry shipped with policylab (read once)."""
    return read_registry()


def plan_ids() -> list[str]:
    """Plan ids of the shipped registry, in registry order."""
    return list(dict.fromkeys(s.plan_id for s in registry()))


def user_registry_path(data_home=None) -> Path:
    """Where the user registry lives: ``policylab-plans.yaml`` in the data home."""
    return get_data_home(data_home) / USER_REGISTRY_NAME


def user_registry(data_home=None) -> tuple[Source, ...]:
    """The plans a user registered in the data home (none if there is no user registry).

    An entry that reuses a shipped plan id is refused: shipped plans always win.
    """
    path = user_registry_path(data_home)
    if not path.is_file():
        return ()
    sources = read_registry(path, origin="user")
    clash = sorted({s.plan_id for s in sources} & set(plan_ids()))
    if clash:
        raise RegistryError(f"User registry {path}: plan id(s) {', '.join(clash)} are also shipped with "
                            "policylab; rename them in that file (and their folders in the data home).")
    return sources


def all_sources(data_home=None) -> tuple[Source, ...]:
    """Shipped registry entries, then the user's."""
    return registry() + user_registry(data_home)


def get_source(plan_id: str, language: str | None = None, *, data_home=None) -> Source:
    """The registry entry of a plan: its original edition, or the edition in ``language``.

    Shipped plans are looked up first, then the user registry in the data home.
    """
    editions = [s for s in registry() if s.plan_id == plan_id]
    users = () if editions else user_registry(data_home)  # read and validated once
    editions = editions or [s for s in users if s.plan_id == plan_id]
    if not editions:
        mine = f"; your plans: {', '.join(s.plan_id for s in users)}" if users else ""
        raise UnknownPlanError(
            f"Unknown plan_id {plan_id!r}. Known plans: {', '.join(plan_ids())}{mine}; see "
            "policylab.list_plans(). To register a plan of your own, run `policylab add FILE --plan ID "
            "--title TITLE --country ISO3`.")
    if language is None:
        return next(s for s in editions if s.original)
    for source in editions:
        if source.language == language:
            return source
    raise UnknownPlanError(
        f"Plan {plan_id!r} has no {language!r} edition; available: "
        f"{', '.join(s.language for s in editions)}.")


def find_source_by_sha256(sha256: str) -> Source | None:
    """The registry entry whose recorded hash is ``sha256``, if any."""
    return next((s for s in registry() if s.sha256 == sha256), None)


def find_source_by_url(url: str) -> Source | None:
    """The registry entry whose official page or download is ``url``, if any."""
    url = url.strip()
    return next((s for s in registry() if url in (s.url_main, s.url_download)), None)


def list_plans(*, origin: str | None = None, data_home=None) -> pd.DataFrame:
    """Shipped and user plans as a DataFrame, one row per plan and language edition;
    ``origin`` says which registry each comes from (``shipped`` or ``user``).

    ``origin="shipped"`` lists only the plans policylab ships, the same for every user
    (the notebooks and the report use it); ``origin="user"`` only those you added.
    """
    if origin not in (None, *ORIGINS):
        raise RegistryError(f"list_plans(origin={origin!r}): expected None, 'shipped' or 'user'.")
    sources = registry() if origin == "shipped" else all_sources(data_home)
    frame = pd.DataFrame([vars(s) for s in sources if origin in (None, s.origin)], columns=[*FIELDS, "origin"])
    frame["date_published"] = pd.to_datetime(frame["date_published"])
    for name in frame.columns:
        if name not in ("original", "date_published"):
            frame[name] = frame[name].astype(STRING)
    return frame
