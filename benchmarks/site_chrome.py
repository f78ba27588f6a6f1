"""Compare main-content extraction libraries on generated government-site pages.

    python benchmarks/site_chrome.py [--copies N] [--repeat N]

For each page of tests/site_factory.py (GOV.UK-style, gov.cn-style and ministry templates,
as HTML and as Markdown saved by a browser extension, the Markdown rendered to HTML with
markdown-it-py) and each library (trafilatura, jusText, readability-lxml, and policylab's
own reader, scored on the units read_document returns), prints the share of article words kept, the share of chrome words dropped and
the median time per page. The libraries are imported only here: install them to compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from site_factory import score, site_pages


def _markdown_html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return "<html><body>" + MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown) + "</body></html>"


def _trafilatura(html: str, language: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_tables=True, favor_precision=True) or ""


def _justext(html: str, language: str) -> str:
    import justext

    if language.startswith("zh"):  # no Chinese stop list: the language-independent mode
        paragraphs = justext.justext(html, frozenset(), stopwords_low=0, stopwords_high=0)
    else:
        paragraphs = justext.justext(html, justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _readability(html: str, language: str) -> str:
    from readability import Document

    return lxml.html.fromstring(Document(html).summary(html_partial=True)).text_content()


def _policylab(page, form: str) -> str:
    """The units' text of policylab.read_document on the saved page (time: the whole reading)."""
    from policylab import read_document

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("page.html" if form == "html" else "page.md")
        path.write_text(page.html if form == "html" else page.markdown, encoding="utf-8")
        return " ".join(read_document(path).text)


EXTRACTORS = {"trafilatura": _trafilatura, "jusText": _justext, "readability-lxml": _readability}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=5, help="pages generated per template")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = site_pages(copies=args.copies)
    print(f"{'library':<17} {'input':<9} {'template':<18} {'content kept':>12} {'chrome dropped':>14} {'ms/page':>8}")
    for name in [*EXTRACTORS, "policylab"]:
        for form in ("html", "markdown"):
            by_template: dict[str, list] = {}
            for page in pages:
                html = page.html if form == "html" else _markdown_html(page.markdown)
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    text = (_policylab(page, form) if name == "policylab"
                            else EXTRACTORS[name](html, page.language))
                    times.append(time.perf_counter() - start)
                kept, dropped = score(page, text)
                by_template.setdefault(page.name, []).append((kept, dropped, statistics.median(times)))
            for template, rows in by_template.items():
                kept, dropped, ms = (statistics.mean(col) for col in zip(*rows))
                print(f"{name:<17} {form:<9} {template:<18} {kept:>12.0%} {dropped:>14.0%} {ms * 1000:>8.1f}")


if __name__ == "__main__":
    main()
