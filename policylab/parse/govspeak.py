"""Read a GOV.UK HTML publication ("govspeak" markup) into units.

The article body is ``div.govspeak`` (``div.govuk-govspeak`` in newer pages) inside the
GOV.UK page template (``main#content``), or the bare body on its own. Its markup carries the structure:

- ``h2`` with a printed number (``<span class="number">1. </span>``) opens a part; an
  unnumbered ``h2`` opens an unnumbered division: before the first part its paragraphs
  are preamble (a foreword, an introduction), after the parts they are paragraphs of
  their own division (a conclusion), parented to the title; the division's heading is
  their ``part``, as the PDF reader does for a front division such as "Introduction";
- ``h3`` opens a section (numbered ``1.1``), ``h4`` a subsection of it;
- ``<p>N. <strong>…</strong> …</p>`` is numbered recommendation N (an ``action``); a
  list right after a recommendation that ends in a colon belongs to it;
- other paragraphs, list items and figure captions are narrative paragraphs; tables are
  left out (in the UK plan, one graphic whose cells restate sections 2.2-2.4);
- ``sup#fnref:N`` cites footnote N of ``div.footnotes``; the marker is removed and the
  footnote becomes a ``footnote`` unit after the unit that cites it.

``abbr`` elements contribute their visible text only, never their expansion.
"""

from __future__ import annotations

import re

from ..errors import StructureError
from ..units import Unit
from .normalise import normalise
from .structure import (
    SKIP_TAGS,
    UnitIds,
    block_elements,
    citations,
    element_text,
    note_citation,
    place_footnotes,
)

_CLASS = 'contains(concat(" ", normalize-space(@class), " "), " {} ")'
_GOVSPEAK = f"//div[{_CLASS.format('govspeak')} or {_CLASS.format('govuk-govspeak')}]"
_NUMBER = f"span[{_CLASS.format('number')}]"
_FOOTNOTES = f"div[{_CLASS.format('footnotes')}]"
_RECOMMENDATION = re.compile(r"^(\d{1,3})\.\s+")
_BLOCKS = ("h2", "h3", "h4", "p", "li")  # figure captions are paragraphs
_SKIP = SKIP_TAGS | {"table"}


def is_govspeak(doc) -> bool:
    """Whether the page is a GOV.UK publication: a govspeak body or its numbered headings."""
    return bool(doc.xpath(_GOVSPEAK) or doc.xpath(f"//h2/{_NUMBER}"))


def govspeak_body(doc):
    """The article body: the govspeak ``div`` with the most text, else ``main``, else ``<body>``."""
    candidates = doc.xpath(_GOVSPEAK) or doc.xpath("//main")
    if candidates:
        return max(candidates, key=lambda e: len(e.text_content()))
    return doc.find("body") if doc.find("body") is not None else doc


def _text(element) -> str:
    return normalise(element_text(element), "en")


def _label(heading) -> tuple[str | None, str]:
    """(printed number, heading words) of an h2/h3/h4; the number without its final dot."""
    numbers = heading.xpath(_NUMBER)
    if not numbers:
        return None, _text(heading)
    label = _text(numbers[0]).rstrip(".") or None
    numbers[0].drop_tree()
    return label, _text(heading)


def _take_footnotes(body) -> dict[str, str]:
    """Footnote number -> text; markers are removed, their numbers noted on the citing block."""
    for sup in body.xpath('.//sup[starts-with(@id, "fnref:")]'):
        block = next((a for a in sup.iterancestors() if a.tag in _BLOCKS), body)
        note_citation(block, sup.get("id").split(":", 1)[1])
        sup.drop_tree()
    notes = {}
    for note in body.xpath(f'.//{_FOOTNOTES}//li[starts-with(@id, "fn:")]'):
        for backlink in note.xpath('.//a[@role="doc-backlink"]'):
            backlink.drop_tree()
        notes[note.get("id").split(":", 1)[1]] = _text(note)
    for container in body.xpath(f".//{_FOOTNOTES}"):
        container.drop_tree()
    return notes


class _Builder:
    """Keeps the open part, section and subsection and numbers units by position."""

    def __init__(self, plan_id: str, title: str | None):
        self.plan_id = plan_id
        self.title_id = f"{plan_id}/title" if title else None
        self.units: list[Unit] = [Unit(self.title_id, "title", normalise(title, "en"))] if title else []
        self.ids = UnitIds()
        self.part = self.section = self.subsection = None
        self.division: str | None = None  # heading of an unnumbered h2 division
        self.parts = 0
        self.last_action: Unit | None = None

    def add(self, unit: Unit) -> Unit:
        self.units.append(unit)
        self.last_action = unit if unit.level == "action" else None
        return unit

    def heading(self, tag: str, label: str | None, text: str) -> Unit | None:
        """Open a part, section or subsection and return it (None for an unnumbered division)."""
        part_text = self.part.text if self.part else None
        if tag == "h2" and label is None:
            self.part = self.section = self.subsection = None
            self.division = text
            return None
        if tag == "h2":
            self.parts += 1
            self.division = self.section = self.subsection = None
            self.part = self.add(Unit(f"{self.plan_id}/p{self.parts}", "part", text, self.title_id, text, label=label))
            return self.part
        if tag == "h3" or self.section is None:
            parent = self.part
            scope = parent.unit_id if parent else self.plan_id
            self.subsection = None
            self.section = self.add(Unit(self.ids.next(scope, "s"), "section", text,
                                         parent.unit_id if parent else self.title_id, part_text, text, label=label))
            return self.section
        self.subsection = self.add(Unit(self.ids.next(self.section.unit_id, "ss"), "subsection", text,
                                        self.section.unit_id, part_text, self.section.text, label=label))
        return self.subsection

    def body(self, level: str, text: str, label: str | None = None) -> Unit:
        parent = self.subsection or self.section or self.part
        if parent is None:
            prefix, level = ("post", "paragraph") if self.parts else ("pre", "preamble")
            return self.add(Unit(self.ids.next(self.plan_id, prefix), level, text, self.title_id,
                                 self.division, None, label=label))
        prefix = "a" if level == "action" else "par"
        return self.add(Unit(self.ids.next(parent.unit_id, prefix), level, text, parent.unit_id,
                             self.part.text if self.part else None, self.section.text if self.section else None,
                             label=label))


def _body_unit(builder: _Builder, element, owned_list) -> Unit | None:
    """The unit a paragraph or list item becomes (None when empty).

    A list item of the list that follows a recommendation ending in a colon joins the
    recommendation (``owned_list`` is that list, once its first item has joined).
    """
    text = _text(element)
    if not text:
        return None
    action = builder.last_action
    joins = element.tag == "li" and (
        element.getparent() is owned_list or (action is not None and action.text.endswith(":")))
    if joins:
        action = builder.units[-1]
        action.text += " " + text
        builder.last_action = action
        return action
    number = _RECOMMENDATION.match(text)
    if element.tag == "p" and number and element.find("strong") is not None:
        return builder.body("action", text[number.end():], label=number.group(1))
    return builder.body("paragraph", text)


def read_govspeak(doc, *, plan_id: str, title: str | None, source: str) -> list[Unit]:
    """Units of a GOV.UK publication in reading order, footnotes after the unit citing them."""
    body = govspeak_body(doc)
    notes = _take_footnotes(body)
    builder = _Builder(plan_id, title)
    owner: dict[str, Unit] = {}
    owned_list = None
    pending: list[str] = []  # footnotes cited where no unit stands (an unnumbered heading): the next unit's
    for element in block_elements(body, _BLOCKS, _SKIP):
        pending += citations(element)
        if element.tag in ("h2", "h3", "h4"):
            label, text = _label(element)
            unit = builder.heading(element.tag, label, text) if text and text != title else None
        else:
            unit = _body_unit(builder, element, owned_list)
        if unit is not None:
            owned_list = element.getparent() if unit.level == "action" and element.tag == "li" else None
            for note in pending:
                owner.setdefault(note, unit)
            pending = []
    ordered = place_footnotes(builder.units, notes, owner, plan_id=plan_id, source=source)
    if not any(u.level != "title" for u in ordered):
        raise StructureError(f"{source}: the GOV.UK page has no paragraphs or headings in its body.")
    return ordered
