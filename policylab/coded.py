"""The coded edition: every unit of each plan, summarised in our words and hand-coded.

Files in ``data/coded/`` (all written by us; none holds document text):

- ``<plan_id>.csv``: the edition. Structure (ids, levels, official headings, pages), a
  one-sentence summary in our words, actors, instruments, theme codes, orientation and
  ``basis`` (``primary`` when coded from the official text, ``secondary`` when from
  secondary sources, as for cn-gaigap-2025 until its official text is fetched,
  ``translation`` when from a translation that is not an official edition) and
  ``confidence`` (``high`` for units coded from the official text; for secondary units
  the mark in ``confidence.csv``; ``unknown`` where no source describes the content, and
  then ``themes`` and ``orientation`` are empty and load as NA, not as "no theme").
- ``confidence.csv``: the confidence of each secondary unit, from the marks in the corpus
  FACTS sheet (the mark most of the unit's bullets carry, a tie going to the lower mark).
- ``round1/coder_a.csv``, ``round1/coder_b.csv``: two independent coding passes of themes
  and orientation; ``round1/instruments_actors_b.csv``: a second, independent pass of the
  instruments and actors (the first is the editors' files in ``edition/``).
- ``round2/coder_a.csv``, ``round2/coder_b.csv``: two fresh, independent passes of the themes
  whose round-1 agreement fell short, recoded under a later codebook (unit_id and one column
  per recoded theme); ``adjudication_round2.csv`` resolves their disagreements, and the gold
  codes take the recode's values for those themes and units.
- ``adjudication.csv``: every disagreement on themes and orientation, its resolution, the
  rule and the reason; for plans whose instruments and actors were adjudicated too (the UK
  plan), their disagreements as well (fields ``instruments`` and ``actors``).
- ``gold.csv``: the adjudicated codes; ``agreement.csv``: reliability per theme.
- ``edition/*.csv``: summaries, actors and instruments as the editors wrote them (the first
  pass of instruments and actors; the edition applies any resolution in adjudication.csv).

``scripts/build_coded_edition.py`` rebuilds the derived files from these inputs and the
reference copies of the documents (developers only; it needs ``../shared/corpus``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .datafiles import DATA_DIR, REFERENCE_FILES
from .errors import PolicyLabError
from .reliability import agreement_table, masi_distance
from .themes import ORIENTATIONS, THEME_IDS, load_codebook
from .units import COLUMNS, STRING, validate_units

CODED_DIR = DATA_DIR / "coded"
CODED_PLANS = ("us-aap-2025", "cn-gaigi-2023", "cn-gaigap-2025", "gb-aiop-2025", "cn-aiplus-2025", "sg-nais-2023")
SECONDARY = {"cn-gaigap-2025"}
#: The basis of each coded plan that is not coded from its official text (the others are "primary").
BASIS = {"cn-gaigap-2025": "secondary", "cn-aiplus-2025": "translation"}
EDITION_COLUMNS = ["unit_id", "parent_id", "order", "level", "label", "heading", "page", "summary",
                   "actors", "instruments", "themes", "orientation", "basis", "confidence"]
CODE_COLUMNS = ["unit_id", *THEME_IDS, "orientation"]


class CodedEditionError(PolicyLabError):
    """A coded-edition file is missing or inconsistent."""


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise CodedEditionError(f"Coded edition file {path} is missing; restore data/coded/ from the repository.")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_codes(path: Path) -> pd.DataFrame:
    """A coding pass or the gold set: unit_id, one 0/1 column per theme, orientation."""
    frame = _read_csv(path)
    missing = [c for c in CODE_COLUMNS if c not in frame.columns]
    if missing:
        raise CodedEditionError(f"{path}: missing column(s) {', '.join(missing)}.")
    bad = ~frame["orientation"].isin(ORIENTATIONS)
    if bad.any():
        raise CodedEditionError(f"{path}: orientation must be one of {ORIENTATIONS}; see {frame.unit_id[bad].iloc[0]}.")
    return frame[CODE_COLUMNS].astype({t: "int64" for t in THEME_IDS})


def plan_of(unit_ids: pd.Series) -> pd.Series:
    return unit_ids.str.split("/").str[0]


def load_plan_coded(plan_id: str) -> pd.DataFrame:
    """The coded edition of a plan in the unit-table schema (summary in ``text``).

    Extra columns: ``actors``, ``instruments``, ``themes`` (';'-separated ids),
    ``orientation``, ``basis`` and ``confidence``. Where the content is unknown
    (confidence ``unknown``) themes and orientation are NA.
    """
    if plan_id not in CODED_PLANS:
        raise CodedEditionError(f"No coded edition for {plan_id!r}; coded plans: {', '.join(CODED_PLANS)}.")
    path = CODED_DIR / f"{plan_id}.csv"
    edition = _read_csv(path)
    part, section = _headings_in_force(edition)
    frame = pd.DataFrame({
        "plan_id": plan_id,
        "unit_id": edition["unit_id"],
        "parent_id": edition["parent_id"].replace("", None),
        "order": edition["order"].astype(int),
        "level": edition["level"],
        "label": edition["label"].replace("", None),
        "part": part,
        "section": section,
        "text": edition["summary"],
        "page": pd.to_numeric(edition["page"].replace("", None)),
        "language": "en",
    }).astype(COLUMNS)
    for column in ("actors", "instruments", "themes", "orientation", "basis", "confidence"):
        frame[column] = edition[column].astype(STRING)
    unknown = frame["confidence"] == "unknown"
    frame.loc[unknown, ["themes", "orientation"]] = pd.NA
    frame.attrs.update({"plan_id": plan_id, "source": "coded", "source_path": str(path),
                        "basis": sorted(set(edition["basis"]))})
    return validate_units(frame)


def _headings_in_force(edition: pd.DataFrame) -> tuple[list, list]:
    """Part and section of every unit, from the headings of its ancestors (or its own).

    The edition stores each official heading once, on its own unit (a preamble or paragraph
    outside the parts carries the division it belongs to, such as "Introduction" or
    "Conclusion", as its part); a point's heading is its section.
    """
    unit_ids = edition["unit_id"].tolist()
    level = dict(zip(unit_ids, edition["level"].tolist()))
    heading = dict(zip(unit_ids, edition["heading"].tolist()))
    parent = dict(zip(unit_ids, edition["parent_id"].tolist()))
    parts, sections = [], []
    for unit_id in unit_ids:
        part = section = None
        current = unit_id
        while current:
            if level[current] in ("part", "preamble", "paragraph") and part is None and heading[current]:
                part = heading[current]
            if level[current] in ("section", "point") and section is None and heading[current]:
                section = heading[current]
            current = parent[current]
        parts.append(part)
        sections.append(section)
    return parts, sections


def load_codes(plan_ids=None) -> pd.DataFrame:
    """Gold theme codes in long form: plan_id, unit_id, theme, value (0/1; NA where the unit's
    content is unknown), ready to join."""
    gold = read_codes(CODED_DIR / "gold.csv")
    gold.insert(0, "plan_id", plan_of(gold["unit_id"]))
    if plan_ids is not None:
        wanted = [plan_ids] if isinstance(plan_ids, str) else list(plan_ids)
        unknown = sorted(set(wanted) - set(CODED_PLANS))
        if unknown:
            raise CodedEditionError(f"No coded edition for {', '.join(unknown)}; coded plans: {', '.join(CODED_PLANS)}.")
        gold = gold[gold["plan_id"].isin(wanted)]
    long = gold.melt(id_vars=["plan_id", "unit_id"], value_vars=list(THEME_IDS), var_name="theme", value_name="value")
    long["order"] = long.groupby("theme", sort=False).cumcount()
    long = long.sort_values("order", kind="stable").drop(columns="order").reset_index(drop=True)
    long = long.astype({"plan_id": STRING, "unit_id": STRING, "theme": STRING, "value": "Int8"})
    confidence = _read_csv(CODED_DIR / "confidence.csv")
    long.loc[long["unit_id"].isin(confidence.loc[confidence["confidence"] == "unknown", "unit_id"]), "value"] = pd.NA
    return long


# --- building the derived files (developers, with the reference copies) ---------------


def adjudicate(first: pd.DataFrame, second: pd.DataFrame, decisions: pd.DataFrame,
               columns=(*THEME_IDS, "orientation"), source: str = "adjudication.csv") -> pd.DataFrame:
    """Gold codes: where the coders agree their value, elsewhere the resolution recorded in
    ``decisions`` (read from ``source``), for each of ``columns``."""
    if not (first["unit_id"].tolist() == second["unit_id"].tolist()):
        raise CodedEditionError(f"The two coding passes resolved in {source} list different units or orders.")
    gold = first.copy()
    resolved = {(u, f): v for u, f, v in zip(decisions["unit_id"], decisions["field"], decisions["resolved"])}
    for column in columns:
        for i in (first[column] != second[column]).to_numpy().nonzero()[0]:
            key = (first["unit_id"].iloc[i], column)
            if key not in resolved:
                raise CodedEditionError(f"Disagreement on {key[1]} of {key[0]} has no resolution in {source}.")
            value = resolved[key]
            gold.iloc[i, gold.columns.get_loc(column)] = value if column == "orientation" else int(value)
    return gold


MAX_POINT_HEADING = 7  # words: a longer heading of a point is left out of the edition (see build_edition)
RECODE = "round2"  # fresh passes of themes whose round-1 agreement fell short, under a later codebook
RECODE_DECISIONS = "adjudication_round2.csv"


def read_recode(path: Path) -> pd.DataFrame:
    """A recoding pass: unit_id and a 0/1 column for each theme recoded (a subset of the codebook's)."""
    frame = _read_csv(path)
    fields = [c for c in frame.columns if c != "unit_id"]
    unknown = sorted(set(fields) - set(THEME_IDS))
    if "unit_id" not in frame.columns or not fields or unknown:
        raise CodedEditionError(f"{path}: expected unit_id and theme columns; unknown: {', '.join(unknown) or 'none'}.")
    bad = ~frame[fields].isin(["0", "1"])
    if bad.any(axis=None):
        row, column = bad.stack()[lambda cells: cells].index[0]
        raise CodedEditionError(f"{path}: {column} of {frame.unit_id[row]} must be 0 or 1.")
    return frame.astype(dict.fromkeys(fields, "int64"))


def _recode_passes(out: Path) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The two recoding passes in ``out/round2``, or None where no theme was recoded."""
    folder = out / RECODE
    if not folder.is_dir():
        return None
    first, second = read_recode(folder / "coder_a.csv"), read_recode(folder / "coder_b.csv")
    if list(first.columns) != list(second.columns):
        raise CodedEditionError(f"{folder}: the two recoding passes code different themes.")
    return first, second


def apply_recode(gold: pd.DataFrame, first: pd.DataFrame, second: pd.DataFrame,
                 decisions: pd.DataFrame) -> pd.DataFrame:
    """``gold`` with the recoded themes of the recoded units replaced by the recode's adjudicated values."""
    fields = [c for c in first.columns if c != "unit_id"]
    recoded = adjudicate(first, second, decisions, fields, RECODE_DECISIONS).set_index("unit_id")
    unknown = sorted(set(recoded.index) - set(gold["unit_id"]))
    if unknown:
        raise CodedEditionError(f"{RECODE}: recoded units not in the gold codes, e.g. {unknown[0]}.")
    gold = gold.set_index("unit_id")
    gold.loc[recoded.index, fields] = recoded[fields]
    return gold.reset_index()


AGREEMENT_COLUMNS = ["plan_id", "kind", "field", "round", "n_units", "percent_agreement",
                     "alpha", "alpha_low", "alpha_high", "ac1"]
SECOND_PASS = "instruments_actors_b.csv"  # second, independent pass of instruments and actors


def _per_plan(first: pd.DataFrame, second: pd.DataFrame, kind: str, fields, **options) -> pd.DataFrame:
    """agreement_table for each plan and for all plans together, tagged with ``kind``."""
    tables = []
    plans = plan_of(first["unit_id"])
    for plan_id in [*CODED_PLANS, "all"]:
        mask = plans == plan_id if plan_id != "all" else plans.notna()
        if mask.any():
            table = agreement_table(first[mask], second, fields, stream=plan_id, **options)
            tables.append(table.assign(plan_id=plan_id, kind=kind))
    return pd.concat(tables, ignore_index=True)[AGREEMENT_COLUMNS]


def agreement(first: pd.DataFrame, second: pd.DataFrame, round_label: str,
              instruments_actors: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Agreement per theme and orientation (and, given the two passes of instruments and
    actors, per instrument and for the actor lists), per plan and for all plans together.

    Columns: plan_id, kind (theme, orientation, instrument, actors), field, round, n_units,
    percent_agreement, alpha with its 95% bootstrap interval (units resampled), and Gwet's
    AC1. Actors are sets of free-text names: their alpha uses the MASI distance, so a
    list that shares some names with the other coder's counts as partial agreement.
    """
    categories = {**{t: [0, 1] for t in THEME_IDS}, "orientation": list(ORIENTATIONS)}
    tables = [_per_plan(first, second, "theme", THEME_IDS, round_label=round_label, categories=categories),
              _per_plan(first, second, "orientation", ["orientation"], round_label=round_label, categories=categories)]
    if instruments_actors is not None:
        instruments = list(load_codebook().instruments)
        pass_a, pass_b = (_set_codes(frame, instruments) for frame in instruments_actors)
        tables.append(_per_plan(pass_a, pass_b, "instrument", instruments, round_label=round_label,
                                categories={i: [0, 1] for i in instruments}))
        tables.append(_per_plan(pass_a, pass_b, "instrument", [POOLED_INSTRUMENTS], round_label=round_label,
                                distance=instrument_distance))
        tables.append(_per_plan(pass_a, pass_b, "actors", ["actors"], round_label=round_label, distance=masi_distance))
    return pd.concat(tables, ignore_index=True)


#: The agreement row of all instruments together: each unit's set of instruments, compared by
#: how many instruments one coder gave it and the other did not (units resampled, as elsewhere).
POOLED_INSTRUMENTS = "all instruments"


def instrument_distance(a: frozenset, b: frozenset) -> float:
    """The number of instruments coded by one coder only (symmetric difference of the two sets)."""
    return float(len(a ^ b))


def _editorial(out: Path) -> pd.DataFrame:
    return pd.concat([_read_csv(p) for p in sorted((out / "edition").glob("*.csv"))], ignore_index=True)


def current_agreement(out: Path = CODED_DIR) -> pd.DataFrame:
    """The agreement table as the coding passes in ``out`` give it (what agreement.csv must hold)."""
    first = read_codes(out / "round1" / "coder_a.csv")
    second = read_codes(out / "round1" / "coder_b.csv")
    table = agreement(first, second, "1", _instrument_actor_passes(out, _editorial(out)))
    recode = _recode_passes(out)
    if recode is None:
        return table
    fields = [c for c in recode[0].columns if c != "unit_id"]
    again = _per_plan(*recode, "theme", fields, round_label="2", categories={f: [0, 1] for f in fields})
    return pd.concat([table, again], ignore_index=True)


def _instrument_actor_passes(out: Path, editorial: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The editors' instruments and actors and the second pass, on the units of the second pass."""
    path = out / "round1" / SECOND_PASS
    if not path.is_file():
        return None
    second = _read_csv(path)
    unknown = sorted(set(second["unit_id"]) - set(editorial["unit_id"]))
    if unknown:
        raise CodedEditionError(f"{path}: unit ids not in the edition, e.g. {unknown[0]}.")
    first = editorial.set_index("unit_id").loc[second["unit_id"]].reset_index()
    return first, second


def _set_codes(frame: pd.DataFrame, instruments: list[str]) -> pd.DataFrame:
    """unit_id, one 0/1 column per codebook instrument (``instruments``), and the actors as a set of names."""
    missing = {"unit_id", "actors", "instruments"} - set(frame.columns)
    if missing:
        raise CodedEditionError(f"An instruments/actors pass lacks column(s) {', '.join(sorted(missing))}.")
    known = set(instruments)
    listed = frame["instruments"].fillna("").str.split(";").apply(lambda xs: {x.strip() for x in xs if x.strip()})
    unknown = sorted(set().union(*listed) - known)
    if unknown:
        raise CodedEditionError(f"Instruments not in the codebook: {', '.join(unknown)}.")
    codes = pd.DataFrame({"unit_id": frame["unit_id"].to_numpy()})
    for instrument in instruments:
        codes[instrument] = [int(instrument in xs) for xs in listed]
    codes[POOLED_INSTRUMENTS] = [frozenset(xs) for xs in listed]
    codes["actors"] = [frozenset(a.strip().lower() for a in xs.split(";") if a.strip())
                       for xs in frame["actors"].fillna("")]
    return codes


def _structure(plan_id: str) -> pd.DataFrame:
    """Ids, levels, official headings and pages of a plan, from its reference copy."""
    from .parse import read_document

    if plan_id in REFERENCE_FILES:
        units = read_document(REFERENCE_FILES[plan_id], plan_id=plan_id)
        subsection = units["text"].where(units["level"] == "subsection")  # its text is its heading
        return units[["unit_id", "parent_id", "order", "level", "label", "part", "section", "page"]].assign(
            subsection=subsection)
    return _secondary_structure(plan_id)


def _secondary_structure(plan_id: str) -> pd.DataFrame:
    """The unit ids the MFA page reader will give cn-gaigap-2025: title, 2 preambles, 13 points.

    Official Chinese headings are known for points 1 to 3 only (see the corpus FACTS sheet).
    """
    headings = {1: "共同把握人工智能机遇", 2: "促进人工智能创新发展", 3: "推动人工智能赋能千行百业"}
    title = f"{plan_id}/title"
    rows = [(title, None, "title", None), (f"{plan_id}/pre01", title, "preamble", None),
            (f"{plan_id}/pre02", title, "preamble", None)]
    rows += [(f"{plan_id}/pt{n:02d}", title, "point", headings.get(n)) for n in range(1, 14)]
    frame = pd.DataFrame(rows, columns=["unit_id", "parent_id", "level", "section"])
    frame.insert(2, "order", range(len(frame)))
    frame.insert(4, "label", None)
    frame.insert(5, "part", None)
    frame["page"] = None
    frame["subsection"] = None
    return frame


def build(out: Path = CODED_DIR) -> None:
    """Rebuild gold.csv, agreement.csv and the per-plan editions from the inputs."""
    first = read_codes(out / "round1" / "coder_a.csv")
    second = read_codes(out / "round1" / "coder_b.csv")
    decisions = _read_csv(out / "adjudication.csv")
    gold = adjudicate(first, second, decisions)
    recode = _recode_passes(out)
    if recode is not None:
        gold = apply_recode(gold, *recode, _read_csv(out / RECODE_DECISIONS))
    gold.to_csv(out / "gold.csv", index=False, lineterminator="\n")
    current_agreement(out).to_csv(out / "agreement.csv", index=False, lineterminator="\n")
    editorial = _editorial(out)
    confidence = _read_csv(out / "confidence.csv").set_index("unit_id")["confidence"]
    editorial = resolve_instruments_actors(editorial, decisions)
    for plan_id in CODED_PLANS:
        edition = build_edition(plan_id, gold, editorial, confidence)
        edition.to_csv(out / f"{plan_id}.csv", index=False, lineterminator="\n")


def resolve_instruments_actors(editorial: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """The editors' instruments and actors with the adjudicated ones where a resolution is recorded."""
    resolved = editorial.set_index("unit_id")
    rows = decisions[decisions["field"].isin(["instruments", "actors"])]
    unknown = sorted(set(rows["unit_id"]) - set(resolved.index))
    if unknown:
        raise CodedEditionError(f"adjudication.csv resolves instruments or actors of units not in the edition, e.g. {unknown[0]}.")
    for unit_id, field, value in zip(rows["unit_id"], rows["field"], rows["resolved"]):
        resolved.loc[unit_id, field] = value
    return resolved.reset_index()


def build_edition(plan_id: str, gold: pd.DataFrame, editorial: pd.DataFrame, confidence: pd.Series) -> pd.DataFrame:
    """One plan's edition: structure + editors' summary/actors/instruments + gold codes,
    with ``confidence`` (unit_id -> mark; units of primary-basis plans default to high)."""
    structure = _structure(plan_id).astype({"order": "Int64", "page": "Int64"})
    codes = gold[plan_of(gold["unit_id"]) == plan_id].set_index("unit_id")
    text = editorial[plan_of(editorial["unit_id"]) == plan_id].set_index("unit_id")
    ids = structure["unit_id"].tolist()
    for name, table in (("gold codes", codes), ("summaries", text)):
        missing, extra = sorted(set(ids) - set(table.index)), sorted(set(table.index) - set(ids))
        if missing or extra:
            raise CodedEditionError(f"{plan_id}: {name} do not match the units: missing {missing[:3]}, extra {extra[:3]}.")
    edition = structure.copy()
    own_heading = structure["level"].isin(["part", "section"])
    edition["heading"] = structure["part"].where(structure["level"] == "part", structure["section"])
    edition["heading"] = edition["heading"].where(own_heading | (structure["level"] == "point"), None)
    # A point's heading is often the first sentence of its paragraph (run in, not printed apart):
    # a long one is the document's wording, which the edition leaves to the official text.
    run_in = (structure["level"] == "point") & (edition["heading"].fillna("").str.split().str.len() > MAX_POINT_HEADING)
    edition.loc[run_in, "heading"] = None
    # a unit outside the parts carries its division's heading (Introduction, Foreword, Conclusion)
    division = structure["level"].isin(["preamble", "paragraph"]) & (structure["parent_id"] == f"{plan_id}/title")
    edition.loc[division, "heading"] = structure.loc[division, "part"]
    subsection = structure["level"] == "subsection"
    edition.loc[subsection, "heading"] = structure.loc[subsection, "subsection"]
    edition["summary"] = text.loc[ids, "summary"].to_numpy()
    edition["actors"] = text.loc[ids, "actors"].to_numpy()
    edition["instruments"] = text.loc[ids, "instruments"].to_numpy()
    themes = codes.loc[ids, list(THEME_IDS)]
    edition["themes"] = [";".join(t for t in THEME_IDS if row[t] == 1) for _, row in themes.iterrows()]
    edition["orientation"] = codes.loc[ids, "orientation"].to_numpy()
    edition["basis"] = BASIS.get(plan_id, "primary")
    unmarked = sorted(set(ids) - set(confidence.index)) if plan_id in SECONDARY else []
    if unmarked:
        raise CodedEditionError(f"{plan_id}: confidence.csv has no mark for {unmarked[:3]} (secondary basis).")
    edition["confidence"] = edition["unit_id"].map(confidence).fillna("high")
    unknown = edition["confidence"] == "unknown"
    edition.loc[unknown, ["themes", "orientation"]] = ""
    return edition[EDITION_COLUMNS]

