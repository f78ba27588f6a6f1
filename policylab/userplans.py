"""Plans a user brings: register a file as a new plan in the user registry of the data home.

``add_plan(FILE, plan_id="my-plan", title=..., country="GBR")`` (``policylab add FILE
--plan my-plan --title ... --country GBR``) checks the plan id (a lowercase slug, not a
path, not a shipped or already registered id) and the entry (the fields of
``data/sources.yaml``, validated the same way), writes it to ``policylab-plans.yaml`` in
the data home in one atomic step, then puts the file into the data home with
:func:`policylab.fetch.add` (hash trusted on first use and recorded in the lock file). If
the file cannot be added, the entry is taken out again: nothing is left half-registered.
Once added, a user plan loads like any other: ``load_plan("my-plan")``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import yaml

from . import sources
from .datafiles import write_text_atomic
from .errors import RegistryError
from .fetch import add
from .fetching.checks import file_format
from .fetching.datahome import lock_held

__all__ = ["add_plan"]

DOCUMENT_TYPE = "added by the user"


def add_plan(path, *, plan_id: str, title: str, country: str, language: str = "en",
             date: str | None = None, url: str | None = None, producer: str | None = None,
             data_home=None) -> Path:
    """Register the file at ``path`` as the plan ``plan_id`` and copy it into the data home.

    ``country`` is an ISO 3166 alpha-3 code; ``date`` (YYYY-MM-DD), ``url`` (the official
    page, recorded as provenance) and ``producer`` are optional. Returns the file's path in
    the data home. Raises RegistryError for a malformed or clashing id or entry, and the
    errors of :func:`policylab.fetch.add` for a file that cannot be read.
    """
    where = "policylab add"
    sources.check_plan_id(plan_id, where)
    if plan_id in sources.plan_ids():
        raise RegistryError(f"{where}: plan id {plan_id!r} is a plan shipped with policylab. To put its "
                            f"official file into the data home run `policylab add FILE --plan {plan_id}` "
                            "without --title/--country; to register a plan of your own choose another id.")
    file = Path(path).expanduser()
    fmt = file_format(file, f"the file of your plan {plan_id!r}")
    entry = {
        "plan_id": plan_id, "language": language, "original": True, "country": str(country).upper(),
        "title_en": title, "title_original": title, "producer": producer, "date_published": date,
        "document_type": DOCUMENT_TYPE, "url_main": url, "url_download": url,
        "format": fmt, "sha256": None,
        "license": None, "citation": None, "translator": None,
    }
    registry_path = sources.user_registry_path(data_home)
    home_existed, written = registry_path.parent.is_dir(), False
    try:
        with lock_held(registry_path.parent, registry_path.name):
            entries = _entries(registry_path)
            sources.check_entry(entry, where, "user")
            if any(e.get("plan_id") == plan_id for e in entries):
                raise RegistryError(f"{where}: plan id {plan_id!r} is already registered in {registry_path}. "
                                    f"Choose another id, or replace its file with `policylab add FILE --plan "
                                    f"{plan_id} --update`.")
            _write(registry_path, [*entries, entry])
            written = True
        return add(file, plan_id=plan_id, data_home=data_home)
    except BaseException:  # no plan without its file, and no data home left behind by a failed attempt
        if written:  # take our entry out again; others may have been added meanwhile
            with lock_held(registry_path.parent, registry_path.name):
                rest = [e for e in _entries(registry_path) if e.get("plan_id") != plan_id]
                if rest:
                    _write(registry_path, rest)
                else:
                    registry_path.unlink(missing_ok=True)
        if not home_existed:
            _remove_if_only_locks(registry_path.parent)
        raise


def _remove_if_only_locks(home: Path) -> None:
    """Remove a data home this call created, if nothing but lock files is left in it."""
    leftovers = list(home.iterdir()) if home.is_dir() else []
    if all(p.name.startswith(".") and p.name.endswith(".lock") for p in leftovers):
        for p in leftovers:
            p.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            home.rmdir()


def _entries(path: Path) -> list[dict]:
    """The entries of the user registry as stored (validated), or [] if there is none."""
    if not path.is_file():
        return []
    stored = sources.read_registry(path, origin="user")  # a damaged file is reported, never overwritten
    return [{name: getattr(source, name) for name in sources.FIELDS} for source in stored]


def _write(path: Path, entries: list[dict]) -> None:
    """Replace the user registry in one step (a temporary file, then os.replace)."""
    header = ("# policylab user registry: plans added with `policylab add FILE --plan ID --title ... "
              "--country ...`.\n# Same fields as policylab's data/sources.yaml; edit with care.\n")
    document = yaml.safe_dump({"version": 1, "sources": entries}, sort_keys=False, allow_unicode=True)
    write_text_atomic(path, header + document)
