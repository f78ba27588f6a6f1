"""Read Markdown (a strategy written in Markdown, or a web page saved as Markdown) into units.

markdown-it-py parses the file (CommonMark with tables; raw HTML blocks are parsed as HTML)
and renders it to HTML: links become their text, images (no text) disappear, and the
numbers of ordered lists are kept in the item's text, as printed, to become the item's
label; the shared numbering of :mod:`policylab.parse.outline` nests "1." and "1.1"
paragraphs the same way in Markdown as in plain text, and list items sit in the unit
before them (lists in lists in their item). A page saved from a website (several blocks of links: menus,
breadcrumbs, footers) then goes through the main-content step of :mod:`policylab.parse.site`;
other Markdown keeps every block. The document's only ``#`` heading, when no heading comes before it, is
the title.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import lxml.html

from ..readquality import count_words
from ..units import Unit
from .encoding import bom_encoding
from .html import detect_language
from .outline import build_outline, heading_only
from .site import content_blocks, item_number, visible_text

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
_SENTENCE_END = re.compile(r"[.!?:;。！？：；][\"'”’)）]*$")
_VERBATIM = frozenset({"fence", "html_block", "table"})  # rules whose blocks keep their lines
_MD_HINT = re.compile(r"^(#{1,6} \S|\[[^\]\n]+\]\([^)\s]+\)|[-*] \[[^\]\n]+\]\(|\|.*\|\s*$)", re.MULTILINE)


def is_markdown(data: bytes, path: Path) -> bool:
    """Whether a text file is Markdown: named .md/.markdown, or with at least three ``#`` headings,
    ``[text](url)`` links or table rows at line starts in its first 20,000 characters."""
    if path.suffix.lower() in (".md", ".markdown"):
        return True
    codec, skip = bom_encoding(data) or ("utf-8", 0)
    head = data[skip:skip + 80000].decode(codec, "ignore")[:20000]
    if "#" not in head and "[" not in head and "|" not in head:
        return False  # every hint holds one of them (most plain texts hold none: three quick scans, no regex)
    return len(_MD_HINT.findall(head)) >= 3


def join_wrapped(text: str) -> str:
    """``text`` with each line that starts with a letter joined to the line before when that one
    does too (and does not end in a backslash, a hard break): the lines of a wrapped paragraph.

    Such a line cannot open a block, so the parse is the same with one line where there were
    many (the parser's work is per line). Only for texts without code fences, raw HTML blocks
    or tables, whose lines are kept as they are. A line that starts with a printed number
    ("b) …", "一、…") is kept apart, as :func:`_split_numbered_lines` may make it a block.
    """
    out: list[list[str]] = []  # each output line as its parts, joined once at the end
    joinable = False
    for line in text.split("\n"):
        plain = _PLAIN_LINE.match(line) is not None and item_number(line) is None
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


def _numbered_lines(children: list) -> list[list]:
    """A paragraph's inline tokens cut where a line starts a block of its own (:func:`_starts_item`):
    a list typed line by line, without blank lines, which Markdown runs into one paragraph."""
    from markdown_it.token import Token

    pieces: list[list] = [[]]
    depth, line = 0, ""  # nesting of inline markup; the text of the line so far
    for child in children:
        if child.type != "text" or depth or "\n" not in child.content:
            depth += child.nesting
            pieces[-1].append(child)
            line += child.content if child.type == "text" else ""
            continue
        first, *rest = child.content.split("\n")
        kept, line = first, line + first
        for part in rest:
            if _starts_item(line, part):
                pieces[-1].append(Token("text", "", 0, content=kept))
                pieces.append([])
                kept = part
            else:
                kept = f"{kept}\n{part}"
            line = part
        pieces[-1].append(Token("text", "", 0, content=kept))
    return [piece for piece in pieces if any(t.type != "text" or t.content.strip() for t in piece)]


def _starts_item(before: str, line: str) -> bool:
    """Whether ``line`` (its start) begins a block of its own after the line ``before``: a numbered
    line after a sentence's end or a numbered heading ("一、总体要求"), or any line but a lower-case
    continuation after such a heading."""
    ended = _SENTENCE_END.search(before.rstrip()[-5:]) is not None
    number = item_number(before) if not ended else None
    heading = number is not None and heading_only(number.rest, detect_language(number.rest))
    first = line.lstrip()[:1]
    return ((ended or heading) and item_number(line) is not None) or (
        heading and first.isalpha() and not first.islower())


def _split_numbered_lines(tokens: list) -> list:
    """``tokens`` with each top-level paragraph cut where :func:`_numbered_lines` cuts it."""
    out = []
    for i, token in enumerate(tokens):
        if (token.type == "inline" and token.children and "\n" in token.content
                and tokens[i - 1].type == "paragraph_open" and tokens[i - 1].level == 0):
            pieces = _numbered_lines(token.children)
            if len(pieces) > 1:
                opened, closed = out.pop(), tokens[i + 1]
                for piece in pieces[:-1]:
                    out += [opened, replace(token, children=piece), closed]
                out += [opened, replace(token, children=pieces[-1])]
                continue
        out.append(token)
    return out


def _first_inline(tokens: list, item: int):
    """The first inline token of the list item opened at ``tokens[item]`` (its first line of text), or None
    when it has none (an empty item)."""
    level = tokens[item].level
    for j in range(item + 1, len(tokens)):  # by index: islice would step over the tokens before the item
        token = tokens[j]
        if token.type == "inline":
            return token
        if token.type == "list_item_close" and token.level == level:
            return None
    return None


def _heading_item(inside: list) -> bool:
    """Whether a list item's tokens (``inside``) are one paragraph that reads as a heading."""
    if [t.type for t in inside] != ["paragraph_open", "inline", "paragraph_close"]:
        return False
    text = " ".join(inside[1].content.split())
    return heading_only(text, detect_language(text))


def render(text: str) -> str:
    """Markdown as an HTML page.

    Ordered-list items keep their printed number ("3. ", from the list's start) at the start of their
    text, which the readers take as the item's label; a list of one item that reads as a heading
    (how a numbered heading "1. Introduction" parses) is rendered as a plain paragraph, so that the
    numbering makes it a chapter; a paragraph typed as a list, one numbered line after another
    ("a) …", "（一）…"), becomes one paragraph per line (:func:`_numbered_lines`).
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
    tokens = _split_numbered_lines(md.parse(text))
    for opened, items in _ordered_lists(tokens):
        for i in items:
            inline = _first_inline(tokens, i)
            if inline is not None and inline.children is not None:
                inline.children.insert(0, Token("text", "", 0, content=f"{tokens[i].info}{tokens[i].markup} "))
        closed = next(j for j in range(items[0], len(tokens)) if tokens[j].type == "ordered_list_close"
                      and tokens[j].level == tokens[opened].level) if len(items) == 1 else None
        if closed is not None and _heading_item(tokens[items[0] + 1:closed - 1]):
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
