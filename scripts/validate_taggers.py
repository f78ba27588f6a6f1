"""Rewrite data/coded/tagger_validation.csv: both taggers against the gold coding of the
US plan, read from ../shared/corpus. Prints the macro averages."""

from policylab.validation import VALIDATION_PATH, us_validation

if __name__ == "__main__":
    table = us_validation()
    table.to_csv(VALIDATION_PATH, index=False, lineterminator="\n")
    print(table[table.theme == "macro"].to_string(index=False))
