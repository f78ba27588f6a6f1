"""Read an HTML page (the MFA article template, a GOV.UK publication, or any article page) into units.

MFA template: title in ``div.news-title h1``, date in ``p.time``, body paragraphs in
``div#News_Body_Txt_A``. State Council policy library (gov.cn): body in ``#UCAP-CONTENT``,
metadata table read by :mod:`policylab.parse.govcn`. Commission documents on EUR-Lex:
structure from the paragraphs' classes (:mod:`policylab.parse.eurlex`). Other pages: the
main content as readability-lxml finds it (:mod:`policylab.parse.site`), without the site's
menus and footers. Headings, numbering and lists become structure: the MFA and EUR-Lex
templates block by block (:mod:`policylab.parse.structure`, so the hand-coded plan keeps its
unit ids), gov.cn and other pages nested by their numbering as text files are
(:mod:`policylab.parse.outline`: "1." > "1.1", 一、 > （一） > 1., 专栏 boxes holding their
items, ``<ol>`` items labelled with the number the browser shows); GOV.UK publications are
read from their govspeak markup (:mod:`policylab.parse.govspeak`).
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html

from ..errors import CorruptDocumentError, NoBodyError
from ..readquality import count_words
from ..units import Unit
from . import eurlex, govcn, site
from .encoding import decode_page
from .govspeak import is_govspeak, read_govspeak
from .outline import build_outline
from .structure import SKIP_TAGS, TextBlock, block_elements, build_units, element_text

_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SITE_SUFFIX = re.compile(r"\s+[-–|]\s+GOV\.UK$")


def detect_language(text: str) -> str:
    """'zh-Hans' when Chinese characters make up a fair share of the letters, else 'en'."""
    if not _CJK.search(text):  # one scan in C; counting letters (a Python loop) only when it can matter
        return "en"
    letters = sum(ch.isalpha() for ch in text) or 1
    return "zh-Hans" if len(_CJK.findall(text)) / letters > 0.3 else "en"


def _parse(data: bytes, path: Path) -> lxml.html.HtmlElement:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", decode_page(data, path))
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise CorruptDocumentError(f"{path}: the HTML cannot be parsed ({exc}); download the page again.") from None


_TEMPLATE_BODIES = f'//div[@id="News_Body_Txt_A"] | {govcn.BODY_XPATH}'


def _body_container(doc):
    for xpath in ('//div[@id="News_Body_Txt_A"]', govcn.BODY_XPATH, "//article", "//main"):
        found = doc.xpath(xpath)
        if found and element_text(found[0]):
            return found[0]
    best, best_length = None, 0
    for element in doc.iter("div", "section", "td", "body"):
        length = sum(len(element_text(p)) for p in element.findall("p"))
        if length > best_length:
            best, best_length = element, length
    return best


def _title(doc) -> str | None:
    for xpath in ('//div[contains(@class,"news-title")]//h1', "//h1"):
        found = [e for e in doc.xpath(xpath) if element_text(e)]
        if found:
            return element_text(found[0])
    found = doc.xpath("//title")
    return _SITE_SUFFIX.sub("", element_text(found[0]).split("_")[0]) if found and element_text(found[0]) else None


def page_date(doc) -> str | None:
    """The publication date shown on the page (``p.time`` or a PubDate meta), if any."""
    for xpath in ('//p[contains(@class,"time")]', '//meta[@name="PubDate"]/@content'):
        for found in doc.xpath(xpath):
            match = _DATE.search(found if isinstance(found, str) else element_text(found))
            if match:
                return match.group()
    return None


def html_blocks(container) -> list[TextBlock]:
    """Paragraph, heading and list-item blocks of a container, in document order."""
    blocks = []
    for element in block_elements(container, _BLOCK_TAGS):
        text = element_text(element)
        if not text:
            continue
        if element.tag.startswith("h"):
            blocks.append(TextBlock(text, heading_level=int(element.tag[1])))
        elif element.tag == "li":
            parent = element.getparent()
            blocks.append(TextBlock(text, list_kind="numbered" if parent is not None and parent.tag == "ol" else "bullet"))
        else:
            blocks.append(TextBlock(text))
    return blocks


def read_html(data: bytes, path: Path, *, plan_id: str) -> tuple[list[Unit], str, dict]:
    """Units, language and page facts of an HTML document.

    Facts: ``date`` (published); on gov.cn pages also ``issuer``, ``document_number`` and
    ``date_written`` from the metadata table.
    """
    doc = _parse(data, path)
    if is_govspeak(doc):
        title = _title(doc)
        return read_govspeak(doc, plan_id=plan_id, title=title, source=str(path)), "en", {"date": page_date(doc)}
    container = _body_container(doc)
    is_eurlex = eurlex.is_eurlex(doc)
    generic = not (is_eurlex or doc.xpath(_TEMPLATE_BODIES))
    notes: dict[str, str] = {}
    if container is not None and is_eurlex:
        blocks, notes = eurlex.eurlex_blocks(container)
    else:
        if generic:  # any other page: its main content, without the site's menus, forms and footer
            container = site.main_content(doc) if container is not None else None
            container = container if container is not None else _body_container(doc)
            blocks = site.tree_blocks(container, SKIP_TAGS) if container is not None else []
        else:
            blocks = html_blocks(container) if container is not None else []
    if not blocks:
        raise NoBodyError(f"{path}: no article body found (no div#News_Body_Txt_A, <article>, <main> "
                          "or paragraphs). Save the page's full HTML, not a frame or an error page.")
    facts = {"date": page_date(doc)}
    if is_eurlex:
        facts.update(eurlex.cover_facts(doc))
    if govcn.is_govcn(doc):
        facts.update(govcn.page_facts(doc))
        blocks = [b for b in blocks if not govcn.is_notice_furniture(b.text, facts)]
    title = facts.pop("title", None) or _title(doc)
    blocks = [b for b in blocks if not (b.heading_level is not None and title and b.text == title)]
    language = detect_language(" ".join(b.text for b in blocks))
    if govcn.is_govcn(doc) or generic:  # nested by their numbering: 一、 > （一） > 1. > （1）, 专栏 boxes holding items
        units, facts["structure"] = build_outline(blocks, plan_id=plan_id, language=language, title=title,
                                                  source=str(path))
        if generic:
            facts["words_in_file"] = count_words(site.visible_text(doc), language)  # as the verdict counts words
        return units, language, facts
    units = build_units(blocks, plan_id=plan_id, language=language, title=title, source=str(path), notes=notes)
    return units, language, facts
