"""Where policylab's own data lives (``data/``), reading its YAML files with clear errors,
and hashing files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from .errors import PolicyLabError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Reference copies of the official documents beside a developer's or CI's checkout (never shipped).
REFERENCE_CORPUS = DATA_DIR.parent.parent / "shared" / "corpus"


def read_yaml(path: Path, error: type[PolicyLabError], what: str, remedy: str) -> object:
    """Parse a YAML file; a missing or malformed file raises ``error`` naming ``what`` and the path."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{what} file {path} not found; {remedy}.") from None
    except yaml.YAMLError as exc:
        raise error(f"{what} file {path} is not valid YAML: {exc}") from None


def sha256_file(path: Path) -> str:
    """The sha256 of a file, as 64 lowercase hex digits (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
