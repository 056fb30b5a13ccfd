"""Accuracy and speed of `subsidy intake` on a generated corpus, per engine.

    .venv/bin/python benchmarks/intake_benchmark.py --bundles 20 [--engines rapidocr,tesseract]

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

from intake.bundle import read_bundle  # noqa: E402
from intake.result import TRAINEE_FIELDS  # noqa: E402
from intake.workers import PageReaderPool  # noqa: E402
from ocr.engines import create_engine  # noqa: E402
from ocr.engines.base import rotate_clockwise  # noqa: E402
from ocr.sources import load_pages  # noqa: E402
from tests.bundlegen import BundleSpec, generate_bundle  # noqa: E402

OUT = ROOT / "benchmarks" / "out"


def make_corpus(n: int, trainees: int, profile: str) -> list[Path]:
    folders = []
    for i in range(n):
        folder = OUT / "corpus" / f"{profile}-{trainees}" / f"bundle_{i + 1:03d}"
        if not (folder / "truth.json").exists():
            spec = BundleSpec(seed=1000 + i, trainees=trainees + (i % 5) * 3, profile=profile,
                              with_report=i % 3 == 0)
            generate_bundle(spec, folder)
        folders.append(folder)
    return folders


def truth_of(folder: Path) -> dict:
    return json.loads((folder / "truth.json").read_text(encoding="utf-8"))


def files_of(folder: Path, truth: dict) -> list[Path]:
    return [folder / f for f in truth["files"]]


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
    kinds = [0, 0]
    misses: list[str] = []
    for truth, result in results:
        for tp in truth["pages"]:
            rp = next((p for p in result["pages"] if p["page"] == tp["page"]), None)
            kinds[1] += 1
            if rp and rp["kind"] == tp["kind"]:
                kinds[0] += 1
            else:
                misses.append(f"page {tp['page']} kind {rp and rp['kind']} != {tp['kind']}")
        roster_truth = truth["trainees"]
        for t, p in align(result["trainees"], roster_truth):
            for f in TRAINEE_FIELDS:
                fields[f][1] += 1
                if p is not None and p.get(f) == t.get(f):
                    fields[f][0] += 1
                elif len(misses) < 400:
                    misses.append(f"{f}: {p and p.get(f)!r} != {t.get(f)!r}")
    return {"fields": {f: ok / max(n, 1) for f, (ok, n) in fields.items()},
            "page_kind": kinds[0] / max(kinds[1], 1), "misses": misses}


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


def run_engine(engine: str, folders: list[Path], workers: int | None) -> dict:
    results = []
    pages = 0
    start = time.perf_counter()
    with PageReaderPool(engine, workers) as pool:
        for folder in folders:
            truth = truth_of(folder)
            result = read_bundle(files_of(folder, truth), pool).to_json()
            pages += len(truth["pages"])
            results.append((truth, result))
            (OUT / "results" / engine).mkdir(parents=True, exist_ok=True)
            (OUT / "results" / engine / f"{folder.name}.json").write_text(
                json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    seconds = time.perf_counter() - start
    report = score(results)
    report.update(pages=pages, seconds=seconds, pages_per_minute=pages / seconds * 60)
    return report


def peak_memory_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundles", type=int, default=20)
    ap.add_argument("--trainees", type=int, default=12)
    ap.add_argument("--profile", default="scan")
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--anchor-bundles", type=int, default=3, help="bundles whose roster pages the anchor reads")
    args = ap.parse_args()

    folders = make_corpus(args.bundles, args.trainees, args.profile)
    summary = {}
    for engine in args.engines.split(","):
        report = run_engine(engine, folders, args.workers)
        report["anchor"] = anchor(folders, engine, args.anchor_bundles) if args.anchor_bundles else None
        summary[engine] = report
        print(f"\n## {engine}: {report['pages']} pages in {report['seconds']:.0f} s = "
              f"{report['pages_per_minute']:.1f} pages/min; page kinds {report['page_kind']:.1%}")
        for f, acc in report["fields"].items():
            print(f"  {f:16s} {acc:7.2%}")
        if report["anchor"]:
            a = report["anchor"]
            print(f"  anchor (whole page, raw engine): IDs {a['id_found']:.1%}, names {a['name_found']:.1%}, "
                  f"{a['seconds_per_page']:.1f} s/page over {a['pages']} roster pages")
        for miss in report["misses"][:15]:
            print("   miss:", miss)
    print(f"\npeak memory (largest process): {peak_memory_mb():.0f} MB")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "intake-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
