"""How the dictionary tagger's document flags compare with AGORA's annotators' tags.

Reads the documents of an AGORA sample (default ``../shared/corpus/texts-dev``: ``ID.txt``
files and ``documents.csv``), tags every unit with a codebook's lexicons, and prints, per
theme that ``data/codebooks/agora-mapping.yaml`` maps to AGORA tags:

- ``agora``: share of documents AGORA-tagged (any mapped tag True);
- ``flagged``: share of documents with at least one unit tagged with the theme;
- ``auc_score``: ROC AUC of the document's theme score (lexicon matches in all its units)
  against the AGORA tag; ``auc_length``: the same for the document's length in words, the
  baseline a score has to beat (long documents mention everything).

    python scripts/agora_check.py [--codebook data/codebooks/v1.1.yaml] [--dir DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.metrics import roc_auc_score

from policylab.coding import tag_themes
from policylab.parse import read_document
from policylab.tagging import en_tokens
from policylab.themes import FROZEN_DIR, load_codebook

ROOT = Path(__file__).resolve().parents[1]
MAPPING = FROZEN_DIR / "agora-mapping.yaml"


def document_scores(directory: Path, codebook) -> pd.DataFrame:
    """One row per document (index: AGORA ID): words, and each theme's score and flag."""
    rows = {}
    for path in sorted(directory.glob("*.txt"), key=lambda p: int(p.stem)):
        units = read_document(path, plan_id=f"agora-{path.stem}")
        tags = tag_themes(units, codebook)
        per_theme = tags.groupby("theme")["score"].agg(["sum", "max"])
        row = {"words": sum(len(en_tokens(text)) for text in units["text"])}
        for theme in codebook.theme_ids:
            row[f"score:{theme}"] = per_theme.loc[theme, "sum"]
        rows[int(path.stem)] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def comparison(scores: pd.DataFrame, annotations: pd.DataFrame, mapping: dict) -> pd.DataFrame:
    """Per mapped theme: AGORA share, flagged share, AUC of the score and of length."""
    annotations = annotations.loc[scores.index]
    rows = []
    for theme, entry in mapping["themes"].items():
        truth = annotations[entry["tags"]].astype(str).eq("True").any(axis=1).to_numpy()
        score = scores[f"score:{theme}"].to_numpy()
        both = 0 < truth.sum() < len(truth)
        rows.append({"theme": theme, "fit": entry["fit"], "n_docs": len(truth),
                     "agora": truth.mean(), "flagged": (score > 0).mean(),
                     "auc_score": roc_auc_score(truth, score) if both else np.nan,
                     "auc_length": roc_auc_score(truth, scores["words"]) if both else np.nan})
    return pd.DataFrame(rows).round(3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", type=Path, default=None, help="codebook file (default: data/codebook.yaml)")
    parser.add_argument("--dir", type=Path, default=ROOT.parent / "shared" / "corpus" / "texts-dev")
    args = parser.parse_args()
    codebook = load_codebook(args.codebook)
    mapping = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    annotations = pd.read_csv(args.dir / "documents.csv", dtype=str).set_index("AGORA ID")
    annotations.index = annotations.index.astype(int)
    table = comparison(document_scores(args.dir, codebook), annotations, mapping)
    print(f"codebook {codebook.version} ({codebook.path}); {args.dir}")
    print(table.to_string(index=False))
    mean = table[["agora", "flagged", "auc_score", "auc_length"]].mean()
    print(f"mean: agora {mean.agora:.3f}  flagged {mean.flagged:.3f}  auc_score {mean.auc_score:.3f}  "
          f"auc_length {mean.auc_length:.3f}  themes with auc_score > auc_length: "
          f"{int((table.auc_score > table.auc_length).sum())}/{len(table)}")


if __name__ == "__main__":
    main()
