"""Fit the supervised tagger on every gold plan and write policylab/models/tagger.npz (`make model`).

Needs the reference texts in ../shared/corpus. Prints the plans it was fitted on and, per
theme, the out-of-plan F1 of the model and of the dictionary on them, and which one
code_plan uses.
"""

import json
import sys

from policylab.errors import PolicyLabError
from policylab.model import build_model
from policylab.supervised import MODEL_PATH

if __name__ == "__main__":
    try:
        tagger, *_ = build_model()
    except PolicyLabError as exc:
        sys.exit(f"make model: {exc}")
    tagger.save(MODEL_PATH)
    meta = tagger.meta
    print(f"{MODEL_PATH}: fitted on {json.dumps(meta['units'])}, {len(tagger.vocabulary):,} terms")
    for theme, choice, model, dictionary in zip(tagger.themes, tagger.choice, meta["oof_f1_model"], meta["f1_dictionary"]):
        print(f"  {theme:28} model {model}  dictionary {dictionary}  -> {choice}")
