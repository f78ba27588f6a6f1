"""EUR-Lex HTML of Commission documents (COM communications), as converted from Word.

The structure is in the paragraphs' classes, not in heading tags: ``p.Titreobjet_cp``
holds the title, ``p.Typedudocument_cp`` the document type, ``p.Emission`` the place
and date ("Brussels, 9.4.2025"), ``p.Rfrenceinterinstitutionnelle`` the number
("COM(2025) 165 final"); ``p.ManualHeading1``/``2``/``3`` (or ``Heading1``…) are headings
whose number sits in ``span.num``; ``Bullet``/``Dash``/``Point`` paragraphs are list items.
Footnote markers are links to ``#footnoteN``; the notes are the elements with
``id="footnoteN"``, at the end. This follows EUR-Lex's published markup of such
documents; it has not been checked against the AI Continent Action Plan's own page.
"""

from __future__ import annotations

import re

from .structure import TextBlock, citations, element_text, note_citation

_HEADING = re.compile(r"\b(?:Manual)?Heading(\d)\b")
_LIST = re.compile(r"\b(?:Bullet|Dash|Tiret|Point)\d*\b")
_COVER = {"Titreobjet_cp": "title", "Typedudocument_cp": "document_type", "Emission": "date",
          "Rfrenceinterinstitutionnelle": "document_number"}
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_NOTE_ID = re.compile(r"^footnote(\d+)$")
_LEAD_NUMBER = re.compile(r"^\(?\d{1,3}\)?\s*")


def is_eurlex(doc) -> bool:
    """Whether the page carries the classes of a Commission document on EUR-Lex."""
    return bool(doc.xpath('//p[contains(@class, "Titreobjet") or contains(@class, "ManualHeading")]'))


def _classes(element) -> str:
    return element.get("class") or ""


def cover_facts(doc) -> dict[str, str]:
    """Title, document type, number and ISO date from the cover paragraphs."""
    facts = {}
    for paragraph in doc.iter("p"):
        for css, key in _COVER.items():
            if css in _classes(paragraph).split() and key not in facts and element_text(paragraph):
                facts[key] = element_text(paragraph)
    date = _DATE.search(facts.pop("date", ""))
    if date:
        facts["date"] = f"{date.group(3)}-{int(date.group(2)):02d}-{int(date.group(1)):02d}"
    return facts


def _take_notes(container) -> dict[str, str]:
    """Footnote number -> text; notes leave the tree, marker numbers are noted on their paragraph.

    A note is ``<p><a id="footnoteN">(N)</a> text</p>`` (or the ``p`` carries the id), or a
    ``<dt>`` holding the anchor followed by a ``<dd>`` holding the text.
    """
    notes = {}
    for anchor in container.xpath('.//*[starts-with(@id, "footnote")]'):
        match = _NOTE_ID.match(anchor.get("id"))
        if match is None:
            continue
        parent = anchor.getparent()
        if parent is not None and parent.tag == "dt" and parent.getnext() is not None:
            holders = [parent, parent.getnext()]
        else:
            holders = [anchor if anchor.tag == "p" else next((a for a in anchor.iterancestors() if a.tag == "p"),
                                                              anchor)]
        notes[match.group(1)] = _LEAD_NUMBER.sub("", " ".join(element_text(h) for h in holders))
        for holder in holders:
            holder.drop_tree()
    for marker in container.xpath('.//a[starts-with(@href, "#footnote")]'):
        paragraph = next((a for a in marker.iterancestors() if a.tag in ("p", "li")), None)
        if paragraph is not None:
            note_citation(paragraph, re.sub(r"\D", "", marker.get("href")))
        marker.drop_tree()
    return notes


def eurlex_blocks(container) -> tuple[list[TextBlock], dict[str, str]]:
    """Heading, paragraph and list blocks of a EUR-Lex document, and its footnotes."""
    notes = _take_notes(container)
    blocks = []
    for paragraph in list(container.iter("p", "li")):
        classes = _classes(paragraph)
        if set(classes.split()) & set(_COVER) or any(a.tag in ("p", "li") for a in paragraph.iterancestors()):
            continue
        numbers = paragraph.xpath('./span[@class="num"]')
        label = element_text(numbers[0]) if numbers else None
        for number in numbers[:1]:
            number.drop_tree()
        text = element_text(paragraph)
        if not text:
            continue
        cites = citations(paragraph)
        heading = _HEADING.search(classes)
        if heading:
            blocks.append(TextBlock(text, heading_level=int(heading.group(1)), label=label and label.rstrip("."),
                                    cites=cites))
        elif _LIST.search(classes) or paragraph.tag == "li":
            bullet = label is None or not any(ch.isalnum() for ch in label)
            blocks.append(TextBlock(text, list_kind="bullet" if bullet else "numbered",
                                    label=None if bullet else label, cites=cites))
        else:
            blocks.append(TextBlock(text, cites=cites))
    return blocks, notes
