"""python -m tests.bundlegen OUT --seed N --count C ...: write OUT/bundle-001/ ... with truth.json each."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tests.bundlegen import VARIETIES, BundleSpec, generate_bundle
from tests.bundlegen.output import OUTPUTS
from tests.bundlegen.problems import PROBLEMS
from tests.bundlegen.scan import PROFILES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.bundlegen", description="Generate intake bundles with truth.")
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1, help="seed of the first bundle; the next ones count up")
    ap.add_argument("--trainees", type=int, default=8)
    ap.add_argument("--profile", choices=PROFILES, default="scan")
    ap.add_argument("--output", choices=OUTPUTS, default="pdf")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--report", action="store_true", help="add the application report (attachment 3)")
    ap.add_argument("--shuffle", action="store_true", help="pages in a random order")
    ap.add_argument("--records", action="store_true", help="also write records.xlsx")
    ap.add_argument("--rows-per-page", type=int, default=None)
    ap.add_argument("--variety", choices=VARIETIES, default="house",
                    help="house: the house look; wide: fonts, tables, wordings, writing and capture drawn per bundle")
    ap.add_argument("--problems", default="", help=f"comma-separated, from: {','.join(PROBLEMS)}")
    args = ap.parse_args(argv)
    problems = tuple(p for p in args.problems.split(",") if p)
    unknown = [p for p in problems if p not in PROBLEMS]
    if unknown:
        ap.error(f"unknown problems: {', '.join(unknown)}")
    for i in range(args.count):
        spec = BundleSpec(seed=args.seed + i, trainees=args.trainees, profile=args.profile, output=args.output,
                          with_report=args.report, shuffle_pages=args.shuffle, rows_per_page=args.rows_per_page,
                          problems=problems, records=args.records, variety=args.variety)
        folder = args.out / f"bundle-{i + 1:03d}"
        started = time.perf_counter()
        truth = generate_bundle(spec, folder)
        print(f"{folder}  seed={spec.seed}  pages={len(truth.pages)}  trainees={len(truth.trainees)}  "
              f"{time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
