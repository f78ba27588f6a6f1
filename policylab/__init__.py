"""policylab: comparative analysis of national AI policy documents.

The public API in one place::

    import policylab as pl
    pl.list_plans()                       # the registry of known plans
    units = pl.read_document("plan.pdf")  # one row per unit of text
    pl.validate_units(units)
"""

from .errors import PolicyLabError
from .parse import read_document
from .sources import get_source, list_plans
from .units import LEVELS, validate_units
from .fetch import (ChecksumError, FetchError, FetchNotice, add, clear_data_home, fetch, get_data_home,
                    list_fetched)
from .loaders import load_corpus, load_plan

__all__ = ["LEVELS", "PolicyLabError", "get_source", "list_plans", "read_document", "validate_units",
           "ChecksumError", "FetchError", "FetchNotice", "add", "clear_data_home", "fetch", "get_data_home",
           "list_fetched", "load_corpus", "load_plan"]
