"""The text reader on 100 real governance documents it was not written against (../shared/corpus/texts-dev).

What a user would notice: a text refused, a long text read as one unit, a unit of many
pages, markup in the text, numbered sections that do not come out as sections, most of
a document labelled preamble, words lost.
"""

import re
import warnings

import pytest

from conftest import CORPUS
from policylab import read_document

TEXTS = CORPUS / "texts-dev"
pytestmark = pytest.mark.skipif(not TEXTS.is_dir(), reason=f"development set {TEXTS} is absent "
                                "(../shared/corpus is only beside developer and CI checkouts)")
_SECTION_LINE = re.compile(r"(?m)^[ \t]*(?:SEC\.|Sec\.|SECTION|Section) \d+[.:]? ")
_ITEM_LINE = re.compile(r"(?m)^[ \t]*\((?:[a-z]|\d{1,2})\) ")
_MARKUP = re.compile(r"</?(?:p|div|span|a|br|li|ul|table|td|tr|h[1-6])\b[^>]*>|\]\([^)\s]*\)|&(?:nbsp|amp|quot);")


@pytest.fixture(scope="module")
def readings():
    """{file name: (raw text, unit table)} for every text of the development set."""
    read = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # flat texts warn; counted below
        for path in sorted(TEXTS.glob("*.txt")):
            read[path.name] = (path.read_text(encoding="utf-8"), read_document(path))
    return read


def test_every_text_is_read(readings):
    assert len(readings) == 100  # a refusal (a PolicyLabError) would have failed the fixture, naming the file


def test_no_long_text_is_one_unit_and_no_unit_is_pages_long(readings):
    one_unit = [name for name, (raw, units) in readings.items()
                if len(raw.encode()) > 5000 and (units.level != "title").sum() < 2]
    assert one_unit == []
    longest = max((len(text), name) for name, (_, units) in readings.items() for text in units.text)
    assert longest[0] <= 8000, longest


def test_no_markup_in_the_text(readings):
    marked = [name for name, (_, units) in readings.items() if units.text.str.contains(_MARKUP).any()]
    assert marked == []


def test_levels_follow_the_numbering(readings):
    no_sections = [name for name, (raw, units) in readings.items()
                   if len(_SECTION_LINE.findall(raw)) >= 2 and not (units.level == "section").any()]
    assert no_sections == []
    no_points = [name for name, (raw, units) in readings.items()
                 if len(_ITEM_LINE.findall(raw)) >= 3 and not (units.level == "point").any()]
    assert no_points == []
    levels = [level for _, units in readings.values() for level in units.level]
    assert levels.count("preamble") < 0.5 * len(levels)
    flat = [name for name, (_, units) in readings.items() if units.attrs["structure"] == "flat"]
    assert len(flat) <= 10, flat  # most of these documents are numbered; a flat reading is the exception


def test_words_are_kept(readings):
    """The units hold the file's words: text and labels together, at least 95% of them."""
    lost = {}
    for name, (_, units) in readings.items():
        kept = sum(len(t.split()) for t in units.text) + sum(len(label.split()) for label in units.label.dropna())
        if kept < 0.95 * units.attrs["words_in_file"]:
            lost[name] = (kept, units.attrs["words_in_file"])
    assert lost == {}
