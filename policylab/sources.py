"""The registry of plans: which documents policylab knows, where they come from.

The registry lives in ``data/sources.yaml``; each entry is one language edition of one
plan. It is validated when it is loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .datafiles import DATA_DIR, read_yaml
from .errors import RegistryError, UnknownPlanError

REGISTRY_PATH = DATA_DIR / "sources.yaml"

LANGUAGES = ("en", "zh-Hans")
FORMATS = ("pdf", "html", "text")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PLAN_ID = re.compile(r"^[a-z]{2}-[a-z0-9]+-\d{4}$")


@dataclass(frozen=True)
class Source:
    """One language edition of one plan, as recorded in the registry."""

    plan_id: str
    language: str
    original: bool
    country: str
    title_en: str
    title_original: str
    producer: str
    date_published: str
    document_type: str
    url_main: str
    url_download: str
    format: str
    sha256: str | None
    license: str
    citation: str

    @property
    def filename(self) -> str:
        """Name of the file in the data home: the last segment of url_download, made safe.

        A query such as EUR-Lex's ``?uri=CELEX:52025DC0165`` becomes ``uri_CELEX_52025DC0165``.
        """
        segment = self.url_download.rstrip("/").rsplit("/", 1)[-1]
        return re.sub(r"[^\w.\-]+", "_", segment).strip("_") or self.plan_id


_REQUIRED = [f.name for f in fields(Source) if f.name != "sha256"]


def _check_entry(entry: object, index: int, path: Path) -> Source:
    where = f"{path}, entry {index + 1}"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping of fields, found {type(entry).__name__}.")
    missing = [name for name in _REQUIRED if entry.get(name) in (None, "")]
    if missing:
        raise RegistryError(f"{where}: missing field(s) {', '.join(missing)}; add them and reload.")
    unknown = set(entry) - {f.name for f in fields(Source)}
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    problems = []
    if not _PLAN_ID.match(str(entry["plan_id"])):
        problems.append(f"plan_id {entry['plan_id']!r} is not of the form 'us-aap-2025'")
    if entry["language"] not in LANGUAGES:
        problems.append(f"language {entry['language']!r} is not one of {', '.join(LANGUAGES)}")
    if entry["format"] not in FORMATS:
        problems.append(f"format {entry['format']!r} is not one of {', '.join(FORMATS)}")
    if not re.fullmatch(r"[A-Z]{3}", str(entry["country"])):
        problems.append(f"country {entry['country']!r} is not an ISO 3166 alpha-3 code")
    try:
        dt.date.fromisoformat(str(entry["date_published"]))
    except ValueError:
        problems.append(f"date_published {entry['date_published']!r} is not YYYY-MM-DD")
    for key in ("url_main", "url_download"):
        if not str(entry[key]).startswith(("https://", "http://")):
            problems.append(f"{key} {entry[key]!r} is not an http(s) URL")
    sha = entry.get("sha256")
    if sha is not None and not _SHA256.match(str(sha)):
        problems.append(f"sha256 {sha!r} is not 64 lowercase hex digits (or null)")
    if not isinstance(entry["original"], bool):
        problems.append("original must be true or false")
    if problems:
        raise RegistryError(f"{where} ({entry.get('plan_id')}): " + "; ".join(problems) + ".")
    values = {name: entry.get(name) for name in (f.name for f in fields(Source))}
    values["date_published"] = str(values["date_published"])
    return Source(**values)


def read_registry(path: str | Path = REGISTRY_PATH) -> tuple[Source, ...]:
    """Read and validate a registry file; raise RegistryError naming the entry at fault."""
    path = Path(path)
    document = read_yaml(path, RegistryError, "Registry", "reinstall policylab or restore data/sources.yaml")
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise RegistryError(f"Registry file {path}: expected a top-level 'sources:' list.")
    sources = tuple(_check_entry(e, i, path) for i, e in enumerate(document["sources"]))
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
    """Known plan ids, in registry order."""
    return list(dict.fromkeys(s.plan_id for s in registry()))


def get_source(plan_id: str, language: str | None = None) -> Source:
    """The registry entry of a plan: its original edition, or the edition in ``language``."""
    editions = [s for s in registry() if s.plan_id == plan_id]
    if not editions:
        raise UnknownPlanError(
            f"Unknown plan_id {plan_id!r}. Known plans: {', '.join(plan_ids())}; "
            "see policylab.list_plans().")
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


def list_plans() -> pd.DataFrame:
    """The registry as a DataFrame, one row per plan and language edition."""
    frame = pd.DataFrame([vars(s) for s in registry()])
    frame["date_published"] = pd.to_datetime(frame["date_published"])
    for name in frame.columns:
        if name not in ("original", "date_published"):
            frame[name] = frame[name].astype("string")
    return frame
