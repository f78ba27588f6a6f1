"""No input makes a reader hang: every pattern run on untrusted text is linear.

Each test feeds the input that made one pattern backtrack for minutes and gives the
reader a generous time bound (a hang guard, not a benchmark). The work runs in a
forked process so that a regression fails the test instead of stalling the suite.
"""

import pytest

from forked import run_forked
from pdf_factory import make_pdf
from policylab import read_document
from policylab.errors import PolicyLabError
from policylab.parse import sniff_format
from policylab.parse.normalise import join_line_breaks

BOUND = 5.0  # seconds; each input below took from half a minute to hours before the fix


def finishes(action, bound: float = BOUND) -> None:
    """Fail if ``action`` hangs or raises anything but a PolicyLabError."""
    outcome = run_forked(action, timeout=bound)
    if outcome == "hang":
        pytest.fail(f"did not finish within {bound} s")
    assert outcome is None or isinstance(outcome[0], PolicyLabError), outcome[1]


def test_sniffing_many_leading_comments(tmp_path):
    data = b"<!---->" * 40 + b"x"  # 26 comments took 6 s, each one more doubled it
    path = tmp_path / "comments.html"
    path.write_bytes(data)
    finishes(lambda: sniff_format(data, path))
    finishes(lambda: read_document(path))


def test_comments_before_the_markup_still_mean_html(tmp_path):
    data = b"\xef\xbb\xbf  <!-- a -->\n<!---->\n<!DOCTYPE html><html><body><p>Filler words here.</p></body></html>"
    assert sniff_format(data, tmp_path / "page") == "html"
    assert sniff_format(b"<!-- unclosed <html>", tmp_path / "page") == "html"
    assert sniff_format(b"<!-- note -->\nplain words", tmp_path / "page") == "text"


def test_pdf_line_of_dots(tmp_path):
    line = "." * 4000 + " a b"  # 2 minutes with the dot-leader regex
    path = make_pdf(tmp_path / "dots.pdf", [[("Heading", 72, 720, 20), (line[:2000], 72, 700, 11),
                                             (line[2000:], 72, 686, 11), ("Some filler words.", 72, 672, 11)]])
    finishes(lambda: read_document(path))


def test_contents_pages_still_dropped():
    from policylab.parse.pdf_pages import _ends_in_dot_leader

    assert _ends_in_dot_leader("Pillar I ........ 3")
    assert _ends_in_dot_leader("Pillar I ...........")
    assert _ends_in_dot_leader("Pillar I.........iv")
    assert not _ends_in_dot_leader("Pillar I ........ 3 more words")
    assert not _ends_in_dot_leader("An ellipsis... then text")


def test_long_word_without_line_breaks():
    finishes(lambda: join_line_breaks("a" * 60_000))  # about a minute before


def test_markdown_heading_with_long_spacing(tmp_path):
    path = tmp_path / "spaced.md"
    path.write_text("# a" + " " * 3000 + "x\n\nSome filler words.\n")  # 90 s before
    finishes(lambda: read_document(path))


def test_markdown_heading_closing_hashes(tmp_path):
    path = tmp_path / "closed.md"
    path.write_text("# Title\n\n## First part ##\n\nSome filler words.\n")
    assert read_document(path)["text"].tolist() == ["Title", "First part", "Some filler words."]


def test_many_parts(tmp_path):
    path = tmp_path / "parts.md"
    path.write_text("".join(f"# Part {i}\n\nFiller.\n\n" for i in range(20_000)))  # 33 s before
    finishes(lambda: read_document(path), bound=15.0)


def test_long_list_item(tmp_path):
    path = tmp_path / "item.md"
    path.write_text("# Part\n\n- a\n" + "  continued filler\n" * 400_000)  # 30 s before
    finishes(lambda: read_document(path), bound=15.0)


def test_site_page_with_many_short_paragraphs(tmp_path):
    path = tmp_path / "site.md"  # five link blocks make it a site page; jusText's context pass was quadratic
    path.write_text("".join(f"- [Menu {i}](/m{i})\n" for i in range(5)) + "\n"
                    + "".join(f"Short {i}.\n\n" for i in range(20_000)))
    finishes(lambda: read_document(path), bound=15.0)


def _words(n: int) -> list[str]:
    """n different capitalised words of four letters or more."""
    return ["".join(chr(65 + (i // 26 ** k) % 26) for k in range(4)) + "X" for i in range(n)]


def test_many_heading_words_each_nested_in_the_one_before(tmp_path):
    path = tmp_path / "words.txt"  # every "WORD 1:" is a new scheme, placed inside the ones seen before
    path.write_text("".join(f"{word} 1: Filler heading\nFiller words of a paragraph.\n" for word in _words(20_000)))
    finishes(lambda: read_document(path), bound=15.0)
    units = read_document(path)
    assert units.unit_id.str.count("/").max() <= 14  # nesting stops at a fixed depth, ids stay short


def test_list_items_indented_ever_deeper(tmp_path):
    path = tmp_path / "indents.txt"
    path.write_text("1. Heading\n" + "".join(f"{' ' * (i % 2000)}- filler item\n" for i in range(20_000)))
    finishes(lambda: read_document(path), bound=15.0)


def test_one_line_of_many_megabytes_without_a_sentence_end(tmp_path):
    path = tmp_path / "line.txt"
    path.write_text("filler " * 400_000 + "\n")
    finishes(lambda: read_document(path), bound=15.0)
