"""Rebuild data/coded/{gold,agreement,<plan_id>}.csv from the coding passes, the
adjudication and the editors' files (needs ../shared/corpus for the plans' structure)."""

from policylab.coded import CODED_DIR, CODED_PLANS, build

if __name__ == "__main__":
    build()
    print(f"rebuilt gold.csv, agreement.csv and {', '.join(CODED_PLANS)} in {CODED_DIR}")
