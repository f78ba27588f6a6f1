"""Fuzzing the readers: seed documents, their byte and structure mutations, and a runner.

Seeds are synthetic PDFs (pdf_factory), HTML pages (html_factory) and Markdown, plus
the reference copies of the official files when ../shared/corpus is present. Every
mutated file is read in a forked process with a time bound; the only acceptable
outcomes are a unit table or a PolicyLabError. Used by tests/parse/test_fuzz.py (a
small fixed-seed run) and scripts/fuzz_readers.py (``make fuzz``, a longer one).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from conftest import CN_2023_HTML, US_PDF
from forked import run_forked
from html_factory import action_plan_en, action_plan_zh
from pdf_factory import add_outline, make_pdf
from policylab import read_document
from policylab.errors import PolicyLabError

SUFFIXES = [".pdf", ".html", ".md", ".txt", ""]
TOKENS = [b"<!--", b"-->", b"<!---->" * 30, b"%PDF-1.7\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00\x00",
          b"\x00", b"." * 3000 + b" a b", b"<html>", b"<p>", b"</p>", b"<article>", b"<li>", b"<h1>",
          b'<meta charset="undefined">', b'<meta charset="gb18030">', b"<?xml version='1.0' encoding='punycode'?>",
          b"obj", b"endobj", b"stream\n", b"endstream", b"/Outlines", b"trailer", b"xref", b"\xe4\xb8\x80\xe3\x80\x81",
          b"\n# ", b"\n- ", b"\n1. ", "（一）".encode(), "——".encode(), b"\xd8\x00", b"\n" * 200]


def seed_documents(folder: Path) -> list[tuple[str, bytes]]:
    """(suffix, bytes) of every seed; the reference copies are added when present."""
    pdf = make_pdf(folder / "seed.pdf", [
        [("Test Plan", 72, 720, 24), ("Part One Heading", 72, 680, 18),
         ("Placeholder body text for the fuzzer, first line", 72, 650, 11),
         ("continued on a second line of the paragraph.", 72, 636, 11),
         ("• A placeholder action item.", 90, 610, 11), ("1", 300, 40, 10)],
        [("Contents ........ 3", 72, 700, 11), ("Part Two Heading", 72, 680, 18),
         ("More placeholder words in a body line.", 72, 650, 11), ("2", 300, 40, 10)]])
    outlined = add_outline(make_pdf(folder / "outlined.pdf", [
        [("Part One Heading", 72, 700, 18), ("Placeholder words of a body line.", 72, 670, 11)]]),
        [(b"(Part One Heading)", 0)])
    seeds = [(".pdf", pdf.read_bytes()), (".pdf", outlined.read_bytes()),
             (".html", action_plan_zh().encode()), (".html", action_plan_en().encode()),
             (".html", action_plan_zh().replace('charset="utf-8"', 'charset="gb18030"').encode("gb18030")),
             (".md", b"# Title\n\n## Part\n\nFiller words.\n\n- an item\n  continued\n\n1. a point\n")]
    seeds += [(path.suffix, path.read_bytes()) for path in (US_PDF, CN_2023_HTML) if path.exists()]
    return seeds


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """One to four random byte-level edits: flips, inserts, deletions, truncation, splices, tokens."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(len(data) + 1)
        kind = rng.randrange(7)
        if kind == 0 and data:  # flip bytes
            for _ in range(rng.randint(1, 16)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:  # insert a telling token
            data[where:where] = rng.choice(TOKENS)
        elif kind == 2:  # delete a stretch
            del data[where:where + rng.randint(1, 512)]
        elif kind == 3:  # truncate
            del data[where:]
        elif kind == 4 and data:  # repeat a chunk
            chunk = data[where:where + rng.randint(1, 256)]
            data[where:where] = chunk * rng.randint(2, 50)
        elif kind == 5:  # splice with another seed
            other = rng.choice(others)
            cut = rng.randrange(len(other) + 1)
            data = data[:where] + other[cut:cut + rng.randint(1, 4096)]
        else:  # random bytes
            data[where:where] = rng.randbytes(rng.randint(1, 64))
    return bytes(data)


def random_pdf(path: Path, rng: random.Random) -> bytes:
    """A synthetic PDF of random structure: sizes, places, numbering, dots, bullets, markers."""
    texts = ["Placeholder words of a body line", "Part I", "Sec. 2.", "• item", "3", "iv", "1.2 Heading",
             "Contents ........ 7", "........", "intentionally left blank", "A Title Case Heading", "x", "¹", "Ⅱ"]
    pages = []
    for _ in range(rng.randint(1, 4)):
        runs = [(rng.choice(texts), rng.uniform(0, 600), rng.uniform(0, 792), rng.choice([4, 8, 11, 11, 11, 18, 30]))
                for _ in range(rng.randint(0, 25))]
        pages.append(runs)
    make_pdf(path, pages)
    if rng.random() < 0.3 and pages:
        add_outline(path, [(b"(Part I)", 0), (rng.choice([b"<FEFFD800>", b"()", b"(1.2 Heading)"]), 0)])
    return path.read_bytes()


@dataclass
class Failure:
    case: int
    path: Path
    problem: str  # "hang" or the traceback


def _read(path: Path) -> None:
    try:
        read_document(path)
    except PolicyLabError as exc:
        assert path.name in str(exc), f"the error does not name the file: {exc}"


def fuzz(folder: Path, *, seed: int, count: int, timeout: float = 10.0, keep: bool = False) -> list[Failure]:
    """Read ``count`` mutated files; return the cases that hung or raised a non-PolicyLabError.

    Files of failing cases are kept in ``folder`` (all files with ``keep``) to reproduce them.
    """
    rng = random.Random(seed)
    seeds = seed_documents(folder)
    others = [data for _, data in seeds]
    failures = []
    for case in range(count):
        if rng.random() < 0.25:
            suffix, data = ".pdf", random_pdf(folder / "random.pdf", rng)
        else:
            suffix, data = rng.choice(seeds)
            data = mutate(data, rng, others)
        suffix = suffix if rng.random() < 0.8 else rng.choice(SUFFIXES)
        path = folder / f"case{case:05d}{suffix}"
        path.write_bytes(data)
        outcome = run_forked(lambda path=path: _read(path), timeout=timeout)
        if outcome is not None:
            failures.append(Failure(case, path, outcome if outcome == "hang" else outcome[1]))
        elif not keep:
            path.unlink()
    return failures
