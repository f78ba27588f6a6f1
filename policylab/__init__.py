"""policylab: comparative analysis of national AI policy documents.

The public API in one place::

    import policylab as pl
    pl.list_plans()                          # the known plans: shipped, and those you added (origin)
    pl.fetch(["us-aap-2025"])                # official files into the data home, verified
    units = pl.load_plan("us-aap-2025")      # one row per unit of text
    coded = pl.load_plan("us-aap-2025", source="coded")   # our summaries and codes
    pl.tag_themes(units)                     # dictionary tagging with the codebook
    pl.kwic(units, "open source")            # every match in context, with unit, section and page
    pl.add_plan("plan.pdf", plan_id="my-plan", title="...", country="GBR")   # a plan of your own
    pl.code_plan(pl.load_plan("my-plan"))    # themes and orientation by the tagger (actors, instruments NA)
    pl.tagger_report()                       # the tagger's scores out of plan, per plan and theme
    pl.export(units, "us.xlsx")              # CSV, Parquet or Excel (by suffix), provenance kept
    pl.write_review(pl.review_sample(units, n=60), "review.xlsx")   # a sample to code by hand
    review = pl.read_review("review.xlsx")   # compare.theme_shares(coded, review=review): corrected
"""

from .coded import load_codes
from .coding import code_plan, tag_themes
from .errors import PolicyLabError
from .export import export
from .fetch import (
                    ChecksumError,
                    FetchError,
                    FetchNotice,
                    add,
                    clear_data_home,
                    fetch,
                    get_data_home,
                    list_fetched,
)
from .kwic import kwic
from .loaders import load_corpus, load_plan
from .parse import read_document
from .review import read_review, review_sample, write_review
from .sources import get_source, list_plans
from .themes import load_codebook
from .units import LEVELS, validate_units
from .userplans import add_plan
from .validation import tagger_report

__all__ = [
    "LEVELS", "ChecksumError", "FetchError", "FetchNotice", "PolicyLabError", "add", "add_plan",
    "clear_data_home", "code_plan", "export", "fetch", "get_data_home", "get_source", "kwic", "list_fetched", "list_plans", "load_codebook", "load_codes",
    "load_corpus", "load_plan", "read_document", "read_review", "review_sample", "tag_themes", "tagger_report", "validate_units",
    "write_review",
]
