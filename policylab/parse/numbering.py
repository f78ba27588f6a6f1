"""One numbering grammar for every reader: what number a line starts with, and how deep it sits.

:func:`parse_number` reads the number a line prints before its words ("1.2", "IV.",
"(a)", "(iv)", "（一）", "一、", "①", "专栏1", "Box 3", "Sec. 2.") into a :class:`Number`:
the label as printed, its *scheme* (arabic, roman, letter, ...), its own hierarchy
("1.2.3" -> (1, 2, 3)) and the text after it. :func:`resolve` decides from the
neighbours whether "(i)" is a roman item or the letter after "(h)". :func:`nesting`
gives each number of a document its depth, from the numbering itself:

- within one scheme, a longer path is deeper ("1" < "1.1" < "1.1.1");
- between schemes, a conventional outer-to-inner order (:data:`SCHEME_ORDER`: parts,
  chapters, 一、, roman, sections, （一）, 专栏 boxes, 1., (a), (1), (A), (i), ①; a heading
  word it does not list, "SYSTEM 1:" or an English "Box 3" (an inset in whatever chapter or
  section it is printed in), is outside whatever scheme it is seen before) ...
- ... unless the document shows the opposite: a scheme that starts at 1 right after
  numbers of another scheme (at least twice more often than the other way round) sits
  inside it (China's "(1)" fields holding "1." items in translation).

Every pattern is anchored and bounded, so parsing a line takes time linear in its length.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cmp_to_key

__all__ = ["SCHEME_ORDER", "Number", "nesting", "parse_number", "parse_numbers", "resolve"]


@dataclass(frozen=True)
class Number:
    """A number printed at the start of a line, and the text after it."""

    label: str  # as printed, without a final dot or 、: "1.1", "IV", "(a)", "（一）", "一", "专栏1", "Sec. 2"
    scheme: str  # "arabic", "roman", "letter", "roman_item", "zh", "zh_paren", "box", "section_word", ...
    path: tuple[int, ...]  # the number's own hierarchy: "1.2.3" -> (1, 2, 3); "(iv)" -> (4,)
    rest: str  # the text after the number


# Outer to inner. Schemes not listed ("system_word" from "SYSTEM 1:") are placed by first appearance.
SCHEME_ORDER = ("division_word", "part_word", "subtitle_word", "chapter_word", "subchapter_word", "zh", "roman",
                "upper_letter", "section_word", "article_word", "zh_paren", "box", "action_word", "arabic", "prefixed",
                "letter", "arabic_paren", "upper_letter_item", "roman_item", "upper_roman_item", "circled")
_RANK = {scheme: rank for rank, scheme in enumerate(SCHEME_ORDER)}

_WORDS = {"Division": "division_word", "Part": "part_word", "Pillar": "part_word", "Title": "part_word",
          "Subtitle": "subtitle_word", "Chapter": "chapter_word", "Subchapter": "subchapter_word",
          "Section": "section_word", "Sec.": "section_word", "Article": "article_word", "Art.": "article_word",
          "Box": "box_word", "Action": "action_word", "Recommendation": "action_word"}
_WORD_FORMS = {form: scheme for word, scheme in _WORDS.items() for form in (word, word.upper())}
_NOT_HEADINGS = frozenset({"FIGURE", "FIG", "TABLE", "CHART", "EXHIBIT", "SOURCE", "NOTE", "NOTES", "STEP",
                           "PAGE", "PHOTO", "MAP", "GRAPH", "ANNEX", "APPENDIX", "TEL", "FAX", "ROOM", "NO",
                           "EXAMPLE", "CASE", "QUESTION", "ANSWER", "PANEL", "SLIDE", "ITEM", "LINE"})
_ARABIC_PATH = r"\d{1,4}[A-Za-z]?(?:\.\d{1,3}){0,5}"
_WORDED = re.compile(
    r"(?P<word>" + "|".join(sorted(map(re.escape, _WORD_FORMS), key=len, reverse=True)) + r"|§)"
    r"[ \t]{0,3}(?P<num>" + _ARABIC_PATH + r"|[IVXLCDM]{1,8}|[A-Z])(?P<end>[.:]?)(?=\s|$|[-–—:])")
_CAPS_WORD = re.compile(r"(?P<word>[A-Z][A-Za-z]{2,19})[ \t](?P<num>\d{1,3}|[IVX]{1,6}|[A-Z]\d{1,3})(?P<end>:)")
_PREFIXED = re.compile(r"(?P<num>[A-Z]{1,2}\d{1,3}(?:\.\d{1,3}){1,5})(?P<end>\.?)(?=\s|$)")  # "A1.1", "T2.3.1"
_ZH_DIGITS = "零〇一二三四五六七八九十百两"
_ZH_WORDED = re.compile(f"第(?P<num>[{_ZH_DIGITS}]{{1,6}}|\\d{{1,4}})(?P<word>章|节|条|部分|篇|编)")
_ZH_WORD_SCHEMES = {"章": "chapter_word", "节": "section_word", "条": "article_word", "部分": "part_word",
                    "篇": "part_word", "编": "part_word"}
_ZH_BOX = re.compile(f"专栏[ \t]?(?P<num>\\d{{1,3}}|[{_ZH_DIGITS}]{{1,4}})")
_ZH = re.compile(f"(?P<num>[{_ZH_DIGITS}]{{1,4}})[、．.]")
_PAREN = re.compile(f"[（(](?P<num>\\d{{1,3}}|[{_ZH_DIGITS}]{{1,4}}|[a-z]{{1,4}}|[A-Z]{{1,4}})[）)]")
_CLOSE_PAREN = re.compile(r"(?P<num>\d{1,3}|[a-z]{1,4}|[A-Z]{1,4})[)）](?=\s|$)")
_INITIAL = re.compile(r"[A-Za-z]\.(?:\s|$)")  # the "R." of "H. R. 3136"
_LOWER_START = re.compile(r"[a-z]{1,8}[.):]")
_ARABIC = re.compile(r"(?P<num>\d{1,3}(?:[.．]\d{1,3}){0,5})(?P<end>[.．、]?)")
_ROMAN_OR_LETTER = re.compile(r"(?P<num>[IVXLCDM]{1,8}|[ivxlcdm]{1,8}|[A-Za-z])(?P<end>[.:])(?=\s|$)")
_BARE_ROMAN = re.compile(r"(?P<num>[IVX]{1,6})$")  # a line "II" alone
_PATH_DOTS = re.compile("[.．]")
_NOT_DIGIT = re.compile(r"\D")
_VALID_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_SEPARATOR = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]*(?:[-–—:：][ \t\u00a0\u2000-\u200b\u3000]*)?")


def roman_value(token: str) -> int | None:
    """The value of a roman numeral ("iv" -> 4), or None when ``token`` is not one."""
    token = token.upper()
    if not token or not _VALID_ROMAN.match(token):
        return None
    total = 0
    for i, char in enumerate(token):
        value = _ROMAN_VALUES[char]
        total += -value if i + 1 < len(token) and _ROMAN_VALUES[token[i + 1]] > value else value
    return total


def letter_value(token: str) -> int | None:
    """'a' -> 1 ... 'z' -> 26, 'aa' -> 27, 'bbb' -> 54 (letters doubled past z); None otherwise."""
    if not token.isascii() or not token.isalpha() or len(set(token)) != 1:
        return None
    return (len(token) - 1) * 26 + ord(token[0].lower()) - 96


def zh_value(token: str) -> int | None:
    """Chinese numerals up to 999 ("十二" -> 12, "二十" -> 20, "一百零五" -> 105), or arabic digits."""
    if token.isdigit():
        return int(token)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    total, current = 0, 0
    for char in token:
        if char in digits:
            current = current * 10 + digits[char] if current and token[0] not in "十百" else digits[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    value = total + current
    return value or None


def _arabic_path(token: str) -> tuple[int, ...]:
    return tuple(int(part if part.isdecimal() else _NOT_DIGIT.sub("", part)) for part in _PATH_DOTS.split(token)
                 if part)


def _rest(line: str, end: int) -> str:
    return line[_SEPARATOR.match(line, end).end():].strip()


def _worded(line: str) -> Number | None:
    match = _WORDED.match(line) or _CAPS_WORD.match(line)
    if match is None:
        return None
    word, token = match.group("word"), match.group("num")
    if match.re is _CAPS_WORD:
        if word.upper() in _NOT_HEADINGS or word in _WORD_FORMS:
            return None
        token = token.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") or token  # "Goal A1:" is goal 1 of group A
        scheme = f"{word.lower()}_word"
    else:
        scheme = "section_word" if word == "§" else _WORD_FORMS[word]
    value = (letter_value(token) if len(token) == 1 and token not in "IVX" else roman_value(token)) \
        if token.isalpha() else None
    path = (value,) if value else _arabic_path(token) if token[0].isdigit() else ()
    rest = _rest(line, match.end())
    if not path or not all(path) or (not match.group("end") and rest[:1].islower()):
        return None  # "Section 1302 of the Act ..." is a reference, not a number
    return Number(line[:match.end("num")], scheme, path, rest)


def _zh(line: str) -> Number | None:
    for pattern, scheme in ((_ZH_WORDED, None), (_ZH_BOX, "box"), (_ZH, "zh")):
        match = pattern.match(line)
        if match:
            value = zh_value(match.group("num"))
            if not value:
                return None
            scheme = scheme or _ZH_WORD_SCHEMES[match.group("word")]
            label = match.group("num") if scheme == "zh" else match.group()
            return Number(label, scheme, (value,), _rest(line, match.end()))
    return None


def _item(token: str) -> tuple[str, int] | None:
    """Scheme and value of the token inside "(...)" or before ")"."""
    if token.isdigit():
        return "arabic_paren", int(token)
    if token[0] in _ZH_DIGITS:
        value = zh_value(token)
        return ("zh_paren", value) if value else None
    upper = token.isupper()
    roman = roman_value(token)
    if roman and (len(token) > 1 or token in "iIvVxX"):  # "(c)", "(d)", "(l)", "(m)" are letters
        return ("upper_roman_item" if upper else "roman_item"), roman
    letter = letter_value(token)
    if letter:
        return ("upper_letter_item" if upper else "letter"), letter
    return None


def _bracketed(line: str) -> Number | None:
    for pattern in (_PAREN, _CLOSE_PAREN):
        match = pattern.match(line)
        if match:
            found = _item(match.group("num"))
            if found is None:
                return None
            scheme, value = found
            return Number(match.group(), scheme, (value,), _rest(line, match.end()))
    return None


def _arabic(line: str) -> Number | None:
    match = _ARABIC.match(line)
    if match is None:
        return None
    token, end = match.group("num"), match.group("end")
    after = line[match.end():match.end() + 1]
    if after.isdigit() or (after and after in ".．,%"):
        return None  # "1.5%", "2,000", "3.."
    rest = _rest(line, match.end())
    if not end and rest and token.count(".") < 2:
        # "1.1 Title" and "1 Title" need a capital or a Chinese character after them ("3 days", "1.5 million"
        # do not); "1.2.1 text" needs nothing
        first = rest[0]
        if not (first.isupper() or "\u4e00" <= first <= "\u9fff" or first in "\"“‘'("):
            return None
        if not after.isspace() and "." not in token:
            return None  # "1Title"
    if not rest and not end and "." not in token:
        return None  # a bare number: a page number, not a heading ("1.1" alone on its line is one)
    label = token.rstrip(".．")
    return Number(label, "arabic", _arabic_path(token), rest)


def _prefixed(line: str) -> Number | None:
    """'A1.1 Assess …': a letter-prefixed multi-level number, as standards number their requirements."""
    match = _PREFIXED.match(line)
    if match is None:
        return None
    rest = _rest(line, match.end())
    if not match.group("end") and rest[:1].islower():
        return None
    token = match.group("num")
    return Number(token, "prefixed", _arabic_path(token.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), rest)


def _roman_or_letter(line: str) -> Number | None:
    match = _ROMAN_OR_LETTER.match(line) or _BARE_ROMAN.match(line)
    if match is None:
        return None
    token = match.group("num")
    rest = _rest(line, match.end())
    if len(token) == 1 and _INITIAL.match(rest):
        return None  # "H. R. 3136", "J. R. Doe": initials, not a number
    roman = roman_value(token)
    if len(token) == 1 and token not in "IiVvXx":  # "C.", "d." are letters; "I.", "v." decided by resolve()
        scheme = "upper_letter" if token.isupper() else "letter"
        return Number(token, scheme, (letter_value(token),), rest)
    if not roman:
        return None
    return Number(token, "roman" if token.isupper() else "roman_item", (roman,), rest)


@functools.lru_cache(maxsize=1024)  # a short block is parsed when text is split into blocks and again when nested
def parse_number(line: str) -> Number | None:
    """The number ``line`` starts with (leading white space ignored), or None.

    "1.2 Title" -> Number("1.2", "arabic", (1, 2), "Title"); "（一）加强组织" -> Number("（一）",
    "zh_paren", (1,), "加强组织"). A single roman-looking letter ("(i)", "I.") is read as
    roman here; :func:`resolve` corrects it from its neighbours.
    """
    line = line.lstrip()
    if not line:
        return None
    first = line[0]
    if first in "（(" or (first.isalnum() and first.isascii() and line[1:2] in (")", "）")):
        return _bracketed(line) or (_arabic(line) if first.isdigit() else None)
    if "a" <= first <= "z" and not _LOWER_START.match(line):
        return None  # most lines of prose: only "iv." or "b)" start in lower case
    if "\u2460" <= first <= "\u2473" or "\u3251" <= first <= "\u325f" or "\u32b1" <= first <= "\u32bf":
        return Number(first, "circled", (_circled(first),), _rest(line, 1))
    if first.isdigit():
        return _arabic(line) or _bracketed(line)
    if first in _ZH_DIGITS or first in "第专":
        return _zh(line)
    if first.isascii() and first.isalpha() or first == "§":
        return _worded(line) or _prefixed(line) or _roman_or_letter(line)
    return None


def _circled(char: str) -> int:
    """① -> 1 ... ⑳ -> 20, ㉑ -> 21 ... ㊿ -> 50."""
    code = ord(char)
    if code <= 0x2473:
        return code - 0x2460 + 1
    return code - 0x3251 + 21 if code <= 0x325F else code - 0x32B1 + 36


def parse_numbers(lines: Iterable[str]) -> list[Number | None]:
    """:func:`parse_number` of each line, ambiguous letters resolved (:func:`resolve`)."""
    numbers = [parse_number(line) for line in lines]
    present = [n for n in numbers if n is not None]
    resolved = iter(resolve(present))
    return [next(resolved) if n is not None else None for n in numbers]


_AMBIGUOUS = {"roman_item": "letter", "upper_roman_item": "upper_letter_item", "roman": "upper_letter"}


def _token(number: Number) -> str:
    return number.label.strip("()（）.:")


def resolve(numbers: Sequence[Number]) -> list[Number]:
    """``numbers`` with each roman numeral that is also a letter ("(i)", "(v)", "I.") read as
    the letter when the letter before it came last ("(h)" then "(i)") or the letter after
    it comes next, and the roman numeral before it did not come last ("(iv)" then "(v)");
    without either sign, "i"/"I" starts a roman list and any other such letter is a letter.
    """
    resolved = list(numbers)
    last: dict[str, int] = {}  # scheme -> last value seen in it
    for i, number in enumerate(resolved):
        letter_scheme = _AMBIGUOUS.get(number.scheme)
        letter = letter_value(_token(number)) if letter_scheme else None
        if letter:
            after = resolved[i + 1] if i + 1 < len(resolved) else None
            follows_roman = last.get(number.scheme) == number.path[0] - 1
            follows_letter = last.get(letter_scheme) == letter - 1
            followed = after is not None and after.scheme == letter_scheme and after.path == (letter + 1,)
            unmarked = not follows_roman and not follows_letter and number.path[0] != 1
            if not follows_roman and (follows_letter or followed) or unmarked:
                number = resolved[i] = replace(number, scheme=letter_scheme, path=(letter,))
        last[number.scheme] = number.path[-1]
    return resolved


def _key(number: Number) -> tuple[str, int]:
    return number.scheme, len(number.path)


def _static(a: tuple[str, int], b: tuple[str, int]) -> int:
    """-1 when ``a`` is conventionally outside ``b``, 1 inside, 0 when the convention does not say
    (a heading word it does not know, such as "GROUP 1:")."""
    if a[0] not in _RANK or b[0] not in _RANK:
        return 0
    rank_a, rank_b = (_RANK[a[0]], a[1]), (_RANK[b[0]], b[1])
    return (rank_a > rank_b) - (rank_a < rank_b)


def restarts(numbers: Sequence[Number]) -> Counter:
    """(outer, inner) key pairs: how often the inner numbering starts at 1 right after an outer number."""
    votes: Counter = Counter()
    for previous, number in itertools.pairwise(numbers):
        if number.path[-1] == 1 and _key(previous) != _key(number):
            votes[_key(previous), _key(number)] += 1
    return votes


def nesting(numbers: Sequence[Number]) -> list[int]:
    """The depth (0 = outermost) of each number of a document, from the numbering's own hierarchy.

    Each (scheme, path length) gets one depth for the whole document: the place of its
    scheme in the conventional order, overridden where the document's numbering restarts
    show the opposite nesting. Gaps close up: the depths used are 0, 1, 2, ...
    """
    numbers = resolve(numbers)
    votes = restarts(numbers)
    first: dict[tuple[str, int], int] = {}
    for i, number in enumerate(numbers):
        first.setdefault(_key(number), i)

    def compare(a, b):
        if a[0] == b[0]:
            return a[1] - b[1]
        outside, inside = votes[a, b], votes[b, a]
        if abs(outside - inside) >= 2:  # one restart may be a table of contents or a quoted amendment
            return -1 if outside > inside else 1
        return _static(a, b) or first[a] - first[b]  # a word the convention does not know: first seen outside

    keys = sorted(first, key=cmp_to_key(compare))
    depth = {key: i for i, key in enumerate(keys)}
    return [depth[_key(n)] for n in numbers]
