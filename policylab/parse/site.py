"""A web page's main content, without the site around it (menus, banners, forms, footers).

Two inputs, two well-kept libraries, chosen on generated government-site pages
(``benchmarks/site_chrome.py``):

- an HTML page keeps its element tree, and readability-lxml scores the tree's containers
  and returns the article's container (headings, lists and tables intact);
- Markdown saved from a page (rendered to HTML by :mod:`policylab.parse.markdown`) is a flat
  run of blocks with no containers to score, so jusText classifies each block (length, share
  of link text, share of function words, neighbours) and the article is the run of blocks
  from its first to its last content block; inside that run, blocks made mostly of links
  (share buttons, "From: department") are dropped, and the list or table that ends the
  article is kept whole.
"""

from __future__ import annotations

import copy
import re

import lxml.etree
import lxml.html

from .numbering import Number, parse_number
from .structure import TextBlock, block_elements, element_text

_HIDDEN = frozenset({"script", "style", "noscript", "template"})
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
                     "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"})
_TREE_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr")
_STEP = re.compile(r"([a-z0-9]+)\[(\d+)\]")
_LINK_LIST = 0.5  # a block whose text is at least half link text is navigation, not prose
_SENTENCE_END = re.compile(r"[.!?。！？…;；:：][\"'”’)）]*$")
_WINDOW = 500
SITE_LINK_BLOCKS = 5  # a page with this many such blocks was saved from a site: it has chrome to remove


def main_content(doc):
    """The element holding a page's main content (readability-lxml), or None when it finds none."""
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(lxml.html.tostring(doc, encoding="unicode")).summary(html_partial=True)
    except (Unparseable, ValueError):  # text lxml cannot rebuild a tree from: the reader's own choice stands
        return None
    fragment = lxml.html.fragment_fromstring(summary, create_parent="div") if summary.strip() else None
    return fragment if fragment is not None and fragment.text_content().strip() else None


def _paragraphs(html: str, language: str) -> list:
    """jusText's paragraphs of a page, classified; its context pass runs on windows of
    ``_WINDOW`` paragraphs, as it is quadratic in a run of short paragraphs."""
    from justext.core import (
        ParagraphMaker,
        classify_paragraphs,
        html_to_dom,
        preprocessor,
        revise_paragraph_classification,
    )
    from justext.utils import get_stoplist

    paragraphs = ParagraphMaker.make_paragraphs(preprocessor(html_to_dom(html.encode("utf-8"))))
    if language.startswith("zh"):  # no Chinese stop list; lengths in characters, which carry more than letters
        classify_paragraphs(paragraphs, frozenset(), length_low=20, length_high=60, stopwords_low=0,
                            stopwords_high=0)
    else:
        classify_paragraphs(paragraphs, get_stoplist("English"))
    for start in range(0, len(paragraphs), _WINDOW):
        revise_paragraph_classification(paragraphs[start:start + _WINDOW])
    return paragraphs


def _steps(xpath: str) -> list[tuple[str, int]]:
    return [(tag, int(n)) for tag, n in _STEP.findall(xpath)]


def item_number(text: str) -> Number | None:
    """The number a list item prints before its words ("3.", "a)", "(iv)", "（一）", "专栏1"), by the shared
    grammar; None when it prints none, or a bare number that may be the item's first word ("10 Downing")."""
    number = parse_number(text)
    if number is None or not number.rest:
        return None
    bare = number.scheme in ("arabic", "roman") and text.lstrip()[len(number.label):][:1] not in ".．、:"
    return None if bare else number


def _number_attribute(element, name: str) -> int | None:
    """An ``li``'s ``value`` or an ``ol``'s ``start`` as a number (up to six digits), else None."""
    text = element.get(name, "").strip()
    return int(text) if text.isdigit() and len(text) <= 6 else None


def _ordinals(ordered) -> dict:
    """The number a browser shows before each ``li`` of ``ordered`` (an ``ol``): the item's ``value``,
    else one more than the item before (the first: the list's ``start``, else 1), in the list's
    ``type`` (1, a, A, i, I)."""
    kind = ordered.get("type", "1")
    labels, value = {}, None
    for item in ordered.iterchildren("li"):
        own = _number_attribute(item, "value")
        value = own if own is not None else value + 1 if value is not None else _number_attribute(ordered, "start")
        value = 1 if value is None else value
        labels[item] = _formatted(value, kind)
    return labels


def _formatted(value: int, kind: str) -> str:
    """``value`` as a list of ``type`` ``kind`` prints it; arabic where letters or roman numerals cannot."""
    if value < 1 or kind not in ("a", "A", "i", "I") or (kind in "iI" and value >= 4000):
        return str(value)
    if kind in "aA":
        letters = chr(96 + (value - 1) % 26 + 1) * min((value - 1) // 26 + 1, 8)  # as letter_value reads them
        return letters if kind == "a" else letters.upper()
    return _roman(value).lower() if kind == "i" else _roman(value)


def _roman(value: int) -> str:
    out = []
    for number, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                            (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, number)
        out.append(numeral * count)
    return "".join(out)


def _block(tags: list[str], text: str, ordinal: str | None = None) -> TextBlock:
    """A TextBlock for a paragraph whose element path ends in ``tags``.

    A list item is ``numbered`` when it sits in an ``ol`` or prints a number: its ``label`` is the
    number as printed (Markdown's, which :func:`policylab.parse.markdown.render` writes into the text,
    or one the item's text starts with), else ``ordinal`` (an HTML list's own numbering); its
    ``indent`` is its depth in lists, so that lists inside lists nest and lists side by side do not.
    """
    last = tags[-1] if tags else ""
    if re.fullmatch(r"h[1-6]", last):
        return TextBlock(text, heading_level=int(last[1]))
    if "li" not in tags:
        return TextBlock(text)
    item = len(tags) - 1 - tags[::-1].index("li")
    kind = tags[item - 1] if item else "ul"
    style = {"marker": "li", "indent": 4 * (tags.count("li") - 1)}  # lists nest by depth, whatever their kind
    number = item_number(text)
    if number is not None:
        return TextBlock(number.rest, list_kind="numbered", label=number.label, **style)
    if kind == "ol":
        return TextBlock(text, list_kind="numbered", label=ordinal, **style)
    return TextBlock(text, list_kind="bullet", **style)


def _is_links(paragraph) -> bool:
    return paragraph.links_density() >= _LINK_LIST


def _site_line(paragraph, *, keep_headings: bool = False) -> bool:
    """Whether a block at an end of the article is the site's: not a list item or table cell (nor a
    heading, with ``keep_headings``), and boilerplate to jusText or not ending a sentence
    ("Share this page", "【打印本页】", "Guidance", "来源：… 2025-03-03")."""
    inside = any(step in paragraph.xpath for step in ("/li[", "/td[", "/th["))
    if inside or (keep_headings and paragraph.is_heading):
        return False
    return paragraph.is_boilerplate or not _SENTENCE_END.search(paragraph.text.strip())


def article(paragraphs: list) -> list:
    """The article's paragraphs (jusText's) of a page saved from a site; all of them if none is content.

    The article is the run of blocks around jusText's content paragraphs up to the blocks of
    links before and after them (the title, lead and closing list of an article are often too
    short for jusText), less the site's lines at either end (:func:`_site_line`). Inside, blocks of links are dropped, and so is a heading that introduces a list of links.
    """
    good = [i for i, p in enumerate(paragraphs) if not p.is_boilerplate]
    if not good:
        return paragraphs
    start, end = good[0], good[-1]
    while start > 0 and not _is_links(paragraphs[start - 1]):
        start -= 1
    while end + 1 < len(paragraphs) and not _is_links(paragraphs[end + 1]):
        end += 1
    while end > good[0] and _site_line(paragraphs[end]):
        end -= 1
    while start < end and _site_line(paragraphs[start], keep_headings=True):
        start += 1
    span = paragraphs[start:end + 1]
    kept = []
    for i, paragraph in enumerate(span):
        if paragraph.is_boilerplate and _is_links(paragraph):
            continue
        if paragraph.is_heading and len(span) > i + 2 and all(map(_is_links, span[i + 1:i + 3])):
            continue
        kept.append(paragraph)
    return kept


def _own_text(element) -> str:
    """An element's text without that of the lists or tables nested in it."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in ("ul", "ol", "table") and isinstance(child.tag, str):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def tree_blocks(body, skip=frozenset({"script", "style", "template"})) -> list[TextBlock]:
    """Every block of a page's element ``body``, in order: headings, paragraphs, list items, table rows
    (cells joined by " | "); a row whose cells hold such blocks (a box set as a one-cell table) is
    read as those blocks; nothing inside a ``skip`` element."""
    blocks = []
    numbers: dict = {}  # li -> the number its ol shows, filled one ol at a time
    for element in block_elements(body, _TREE_TAGS, skip=skip):
        if element.tag == "tr":
            if any(True for _ in element.iterdescendants(*_TREE_TAGS)):
                continue
            text = " | ".join(element_text(cell) for cell in element if cell.tag in ("td", "th"))
        else:
            text = _own_text(element)
        if text:
            tags = [a.tag for a in reversed(list(element.iterancestors()))] + [element.tag]
            ordinal = None
            if element.tag == "li" and element.getparent().tag == "ol":
                if element not in numbers:
                    numbers.update(_ordinals(element.getparent()))
                ordinal = numbers.get(element)
            blocks.append(TextBlock(text) if element.tag == "tr" else _block(tags, text, ordinal))
    return blocks


def _link_blocks(body) -> int:
    """How many blocks of a rendered page are mostly link text."""
    count = 0
    for element in block_elements(body, _TREE_TAGS):
        text = len(element_text(element))
        if text and sum(len(element_text(a)) for a in element.iter("a")) >= _LINK_LIST * text:
            count += 1
    return count


def _justext_blocks(html: str, language: str) -> list[TextBlock]:
    """The article's blocks of a page saved from a site (see :func:`article`)."""
    blocks: list[TextBlock] = []
    row = None
    for paragraph in article([p for p in _paragraphs(html, language) if p.text.strip()]):
        steps = _steps(paragraph.xpath)
        tags = [tag for tag, _ in steps]
        text = " ".join(paragraph.text.split())
        if tags and tags[-1] in ("td", "th"):  # a table row is one block, its cells joined
            key = steps[:-1]
            if row is not None and row[0] == key:
                row[1].text += f" | {text}"
                continue
            row = (key, TextBlock(text))
            blocks.append(row[1])
            continue
        blocks.append(_block(tags, text))
    return blocks


def content_blocks(html: str, language: str) -> list[TextBlock]:
    """The blocks of a flat page (rendered Markdown): headings, paragraphs, list items, table rows.

    Every block is kept unless the page was saved from a site (``SITE_LINK_BLOCKS`` blocks of
    links): then only its article's (:func:`article`).
    """
    body = lxml.html.document_fromstring(html).find("body")
    if body is None:
        return []
    if _link_blocks(body) < SITE_LINK_BLOCKS:
        return tree_blocks(body)
    return _justext_blocks(html, language)


def visible_text(root) -> str:
    """All text a reader of the page sees (``root`` an lxml document): the body's text, blocks
    apart and inline elements run together ("annex." after a link), without scripts or styles."""
    body = root.find("body")
    if body is None:
        return ""
    body = copy.deepcopy(body)
    lxml.etree.strip_tags(body, lxml.etree.Comment, lxml.etree.ProcessingInstruction)  # their tails stay
    parts: list[str] = []
    hidden = 0  # depth inside a script, style, noscript or template element
    for event, element in lxml.etree.iterwalk(body, events=("start", "end")):
        if element.tag in _HIDDEN:
            hidden += 1 if event == "start" else -1
        if event == "start" and not hidden:
            parts.append(" " if element.tag not in _INLINE else "")
            parts.append(element.text or "")
        elif event == "end" and not hidden:
            parts.append(" " if element.tag not in _INLINE else "")
            if element is not body:
                parts.append(element.tail or "")
    return " ".join("".join(parts).split())
