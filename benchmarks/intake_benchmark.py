"""Accuracy and speed of `subsidy intake` on a generated corpus, per engine.

    .venv/bin/python benchmarks/intake_benchmark.py --bundles 20 [--engines rapidocr,tesseract]
    .venv/bin/python benchmarks/intake_benchmark.py --variety wide --bundles 40 [--by-axis]

The wide variety draws every axis of the generator per bundle (fonts, table shapes and rulings,
wordings, loose writing, certificate sheets, stray pages, 150-600 DPI, photographed pages); --by-axis
then breaks names, ID numbers and page kinds down by the axes each bundle drew.

For each engine: per-field exact-match accuracy of every trainee (in the right row and field),
page-kind accuracy, pages per minute end to end on this machine (pages in parallel), peak memory;
and, as the anchor, how many roster ID numbers and names whole-page reading with the raw engine
finds anywhere in its text.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import OUT, files_of, make_corpus, truth_of  # noqa: E402
from intake.bundle import read_bundle  # noqa: E402
from intake.policy.policy import default_policy  # noqa: E402
from intake.records import read_records  # noqa: E402
from intake.result import TRAINEE_FIELDS  # noqa: E402
from intake.workers import PageReaderPool  # noqa: E402
from ocr.engines import create_engine  # noqa: E402
from ocr.engines.base import rotate_clockwise  # noqa: E402
from ocr.sources import load_pages  # noqa: E402

POLICY = default_policy()  # a benchmark is an entry point: it reads the policy once

FLAGS = ("missing_signature", "missing_stamp", "missing_certificate_copy", "certificate_before_policy_start",
         "field_mismatch", "duplicate_in_bundle", "gender_id_mismatch", "invalid_id_number")
CERTIFICATE_FIELDS = ("certificate_kind", "name", "id_number", "certificate_no", "profession", "issue_date")


def align(predicted: list[dict], truth: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each true trainee with the predicted one in the same row (by ID number, else by position)."""
    by_id = {p["id_number"]: p for p in predicted if p.get("id_number")}
    pairs = []
    for i, t in enumerate(truth):
        p = by_id.get(t["id_number"])
        if p is None and i < len(predicted):
            p = predicted[i]
        pairs.append((t, p))
    return pairs


def score(results: list[tuple[dict, dict]]) -> dict:
    fields = {f: [0, 0] for f in TRAINEE_FIELDS}
    kinds, seals, cards = [0, 0], [0, 0], {f: [0, 0] for f in CERTIFICATE_FIELDS}
    unsigned = {"tp": 0, "fp": 0, "fn": 0}
    flags = {f: {"tp": 0, "fp": 0, "fn": 0} for f in FLAGS}
    misses: list[str] = []

    def miss(text: str) -> None:
        if len(misses) < 400:
            misses.append(text)

    for truth, result in results:
        where = Path(truth["files"][0]).name + " seed " + str(truth["seed"])
        for tp in truth["pages"]:
            rp = next((p for p in result["pages"] if p["page"] == tp["page"]), None)
            kinds[1] += 1
            if rp and rp["kind"] == tp["kind"]:
                kinds[0] += 1
            else:
                miss(f"{where} page {tp['page']} kind {rp and rp['kind']} != {tp['kind']}")
        for td in truth["documents"]:
            rd = next((d for d in result["documents"] if td["pages"][0] in d["pages"]), None)
            if td["kind"] in ("roster", "agreement", "report"):
                seals[1] += 1
                if rd is not None and bool(rd["stamp_present"]) == td["stamp_present"]:
                    seals[0] += 1
                else:
                    miss(f"{where} {td['kind']} seal {rd and rd['stamp_present']} != {td['stamp_present']}")
            if td["kind"] == "certificate":
                got = _card_result(result, td)
                for f in CERTIFICATE_FIELDS:
                    cards[f][1] += 1
                    if got.get(f) == td["fields"].get(f):
                        cards[f][0] += 1
                    else:
                        miss(f"{where} certificate p{td['pages'][0]} {f}: {got.get(f)!r} != {td['fields'].get(f)!r}")
        for t, p in align(result["trainees"], truth["trainees"]):
            for f in TRAINEE_FIELDS:
                fields[f][1] += 1
                if p is not None and p.get(f) == t.get(f):
                    fields[f][0] += 1
                else:
                    miss(f"{where} {f}: {p and p.get(f)!r} != {t.get(f)!r}")
            said_unsigned = p is not None and p.get("signed") is False
            _count(unsigned, said_unsigned, not t["signed"])
            if said_unsigned != (not t["signed"]):
                miss(f"{where} {t['name']} signed {p and p.get('signed')} != {t['signed']} ({t['signature_kind']})")
            for f in FLAGS:
                got_flag = p is not None and f in p.get("flags", [])
                _count(flags[f], got_flag, f in t.get("flags", []))
                if got_flag != (f in t.get("flags", [])):
                    miss(f"{where} {t['name']} flag {f}: {got_flag}")
    return {"fields": {f: ok / max(n, 1) for f, (ok, n) in fields.items()},
            "page_kind": kinds[0] / max(kinds[1], 1), "seals": seals[0] / max(seals[1], 1),
            "certificate_fields": {f: ok / max(n, 1) for f, (ok, n) in cards.items()},
            "missing_signature": _pr(unsigned), "flags": {f: _pr(c) for f, c in flags.items()}, "misses": misses}


def _card_result(result: dict, td: dict) -> dict:
    """The result's certificate fields for a true card: on a sheet of several people's cards, the document
    read on that page that names the card's holder, else the first one there."""
    on_page = [d for d in result["documents"] if td["pages"][0] in d["pages"]]
    # A sheet of several cards is one document whose fields hold each card under "cards".
    cards = [card for d in on_page for card in d.get("fields", {}).get("cards", [d.get("fields", {})])]
    want = td["fields"]
    for fields in cards:
        if fields.get("id_number") == want.get("id_number") or fields.get("name") == want.get("name"):
            return fields
    return cards[0] if cards else {}


# Axes of truth["look"] (wide corpora) that --by-axis breaks the figures down by.
AXES = {
    "dpi": lambda lk: lk["dpi"],
    "roster ruling": lambda lk: lk["roster"]["ruling"],
    "agreement ruling": lambda lk: lk["agreement"]["ruling"],
    "roster columns": lambda lk: "notice order" if lk["roster"]["columns"] == list(NOTICE_ROSTER) else "other",
    "gender glued": lambda lk: lk["roster"]["glue_gender"] or lk["agreement"]["glue_gender"],
    "hand-filled": lambda lk: bool(lk["roster"]["hand"] or lk["agreement"]["hand"]),
    "merged cells": lambda lk: bool(lk["roster"]["spans"]),
    "header": lambda lk: "grouped" if lk["roster"]["group"] else "two-line" if lk["roster"]["two_line_header"]
    else "plain",
    "sheet mode": lambda lk: lk["sheet_mode"],
    "padded names": lambda lk: lk["habits"]["roster"]["pad_names"],
    "roster profession": lambda lk: lk["habits"]["roster"]["profession"],
    "face": lambda lk: lk["body_face"],
}
NOTICE_ROSTER = ("seq", "name", "gender", "id_number", "phone", "profession", "certificate_no", "training_date",
                 "class_period")


def by_axis(results: list[tuple[dict, dict]]) -> dict[str, dict[str, dict[str, float]]]:
    """Name and ID accuracy and page-kind accuracy per value of each axis the bundles drew."""
    out: dict[str, dict[str, dict[str, list[int]]]] = {}
    for truth, result in results:
        if "look" not in truth or truth["look"].get("variety") != "wide":
            continue
        kinds = [int(any(rp["page"] == tp["page"] and rp["kind"] == tp["kind"] for rp in result["pages"]))
                 for tp in truth["pages"]]
        pairs = align(result["trainees"], truth["trainees"])
        names = [int(p is not None and p.get("name") == t["name"]) for t, p in pairs]
        ids = [int(p is not None and p.get("id_number") == t["id_number"]) for t, p in pairs]
        for axis, value_of in AXES.items():
            cell = out.setdefault(axis, {}).setdefault(str(value_of(truth["look"])),
                                                       {"name": [0, 0], "id_number": [0, 0], "page_kind": [0, 0]})
            for key, hits in (("name", names), ("id_number", ids), ("page_kind", kinds)):
                cell[key][0] += sum(hits)
                cell[key][1] += len(hits)
    return {axis: {value: {k: ok / max(n, 1) for k, (ok, n) in cell.items()} for value, cell in values.items()}
            for axis, values in out.items()}


def _count(counts: dict, said: bool, true: bool) -> None:
    if said and true:
        counts["tp"] += 1
    elif said:
        counts["fp"] += 1
    elif true:
        counts["fn"] += 1


def _pr(c: dict) -> dict:
    """Precision and recall; None where nothing was said or nothing was there to find."""
    said, there = c["tp"] + c["fp"], c["tp"] + c["fn"]
    return {"precision": c["tp"] / said if said else None, "recall": c["tp"] / there if there else None,
            "support": there}


def anchor(folders: list[Path], engine_name: str, limit: int) -> dict:
    """Whole-page reading with the raw engine: share of roster IDs and names anywhere in its text."""
    engine = create_engine(engine_name)
    ids = names = total = pages = 0
    seconds = 0.0
    for folder in folders[:limit]:
        truth = truth_of(folder)
        roster_pages = {p["page"]: p for p in truth["pages"] if p["kind"] == "roster"}
        text = ""
        number = 1
        for path in files_of(folder, truth):
            for page in load_pages(path, first_number=number):
                number += 1
                if getattr(page, "number", None) in roster_pages:
                    image = rotate_clockwise(page.image, roster_pages[page.number]["rotation"])
                    start = time.perf_counter()
                    text += "".join(w.text for w in engine.read_page(image))
                    seconds += time.perf_counter() - start
                    pages += 1
        for t in truth["trainees"]:
            total += 1
            ids += t["id_number"] in text
            names += t["name"] in text
    return {"id_found": ids / max(total, 1), "name_found": names / max(total, 1),
            "seconds_per_page": seconds / max(pages, 1), "pages": pages}


def run_engine(engine: str, folders: list[Path], workers: int | None, label: str = "") -> dict:
    results = []
    pages = 0
    start = time.perf_counter()
    with PageReaderPool(engine, workers) as pool:
        for folder in folders:
            truth = truth_of(folder)
            records_file = folder / "records.xlsx"
            records = read_records(records_file) if records_file.exists() else None
            result = read_bundle(files_of(folder, truth), pool, records=records, policy=POLICY).to_json()
            pages += len(truth["pages"])
            results.append((truth, result))
            where = OUT / "results" / (f"{label}-{engine}" if label else engine)
            where.mkdir(parents=True, exist_ok=True)
            (where / f"{folder.name}.json").write_text(
                json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    seconds = time.perf_counter() - start
    report = score(results)
    report.update(pages=pages, seconds=seconds, pages_per_minute=pages / seconds * 60, by_axis=by_axis(results))
    return report


def _fmt(pr: dict) -> str:
    def pct(x: float | None) -> str:
        return "  n/a " if x is None else f"{x:6.1%}"
    return f"precision {pct(pr['precision'])} recall {pct(pr['recall'])} (support {pr['support']})"


def _print_axes(axes: dict) -> None:
    for axis, values in axes.items():
        print(f"  by {axis}:")
        for value, acc in sorted(values.items()):
            print(f"    {value:28s} names {acc['name']:7.2%}  IDs {acc['id_number']:7.2%}  "
                  f"page kinds {acc['page_kind']:7.2%}")


def peak_memory_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundles", type=int, default=20)
    ap.add_argument("--trainees", type=int, default=12)
    ap.add_argument("--variety", choices=("house", "wide"), default="house",
                    help="house: the generator's house look; wide: every axis drawn per bundle")
    ap.add_argument("--profile", default=None,
                    help="scan (the house default), gray, phone, clean; for wide also mixed (its default)")
    ap.add_argument("--jobs", type=int, default=2, help="bundles generated at a time")
    ap.add_argument("--seed", type=int, default=0, help="another corpus of the same kind (held-out bundles)")
    ap.add_argument("--by-axis", action="store_true", help="names, IDs and page kinds per value of each drawn axis")
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--problems", default=None,
                    help="plant these problems (comma-separated) in every bundle instead of a few drawn by seed")
    ap.add_argument("--anchor-bundles", type=int, default=3, help="bundles whose roster pages the anchor reads")
    args = ap.parse_args()

    problems = tuple(p for p in args.problems.split(",") if p) if args.problems else None
    profile = args.profile or ("mixed" if args.variety == "wide" else "scan")
    started = time.perf_counter()
    folders = make_corpus(args.bundles, args.trainees, profile, problems, args.variety, args.jobs, args.seed)
    print(f"corpus: {folders[0].parent} ({len(folders)} bundles, ready in {time.perf_counter() - started:.0f} s)")
    label = "" if args.variety == "house" else args.variety
    summary = {}
    for engine in args.engines.split(","):
        report = run_engine(engine, folders, args.workers, label)
        report["anchor"] = anchor(folders, engine, args.anchor_bundles) if args.anchor_bundles else None
        summary[engine] = report
        print(f"\n## {engine}: {report['pages']} pages in {report['seconds']:.0f} s = "
              f"{report['pages_per_minute']:.1f} pages/min; page kinds {report['page_kind']:.1%}")
        for f, acc in report["fields"].items():
            print(f"  {f:16s} {acc:7.2%}")
        print(f"  seals right {report['seals']:.1%}")
        for f, acc in report["certificate_fields"].items():
            print(f"  certificate {f:16s} {acc:7.2%}")
        print(f"  missing_signature (row level): {_fmt(report['missing_signature'])}")
        for f, pr in report["flags"].items():
            print(f"  flag {f:32s} {_fmt(pr)}")
        if report["anchor"]:
            a = report["anchor"]
            print(f"  anchor (whole page, raw engine): IDs {a['id_found']:.1%}, names {a['name_found']:.1%}, "
                  f"{a['seconds_per_page']:.1f} s/page over {a['pages']} roster pages")
        if args.by_axis:
            _print_axes(report["by_axis"])
        for miss in report["misses"][:15]:
            print("   miss:", miss)
    print(f"\npeak memory (largest process): {peak_memory_mb():.0f} MB")
    OUT.mkdir(parents=True, exist_ok=True)
    summary_file = OUT / f"intake-summary{'-' + label if label else ''}.json"
    summary_file.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
