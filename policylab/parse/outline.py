"""Units nested by the document's own numbering: the reader for text files and gov.cn pages.

Blocks come from a reader (:class:`~policylab.parse.structure.TextBlock`); this module
reads the number each block starts with (:mod:`policylab.parse.numbering`), gives it the
numbering's depth, and nests units accordingly:

- a block numbered with a word (Section 2, Article 5, Chapter IV, "SYSTEM 1:"; not
  "Action 4"), a numbered block that is a heading (a few words, no sentence), or one that
  holds deeper numbers and is numbered as headings are (一、, （一）, I., 专栏1, ...), is a
  *division* (a block numbered as list items are, "(a)", "(1)", "(i)", "①", only when it is
  a heading that holds deeper numbers); divisions are named by depth: part, section,
  subsection; the outermost are parts when numbered as parts (Part/Chapter N, 一、, "WORD N:")
  or when divisions nest, except that "Section N"/"Article N" are always sections; a
  division's heading is its text, a sentence after the heading a paragraph in it;
- other numbered blocks are ``point`` units ("Action N" blocks are ``action`` units),
  nested under the block their numbering puts them in ("(1)" in "(a)" in "Sec. 2");
- headings without a number (plain-text heading lines, Markdown or HTML headings) are
  divisions one level below the division they follow;
- list items are ``action`` units, or ``point`` units when the document numbers its
  actions ("Action 4"), when they sit in another list item or when their list is numbered
  (labelled with the number as the reader found it); ``——`` items are points;
- paragraphs belong to the innermost open unit; before the first one they are ``preamble``.

A document with fewer than two numbers, no numbered heading, no Markdown or HTML heading,
fewer than two heading lines and fewer than two list items is read as paragraphs and called
``flat``; one with list items only has paragraphs, not preamble, around them.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, replace

from ..units import Unit
from .normalise import normalise
from .numbering import SCHEME_ORDER, Number, nesting, parse_number, resolve
from .structure import DASH_ITEM, TextBlock, UnitIds, finish_units, is_lead_line

DIVISIONS = ("part", "section", "subsection")
MAX_DEPTH = 12  # numbering deeper than this is read as siblings at this depth
# Numbered as headings are: a number of these schemes that holds deeper numbers is a division
# (a number with a word, "Section 2", "GOAL 1:", always is).
_HEADING_SCHEMES = frozenset({"zh", "roman", "upper_letter", "zh_paren", "box"})
# Numbered as parts are: the outermost divisions numbered so are parts even when nothing nests in them.
_PART_SCHEMES = frozenset({"division_word", "part_word", "subtitle_word", "chapter_word", "subchapter_word", "zh"})
_SECTION_SCHEMES = frozenset({"section_word", "article_word"})
# Numbered as list items are: one of these is a division only when it is a heading that holds deeper numbers.
_ITEM_SCHEMES = frozenset({"letter", "arabic_paren", "upper_letter_item", "roman_item", "upper_roman_item",
                           "circled"})
_RANKED = frozenset(SCHEME_ORDER)
_PREFIX = {"section": "s", "subsection": "ss", "point": "pt", "action": "a", "paragraph": "par", "preamble": "pre"}
_MODAL = re.compile(r"\b(?:must|shall|should|will|may|is|are)\b")
_BODY_STARTS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ\"“‘'(")
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+\S|\.\s*[—–]|\.--")
# "Heading. Body", "Heading.—Body", "Heading.--Body": a heading of at most 150 characters
_HEADING_ENDS = frozenset(".!?—–")  # where _EN_HEADING can end a heading (or begin the white space before a dash)
_EN_HEADING = re.compile(r"^(.{2,150}?)(?:[.!?]\s+|\.?\s*[—–]\s*|\.--\s*)(?=\S)")


@functools.lru_cache(maxsize=4096)  # asked again of a numbered block's text when it is placed
def heading_only(text: str, language: str) -> bool:
    """Whether ``text`` reads as a heading by itself: a few words, no sentence (Chinese: no 。 inside).

    English: at most 15 words, starting with a capital, no sentence break inside, not
    ending in , ; : and ending in a full stop only when short (8 words) or in capitals.
    """
    if language.startswith("zh"):
        return 0 < len(text) <= 40 and "。" not in text.rstrip("。") and not text.endswith(("：", ":", "；"))
    words = text.split()
    if not words or len(words) > 15 or len(text) > 150 or _SENTENCE_BREAK.search(text):
        return False
    first = text.lstrip("\"“‘'(")[:1]
    if not (first.isupper() or first.isdigit()) or text.endswith((",", ";", ":", "，", "；", "：")):
        return False
    return not text.endswith(".") or len(words) <= 8 or text.isupper()


@functools.lru_cache(maxsize=1024)  # a numbered block's text is split when read and again when placed
def split_heading(text: str, language: str) -> tuple[str | None, str]:
    """(heading, body) of '<heading>。<body>' or '<Heading>. <Body>' ('Heading.—Body'); (None, text) when the
    first sentence is not a heading (English: more than 10 words, or a verb such as "must", "is")."""
    if language.startswith("zh"):
        head, sep, rest = text.partition("。")
        if sep and rest.strip() and len(head) <= 40:
            return head.strip(), rest.strip()
        return None, text
    first = text.lstrip().lstrip("\"“‘'(")[:1]
    if not (first.isupper() or first.isdigit()):
        return None, text  # the heading would start with it, and heading_only wants a capital or a digit
    words = text.split(None, 10)
    if len(words) > 10 and _HEADING_ENDS.isdisjoint("".join(words[:10]) + words[10][:1]):
        return None, text  # a heading of at most 10 words ends at one of them before the 11th word
    match = _EN_HEADING.match(text)
    heading, body = (match.group(1).strip(), text[match.end():].strip()) if match else ("", "")
    last_word = heading.rsplit(maxsplit=1)[-1] if heading else ""
    if (heading_only(heading, language) and len(heading.split()) <= 10 and body[:1] in _BODY_STARTS
            and "." not in last_word and len(last_word) > 1  # not "U.S.C. 9401", "A. Smith"
            and not _MODAL.search(heading)):  # "Testing must be ..." is a sentence, not a heading
        return heading, body
    return None, text


@dataclass(slots=True)
class _Item:
    """A block on its way to becoming a unit."""

    block: TextBlock
    text: str
    number: Number | None = None
    depth: float = 0  # the numbering's depth (a markup heading without number: its level's)
    division: bool = False


def _dash_item(text: str) -> bool:
    """Whether ``text`` is a ``——`` (or ``--``) item: what DASH_ITEM matches, without a regex call per block."""
    return text.startswith(("——", "--"))


def _numbered(block: TextBlock, text: str, language: str) -> Number | None:
    """The structural number ``text`` starts with, if any (none in list items; "1 Word" only as a heading)."""
    if block.list_kind == "bullet" or _dash_item(text):
        return None
    number = parse_number(text)
    if number is None:
        return None
    bare = number.scheme == "arabic" and len(number.path) == 1 and text[len(number.label):][:1] not in ".．、"
    if bare and not heading_only(number.rest, language):
        return None  # "10 States have ..." is a sentence
    return number


def _items(blocks: list[TextBlock], language: str, title: str | None) -> list[_Item]:
    """Normalised blocks with their numbers; a number alone on its line takes the next block as its text."""
    title_key = normalise(title or "", language)
    items: list[_Item] = []
    for block in blocks:
        text = normalise(block.text, language)
        if not text or text == title_key or is_lead_line(text):
            continue
        number = _numbered(block, text, language)
        last = items[-1] if items else None
        if (last is not None and last.number is not None and not last.number.rest and number is None
                and block.heading_level is None and block.list_kind is None):
            last.number = replace(last.number, rest=text)
            last.text = f"{last.text} {text}"
            last.block = replace(last.block, cites=last.block.cites + block.cites)
            continue
        items.append(_Item(block, text, number))
        if number is not None and number.rest:  # "Sec. 4. HEADING. (a) First item ...": two items
            heading, body = split_heading(number.rest, language)
            inner = _numbered(TextBlock(body), body, language) if heading else None
            if inner is not None:
                items[-1] = _Item(block, text[:len(text) - len(body)].strip(), replace(number, rest=heading))
                items.append(_Item(TextBlock(body), body, inner))
    return items


def _mark_divisions(items: list[_Item], language: str) -> None:
    """Depth of every numbered item and markup heading, and which of them are divisions."""
    numbered = [i for i in items if i.number is not None]
    for item, number in zip(numbered, resolve([i.number for i in numbered])):
        item.number = number  # "(i)" after "(h)" is a letter
    for item, depth in zip(numbered, nesting([i.number for i in numbered])):
        item.depth = min(depth, MAX_DEPTH)  # a hostile text could nest without end; ids stay short
    _below_markup_headings(numbered)
    for i, item in enumerate(numbered):
        holds = i + 1 < len(numbered) and numbered[i + 1].depth > item.depth
        scheme = item.number.scheme
        item.division = scheme != "action_word" and (
            item.block.heading_level is not None or scheme.endswith("_word")
            or ((holds or scheme not in _ITEM_SCHEMES) and heading_only(item.number.rest, language))
            or (holds and scheme in _HEADING_SCHEMES))
    by_level = {}
    for item in numbered:
        if item.block.heading_level is not None:
            by_level.setdefault(item.block.heading_level, item.depth)
    levels = sorted({i.block.heading_level for i in items if i.block.heading_level is not None})
    for item in items:
        if item.number is None and item.block.heading_level is not None:
            item.depth = by_level.get(item.block.heading_level, levels.index(item.block.heading_level))
            item.division = True


def _below_markup_headings(numbered: list[_Item]) -> None:
    """Numbered paragraphs that restart a scheme used by markup headings sit under those headings.

    "## 1. Chapter" (or ``<h2>1. Chapter</h2>``) followed by a paragraph "1. First point": the
    paragraphs' numbers are a scheme of their own, deeper than every heading of that scheme (and
    still outside the schemes nested in them, such as "(a)"), when at least one of them starts at 1
    right after such a heading. Plain text without ``#`` headings is not affected.
    """
    def heading(item: _Item) -> bool:
        return item.block.heading_level is not None

    restarted = {before.number.scheme for before, item in itertools.pairwise(numbered)
                 if heading(before) and not heading(item) and item.number.scheme == before.number.scheme
                 and item.number.path[-1] == 1 and len(item.number.path) <= len(before.number.path)}
    for scheme in restarted:
        deepest = max(i.depth for i in numbered if heading(i) and i.number.scheme == scheme)
        for item in numbered:
            if not heading(item) and item.number.scheme == scheme and item.depth <= deepest:
                item.depth = deepest + (item.depth + 1) / (deepest + 2)  # between the headings and the next depth


def _level_names(items: list[_Item]) -> dict[float, str]:
    """The level of each depth that holds divisions: part, section, subsection, subsection, ..."""
    depths = sorted({i.depth for i in items if i.division})
    if not depths:
        return {}
    outer = next((i.number.scheme for i in items if i.division and i.depth == depths[0] and i.number), "")
    as_part = outer in _PART_SCHEMES or (outer.endswith("_word") and outer not in _RANKED)  # "SYSTEM 1:"
    start = 0 if as_part or (len(depths) > 1 and outer not in _SECTION_SCHEMES) else 1
    return {d: DIVISIONS[min(start + k, len(DIVISIONS) - 1)] for k, d in enumerate(depths)}


class _Outline:
    """The units read so far and the open ones; gives position-derived ids and the part/section columns."""

    def __init__(self, plan_id: str, title_id: str | None, language: str, names: dict, bullets_as: str,
                 opens: bool):
        self.plan_id, self.title_id, self.language = plan_id, title_id, language
        self.names, self.bullets_as = names, bullets_as
        self.opens = opens  # whether a division or numbered unit opens after the preamble
        self.top = names[min(names)] if names else "section"  # level of a heading line outside any division
        self.ids = UnitIds()
        self.parts: dict[str, int] = {}
        # the open units: (depth, unit, is a plain heading line, part and section headings inside it)
        self.open: list[tuple[float, Unit, bool, str | None, str | None]] = []
        self.bullets: list[tuple[tuple, Unit]] = []  # the open list items: (style, unit)
        self.units: list[Unit] = []

    def add(self, level: str, text: str, parent: Unit | None, *, label=None, heading=None) -> Unit:
        scope = parent.unit_id if parent else self.plan_id
        if level == "part":  # p1, p2, ... as in the other readers
            self.parts[scope] = self.parts.get(scope, 0) + 1
            unit_id = f"{scope}/p{self.parts[scope]}"
        else:
            unit_id = self.ids.next(scope, _PREFIX[level])
        part, section = self._headings(level, text)
        unit = Unit(unit_id, level, text, parent.unit_id if parent else self.title_id, part, heading or section,
                    label=label)
        self.units.append(unit)
        return unit

    def _headings(self, level: str, text: str) -> tuple[str | None, str | None]:
        """The part and section headings of a unit of ``level`` added inside the innermost open unit."""
        part, section = self.open[-1][3:] if self.open else (None, None)
        if level == "part":
            return text, None
        return part, text if level == "section" else section

    def _push(self, depth: float, unit: Unit, plain: bool = False) -> None:
        self.open.append((depth, unit, plain, *self._headings(unit.level, unit.text)))

    def _close(self, depth: float, *, headings_too: bool = False) -> Unit | None:
        """Close the open units at ``depth`` or deeper (and plain heading lines); return the innermost left."""
        while self.open and (self.open[-1][0] >= depth or (headings_too and self.open[-1][2])):
            self.open.pop()
        self.bullets.clear()
        return self.open[-1][1] if self.open else None

    def division(self, item: _Item) -> None:
        parent = self._close(item.depth, headings_too=True)
        while item.number is None and parent is not None and parent.level not in DIVISIONS:
            self.open.pop()  # a Markdown or HTML heading is never inside a numbered point
            parent = self.open[-1][1] if self.open else None
        rest = item.number.rest if item.number else item.text
        heading, body = (rest, "") if heading_only(rest, self.language) else split_heading(rest, self.language)
        text = (heading or rest).rstrip("。.:：") or rest or item.text  # a number alone: the number is the text
        label = item.number.label if item.number else item.block.label
        unit = self.add(self.names[item.depth], text, parent, label=label)
        self._push(item.depth, unit)
        if heading and body:
            self.add("paragraph", body, unit)

    def heading_line(self, item: _Item) -> None:
        """A heading without a number: one level below the innermost open division, closing the heading before."""
        while self.open and (self.open[-1][1].level not in DIVISIONS or self.open[-1][2]):
            self.open.pop()
        self.bullets.clear()
        if self.open:
            depth, parent = self.open[-1][:2]
            level = DIVISIONS[min(DIVISIONS.index(parent.level) + 1, len(DIVISIONS) - 1)]
            depth += 0.5
        else:
            depth, parent, level = -0.5, None, self.top  # numbered points nest in it; divisions close it
        unit = self.add(level, item.text.rstrip(":："), parent, label=item.block.label)
        self._push(depth, unit, plain=True)

    def _close_to_heading(self, depth: float) -> Unit | None:
        """Close the open units at ``depth`` or deeper, down to a Markdown or HTML heading without a number:
        a numbered point after "## Introduction" sits in it, whatever its number's depth."""
        while self.open and self.open[-1][0] >= depth:
            unit, plain = self.open[-1][1], self.open[-1][2]
            if unit.label is None and unit.level in DIVISIONS and not plain:
                break
            self.open.pop()
        self.bullets.clear()
        return self.open[-1][1] if self.open else None

    def numbered(self, item: _Item) -> None:
        parent = self._close_to_heading(item.depth)
        level = "action" if item.number.scheme == "action_word" else "point"
        heading, body = split_heading(item.number.rest, self.language) if item.number.rest else (None, "")
        unit = self.add(level, body or heading or item.text, parent, label=item.number.label, heading=heading)
        self._push(item.depth, unit)

    def listed(self, item: _Item) -> None:
        """A list item: in the open unit, or in the list item before it when it has another bullet or indent."""
        style = (item.block.marker or item.block.list_kind, item.block.indent)  # HTML lists: one marker, "li"
        styles = [s for s, _ in self.bullets]
        if style in styles:
            del self.bullets[styles.index(style):]
        elif len(self.bullets) >= MAX_DEPTH // 2:
            self.bullets.pop()  # lists nest a few deep; deeper indents are read as siblings
        parent = self.bullets[-1][1] if self.bullets else (self.open[-1][1] if self.open else None)
        dash = DASH_ITEM.match(item.text)
        text = item.text[dash.end():] if dash else item.text
        heading = None
        if item.block.list_kind == "numbered":
            heading, text = split_heading(text, self.language)
        level = "point" if self.bullets or dash or item.block.list_kind == "numbered" else self.bullets_as
        self.bullets.append((style, self.add(level, text, parent, label=item.block.label, heading=heading)))

    def paragraph(self, item: _Item) -> None:
        self.bullets.clear()
        parent = self.open[-1][1] if self.open else None
        before_body = parent is None and self.opens  # a text with lists only has no preamble
        self.add("preamble" if before_body else "paragraph", item.text, parent)


def build_outline(blocks: list[TextBlock], *, plan_id: str, language: str, title: str | None, source: str,
                  notes: dict[str, str] | None = None) -> tuple[list[Unit], str]:
    """Units nested by their numbering, and ``"structured"`` or ``"flat"`` (no numbering or headings found).

    ``notes`` (footnote number -> text) become footnote units after the unit whose block
    cites them. Raises StructureError when the blocks hold no text at all.
    """
    items = _items(blocks, language, title)
    _mark_divisions(items, language)
    numbered = sum(i.number is not None for i in items)
    marked = any(i.block.heading_level is not None for i in items)
    divisions = sum(i.division for i in items)
    headings = sum(i.block.plain_heading for i in items)
    listed = sum(i.block.list_kind is not None or _dash_item(i.text) for i in items)
    structure = "structured" if numbered >= 2 or marked or divisions or headings >= 2 or listed >= 2 else "flat"
    title_id = f"{plan_id}/title" if title else None
    bullets_as = "point" if any(i.number and i.number.scheme == "action_word" for i in items) else "action"
    outline = _Outline(plan_id, title_id, language, _level_names(items), bullets_as,
                       opens=numbered > 0 or headings > 0 or divisions > 0)
    if title:
        outline.units.append(Unit(title_id, "title", normalise(title, language)))
    cited_at: dict[str, int] = {}
    for item in items:
        for number in item.block.cites:  # the item's first unit is the next one added
            cited_at.setdefault(number, len(outline.units))
        if structure == "flat":
            outline.units.append(Unit(outline.ids.next(plan_id, "par"), "paragraph", item.text, title_id))
        elif item.division:
            outline.division(item)
        elif item.number is not None:
            outline.numbered(item)
        elif item.block.plain_heading:
            outline.heading_line(item)
        elif item.block.list_kind is not None or _dash_item(item.text):
            outline.listed(item)
        else:
            outline.paragraph(item)
    units = finish_units(outline.units, notes, cited_at, plan_id=plan_id, source=source)
    return units, structure
