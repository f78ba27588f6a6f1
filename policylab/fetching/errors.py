"""Errors of fetching and adding plan files, and the phrases their messages share."""

from __future__ import annotations

from ..errors import PolicyLabError
from ..sources import Source


class FetchError(PolicyLabError):
    """A plan file could not be fetched, added or found in the data home."""


class DownloadError(FetchError):
    """The server answered with an error, or the transfer broke off."""


class NetworkError(DownloadError):
    """The host could not be reached: no network, refused connection, DNS failure, timeout."""


class ChecksumError(FetchError):
    """A file's sha256 is not the one recorded in the registry or the lock file."""


class NotFetchedError(FetchError, FileNotFoundError):
    """A plan's file is not in the data home."""


class NotThePlanError(FetchError):
    """A file given to :func:`add`, or downloaded to be trusted on first use, is not plausibly
    (a readable copy of) the plan named."""


class FetchNotice(UserWarning):
    """Something the user should know about a fetch: a hash trusted on first use, or updated."""


def edition(source: Source) -> str:
    return f"{source.plan_id} ({source.language})"


def added_by_hand(source: Source) -> bool:
    """Whether only ``policylab add`` can put the edition's file into the data home: a plan
    the user registered (its URL is provenance only), or an edition with no download URL."""
    return source.origin == "user" or source.url_download is None


def manual_route(source: Source) -> str:
    """The sentence that tells how to put the edition's file into the data home by hand."""
    language = "" if source.original else f" --language {source.language}"
    if added_by_hand(source):
        return (f"Add the file again with `policylab add PATH --plan {source.plan_id}{language} --update` "
                "(policylab cannot download it: you brought it).")
    page = "" if source.url_main == source.url_download else f" (page: {source.url_main})"
    return (f"Download it by hand from {source.url_download}{page} and run "
            f"`policylab add PATH --plan {source.plan_id}{language}`.")
