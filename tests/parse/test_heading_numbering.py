"""Chapters as markup headings ("## 1. Chapter", <h2>1. Chapter</h2>) holding paragraphs numbered
"1.", "2." (typed, not an ordered list): the points nest in their chapter instead of closing it."""

import itertools
import random

import pytest

from policylab import read_document

WORDS = ("lantern", "harbour", "quartz", "kelp", "gravel", "heron", "fjord", "meadow", "walrus", "tinsel", "copper",
         "kite", "velvet", "dune", "saffron", "thimble", "nutmeg", "lichen", "cinder", "pumice", "oyster", "lagoon")


def _sentence(rng: random.Random, words: int = 18) -> str:
    """Invented filler: a sentence of ``words`` words (too long to read as a heading)."""
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _heading(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(3)).title()


def plan(seed: int = 3) -> tuple[list[tuple[str, str, str]], list[tuple[str, str | None, tuple]]]:
    """A generated plan: its blocks (kind, number, text) and the units expected from it, each as
    (level, label, labels of its ancestors). Chapters 1 and 3 hold points directly; chapter 2 holds
    sub-chapters 2.1 and 2.2, whose points restart at 1; point 1 of 2.1 holds items (a) and (b)."""
    rng = random.Random(seed)
    blocks, expected = [], []

    def points(count: int, inside: tuple) -> None:
        for n in range(1, count + 1):
            blocks.append(("p", f"{n}.", _sentence(rng)))
            expected.append(("point", str(n), inside))
            if inside == ("2", "2.1") and n == 1:
                for letter in "ab":
                    blocks.append(("p", f"({letter})", _sentence(rng)))
                    expected.append(("point", f"({letter})", (*inside, "1")))

    blocks.append(("p", "", _sentence(rng)))
    expected.append(("preamble", None, ()))
    for chapter in (1, 2, 3):
        blocks.append(("h2", f"{chapter}.", _heading(rng)))
        expected.append(("part", str(chapter), ()))
        blocks.append(("p", "", _sentence(rng)))
        expected.append(("paragraph", None, (str(chapter),)))
        if chapter == 2:
            for sub in (1, 2):
                blocks.append(("h3", f"2.{sub}", _heading(rng)))
                expected.append(("section", f"2.{sub}", ("2",)))
                points(2, ("2", f"2.{sub}"))
        else:
            points(3, (str(chapter),))
    return blocks, expected


def as_markdown(blocks) -> str:
    """Points typed as paragraphs: the dot escaped, as converters write a paragraph that starts with a number."""
    lines = ["# Invented Plan for Quiet Harbours", ""]
    for kind, number, text in blocks:
        if kind == "p":
            number = number.replace(".", "\\.") if number[:1].isdigit() else number
            lines += [f"{number} {text}".strip(), ""]
        else:
            lines += [f"{'#' * int(kind[1])} {number} {text}", ""]
    return "\n".join(lines)


def as_html(blocks) -> str:
    body = "".join(f"<{kind}>{f'{number} {text}'.strip()}</{kind}>\n" for kind, number, text in blocks)
    return ("<html><head><title>Invented Plan for Quiet Harbours</title></head><body><main>\n"
            f"<h1>Invented Plan for Quiet Harbours</h1>\n{body}</main></body></html>")


def _ancestors(units) -> list[tuple]:
    """Each unit's ancestors' labels, outermost first (the title left out)."""
    label = dict(zip(units.unit_id, units.label))
    parent = dict(zip(units.unit_id, units.parent_id))
    chains = []
    for unit_id in units.unit_id:
        chain, current = [], parent[unit_id]
        while isinstance(current, str) and isinstance(label[current], str):
            chain.append(label[current])
            current = parent[current]
        chains.append(tuple(reversed(chain)))
    return chains


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_numbered_paragraphs_nest_in_their_numbered_heading(tmp_path, suffix):
    blocks, expected = plan()
    path = tmp_path / f"harbours{suffix}"
    path.write_text(as_markdown(blocks) if suffix == ".md" else as_html(blocks), encoding="utf-8")
    units = read_document(path, plan_id="xx")
    body = units[units.level != "title"]
    labels = [label if isinstance(label, str) else None for label in body.label]
    got = list(zip(body.level, labels, _ancestors(units)[1:]))
    for unit, (got_unit, want) in enumerate(itertools.zip_longest(got, expected)):
        assert got_unit == want, f"unit {unit}: {got_unit} != {want}"
    assert body.text.tolist() == [text for _, _, text in blocks]  # the number is the label, not in the text
    assert units.attrs["structure"] == "structured"


def test_a_paragraph_continuing_the_headings_numbers_stays_a_chapter(tmp_path):
    # "## 1." then a typed "2. Paths": the same numbering, not a restart, so not a point in chapter 1
    path = tmp_path / "continued.md"
    path.write_text("# Invented Plan\n\n## 1. Harbours\n\nFiller words about lanterns and harbour stones for the "
                    "opening chapter.\n\n2\\. Paths by the fjord\n\nMore filler words about gravel paths and copper "
                    "kites here.\n", encoding="utf-8")
    units = read_document(path, plan_id="xx")
    assert list(zip(units.unit_id, units.level, units.label.fillna(""))) == [
        ("xx/title", "title", ""), ("xx/s01", "section", "1"), ("xx/s01/par01", "paragraph", ""),
        ("xx/s02", "section", "2"), ("xx/s02/par01", "paragraph", "")]
