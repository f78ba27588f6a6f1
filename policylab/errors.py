"""Exceptions raised by policylab.

Every error names the input it is about, says what was expected and what the user
can do next. Catch :class:`PolicyLabError` to handle them all.
"""


class PolicyLabError(Exception):
    """Base class of every error policylab raises on purpose."""


class DocumentNotFoundError(PolicyLabError, FileNotFoundError):
    """A path given to a reader does not exist or is not a file."""


class UnreadableDocumentError(PolicyLabError, PermissionError):
    """A document (or the folder holding it) cannot be read: permissions, or not a regular file."""


class EmptyDocumentError(PolicyLabError):
    """A document file has no content."""


class UnsupportedFormatError(PolicyLabError):
    """A file is neither PDF, HTML nor plain text."""


class FormatMismatchError(UnsupportedFormatError):
    """A file's extension promises one format and its content is another (an error page saved as .pdf)."""


class EncryptedDocumentError(PolicyLabError):
    """A PDF is password-protected."""


class CorruptDocumentError(PolicyLabError):
    """A file claims a format but cannot be parsed as it."""


class DocumentEncodingError(CorruptDocumentError):
    """A page's bytes do not decode to text in its declared or any detected encoding."""


class NoBodyError(PolicyLabError):
    """An HTML page has no recognisable article body."""


class StructureError(PolicyLabError):
    """A document was read but its structure (headings, items) was not recognised."""


class FlatDocumentWarning(UserWarning):
    """A document was read as paragraphs only: no numbering or headings were found in it."""


class UnknownPlanError(PolicyLabError, KeyError):
    """A plan_id is not in the registry."""

    def __str__(self):  # KeyError would quote the message otherwise
        return str(self.args[0]) if self.args else ""


class RegistryError(PolicyLabError):
    """The registry file (data/sources.yaml) is malformed."""


class SchemaError(PolicyLabError, ValueError):
    """A unit table breaks the schema or its invariants."""


class ExportError(PolicyLabError):
    """A table cannot be exported (unknown format, missing engine, unwritable folder)."""


class StructureWarning(UserWarning):
    """A document was read, but its structure (headings, numbering) was not found: the
    units are flat paragraphs. The message names the file."""

