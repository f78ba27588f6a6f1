"""Read Markdown (a strategy written in Markdown, or a web page saved as Markdown) into units.

markdown-it-py parses the file (CommonMark with tables; raw HTML blocks are parsed as HTML)
and renders it to HTML: links become their text, images (no text) disappear, and the
numbers of ordered lists are kept in the item's text, as printed, so that the shared
numbering of :mod:`policylab.parse.outline` nests "1." and "1.1" the same way in Markdown
as in plain text. A page saved from a website (several blocks of links: menus,
breadcrumbs, footers) then goes through the main-content step of :mod:`policylab.parse.site`;
other Markdown keeps every block. The document's only ``#`` heading, when no heading comes before it, is
the title.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import lxml.html

from ..units import Unit
from .encoding import bom_encoding
from .html import detect_language
from .outline import build_outline
from .site import content_blocks, count_words, visible_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# The line each block rule needs to fire (after any indent or quote marks); a rule whose line occurs
# nowhere is switched off, as testing every line of a long paragraph against it is most of the time.
_BLOCK_RULES = {rule: re.compile(r"^[ \t>]*" + pattern, re.MULTILINE) for rule, pattern in {
    "lheading": r"(?:=+|-+)[ \t]*$",  # a heading's underline
    "table": r"\|?(?:[ \t]*:?-+:?[ \t]*\|)+",  # a table's delimiter row
    "fence": r"(?:```|~~~)",
    "hr": r"([-*_])[ \t]*(?:\1[ \t]*){2,}$",
    "html_block": r"<",
    "reference": r"\[[^\]\n]+\]:",
}.items()}
_PLAIN_LINE = re.compile(r"[ \t]*[^\W\d_]")
_VERBATIM = frozenset({"fence", "html_block", "table"})  # rules whose blocks keep their lines
_MD_HINT = re.compile(r"^(#{1,6} \S|\[[^\]\n]+\]\([^)\s]+\)|[-*] \[[^\]\n]+\]\(|\|.*\|\s*$)", re.MULTILINE)


def is_markdown(data: bytes, path: Path) -> bool:
    """Whether a text file is Markdown: named .md/.markdown, or with at least three ``#`` headings,
    ``[text](url)`` links or table rows at line starts in its first 20,000 characters."""
    if path.suffix.lower() in (".md", ".markdown"):
        return True
    codec, skip = bom_encoding(data) or ("utf-8", 0)
    return len(_MD_HINT.findall(data[skip:skip + 80000].decode(codec, "ignore")[:20000])) >= 3


def join_wrapped(text: str) -> str:
    """``text`` with each line that starts with a letter joined to the line before when that one
    does too (and does not end in a backslash, a hard break): the lines of a wrapped paragraph.

    Such a line cannot open a block, so the parse is the same with one line where there were
    many (the parser's work is per line). Only for texts without code fences, raw HTML blocks
    or tables, whose lines are kept as they are.
    """
    out: list[list[str]] = []  # each output line as its parts, joined once at the end
    joinable = False
    for line in text.split("\n"):
        plain = _PLAIN_LINE.match(line) is not None
        if plain and joinable:
            out[-1].append(line.strip())
        else:
            out.append([line])
        joinable = plain and not line.rstrip("\r").endswith("\\")
    return "\n".join(" ".join(parts) for parts in out)


def _ordered_lists(tokens) -> list[tuple[int, list[int]]]:
    """(index of the list's open token, indices of its items' open tokens) for each ordered list."""
    found, stack = [], []
    for i, token in enumerate(tokens):
        if token.type == "ordered_list_open":
            stack.append((i, []))
        elif token.type == "list_item_open" and stack and token.level == tokens[stack[-1][0]].level + 1:
            stack[-1][1].append(i)
        elif token.type == "ordered_list_close":
            found.append(stack.pop())
    return found


def render(text: str) -> str:
    """Markdown as an HTML page.

    Ordered-list items keep their printed number ("3. ") at the start of their text; a list of
    one item (how a numbered heading "1. Introduction" parses) is rendered as a plain paragraph.
    """
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    text = _FRONT_MATTER.sub("", text, count=1)
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    unused = [rule for rule, pattern in _BLOCK_RULES.items() if not pattern.search(text)]
    md.disable(unused)
    md.disable("newline")  # line breaks stay as "\n" in the text: white space to the readers, one token fewer a line
    if _VERBATIM <= set(unused):
        text = join_wrapped(text)
    tokens = md.parse(text)
    for opened, items in _ordered_lists(tokens):
        for i in items:
            inline = next((t for t in itertools.islice(tokens, i, None) if t.type == "inline"), None)
            if inline is not None and inline.children is not None:
                inline.children.insert(0, Token("text", "", 0, content=f"{tokens[i].info}{tokens[i].markup} "))
        if len(items) == 1:
            closed = next(j for j in range(items[0], len(tokens)) if tokens[j].type == "ordered_list_close"
                          and tokens[j].level == tokens[opened].level)
            tokens[opened].tag = tokens[closed].tag = "div"
            tokens[items[0]].tag = tokens[closed - 1].tag = "p"
    return "<html><body>" + md.renderer.render(tokens, md.options, {}) + "</body></html>"


def read_markdown(data: bytes, path: Path, *, plan_id: str) -> tuple[list[Unit], str, dict]:
    """Units, language and facts (``words_in_file``, ``structure``) of a Markdown file."""
    codec, skip = bom_encoding(data) or ("utf-8", 0)
    html = render(data[skip:].decode(codec))
    text = visible_text(lxml.html.document_fromstring(html))
    language = detect_language(text[:20000])
    blocks = content_blocks(html, language)
    title = None
    headings = [i for i, b in enumerate(blocks) if b.heading_level is not None]
    if headings and blocks[headings[0]].heading_level == 1 and sum(b.heading_level == 1 for b in blocks) == 1:
        title = blocks.pop(headings[0]).text
    units, structure = build_outline(blocks, plan_id=plan_id, language=language, title=title, source=str(path))
    return units, language, {"words_in_file": count_words(text, language), "structure": structure}
