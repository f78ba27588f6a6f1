"""Statistics that compare plans: theme shares and attention, safety-development balance,
contrasts between two plans, instruments, actors, and word counts with keyness on full texts.

What an interval means here. A coded plan is not a sample: every provision of the
document is coded, so a plan's share is a fact about the text, not an estimate of it. The
95% intervals answer a different question: how much would the figure move if the plan had
been drafted with a different mix of sections of the same kind? They are a yardstick for
telling a gap between plans (or parts) from the variation within a plan, not an error
margin on the count. Every table names how its interval was made (``ci_method``):

- a percentile **cluster bootstrap**: whole sections (units sharing a parent part or
  section) are resampled where a plan has them; single units where its only divisions are
  numbered points; and blocks of consecutive units where it was read flat (no parts,
  sections or numbered points: see :mod:`policylab.resampling`);
- a **Wilson score interval** on the units where a theme is rare or near-universal (fewer
  than 5 units with, or without, it) or the plan has fewer than 5 clusters: the bootstrap
  cannot see beyond the units observed, so it would give a zero-width interval for a theme
  that no unit carries. It treats units as independent (so it can be somewhat narrow for a
  plan whose themes cluster in sections), and for the attention and word-weighted measures
  it is applied to the fractional count share × n, an approximation (Wilson is exact only
  for whole counts).
- for shares corrected with the tagger's out-of-plan rates (Rogan-Gladen), the same cases
  draw the plan's tagger share from its Jeffreys posterior instead of resampling it, and a
  conservative bound replaces an interval that still has no width (:mod:`policylab.rates`).

Each group's random stream is derived from ``seed`` and the group's labels (the plan id),
so a plan's interval is the same whether it is computed alone or with other plans.

Units whose content is unknown (``themes`` is NA, as for point 13 of cn-gaigap-2025) are
left out of every denominator and counted in ``n_missing``.

``theme_shares``, ``contrast`` and ``balance`` warn (:class:`policylab.readquality.ReadingWarning`),
naming the plan, when a plan they are given was read flat or still holds site chrome.

The work is done in the rooms of :mod:`policylab.comparing`: ``provisions`` (the coded units
compared, their groups), ``shares`` (theme shares and attention), ``contrast`` (two plans and
the permutation test), ``balance``, ``instruments`` (and actors), ``words`` (word counts and
keyness on full texts) and ``significance`` (G², chi-square tail, Benjamini-Hochberg).
"""

from __future__ import annotations

from .comparing.balance import balance
from .comparing.contrast import N_PERM, contrast, share_difference
from .comparing.instruments import instrument_mix, lead_actors
from .comparing.provisions import (
    CONFIDENCE_RANK,
    MIN_CELL,
    N_BOOT,
    PROVISION_LEVELS,
    SEED,
    UNCORRECTED,
    CompareError,
    cooccurrence,
    provisions,
    provisions_with,
)
from .comparing.shares import MEASURES, theme_attention, theme_shares
from .comparing.significance import benjamini_hochberg, chi2_1_sf, log_likelihood
from .comparing.words import (
    ZH_STOP_WORDS,
    default_stop_words,
    gries_dp,
    keyness,
    term_counts,
    words,
)
from .resampling import Z95
from .themes import THEME_IDS

__all__ = [
    "CONFIDENCE_RANK",
    "MEASURES",
    "MIN_CELL",
    "N_BOOT",
    "N_PERM",
    "PROVISION_LEVELS",
    "SEED",
    "THEME_IDS",
    "UNCORRECTED",
    "Z95",
    "ZH_STOP_WORDS",
    "CompareError",
    "balance",
    "benjamini_hochberg",
    "chi2_1_sf",
    "contrast",
    "cooccurrence",
    "default_stop_words",
    "gries_dp",
    "instrument_mix",
    "keyness",
    "lead_actors",
    "log_likelihood",
    "provisions",
    "provisions_with",
    "share_difference",
    "term_counts",
    "theme_attention",
    "theme_shares",
    "words",
]
