"""What a reader made of a document, measured: so that an analyst sees at once whether a file
was understood, and the statistics say so when it was not.

:func:`describe` gives, for one unit table: units per level, depth of nesting, the share of
the file's words kept in units (``words_in_file`` comes from the reader), signs of site chrome
left in the units, and a one-line verdict ("structured: 3 parts, 30 sections, 103 actions" /
"flat: 41 paragraphs, no numbering found"). :func:`read_document` puts it in ``attrs``;
``policylab summary`` prints it; :func:`warn_if_misread` is what ``code_plan`` and the compare
functions call to warn, naming the plan, when a plan was read flat or still holds chrome.

**Structure.** A reader says ``attrs["structure"]`` ("structured" or "flat"); where it does
not, a table with no part, section, subsection or numbered point is flat.

**Site chrome** (checked on every unit but the title and footnotes, whose links are
citations), each sign kept deliberately simple:

- links: at least 3 units, and at least 10% of them, hold link markup (``[text](url)``,
  ``<a href``) or a bare URL;
- menus: a run of at least 10 consecutive units of at most 3 words each;
- boilerplate phrases of web pages (cookie banners, feedback forms, "skip to content",
  "share this page", "back to top", "all rights reserved", a gov.cn page's footer ...).

**Words.** :func:`count_words`: white-space separated tokens; in Chinese and Japanese, which do
not separate words with spaces, each CJK character as a word.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter

import numpy as np
import pandas as pd

from .units import LEVELS, STRING, level_list

__all__ = ["ReadingWarning", "count_words", "describe", "flat_contents", "misread_plans", "warn_if_misread"]

STRUCTURAL_LEVELS = ("part", "section", "subsection", "point")
MIN_LINK_UNITS, MIN_LINK_SHARE = 3, 0.10
MENU_RUN, MENU_WORDS = 10, 3
PHRASE_MAX_WORDS = 40  # a chrome phrase inside a long paragraph is the document talking about it

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_CJK_WORD = re.compile(r"[^\s\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
_LINK = re.compile(r"\]\([^)\s]*\)|<a\s+href|https?://|\bwww\.[a-z0-9-]+\.", re.IGNORECASE)
_CHROME_PHRASE = re.compile(
    r"\b(?:accept|reject) (?:all |additional |analytics )?cookies\b|\bcookie (?:settings|preferences|policy)\b"
    r"|\bwe use (?:some )?(?:essential )?cookies\b|\b(?:was|is) this page (?:useful|helpful)\b"
    r"|\breport a problem with this page\b|\bskip to (?:main )?content\b|\bshare this (?:page|article)\b"
    r"|\bback to top\b|\bprint this page\b|\bsign up for (?:email )?(?:updates|alerts|our newsletter)\b"
    r"|\bfollow us on\b|\ball rights reserved\b"
    r"|网站地图|返回顶部|打印本页|关闭窗口|分享到|版权所有|主办单位|网站标识码|扫一扫在手机",
    re.IGNORECASE)
_LINK_KEYS = ("://", "](", "www.", "href")  # the link pattern runs only where one of them occurs
# Literal words of those phrases: the pattern runs only where one of them occurs (Chinese ones
# only in Chinese text, as each literal is one more scan of the whole text).
_CHROME_KEYS = {"en": ("cookie", "this page", "skip to", "share this", "back to top", "sign up", "follow us",
                       "rights reserved"),
                "zh": ("网站", "返回顶部", "打印本页", "关闭窗口", "分享到", "版权所有", "主办单位", "扫一扫")}
_PLURAL = {"preamble": ("preamble paragraph", "preamble paragraphs")}


class ReadingWarning(UserWarning):
    """A plan handed to the coding or comparison functions was read flat or still holds site chrome."""


def count_words(text: str, language: str = "en") -> int:
    """Words of ``text``: white-space separated tokens; in Chinese or Japanese (``language``
    "zh…" or "ja…"), each CJK character counts as a word, and each run of other characters
    between them and spaces as one."""
    if not language.startswith(("zh", "ja")):
        return _words(text)
    return len(_CJK.findall(text)) + len(_NON_CJK_WORD.findall(text))


def _words(text: str) -> int:
    """``len(text.split())``; from the spaces when ``text`` is printable (the space is then its only white space)
    with single spaces between words, as most normalised units and lines are: without a string per word."""
    if text and text.isprintable() and "  " not in text and text[0] != " " != text[-1]:
        return text.count(" ") + 1
    return len(text.split())


def _plural(level: str, n: int) -> str:
    singular, plural = _PLURAL.get(level, (level, level + "s"))
    return f"{n} {singular if n == 1 else plural}"


def depth(frame: pd.DataFrame) -> int:
    """Depth of nesting: units on the longest chain of parents, the title and footnotes left out
    (a flat table has depth 1, parts holding sections holding points 3; no content units, 0)."""
    return _depth(frame["unit_id"].tolist(), frame["parent_id"].tolist(), frame["level"].tolist())


def _depth(ids: list, parents: list, levels: list) -> int:
    level_of, parent_of = dict(zip(ids, levels)), dict(zip(ids, parents))
    below: dict[str, int] = {}  # unit id -> units on its chain up to the root (title, footnotes not counted)
    for unit_id in ids:
        parent = parent_of[unit_id]
        if unit_id not in below and (parent in below or parent not in level_of):  # a parent read before its units
            below[unit_id] = below.get(parent, 0) + (level_of[unit_id] not in ("title", "footnote"))
            continue
        chain, current = [], unit_id
        while current in level_of and current not in below and len(chain) <= len(ids):
            chain.append(current)
            current = parent_of[current]
        count = below.get(current, 0)
        for link in reversed(chain):
            count += level_of[link] not in ("title", "footnote")
            below[link] = count
    return max((below[u] for u, level in level_of.items() if level not in ("title", "footnote")), default=0)


def chrome_signs(frame: pd.DataFrame) -> list[str]:
    """Signs of site chrome left among the units (see the module notes), as short findings."""
    language = _language(frame)
    texts = [text for text, level in zip(frame["text"].tolist(), frame["level"].tolist())
             if level not in ("title", "footnote") and isinstance(text, str)]
    return _chrome_signs(texts, [count_words(text, language) for text in texts], language)


def _language(frame: pd.DataFrame) -> str:
    """The table's language (its first unit's), "en" when it has none."""
    first = frame["language"].iloc[0] if "language" in frame and len(frame) else None
    return first if isinstance(first, str) else "en"


def _chrome_signs(texts: list[str], sizes: list[int], language: str) -> list[str]:
    """Signs of site chrome among ``texts`` (units but the title and footnotes) of ``sizes`` words."""
    signs = []
    whole = "\n".join(texts)
    if any(key in whole for key in _LINK_KEYS) and _LINK.search(whole):
        links = sum(1 for text in texts if _LINK.search(text))
        if links >= MIN_LINK_UNITS and links >= MIN_LINK_SHARE * len(texts):
            signs.append(f"{links} of {len(texts)} units hold link markup or URLs")
    run = _longest_run([size <= MENU_WORDS for size in sizes])
    if run >= MENU_RUN:
        signs.append(f"a menu-like run of {run} units of at most {MENU_WORDS} words")
    short = [text for text, size in zip(texts, sizes) if size <= PHRASE_MAX_WORDS]
    lowered = "\n".join(short).lower()
    keys = _CHROME_KEYS["zh" if language.startswith(("zh", "ja")) else "en"]
    if any(key in lowered for key in keys):
        phrases = [text for text in short if _CHROME_PHRASE.search(text.lower())]
        if phrases:
            signs.append(f"{len(phrases)} unit(s) of web-page boilerplate (e.g. {_clip(phrases[0])!r})")
    return signs


def _longest_run(flags: list[bool]) -> int:
    """Length of the longest run of True in ``flags``."""
    longest = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return longest


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def structure_of(frame: pd.DataFrame) -> str:
    """'structured' or 'flat': the reader's word (``attrs["structure"]``), else from the levels."""
    return _structure(frame.attrs.get("structure"), frame["level"].tolist())


def _structure(said, levels: list) -> str:
    if said in ("structured", "flat"):
        return said
    return "structured" if not set(levels).isdisjoint(STRUCTURAL_LEVELS) else "flat"


def describe(frame: pd.DataFrame, attrs: dict | None = None) -> dict:
    """What a reader made of one document's unit table (JSON values, for ``attrs``).

    Keys: ``structure``, ``units_per_level`` (levels present, in schema order), ``depth``,
    ``words_in_units`` (text and printed labels), ``words_in_file`` (from the reader, None if
    unknown), ``words_kept_share`` and ``words_dropped_share`` (None if unknown), ``chrome``
    (signs of site chrome, empty when none) and ``verdict`` (one line). ``attrs``: the table's
    attrs when they are not set on it yet (default: ``frame.attrs``).
    """
    attrs = frame.attrs if attrs is None else attrs
    columns = {"level": level_list(frame), **{name: frame[name].tolist() for name in ("text", "label", "unit_id", "parent_id")}}
    return describe_columns(columns, _language(frame), attrs)


def describe_columns(columns: dict[str, list], language: str, attrs: dict) -> dict:
    """:func:`describe` of a table given as plain lists (``level``, ``text``, ``label``, ``unit_id``,
    ``parent_id``; missing values None or NA), in ``language``: what :func:`read_document` calls on
    the columns it builds, before the frame exists."""
    levels, texts = columns["level"], columns["text"]
    counts = Counter(levels)
    per_level = {level: counts[level] for level in LEVELS if counts[level]}
    structure = _structure(attrs.get("structure"), levels)
    if language.startswith(("zh", "ja")):
        sizes = [count_words(text, language) if isinstance(text, str) else 0 for text in texts]
    else:  # the common case
        sizes = [_words(text) if isinstance(text, str) else 0 for text in texts]
    words = sum(sizes) + count_words(" ".join(t for t in columns["label"] if isinstance(t, str)), language)
    in_file = attrs.get("words_in_file")
    in_file = int(in_file) if isinstance(in_file, (int, np.integer)) and in_file > 0 else None
    kept = None if in_file is None else min(1.0, words / in_file)
    body = [i for i, (text, level) in enumerate(zip(texts, levels))
            if level not in ("title", "footnote") and isinstance(text, str)]
    chrome = _chrome_signs([texts[i] for i in body], [sizes[i] for i in body], language)
    return {"structure": structure, "units_per_level": per_level,
            "depth": _depth(columns["unit_id"], columns["parent_id"], levels),
            "words_in_units": words, "words_in_file": in_file,
            "words_kept_share": None if kept is None else round(kept, 4),
            "words_dropped_share": None if kept is None else round(1 - kept, 4),
            "chrome": chrome, "verdict": verdict(structure, per_level, chrome)}


def verdict(structure: str, per_level: dict, chrome: list[str]) -> str:
    """One line: 'structured: 3 parts, 30 sections, 103 actions' or 'flat: 41 paragraphs, no
    numbering found', with the signs of site chrome after a semicolon."""
    content = {level: n for level, n in per_level.items() if level not in ("title", "footnote")}
    if structure == "flat":
        line = f"flat: {flat_contents(per_level)}, no numbering found"
    else:
        line = "structured: " + ", ".join(_plural(level, n) for level, n in content.items())
    return line + ("; site chrome: " + "; ".join(chrome) if chrome else "")


def flat_contents(per_level: dict) -> str:
    """What a table read flat holds, from its units per level: '41 paragraphs', '3 paragraphs, 2 list items'."""
    content = {level: n for level, n in per_level.items() if level not in ("title", "footnote")}
    paragraphs = content.get("preamble", 0) + content.get("paragraph", 0)
    listed = [_plural("paragraph", paragraphs)] if paragraphs or not content.get("action") else []
    if content.get("action"):
        listed.append(f"{content['action']} list item{'s' if content['action'] != 1 else ''}")
    return ", ".join(listed)


def misread_plans(table: pd.DataFrame, plans=None) -> dict[str, str]:
    """Plans of ``table`` (a unit or coded table, one plan or several; only ``plans`` if given)
    read flat or holding site chrome: plan id -> what is wrong.

    Judged from each plan's rows, as ``attrs`` do not survive ``pd.concat`` (the reader's
    ``attrs["structure"]`` is taken for a table of one plan). Site chrome is looked for in the
    text of read documents only: not in the coded edition, whose texts are our summaries
    (``basis`` other than "tagger").
    """
    if not {"plan_id", "level"} <= set(table.columns) or table.empty:
        return {}
    plan_ids = table["plan_id"].astype(STRING).fillna("")
    wanted = list(dict.fromkeys(plan_ids.tolist()) if plans is None else plans)
    structured = set(plan_ids[table["level"].isin(STRUCTURAL_LEVELS).to_numpy(dtype=bool)].unique())
    said = table.attrs.get("structure")
    if said in ("structured", "flat") and len(wanted) == 1 and table.attrs.get("plan_id") == wanted[0]:
        structured = {wanted[0]} if said == "structured" else set()
    present = set(plan_ids.unique())
    problems: dict[str, list[str]] = {plan: [] for plan in wanted}
    for plan in wanted:
        if plan not in structured and plan in present:
            problems[plan].append("was read flat (no parts, sections or numbered points found): its units are "
                                  "paragraphs in reading order, and its intervals resample blocks of consecutive "
                                  "units")
    if "text" in table:
        own_text = (table["basis"].astype(STRING).fillna("tagger").eq("tagger").to_numpy(dtype=bool)
                    if "basis" in table else np.ones(len(table), dtype=bool))
        own_text &= plan_ids.isin(wanted).to_numpy(dtype=bool)
        for plan, rows in table[own_text].groupby(plan_ids[own_text], sort=False):
            signs = chrome_signs(rows)
            if signs:
                problems[plan].append("still holds site chrome (" + "; ".join(signs) + "): words in menus, "
                                      "links and footers count as content")
    return {plan: ", and ".join(found) for plan, found in problems.items() if found}


def warn_if_misread(table: pd.DataFrame, where: str, plans=None) -> None:
    """A :class:`ReadingWarning` naming each plan of ``table`` (or of ``plans``) that was read
    flat or still holds site chrome; ``where`` names the function the user called."""
    for plan_id, problem in misread_plans(table, plans).items():
        warnings.warn(ReadingWarning(
            f"{where}: plan {plan_id!r} {problem}. See what was read with `policylab summary {plan_id}` (or the "
            f"file); for a web page, save its main text only."), stacklevel=3)
