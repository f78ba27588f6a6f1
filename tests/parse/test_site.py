"""Web pages saved from a government site, as HTML and as Markdown: the article, not the site."""

import re

import lxml.html
import pytest

from policylab import read_document
from policylab.errors import FlatDocumentWarning
from site_factory import URL_WORDS, site_pages

MARKUP = re.compile(r"\]\(|!\[|https?://|www\.|<[a-z]+[\s>]")


def _read(tmp_path, page, suffix):
    path = tmp_path / f"{page.name}{suffix}"
    path.write_text(page.html if suffix == ".html" else page.markdown, encoding="utf-8")
    return read_document(path, plan_id="xx-site-2025")


def _chrome_in(units, page) -> list[str]:
    content = " ".join(page.content)
    chrome = {" ".join(c.split()) for c in page.chrome if len(c) > 3 and c not in content}
    return [text for text in units.text if any(c in text for c in chrome)]


@pytest.mark.parametrize("page", site_pages(), ids=lambda p: p.name)
@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_site_page_reads_as_its_article(tmp_path, page, suffix):
    units = _read(tmp_path, page, suffix)
    headings = [text for kind, text in page_blocks(page) if kind in ("h2", "h3")]
    assert units.text.iloc[0] == page_blocks(page)[0][1]  # the article's h1 is the title
    divisions = units[units.level.isin(["part", "section"])]
    # numbered headings: the number is the label, the text does not repeat it
    numbers = [re.match(r"(\d+(?:\.\d+)*)\.? |", h).group(1) for h in headings]
    headings = [re.sub(r"^[\d.]+ ", "", h) for h in headings]
    assert divisions.label.fillna("").tolist() == [n or "" for n in numbers]
    assert divisions.text.tolist() == headings
    # headings nest: each section sits in the part before it, each list item in its section
    parts = units[units.level == "part"].unit_id.tolist()
    sections = units[units.level == "section"]
    assert sections.parent_id.tolist() == parts
    items = units[units.level.isin(["action", "point"])]
    assert set(items.parent_id) == set(sections.unit_id) and len(items) == 6
    assert items.label.fillna("").tolist() == ["", "", "", "1", "2", "3"]  # the bullet list, then the ordered one
    # every paragraph of the article, its table as rows (after the first section's list); nothing of the site.
    # readability-lxml drops a table of short Chinese cells as it would a layout table (known weakness)
    rows = units.text.str.count(r" \| ").tolist().count(1)
    assert rows == 2 if suffix == ".md" or page.language == "en" else rows in (0, 2)
    assert units.level.tolist()[-8:] == ["part", "paragraph", "paragraph", "section", "paragraph", "point",
                                         "point", "point"]
    left = _chrome_in(units, page)  # at most the page's dateline survives in Markdown (known weakness)
    assert not left or (suffix == ".md" and len(left) == 1 and re.search(r"20\d\d", left[0]) and len(left[0]) < 40)
    assert not [t for t in units.text if MARKUP.search(t) or any(w in t for w in URL_WORDS)]
    assert units.attrs["structure"] == "structured"
    article_words = len(" ".join(page.content).split()) if page.language == "en" else None
    assert units.attrs["words_in_file"] > (article_words or len(units))


def page_blocks(page):
    """(kind, text) of the article's headings, recovered from the Markdown the page saves as."""
    found = [("h1", t) for t in re.findall(r"^# (.+)$", page.markdown, re.MULTILINE)]
    found += [(f"h{len(m.group(1))}", m.group(2)) for m in re.finditer(r"^(##|###) (.+)$", page.markdown, re.MULTILINE)
              if m.group(2) in page.content]
    return found


def test_markdown_page_without_site_keeps_every_block_and_reads_flat(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("Some filler words of a note, see [the annex](https://example.org/annex-quokkapath).\n\n"
                    "Another filler paragraph with ![a figure](fig.png) an image.\n\n"
                    "<div class=\"box\">\n\nA raw HTML block around filler words.\n\n</div>\n", encoding="utf-8")
    with pytest.warns(FlatDocumentWarning, match="note.md"):
        units = read_document(path)
    assert units.text.tolist() == ["Some filler words of a note, see the annex.",
                                   "Another filler paragraph with an image.",
                                   "A raw HTML block around filler words."]
    assert units.attrs["structure"] == "flat" and units.attrs["words_in_file"] == 9 + 6 + 7


def test_markdown_is_recognised_in_a_txt_file(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text("# Filler Title\n\nOpening filler words.\n\n## First part\n\nA filler paragraph, see "
                    "[this](https://example.org/x).\n\n| Col | Other |\n| --- | --- |\n| a | b |\n", encoding="utf-8")
    units = read_document(path)
    assert units.level.tolist() == ["title", "preamble", "section", "paragraph", "paragraph", "paragraph"]
    assert units.text.tolist()[3:] == ["A filler paragraph, see this.", "Col | Other", "a | b"]


def test_markdown_front_matter_and_underlined_headings(tmp_path):
    path = tmp_path / "clipped.markdown"
    path.write_text("---\ntitle: Filler\nsource: https://example.org/quokkapath\n---\n\nFiller Title\n============\n\n"
                    "Opening filler words.\n\nFirst part\n----------\n\nA filler paragraph.\n", encoding="utf-8")
    units = read_document(path)
    assert units.level.tolist() == ["title", "preamble", "section", "paragraph"]
    assert units.text.tolist() == ["Filler Title", "Opening filler words.", "First part", "A filler paragraph."]


def test_joining_wrapped_lines_parses_as_the_lines_do():
    from markdown_it import MarkdownIt

    from policylab.parse.markdown import render

    text = ("Filler para one\ncontinued *emph\nacross* lines with [a\nlink](x) and a break\\\nafter it\n\n"
            "- item\n  more words\nlazy words\n- next\n\n> quote\nlazy\n\nUnderlined title\nover two lines\n=====\n\n"
            "    indented code\n    lines\n\n1. first\n   wrapped\n2. second\n")

    def blocks(html):
        body = lxml.html.document_fromstring(html).find("body")
        return [(e.tag, " ".join(e.text_content().split())) for e in body.iter() if e.tag not in ("body", "a", "em")]

    plain = blocks(MarkdownIt("commonmark", {"html": True}).render(text))
    ours = blocks(render(text))
    assert [(tag, re.sub(r"(^| )\d\. ", r"\1", t)) for tag, t in ours] == plain  # ours print the item numbers
