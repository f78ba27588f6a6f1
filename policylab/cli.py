"""The ``policylab`` command: fetch, add, plans, summary, kwic, figures, export, review."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
import warnings
from pathlib import Path

import pandas as pd

from .errors import PolicyLabError
from .fetch import FetchNotice

EPILOG = """\
exit codes:
  0    success
  1    a policylab error: failed download, hash mismatch, missing or unreadable file,
       unknown plan (the message on stderr says what to do next)
  2    usage error (bad command line)
  3    unexpected internal error (a bug: please report it; set POLICYLAB_DEBUG=1 for details)
  130  interrupted (Ctrl-C)

environment:
  POLICYLAB_DATA    data home (default: the platform cache folder)
  POLICYLAB_MIRROR  replaces the official hosts: an http(s) URL, a file:// URL or a local
                    folder, flat or one folder per plan (a local folder is searched at any
                    depth for the file's name; the recorded hash picks among namesakes)
  POLICYLAB_MAX_BYTES  largest download accepted, in bytes (default 200000000)
  POLICYLAB_DEADLINE   seconds one file's download may take, retries included (default 600)
"""

DOCUMENT_SUFFIXES = (".pdf", ".html", ".htm", ".shtml")


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "(none)"
    frame = frame.astype(object).where(frame.notna(), "-")
    return frame.to_string(index=False)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policylab", description="Comparative analysis of national AI policy documents.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, description=help, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    def data_home(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data-home", metavar="DIR", help="data home (default: $POLICYLAB_DATA, "
                         "else the platform cache folder)")

    fetch = command("fetch", "download the official files of plans into the data home, verified by sha256")
    fetch.add_argument("plan_ids", nargs="*", metavar="PLAN_ID", help="plans to fetch (default: all)")
    fetch.add_argument("--list", action="store_true", help="list what is in the data home, with "
                       "hashes, source URLs and fetch dates, and download nothing")
    fetch.add_argument("--force", action="store_true", help="download again even if the file is present "
                       "(it must still have the recorded hash)")
    fetch.add_argument("--update", action="store_true", help="download again and accept a file whose "
                       "hash changed, recording the new hash")
    fetch.add_argument("--reset", action="store_true", help="first forget the file and the lock-file "
                       "record of each plan named (e.g. a hash wrongly trusted on first use), then fetch it")
    fetch.add_argument("--language", metavar="LANG", help="language edition (default: the original)")
    fetch.add_argument("--mirror", metavar="URL", help="http(s) URL, file:// URL or local folder "
                       "replacing the official hosts, flat or one folder per plan (default: $POLICYLAB_MIRROR)")
    data_home(fetch)

    add = command("add", "put a file you downloaded by hand into the data home as a plan's file, or "
                  "register a plan of your own (with --title and --country)")
    add.add_argument("path", metavar="PATH", help="the downloaded file")
    add.add_argument("--plan", required=True, metavar="PLAN_ID", help="the plan it is (a new plan: a "
                     "lowercase slug such as my-plan)")
    add.add_argument("--language", metavar="LANG", help="language edition (default: the original; a new "
                     "plan: en)")
    add.add_argument("--update", action="store_true", help="accept a file whose hash differs from the "
                     "recorded one, and record the new hash")
    own = add.add_argument_group("a plan of your own (registered in the data home's user registry)")
    own.add_argument("--title", help="its title (required for a new plan)")
    own.add_argument("--country", metavar="ISO3", help="ISO 3166 alpha-3 code, e.g. GBR (required for a new plan)")
    own.add_argument("--date", metavar="YYYY-MM-DD", help="date published")
    own.add_argument("--url", help="the official page it comes from (recorded as provenance)")
    own.add_argument("--producer", help="the issuing body")
    data_home(add)

    plans = command("plans", "list the plans policylab knows: shipped, and those you added (origin)")
    data_home(plans)

    summary = command("summary", "units per level and pages, for each plan in the data home, for the "
                      "files given, or for the documents in a folder; --shipped: the report's table")
    summary.add_argument("files", nargs="*", metavar="FILE", help="documents to read instead of the data home")
    summary.add_argument("--corpus", metavar="DIR", help="read every PDF/HTML file in DIR and in its "
                         "immediate subfolders (one folder per plan)")
    summary.add_argument("--shipped", action="store_true", help="the report's table: every coded edition, "
                         "then every edition of the shipped plans, from its official file when it is in the "
                         "data home (plans you added are left out)")
    summary.add_argument("--out", metavar="DIR", help="with --shipped: also write DIR/summary.csv and "
                         "DIR/summary.html")
    data_home(summary)

    figures = command("figures", "draw the report's charts (PNG and SVG) from the coded edition, and "
                      "from full texts when they are in the data home")
    figures.add_argument("--out", metavar="DIR", default="reports/figures", help="output folder "
                         "(default: reports/figures)")
    data_home(figures)

    kwic = command("kwic", "every match of a word or phrase in a plan's official text, with its context, "
                   "unit, section and page (the plan must be in the data home)")
    kwic.add_argument("plan_id", metavar="PLAN_ID", help="the plan to search")
    kwic.add_argument("pattern", metavar="PATTERN", help="a word or phrase (matches across spaces, line "
                      "breaks and hyphens, ignoring case), or a regular expression with --regex")
    kwic.add_argument("--window", type=int, default=8, metavar="N", help="words of context on each side "
                      "(characters for Chinese; default 8)")
    kwic.add_argument("--regex", action="store_true", help="take PATTERN as a regular expression")
    kwic.add_argument("--language", metavar="LANG", help="language edition (default: the original)")
    data_home(kwic)

    export = command("export", "write plans' unit tables as CSV, Parquet or Excel, with their provenance "
                     "(Parquet and Excel need: pip install 'policylab[export]')")
    export.add_argument("plan_ids", nargs="+", metavar="PLAN_ID", help="plans to export")
    export.add_argument("--format", required=True, choices=("csv", "parquet", "xlsx"), help="file format")
    export.add_argument("--out", required=True, metavar="DIR", help="output folder (one file per plan)")
    export.add_argument("--source", choices=("fulltext", "coded"), default="fulltext", help="the official "
                        "text from the data home (default) or the coded edition shipped with policylab")
    export.add_argument("--language", metavar="LANG", help="language edition (default: the original)")
    export.add_argument("--keep-going", action="store_true", help="export the plans that load and can be "
                        "written, and say which could not (default: all or nothing)")
    data_home(export)

    review = command("review", "draw a random sample of a plan's provisions (stratified by section) and "
                     "write the sheet an analyst codes by hand (.xlsx needs pip install 'policylab[export]')")
    review.add_argument("plan_id", metavar="PLAN_ID", help="the plan to review")
    review.add_argument("--n", type=int, default=60, help="units to sample (default: 60)")
    review.add_argument("--seed", type=int, default=0, help="random seed of the sample (default: 0)")
    review.add_argument("--out", required=True, metavar="FILE", help="the sheet to write: .xlsx or .csv")
    review.add_argument("--source", choices=("fulltext", "coded"), default="fulltext", help="the official "
                        "text from the data home (default) or the coded edition's summaries")
    review.add_argument("--language", metavar="LANG", help="language edition (default: the original)")
    data_home(review)
    return parser


def _fetch(args, parser) -> int:
    from .fetch import fetch, list_fetched

    if args.list:
        if args.plan_ids or args.force or args.update or args.reset or args.mirror or args.language:
            parser.error("fetch --list takes no plan ids and no other options except --data-home")
        listing = list_fetched(args.data_home)
        print(_table(listing[["plan_id", "language", "status", "fetched_at", "method", "trust", "sha256", "url"]]))
        return 0
    if args.reset and not args.plan_ids:
        parser.error("fetch --reset needs the ids of the plans to reset")
    paths = fetch(args.plan_ids or None, data_home=args.data_home, force=args.force, update=args.update,
                  reset=args.reset, language=args.language, mirror=args.mirror)
    for plan_id, path in paths.items():
        print(f"{plan_id}\t{path}")
    return 0


def _add(args, parser) -> int:
    own = {"date": args.date, "url": args.url, "producer": args.producer}
    if args.title is not None or args.country is not None:
        if args.title is None or args.country is None or args.update:
            parser.error("a plan of your own needs both --title and --country (and no --update)")
        from .userplans import add_plan

        path = add_plan(args.path, plan_id=args.plan, title=args.title, country=args.country,
                        language=args.language or "en", data_home=args.data_home, **own)
    else:
        if any(value is not None for value in own.values()):
            parser.error("--date, --url and --producer describe a plan of your own: give --title and --country too")
        from .fetch import add

        path = add(args.path, plan_id=args.plan, language=args.language, data_home=args.data_home,
                   update=args.update)
    print(f"{args.plan}\t{path}")
    return 0


#: ``policylab plans``' column in_data_home, by status of list_fetched().
IN_DATA_HOME = {"ok": "yes", "missing": "no"}


def _plans(args, parser) -> int:
    from .fetch import list_fetched
    from .sources import list_plans

    columns = ["plan_id", "language", "origin", "original", "format", "date_published", "title_en"]
    frame = list_plans(data_home=args.data_home)[columns].copy()
    frame["date_published"] = frame["date_published"].dt.strftime("%Y-%m-%d")
    status = list_fetched(args.data_home).set_index(["plan_id", "language"])["status"]
    frame.insert(2, "in_data_home", [IN_DATA_HOME.get(s, s) for s in status.reindex(
        pd.MultiIndex.from_frame(frame[["plan_id", "language"]]), fill_value="missing")])
    print(_table(frame))
    return 0


def _shipped_summary(args) -> int:
    from .report import summary_table, write_summary

    table, errors = summary_table(args.data_home)
    for exc in errors:
        print(f"policylab: error: {exc}", file=sys.stderr)
    if args.out:
        for path in write_summary(table, args.out):
            print(f"summary: {path}", file=sys.stderr)
    print(_table(table))
    return 1 if errors else 0


def _summary(args, parser) -> int:
    from .parse import read_document
    from .report import summarise
    from .sources import plan_ids

    if sum(map(bool, (args.corpus, args.files, args.shipped))) > 1:
        parser.error("summary takes FILE arguments, --corpus DIR or --shipped, only one of them")
    if args.out and not args.shipped:
        parser.error("--out writes the report's table: give --shipped too")
    if args.shipped:
        return _shipped_summary(args)
    rows, failed = [], 0

    def report(exc: PolicyLabError) -> None:
        nonlocal failed
        failed += 1
        print(f"policylab: error: {exc}", file=sys.stderr)

    if args.files or args.corpus:
        if args.corpus:
            folder = Path(args.corpus)
            if not folder.is_dir():
                raise PolicyLabError(f"--corpus {folder}: not a folder; give the folder that holds the documents.")
            files = sorted(p for p in [*folder.iterdir(), *folder.glob("*/*")]
                           if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
            if not files:
                raise PolicyLabError(f"--corpus {folder}: no PDF or HTML files in it or its subfolders.")
        else:
            files = [Path(f) for f in args.files]
        known = set(plan_ids())
        for path in files:
            try:  # a folder named after a plan says which plan its file is (its hash may not)
                plan_id = path.parent.name if path.parent.name in known else None
                rows.append(summarise(read_document(path, plan_id=plan_id), str(path)))
            except PolicyLabError as exc:
                report(exc)
    else:
        from .fetch import get_data_home, list_fetched
        from .loaders import load_plan

        present = list_fetched(args.data_home)
        present = present[present["status"] != "missing"]
        if present.empty:
            from .coded import CODED_PLANS, load_plan_coded

            print(f"policylab: no official files in the data home {get_data_home(args.data_home)} (run "
                  "`policylab fetch`, or give files or --corpus DIR); showing the coded edition shipped "
                  "with policylab.", file=sys.stderr)
            rows = [summarise(load_plan_coded(plan_id), "coded edition") for plan_id in CODED_PLANS]
            print(_table(pd.DataFrame(rows, dtype=object)))
            return 0
        for plan_id, language, path in present[["plan_id", "language", "path"]].itertuples(index=False):
            try:
                frame = load_plan(plan_id, language=language, data_home=args.data_home)
                rows.append(summarise(frame, Path(path).name))
            except PolicyLabError as exc:
                report(exc)
    if rows:
        print(_table(pd.DataFrame(rows, dtype=object)))
    return 1 if failed else 0


def _figures(args, parser) -> int:
    from .figures import NEEDS_FULL_TEXT, make_figures

    written = make_figures(args.out, data_home=args.data_home)
    for name, paths in written.items():
        if paths:
            print(f"{name}: {', '.join(str(p) for p in paths)}")
        else:
            print(f"{name}: skipped ({NEEDS_FULL_TEXT.get(name, 'nothing to draw')})")
    return 0


def _kwic(args, parser) -> int:
    from .kwic import compile_pattern, kwic
    from .loaders import load_plan

    compile_pattern(args.pattern, regex=args.regex)  # a bad pattern fails before the file is read
    if args.window < 0:
        parser.error(f"--window {args.window}: give 0 or more words")
    hits = kwic(load_plan(args.plan_id, language=args.language, data_home=args.data_home), args.pattern,
                window=args.window, regex=args.regex)
    print(_table(hits))
    print(f"{len(hits)} match(es) of {args.pattern!r} in {args.plan_id}", file=sys.stderr)
    return 0


def _export(args, parser) -> int:
    from .export import export_frames
    from .loaders import load_plan

    def name(plan_id: str) -> str:
        return "-".join([plan_id, *([args.language] if args.language else []),
                         *(["coded"] if args.source == "coded" else [])])

    frames, failed = {}, {}
    for plan_id in dict.fromkeys(args.plan_ids):
        try:
            frames[plan_id] = load_plan(plan_id, source=args.source, language=args.language,
                                        data_home=args.data_home)
        except PolicyLabError as exc:
            if not args.keep_going:
                raise PolicyLabError(f"{exc} Nothing was exported; give only plans that load, "
                                     "or pass --keep-going to export the others.") from None
            failed[plan_id] = exc
    written = {}
    if args.keep_going:  # each plan on its own: one that cannot be written does not stop the others
        for plan_id, frame in frames.items():
            try:
                written[plan_id] = export_frames({name(plan_id): frame}, args.out, args.format)[name(plan_id)]
            except PolicyLabError as exc:
                failed[plan_id] = exc
    else:
        paths = export_frames({name(plan_id): frame for plan_id, frame in frames.items()}, args.out, args.format)
        written = {plan_id: paths[name(plan_id)] for plan_id in frames}
    for plan_id, paths in written.items():
        for path in paths:
            print(f"{plan_id}\t{path}")
    for plan_id, exc in failed.items():
        print(f"policylab: error: {plan_id} not exported: {exc}", file=sys.stderr)
    if failed:
        print(f"policylab: exported {len(written)} of {len(written) + len(failed)} plans "
              f"({', '.join(written) or 'none'}); not exported: {', '.join(failed)}.", file=sys.stderr)
    return 1 if failed else 0


def _review(args, parser) -> int:
    from .loaders import load_plan
    from .review import review_sample, write_review

    units = load_plan(args.plan_id, source=args.source, language=args.language, data_home=args.data_home)
    sample = review_sample(units, n=args.n, seed=args.seed)
    path = write_review(sample, args.out)
    print(f"{args.plan_id}\t{path}\t{len(sample)} of {sample.attrs['n_population']} provisions")
    return 0


COMMANDS = {"export": _export, "kwic": _kwic, "review": _review, "fetch": _fetch, "add": _add, "plans": _plans, "summary": _summary, "figures": _figures}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (see EPILOG)."""
    parser = _parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("policylab: %(message)s"))
    logger = logging.getLogger("policylab")
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return COMMANDS[args.command](args, parser)
            finally:
                for warning in caught:
                    kind = "note" if issubclass(warning.category, FetchNotice) else "warning"
                    print(f"policylab: {kind}: {warning.message}", file=sys.stderr)
    except PolicyLabError as exc:
        print(f"policylab: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("policylab: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: say so without a traceback unless asked
        if os.environ.get("POLICYLAB_DEBUG"):
            traceback.print_exc()
        print(f"policylab: internal error: {type(exc).__name__}: {exc}. This is a bug in policylab; "
              "please report it (set POLICYLAB_DEBUG=1 to see the traceback).", file=sys.stderr)
        return 3
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


if __name__ == "__main__":
    sys.exit(main())
