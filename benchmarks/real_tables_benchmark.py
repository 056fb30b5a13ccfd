"""The product's table reader on public real Chinese table images from other projects' test sets.

    .venv/bin/python benchmarks/real_tables_benchmark.py [--only NAME,...] [--no-variants] [--engine rapidocr]
        [--images DIR] [--json benchmarks/out/real_tables.json]

Each image is loaded as a page (ocr.sources, at the resolution its truth file gives where the file states
none that fits), read with intake.page_reader.read_page and the default engine, and its table laid over
the truth (benchmarks/real_tables.py says how). Per image: table found, rows × columns found against the
truth, truth cells exactly right (whitespace removed), also when full/half width and dashes are not told
apart, and the failure classes seen; then totals and the images per failure class.
Images are looked up under --images, $SUBSIDY_REAL_TABLES, ../shared/real_tables, then beside the truth.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.real_tables import (  # noqa: E402
    Sample,
    best_score,
    failure_classes,
    image_roots,
    load_page,
    load_samples,
    reader_confidences,
    reader_rows,
)
from intake.page_reader import read_page  # noqa: E402
from ocr.engines import DEFAULT_ENGINE, create_engine  # noqa: E402
from ocr.engines.base import OcrEngine  # noqa: E402
from ocr.settings import read_settings  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "real_tables.json"


def measure(sample: Sample, variant: str, engine: OcrEngine) -> dict:
    name = sample.key + (f" [{variant}]" if variant else "")
    started = time.perf_counter()
    page = load_page(sample, variant)
    reading = read_page(page, engine, read_settings(engine.name))
    seconds = time.perf_counter() - started
    found = reader_rows(reading)
    which, score = best_score(sample.tables, found, reader_confidences(reading)) if sample.tables else (None, None)
    grid = reading.table.grid if reading.table else None
    return {
        "image": name, "layout": sample.layout, "capture": "turned" if variant == "turn90" else
        "photo" if variant == "perspective" else sample.capture,
        "dpi": round(page.dpi), "tables_in_truth": len(sample.tables), "truth_table": which,
        "found": reading.table is not None, "grid": grid.ruled if grid else None,
        "header_rows": reading.table.header_rows if reading.table else 0,
        "truth_shape": list(score.truth_shape) if score else [0, 0],
        "found_shape": [len(found), max((len(r) for r in found), default=0)],
        "cells": score.cells if score else 0, "right": score.right if score else 0,
        "filled": score.filled if score else 0, "filled_right": score.filled_right if score else 0,
        "loose_right": score.loose_right if score else 0,
        "split": score.split if score else 0, "unread": score.unread if score else 0,
        "misread": score.misread if score else 0, "missing": score.missing if score else 0,
        "unread_certain": score.unread_certain if score else 0,
        "classes": failure_classes(sample, score, found),
        "misses": score.misses if score else [], "seconds": round(seconds, 1),
        "read": found, "notes": reading.notes + page.notes,
    }


def totals(results: list[dict]) -> dict:
    with_table = [r for r in results if r["tables_in_truth"]]
    keys = ("cells", "right", "filled", "filled_right", "loose_right", "split", "unread", "unread_certain",
            "misread", "missing")
    out = {k: sum(r[k] for r in with_table) for k in keys}
    out["images"] = len(results)
    out["tables"] = len(with_table)
    out["found"] = sum(r["found"] for r in with_table)
    out["shape_right"] = sum(r["found_shape"] == r["truth_shape"] for r in with_table)
    out["no_table_images"] = len(results) - len(with_table)
    out["false_tables"] = sum(r["found"] for r in results if not r["tables_in_truth"])
    out["seconds"] = round(sum(r["seconds"] for r in results), 1)
    return out


def by_class(results: list[dict]) -> dict[str, list[str]]:
    classes: dict[str, list[str]] = {}
    for r in results:
        for c in r["classes"]:
            classes.setdefault(c, []).append(r["image"])
    return dict(sorted(classes.items(), key=lambda kv: -len(kv[1])))


def print_report(results: list[dict], total: dict, classes: dict[str, list[str]]) -> None:
    w = max([len(r["image"]) for r in results] + [5])
    head = f"{'image':<{w}} {'layout':<10} {'capture':<10} {'dpi':>4} {'found':<5} {'truth':>6} {'read':>6} " \
           f"{'cells':>9} {'filled':>9} {'loose':>5}  classes"
    print(head)
    print("-" * len(head))
    for r in results:
        shape = lambda s: f"{s[0]}×{s[1]}"  # noqa: E731
        cells = f"{r['right']}/{r['cells']}" if r["tables_in_truth"] else "-"
        filled = f"{r['filled_right']}/{r['filled']}" if r["tables_in_truth"] else "-"
        print(f"{r['image']:<{w}} {r['layout']:<10} {r['capture']:<10} {r['dpi']:>4} "
              f"{'yes' if r['found'] else 'no':<5} {shape(r['truth_shape']):>6} {shape(r['found_shape']):>6} "
              f"{cells:>9} {filled:>9} {r['loose_right']:>5}  {', '.join(r['classes']) or 'ok'}")
    print()
    t = total
    print(f"tables found {t['found']}/{t['tables']}, shape right {t['shape_right']}/{t['tables']}, "
          f"tables found where there is none {t['false_tables']}/{t['no_table_images']}")
    print(f"cells right {t['right']}/{t['cells']} ({_pct(t['right'], t['cells'])}), cells with text right "
          f"{t['filled_right']}/{t['filled']} ({_pct(t['filled_right'], t['filled'])}), loosely right "
          f"{t['loose_right']}/{t['cells']} ({_pct(t['loose_right'], t['cells'])})")
    print(f"wrong cells: split {t['split']}, unread {t['unread']} (called certain {t['unread_certain']}), "
          f"misread {t['misread']}, "
          f"no reader cell {t['missing']}; {t['seconds']} s")
    print()
    for name, images in classes.items():
        print(f"{name} ({len(images)}): {', '.join(images)}")


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated image names (or source/name) to read")
    parser.add_argument("--no-variants", action="store_true", help="skip the turned and perspective variants")
    parser.add_argument("--engine", default=DEFAULT_ENGINE)
    parser.add_argument("--images", type=Path, help="folder holding <source>/<image> (before the defaults)")
    parser.add_argument("--json", type=Path, default=OUT)
    args = parser.parse_args(argv)
    roots = ([args.images] if args.images else []) + image_roots()
    samples = load_samples(roots=roots)
    if args.only:
        wanted = set(args.only.split(","))
        samples = [s for s in samples if s.name in wanted or s.key in wanted or Path(s.name).stem in wanted]
    absent = [s.key for s in samples if s.image_path is None]
    if absent:
        print(f"images not found (looked under {', '.join(map(str, roots))}): {', '.join(absent)}",
              file=sys.stderr)
        return 2
    engine = create_engine(args.engine)
    results = []
    for sample in samples:
        for variant in ("", *(() if args.no_variants else sample.variants)):
            results.append(measure(sample, variant, engine))
            print(f"  read {results[-1]['image']} in {results[-1]['seconds']} s", file=sys.stderr)
    total, classes = totals(results), by_class(results)
    print_report(results, total, classes)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"engine": args.engine, "images": results, "totals": total,
                                     "classes": classes}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwritten {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
