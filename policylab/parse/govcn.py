"""The State Council's policy library on gov.cn (``www.gov.cn/zhengce/content/…``).

A page holds a metadata table (索引号, 发文机关, 成文日期, 标题, 发文字号, 发布日期, …: a label
cell followed by its value cell) and the document in the element ``#UCAP-CONTENT``. The
body is numbered with ``一、`` parts, ``（一）`` sections and ``1.`` points, which
:mod:`policylab.parse.structure` reads; this module reads the metadata and recognises the
lines of the issuing notice that are not text: the issuer or document number on a line of
their own, the signature date, and bracketed notes such as （此件公开发布）.
"""

from __future__ import annotations

import re

from .structure import element_text

BODY_XPATH = '//*[@id="UCAP-CONTENT"]'
FIELDS = {"发文机关": "issuer", "发文字号": "document_number", "成文日期": "date_written",
          "发布日期": "date", "标题": "title"}
_ZH_DATE = re.compile(r"^(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?$")
_NOTE = re.compile(r"^[（(](此件|本文|此文)[^）)]{1,12}[）)]$")


def is_govcn(doc) -> bool:
    """Whether the page uses the State Council policy-library template."""
    return bool(doc.xpath(BODY_XPATH))


def iso_date(text: str) -> str | None:
    """'2017年07月08日' or '2017-07-08' as '2017-07-08'; None when the text is not a date."""
    match = _ZH_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cell_text(cell) -> str:
    return "".join("".join(cell.itertext()).split())


def page_facts(doc) -> dict[str, str]:
    """The metadata table as facts: issuer, document_number, date_written, date (published), title.

    A label is a cell of its own with the value in the next cell, or starts the cell
    that holds the value (发文机关：国务院).
    """
    facts = {}
    for cell in doc.xpath("//td | //th | //li"):
        text = _cell_text(cell)
        for label, key in FIELDS.items():
            if key in facts or not text.startswith(label):
                continue
            rest = text[len(label):].lstrip("：:")
            value = cell.getnext() if not rest else None
            value_text = rest or (element_text(value) if value is not None else "")
            if value_text:
                facts[key] = (iso_date(value_text) or value_text) if key.startswith("date") else value_text
    return facts


def is_notice_furniture(text: str, facts: dict[str, str]) -> bool:
    """A line of the issuing notice that is not text: issuer, number or date alone, a bracketed note."""
    text = text.strip()
    return (text in (facts.get("issuer"), facts.get("document_number"))
            or iso_date(text) is not None or bool(_NOTE.match(text)))
