"""Rewrite data/coded/tagger_validation.csv: the dictionary tagger of every frozen codebook, the
supervised model and code_plan's per-theme choice (both leave-one-plan-out) and the every-theme
baseline against the gold coding of every plan with an official text in ../shared/corpus.
Prints the macro and micro rows. Run `make model` too when the gold codes change."""

import pandas as pd

from policylab.validation import VALIDATION_PATH, validation_table

if __name__ == "__main__":
    table = validation_table()
    table.to_csv(VALIDATION_PATH, index=False, lineterminator="\n")
    summary = table[table.theme.isin(["macro", "micro"])].drop(columns=["codebook_sha256", "kappa"])
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(summary.to_string(index=False))
