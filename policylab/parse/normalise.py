"""Small composable ``str -> str`` text repairs, and the pipelines built from them.

Each function does one thing and can be used on its own, or combined with
:func:`compose`. ``normalise(text, language)`` applies the pipeline for a language.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

Normaliser = Callable[[str], str]

LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_LIGATURE_TABLE = str.maketrans(LIGATURES)
_LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
# Full-width digits and Latin letters (not full-width punctuation, which Chinese keeps).
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S) +(?=[,.;:!?)\]}’”%])")
_SPACE_AFTER_OPENING = re.compile(r"(?<=[(\[{“‘]) +")
# Where these find nothing the two patterns above cannot match (they are tried at every
# position, these only where the search for their first character stops).
_PUNCT_AFTER_SPACE = re.compile(r" [,.;:!?)\]}’”%]")
_SPACE_AFTER_OPENING_QUICK = re.compile(r"[(\[{“‘] ")
# either of the two above (and a few pairs neither acts on, such as "()"): a space before a closing mark or after an opening one
_SPACE_NEXT_TO_PUNCT = re.compile(r"[ (\[{“‘][ ,.;:!?)\]}’”%]")
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
_SUPERSCRIPT_MARKERS = re.compile(r"(?<=[^\s\d])[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_BRACKET_MARKERS = re.compile(r"(?<=\S)\[\d{1,3}\]")
_LETTERS = re.compile("[A-Za-z]+")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_BREAK_AFTER_HYPHEN_OR_SLASH = re.compile(r"(?<=[-/])\n(?=\S)")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_WORD_BYTES = bytes(c if chr(c).isascii() and (chr(c).isalpha() or c == ord("-")) else ord(" ") for c in range(256)).lower()


def compose(*steps: Normaliser) -> Normaliser:
    """One normaliser that applies ``steps`` from left to right."""

    def composed(text: str) -> str:
        for step in steps:
            text = step(text)
        return text

    composed.__doc__ = "Applies: " + ", ".join(step.__name__ for step in steps)
    return composed


def nfc(text: str) -> str:
    """Unicode canonical composition (NFC)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)  # isascii: O(1), ASCII is NFC


def fold_fullwidth_alnum(text: str) -> str:
    """Full-width Latin letters and digits to ASCII (NFKC), keeping Chinese punctuation."""
    return _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def expand_ligatures(text: str) -> str:
    """Typographic ligatures (ﬁ, ﬂ, ...) to their letters."""
    return text.translate(_LIGATURE_TABLE) if not text.isascii() and _LIGATURE.search(text) else text


def collapse_whitespace(text: str) -> str:
    """Any run of white space (line breaks, no-break and ideographic spaces) to one space."""
    if text.isprintable() and "  " not in text and text[:1] != " " != text[-1:]:
        return text  # the space is the only printable white space (U+200B and U+FEFF are not printable either)
    if "\u200b" in text or "\ufeff" in text:  # the two that str.split() keeps
        return _SPACES.sub(" ", text).strip()
    return " ".join(text.split())


def remove_space_before_punctuation(text: str) -> str:
    """Drop spaces that extraction puts before closing punctuation or after an opening one."""
    if not _SPACE_NEXT_TO_PUNCT.search(text):
        return text  # most texts: one search instead of two
    if _PUNCT_AFTER_SPACE.search(text):
        text = _SPACE_BEFORE_PUNCT.sub("", text)
    if _SPACE_AFTER_OPENING_QUICK.search(text):
        text = _SPACE_AFTER_OPENING.sub("", text)
    return text


def remove_space_between_cjk(text: str) -> str:
    """Drop spaces between two Chinese characters or punctuation marks."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def strip_footnote_markers(text: str) -> str:
    """Remove footnote markers written as superscript digits (¹²) or bracketed numbers ([3])."""
    return _BRACKET_MARKERS.sub("", _SUPERSCRIPT_MARKERS.sub("", text))


def word_forms(texts: Iterable[str]) -> frozenset[str]:
    """Lower-cased word forms a document uses inside its lines ("open-weight", "regulation")."""
    # As _WORD.findall, lower-cased, but faster: every character that is not an ASCII letter or
    # a hyphen separates words, so the text is cut there in C (bytes.translate and split) and
    # only the pieces holding a hyphen are searched.
    pieces = "\n".join(texts).encode("ascii", "replace").translate(_WORD_BYTES).decode("ascii").split()
    words = set(pieces)
    for piece in [piece for piece in words if "-" in piece]:  # "open-weight" stays, "--x-" gives "x"
        words.discard(piece)
        words.update(_WORD.findall(piece))
    return frozenset(words)


def whole_word_forms(lines: list[str]) -> frozenset[str]:
    """Like :func:`word_forms`, without the halves of words hyphenated at a line end
    ("re-" and "voked" are not words of the document)."""
    kept = list(lines)
    for i, line in enumerate(lines):
        if line.endswith("-"):  # only the lines around a broken word change
            kept[i] = kept[i].rpartition(" ")[0]
            if i + 1 < len(kept):
                kept[i + 1] = kept[i + 1].lstrip().partition(" ")[2]
    return word_forms(kept)


def join_line_breaks(text: str, vocabulary: frozenset[str] = frozenset(), *, guess: bool = False) -> str:
    """Join lines, deciding for each line-final hyphen whether it is part of the word.

    A hyphen at a line break is dropped when the document itself writes the joined word
    elsewhere ("regu-/lation" where "regulation" occurs in ``vocabulary``, as from
    :func:`word_forms`) and never writes the hyphenated form. When it writes neither, the
    hyphen is kept ("open-/weight", "multi-/tiered", "M-25-/21") unless ``guess`` (for a
    vocabulary from :func:`whole_word_forms`): then it is kept only after an acronym
    ("AI-/related"), where the document writes other compounds with the same first or
    last half ("AI-enabled", "widget-related"), or where both halves are words of their
    own ("decision-/making"); otherwise the halves are one broken word ("re-/voked").
    """

    def rejoin(left: str, right: str) -> str:
        joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
        if joined in vocabulary and hyphenated not in vocabulary:
            return left + right
        if guess and hyphenated not in vocabulary and _soft_hyphen(left, right, vocabulary):
            return left + right
        return f"{left}-{right}"

    if "-\n" in text:
        text = _rejoin_hyphen_breaks(text, rejoin)
    if "-\n" in text or "/\n" in text:
        text = _BREAK_AFTER_HYPHEN_OR_SLASH.sub("", text)  # kept hyphens and URLs
    return text.replace("\n", " ")


def _rejoin_hyphen_breaks(text: str, rejoin: Callable[[str, str], str]) -> str:
    """``text`` with each "letters-\\nletters" (the left word whole, its start not inside a word
    already joined) replaced by ``rejoin(left, right)``, found from the line breaks (a regex
    tried at every word of the text costs more)."""
    pieces = []
    done = 0  # text before this is copied or replaced
    at = text.find("-\n")
    while at != -1:
        start = at
        while start > done and text[start - 1] in _ASCII_LETTERS:
            start -= 1
        right = None
        if start < at and (start == 0 or text[start - 1] not in _ASCII_LETTERS):
            right = _LETTERS.match(text, at + 2)
        if right is not None:
            pieces += [text[done:start], rejoin(text[start:at], right.group())]
            done = right.end()
        at = text.find("-\n", max(at + 1, done))
    return "".join(pieces) + text[done:] if pieces else text


def _soft_hyphen(left: str, right: str, vocabulary: frozenset[str]) -> bool:
    """Whether a line-end hyphen between two halves neither of whose forms the document
    writes elsewhere is a typesetter's hyphen (see :func:`join_line_breaks`)."""
    if any(ch.isupper() for ch in left[1:]) or right[:1].isupper():
        return False  # "AI-/related", "pre-/COVID"
    heads, tails = _compound_halves(vocabulary)
    if left.lower() in heads or right.lower() in tails:
        return False
    return left.lower() not in vocabulary or right.lower() not in vocabulary


@functools.lru_cache(maxsize=4)
def _compound_halves(vocabulary: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """First and last parts of the hyphenated words of ``vocabulary`` ("ai", "enabled" of "ai-enabled")."""
    compounds = [word.split("-") for word in vocabulary if "-" in word]
    return frozenset(parts[0] for parts in compounds), frozenset(parts[-1] for parts in compounds)


normalise_en: Normaliser = compose(nfc, expand_ligatures, collapse_whitespace, remove_space_before_punctuation)
normalise_zh: Normaliser = compose(nfc, fold_fullwidth_alnum, collapse_whitespace, remove_space_between_cjk)


def normalise(text: str, language: str) -> str:
    """Normalise ``text`` with the pipeline for ``language`` ('en' or 'zh-Hans')."""
    if text.isascii():
        # most blocks: ASCII is NFC and holds no ligature, full-width or CJK character, U+200B or U+FEFF,
        # so of either pipeline only the white space collapse acts (and, in English, the punctuation repair)
        text = collapse_whitespace(text)
        return text if language.startswith("zh") else remove_space_before_punctuation(text)
    return normalise_zh(text) if language.startswith("zh") else normalise_en(text)
