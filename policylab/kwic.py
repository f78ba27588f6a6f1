"""Keyword in context: every occurrence of a word or phrase in the official text, quotable.

``kwic(units, "open source")`` finds "open source", "Open-Source" and "open-\\nsource"
alike (words may be joined by spaces, line breaks or hyphens); ``regex=True`` takes the
pattern as a regular expression instead. Matching ignores case; the contexts keep the
text's own case and punctuation (runs of white space become one space), and each row names
the unit, its level, label, section and page, so that a hit can be quoted and cited.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from .errors import PolicyLabError

__all__ = ["KWIC_COLUMNS", "KwicError", "kwic"]

KWIC_COLUMNS = ["plan_id", "unit_id", "level", "label", "section", "page", "left", "match", "right"]
_HYPHENS = "\u00ad\u2010\u2011\u2012\u2013-"  # soft and Unicode hyphens, the en dash, ASCII last
_JOINER = rf"(?:\s*[{_HYPHENS}]\s*|\s+)"  # between two words of a phrase
_SPACE = re.compile(r"\s+")
_WORDS = re.compile(r"\S+")


class KwicError(PolicyLabError, ValueError):
    """A pattern or unit table that :func:`kwic` cannot search."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def compile_pattern(pattern: str, *, regex: bool = False) -> re.Pattern:
    """The case-insensitive regular expression that ``kwic`` searches for."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise KwicError(f"kwic: pattern {pattern!r} is empty; give a word, a phrase or (with regex=True) "
                        "a regular expression.")
    if regex:
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise KwicError(f"kwic: pattern {pattern!r} is not a valid regular expression ({exc}); fix it, "
                            "or leave regex off to search for the words as written.") from None
    words = [w for w in re.split(rf"[\s{_HYPHENS}]+", pattern.strip()) if w]
    body = _JOINER.join(map(re.escape, words))
    # Whole words only, except next to Chinese or Japanese characters, which have no spaces between words.
    start = "" if _wide(words[0][0]) else r"(?<!\w)"
    end = "" if _wide(words[-1][-1]) else r"(?!\w)"
    return re.compile(start + body + end, re.IGNORECASE)


def _context(text: str, start: int, end: int, window: int, wide: bool) -> tuple[str, str, str]:
    before, match, after = text[:start], text[start:end], text[end:]
    if wide:  # no spaces between words: the window counts characters
        left, right = before[-window:], after[:window]
    else:
        left = " ".join(_WORDS.findall(before)[-window:]) if window else ""
        right = " ".join(_WORDS.findall(after)[:window]) if window else ""
    return _SPACE.sub(" ", left).strip(), _SPACE.sub(" ", match).strip(), _SPACE.sub(" ", right).strip()


def _refuse_coded(units: pd.DataFrame) -> None:
    hand_coded = units.attrs.get("source") == "coded" or (
        "basis" in units.columns and (units["basis"].notna() & (units["basis"] != "tagger")).any())
    if hand_coded:
        plans = ", ".join(dict.fromkeys(units["plan_id"].astype(str))) or "these plans"
        raise KwicError(
            f"kwic: the units of {plans} come from the coded edition, whose `text` is our one-sentence summary, "
            "not the plan's wording, so it cannot be quoted. Load the official text instead: "
            "policylab.load_plan(PLAN_ID) after `policylab fetch PLAN_ID` (or `policylab add FILE --plan PLAN_ID`).")


def kwic(units: pd.DataFrame, pattern: str, *, window: int = 8, regex: bool = False) -> pd.DataFrame:
    """Every match of ``pattern`` in the units' text, with ``window`` words of context each side
    (characters, for Chinese text). Columns: plan_id, unit_id, level, label, section, page,
    left, match, right; one row per match, in unit order.

    The pattern's words match across spaces, line breaks and hyphens, whole words only,
    ignoring case; ``regex=True`` searches for a regular expression as written (still
    ignoring case). Refuses the coded edition, whose ``text`` is our summary.
    """
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise KwicError(f"kwic: window={window!r}; give a whole number of words, 0 or more.")
    compiled = compile_pattern(pattern, regex=regex)
    _refuse_coded(units)
    rows = []
    for unit in units.itertuples(index=False):
        wide = str(getattr(unit, "language", "en")).startswith(("zh", "ja"))
        for found in compiled.finditer(unit.text):
            if found.end() == found.start():
                continue
            left, match, right = _context(unit.text, found.start(), found.end(), window, wide)
            rows.append([unit.plan_id, unit.unit_id, unit.level, unit.label, unit.section, unit.page,
                         left, match, right])
    table = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    for column in ("plan_id", "unit_id", "level", "label", "section", "left", "match", "right"):
        table[column] = table[column].astype("string")
    table["page"] = table["page"].astype("Int64")
    table.attrs = {"pattern": pattern, "regex": regex, "window": window}
    return table
