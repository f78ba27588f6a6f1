"""Rewrite data/coded/tagger_validation.csv: the dictionary tagger of every frozen codebook, the
supervised model and code_plan's per-theme choice (both leave-one-plan-out) and the every-theme
baseline against the gold coding of every plan with an official text in ../shared/corpus; and
data/coded/tagger_validation_units.csv, the units behind its out-of-plan rows (ids and codes).
Prints the macro and micro rows. Run `make model` too when the gold codes change."""

import pandas as pd

from policylab.validation import UNITS_PATH, VALIDATION_PATH, validation_tables

if __name__ == "__main__":
    table, units = validation_tables()
    table.to_csv(VALIDATION_PATH, index=False, lineterminator="\n")
    units.to_csv(UNITS_PATH, index=False, lineterminator="\n")
    summary = table[table.theme.isin(["macro", "micro"])].drop(columns=["codebook_sha256", "kappa"])
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(summary.to_string(index=False))
