"""Check extracted text against hashed word windows of an official text.

The project may not hold the official text, but it may hold (or be given) hashes of its
10-word windows. A token of our reading is confirmed when some 10-word window around it
hashes to a window of the official text; the share of confirmed tokens measures how
faithfully a reader reproduces the wording.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

WINDOW = 10


def _digest(window: str) -> str:
    return hashlib.blake2b(window.encode(), digest_size=8).hexdigest()


def load_shingles(path: str | Path) -> frozenset[str]:
    """Hex digests, one per line; lines starting with '#' are comments."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def tokens(text: str) -> list[str]:
    """Lower-case alphanumeric tokens after NFKC, as the window hashes were made."""
    return re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).lower())


def confirmed_tokens(texts: Iterable[str], shingles: frozenset[str]) -> tuple[int, int]:
    """(confirmed, total) tokens over texts of at least WINDOW tokens, each text on its own."""
    confirmed = total = 0
    for text in texts:
        words = tokens(text)
        if len(words) < WINDOW:
            continue
        hit = [False] * len(words)
        for start in range(len(words) - WINDOW + 1):
            if _digest(" ".join(words[start:start + WINDOW])) in shingles:
                hit[start:start + WINDOW] = [True] * WINDOW
        confirmed += sum(hit)
        total += len(words)
    return confirmed, total
