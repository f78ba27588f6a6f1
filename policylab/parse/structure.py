"""From a flat list of text blocks (HTML paragraphs, Markdown blocks) to units.

HTML and plain-text readers find blocks; this module decides what each block is:
a part or section heading, a numbered point, an action (bullet), a preamble or
narrative paragraph, and gives it a position-derived id.

:func:`build_units` classifies each block on its own (parts 一、, sections （一）, points);
the ministry's article template and EUR-Lex pages are read this way, so the hand-coded
plans keep their unit ids. Text files, Markdown, gov.cn pages and any other web page are
nested by their numbering instead (:func:`policylab.parse.outline.build_outline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import StructureError
from ..units import Unit
from .normalise import normalise

ZH_NUMERAL = "一二三四五六七八九十"
_ZH_ITEM = re.compile(f"^([{ZH_NUMERAL}]{{1,3}})、\\s*")
_ZH_SUBITEM = re.compile(f"^[（(]([{ZH_NUMERAL}]{{1,3}})[）)]\\s*")
_EN_ITEM = re.compile(r"^(\d{1,2})[.、．]\s*(?=\S)")
DASH_ITEM = re.compile(r"^(——|--)\s*")
_PRINTED_NUMBER = re.compile(
    r"^(?:(?:Pillar|Part|Chapter|Section|Sec\.)\s*)?([IVXL]+|\d{1,2}(?:\.\d{1,2})*)[.:]?(?=\s|$)")
_LEAD_LINE = re.compile(r"(全文如下|Full text as follows)[:：]?\s*$", re.IGNORECASE)
_LEAD_LINE_ENDS = frozenset(":：下sSſ")


def is_lead_line(text: str) -> bool:
    """Whether ``text`` ends in "Full text as follows:" (全文如下：), the line before a document's text.

    The phrase ends the text, so only its last characters are searched (a search of the whole
    block would try the pattern at every position of it)."""
    tail = text.rstrip()[-30:]
    # the match ends in the colon, 下 or the s of "follows" (in any case: ſ too)
    return tail[-1:] in _LEAD_LINE_ENDS and _LEAD_LINE.search(tail) is not None


CITES = "data-policylab-cites"  # attribute on which the HTML readers note the footnotes a block cites
SKIP_TAGS = frozenset({"script", "style", "nav", "header", "footer", "aside", "form", "noscript"})


def element_text(element) -> str:
    """The text of an HTML element, white space runs made single spaces."""
    return " ".join("".join(element.itertext()).split())


def block_elements(container, tags, skip=SKIP_TAGS) -> list:
    """The elements of ``container`` tagged one of ``tags``, in document order, outside any
    ``skip`` element; a ``p`` inside a list item is left to the item, which is the block."""
    found = []
    for element in container.iter(*tags):
        ancestors = {a.tag for a in element.iterancestors()}
        if not ancestors.isdisjoint(skip) or (element.tag == "p" and "li" in ancestors):
            continue
        found.append(element)
    return found


def note_citation(block, number: str) -> None:
    """Note on ``block`` (an HTML element) that it cites footnote ``number`` (see :func:`citations`)."""
    block.set(CITES, f"{block.get(CITES, '')} {number}")


def citations(block) -> tuple[str, ...]:
    """The footnote numbers noted on ``block`` by :func:`note_citation`, in order."""
    return tuple(block.get(CITES, "").split())


@dataclass
class TextBlock:
    """One block of a document as a reader found it."""

    text: str
    heading_level: int | None = None  # 1 for the top heading tag or '#' in use, 2 below it ...
    list_kind: str | None = None  # "bullet" or "numbered" for list items
    label: str | None = None  # the number printed apart from the text (a heading's "2.1.")
    cites: tuple[str, ...] = ()  # footnotes cited in the block, markers removed from the text
    plain_heading: bool = False  # a line set apart as a heading in plain text, without markup
    marker: str | None = None  # a list item's bullet character ("-", "•", "*")
    indent: int = 0  # a list item's indentation, in columns (a tab counts 4)


def heading_label(heading: str) -> str | None:
    """The number a heading prints before its words: 'Pillar I: …' gives 'I', 'Sec. 2. …' gives '2'."""
    match = _PRINTED_NUMBER.match(heading)
    return match.group(1) if match else None


def split_heading(body: str, language: str) -> tuple[str | None, str]:
    """Split '<heading>。<rest>' (Chinese) or '<Heading>. <rest>' (English)."""
    if language.startswith("zh"):
        head, sep, rest = body.partition("。")
        if sep and rest.strip():
            return head.strip(), rest.strip()
        return None, body
    match = re.match(r"^(.{3,200}?[.!?])\s+(?=\S)", body)
    if match:
        return match.group(1).rstrip(".").strip(), body[match.end():].strip()
    return None, body


def _is_heading_only(body: str, language: str) -> bool:
    """A numbered line that is a heading by itself (no sentence after it)."""
    if language.startswith("zh"):
        return len(body) <= 40 and "。" not in body.rstrip("。")
    return len(body.split()) <= 15 and not re.search(r"[.!?]\s+\S", body)


def _classify(block: TextBlock, language: str) -> tuple[str, str | None, str, str | None]:
    """(kind, heading, text, label) where kind is part, section, point, action or para."""
    text = block.text
    if block.heading_level is not None:
        return ("part" if block.heading_level == 1 else "section"), text, text, None
    if block.list_kind == "bullet":
        return "action", None, text, None
    match = DASH_ITEM.match(text)
    if match:
        return "point", None, text[match.end():], None
    for pattern, short_kind in ((_ZH_ITEM, "part"), (_ZH_SUBITEM, "section"), (_EN_ITEM, "section")):
        match = pattern.match(text)
        if match:
            label = match.group(0).strip() if pattern is _ZH_SUBITEM else match.group(1)
            body = text[match.end():]
            if _is_heading_only(body, language) and block.list_kind is None:
                return short_kind, body.rstrip("。."), body.rstrip("。."), label
            heading, rest = split_heading(body, language)
            return "point", heading, rest, label
    if block.list_kind == "numbered":
        heading, rest = split_heading(text, language)
        return "point", heading, rest, None
    return "para", None, text, None


class UnitIds:
    """Position-derived unit ids: the n-th unit of a kind (``prefix``) in a scope (a unit id)."""

    def __init__(self):
        self.counts: dict[tuple[str, str], int] = {}

    def next(self, scope: str, prefix: str) -> str:
        """``{scope}/{prefix}NN`` with NN the count so far of ``prefix`` in ``scope``, from 01."""
        key = (scope, prefix)
        count = self.counts[key] = self.counts.get(key, 0) + 1
        return f"{scope}/{prefix}{count:02d}" if scope else f"{prefix}{count:02d}"


def place_footnotes(units: list[Unit], notes: dict[str, str], owner: dict[str, Unit], *, plan_id: str,
                    source: str) -> list[Unit]:
    """Units with footnote ``fnNN`` (number -> text) right after the unit citing it first."""
    missing = sorted(set(notes) - set(owner), key=int)
    if missing:
        raise StructureError(f"{source}: footnote(s) {', '.join(missing)} are never cited in the text; "
                             "the page's footnote markup is not recognised.")
    footnotes = []
    for number, text in sorted(notes.items(), key=lambda kv: int(kv[0])):
        cite = owner[number]
        footnotes.append(Unit(f"{plan_id}/fn{int(number):02d}", "footnote", text, cite.unit_id, cite.part,
                              cite.section, label=number))
    return after_parents(units, footnotes)


def after_parents(units: list[Unit], footnotes: list[Unit]) -> list[Unit]:
    """``units`` with each footnote unit right after its parent, in the order ``footnotes`` lists them."""
    placed: dict[str, list[Unit]] = {}
    for note in footnotes:
        placed.setdefault(note.parent_id, []).append(note)
    ordered = []
    for unit in units:
        ordered.append(unit)
        ordered.extend(placed.get(unit.unit_id, ()))
    return ordered


def build_units(blocks: list[TextBlock], *, plan_id: str, language: str, title: str | None,
                source: str, notes: dict[str, str] | None = None) -> list[Unit]:
    """Units in reading order from blocks; raises StructureError when nothing is recognised.

    ``notes`` (footnote number -> text) become footnote units after the unit whose block
    cites them.
    """
    levels = sorted({b.heading_level for b in blocks if b.heading_level is not None})
    rank = {level: i + 1 for i, level in enumerate(levels)}
    title_id = f"{plan_id}/title"
    units: list[Unit] = []
    if title:
        units.append(Unit(title_id, "title", normalise(title, language)))
    ids = UnitIds()
    part: Unit | None = None
    section: Unit | None = None
    parts = 0
    seen_point = False
    title_key = normalise(title or "", language)
    cited_at: dict[str, int] = {}  # footnote number -> index of the first unit whose block cites it
    for block in blocks:
        text = normalise(block.text, language)
        if not text or text == title_key or is_lead_line(text):
            continue
        for number in block.cites:  # every block that gets here becomes the unit units[len(units)]
            cited_at.setdefault(number, len(units))
        ranked = TextBlock(text, rank.get(block.heading_level) if block.heading_level else None, block.list_kind)
        kind, heading, body, label = _classify(ranked, language)
        label = block.label or label
        heading = normalise(heading, language) if heading else None
        body = normalise(body, language)
        root = title_id if title else None
        if kind == "part":
            parts += 1
            part = Unit(f"{plan_id}/p{parts}", "part", body, root, body, label=label)
            section = None
            units.append(part)
            continue
        if kind == "section":
            scope = part.unit_id if part else plan_id
            section = Unit(ids.next(scope, "s"), "section", body, part.unit_id if part else root,
                           part.text if part else None, body, label=label)
            units.append(section)
            continue
        parent = section or part
        scope = parent.unit_id if parent else plan_id
        part_text = part.text if part else None
        section_text = section.text if section else None
        if kind == "point":
            seen_point = True
            units.append(Unit(ids.next(scope, "pt"), "point", body or heading, parent.unit_id if parent else root,
                              part_text, heading or section_text, label=label))
        elif kind == "action":
            units.append(Unit(ids.next(scope, "a"), "action", body, parent.unit_id if parent else root,
                              part_text, section_text, label=label))
        elif parent is None and not seen_point:
            units.append(Unit(ids.next(plan_id, "pre"), "preamble", body, root))
        else:
            units.append(Unit(ids.next(scope, "par"), "paragraph", body, parent.unit_id if parent else root,
                              part_text, section_text))
    return finish_units(units, notes, cited_at, plan_id=plan_id, source=source)


def finish_units(units: list[Unit], notes: dict[str, str] | None, cited_at: dict[str, int], *, plan_id: str,
                 source: str) -> list[Unit]:
    """``units`` with their footnotes placed (``cited_at``: footnote number -> index of the unit citing
    it first); a StructureError when nothing but a title was recognised."""
    if not any(u.level != "title" for u in units):
        raise StructureError(f"{source}: no paragraphs, headings or numbered points were recognised; "
                             "check that the file is the plan's full text.")
    if notes:
        owner = {number: units[index] for number, index in cited_at.items()}
        units = place_footnotes(units, notes, owner, plan_id=plan_id, source=source)
    return units
