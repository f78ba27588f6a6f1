"""Where data lives: policylab's own (``data/``) and the user's data home; reading YAML
with clear errors, hashing files and replacing them atomically, and fixing a zip's dates."""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import warnings
import zipfile
from datetime import datetime
from pathlib import Path

import yaml

from .errors import PolicyLabError

with warnings.catch_warnings():
    # pooch imports tqdm.auto where tqdm is installed; in a notebook without ipywidgets tqdm
    # then warns on stderr (its bars fall back to text), on every `import policylab`
    warnings.filterwarnings("ignore", message="IProgress not found")
    import pooch

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Reference copies of the official documents beside a developer's or CI's checkout (never shipped).
REFERENCE_CORPUS = DATA_DIR.parent.parent / "shared" / "corpus"
#: The reference copies of the official files of the plans coded from them (developers' tools).
REFERENCE_FILES = {"us-aap-2025": REFERENCE_CORPUS / "us-aap-2025" / "Americas-AI-Action-Plan.pdf",
                   "cn-gaigi-2023": REFERENCE_CORPUS / "cn-gaigi-2023-zh" / "mfa_t20231020_11164831.html",
                   "gb-aiop-2025": REFERENCE_CORPUS / "gb-aiop-2025" / "ai-opportunities-action-plan.html",
                   # plain-text copies, not the registry's files: a translation and an excerpt
                   "cn-aiplus-2025": REFERENCE_CORPUS / "cn-aiplus-2025-en" / "ai-plus-opinions-en.txt",
                   "sg-nais-2023": REFERENCE_CORPUS / "sg-nais-2023" / "nais-2.0.txt"}
ENV_DATA = "POLICYLAB_DATA"
# libyaml's parser where PyYAML was built with it (about 10x faster; same safe constructor).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """The folder that holds fetched files: ``data_home``, else ``$POLICYLAB_DATA``, else
    the platform cache folder (``pooch.os_cache("policylab")``). It is not created here."""
    if data_home is None:
        data_home = os.environ.get(ENV_DATA) or pooch.os_cache("policylab")
    return Path(data_home).expanduser()


def read_yaml(path: Path, error: type[PolicyLabError], what: str, remedy: str) -> object:
    """Parse a YAML file; a missing or malformed file raises ``error`` naming ``what`` and the path."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
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


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step: a temporary file beside it, then os.replace.

    A reader sees the old file or the new one, never half of one; on failure the old
    file is left as it was and the temporary file is removed.
    """
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_atomic(path: Path, write) -> None:
    """Call ``write(temporary_path)`` on a new file beside ``path``, then move it to ``path``
    with os.replace; on failure the temporary file is removed. The file gets the umask's
    mode (not mkstemp's 0600), so a shared folder stays readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        open(tmp, "x").close()
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def fixed_zip_times(data: bytes, when: datetime) -> bytes:
    """A zip (an .xlsx) again, with every entry dated ``when`` and the same 'modified'
    property (which openpyxl sets to the time of saving, whatever the workbook says), so
    that equal tables give equal bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6]), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
