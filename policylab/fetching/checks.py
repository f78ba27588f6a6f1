"""Whether a file is the right one: the hash it must have, how it comes to be trusted, and
whether it is plausibly the plan at all.

Hashes: the registry (``data/sources.yaml``) records the sha256 of an official file where
it is known, and that hash always wins over the lock file. A file whose hash is not
recorded is *trusted on first use* once it passes a plausibility check (the plan's reader
reads it in the plan's format and language, its title or page URL is the plan's, it has
enough units): its hash goes into the lock file and every later download or load is
checked against it. A changed file is then an error unless ``update=True`` (``policylab
fetch --update``); a wrong record is cleared with ``reset=True`` (``--reset``).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PolicyLabError
from ..parse import sniff_format
from ..sources import Source
from ..sources import plan_ids as registry_plan_ids
from .datahome import LOCK_NAME, lock_key
from .errors import NotThePlanError, added_by_hand, edition, manual_route

#: the fewest units of text a file must hold to be taken for a plan (see check_plausible).
MIN_UNITS = 5


def expected_sha256(source: Source, entry: dict | None) -> tuple[str | None, str]:
    """The hash a file must have, and where that hash comes from: the registry, where it pins
    one (whatever the lock file says), else the lock file."""
    if source.sha256 is not None:
        return source.sha256, "the registry (data/sources.yaml)"
    if entry is not None:
        return entry["sha256"], f"the lock file ({entry.get('trust', 'recorded')})"
    return None, "nowhere yet"


def how_trusted(source: Source, entry: dict | None, expected: str | None, got: str) -> str:
    """How a file with sha256 ``got`` comes to be trusted: the registry's pinned hash, the hash
    already trusted on first use, a first use now, or an update that was asked for."""
    if expected is None:
        return "first-use"
    if got != expected:
        return "updated"
    return "registry" if source.sha256 else entry.get("trust", "first-use")


def mismatch_hint(source: Source, command: str, entry: dict | None, home: Path) -> str:
    """What to do about a file whose hash is not the expected one."""
    if source.sha256 is not None:
        return ("The registry (data/sources.yaml) pins this hash, so --update cannot accept another file: "
                "if the official file has changed, a newer policylab records its new hash; otherwise the "
                "file was damaged or tampered with.")
    hint = (f"If the official file has changed, run `{command} --update` to accept it; otherwise the "
            "file was damaged or tampered with.")
    if entry is not None:
        option = "" if source.original else f" --language {source.language}"
        hint += (f" The expected hash was trusted on first use: entry '{lock_key(source)}' of {home / LOCK_NAME}, "
                 f"from {entry.get('fetched_from', 'an unknown source')} at {entry.get('fetched_at', 'an unknown time')}. "
                 f"If that record is wrong (say, a login page was fetched instead of the plan), run "
                 f"`policylab fetch --reset {source.plan_id}{option}` to clear it and fetch the file again.")
    return hint


def check_plausible(path: Path, source: Source, name: str, fate: str = "It was not kept") -> None:
    """Refuse a file that is not plausibly the plan, before it is trusted on first use or added.

    The plan's reader must read it into at least :data:`MIN_UNITS` units, in the plan's
    format and (for HTML and text, whose readers detect it) language; a file that says it is another plan (by its registered hash or
    its page URL) is refused, and an HTML page whose own title is not the plan's title is
    refused unless its page URL is the plan's. Raises NotThePlanError naming ``name`` and
    saying what became of the file (``fate``).
    """
    from ..parse import read_document

    try:
        frame = read_document(path)  # without plan_id, the reader says which plan the file claims to be
    except PolicyLabError as exc:
        raise NotThePlanError(f"{name} cannot be read as {edition(source)}: {exc} {fate}.") from None
    problems = []
    fmt, claimed = frame.attrs["format"], frame.attrs["plan_id"]
    if fmt != reads_as(source.format):
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
        if added_by_hand(source):  # nothing was downloaded
            advice = "give the file that holds the full text of your plan (PDF, HTML page, text or Markdown)."
        else:
            advice = ("a captive portal, login or error page, or the wrong document, may have been served. "
                      + manual_route(source))
        raise NotThePlanError(f"{name} does not look like {edition(source)}: " + "; ".join(problems)
                              + f". {fate}: {advice}")


def _same_title(title: str, source: Source) -> bool:
    """Whether a page's title is the plan's (either contains the other, ignoring case and punctuation)."""
    def letters(text: str) -> str:
        return "".join(ch for ch in text.casefold() if ch.isalnum())

    page = letters(title)
    return len(page) >= 4 and any(page in letters(t) or letters(t) in page
                                  for t in (source.title_original, source.title_en))


#: File names of text files recorded as Markdown.
MARKDOWN_SUFFIXES = (".md", ".markdown")


def reads_as(fmt: str) -> str:
    """The reader a registry format goes to: Markdown is read as text."""
    return "text" if fmt == "markdown" else fmt


def file_format(path: Path, wanted: str) -> str:
    """'pdf', 'html', 'markdown' (a text file named .md or .markdown) or 'text' for the file at
    ``path``, from its first MiB; NotThePlanError naming it if it is not a readable file
    (``wanted`` says what to give instead)."""
    if not path.is_file():
        raise NotThePlanError(f"{path} {'is a folder' if path.is_dir() else 'does not exist'}; give "
                              f"the path of {wanted}.")
    try:
        with open(path, "rb") as handle:
            fmt = sniff_format(handle.read(1 << 20), path)
    except OSError as exc:
        raise NotThePlanError(f"{path} cannot be read ({exc.strerror}); check its permissions.") from None
    return "markdown" if fmt == "text" and path.suffix.lower() in MARKDOWN_SUFFIXES else fmt

