"""Where each engine's confidence says "doubt": per engine, how its scores separate right from wrong readings.

    .venv/bin/python benchmarks/confidence_benchmark.py [--bundles 2] [--engines rapidocr,tesseract]

Reads a generated corpus (scanned profile, planted problems; cached in benchmarks/out/) with each engine and
takes every scanned witness of every trainee field (roster and agreement cells, certificate cards; the typed
records rows are left out: no recogniser stood between). A witness is right when its value says what the
truth says (intake.fields.grammar.equivalent). For each cut-off it prints the share of wrong readings below it
(doubts caught) and of right readings below it (doubts a reviewer looks at for nothing). The engines' scores
are not on one scale (RapidOCR's recogniser probability, Tesseract's mean word confidence), so each engine's
cut-off (ocr/engines/__init__.py, ENGINES[...].low_confidence) is chosen from its own rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import files_of, make_corpus, truth_of  # noqa: E402
from intake.bundle import read_bundle  # noqa: E402
from intake.fields.grammar import equivalent  # noqa: E402
from intake.policy.policy import default_policy  # noqa: E402
from intake.result import TRAINEE_FIELDS  # noqa: E402
from intake.workers import PageReaderPool  # noqa: E402

POLICY = default_policy()  # a benchmark is an entry point: it reads the policy once
CUTS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def witnesses(engine: str, folders: list[Path]) -> list[tuple[float, bool]]:
    """(confidence, right) of every scanned witness of every trainee the truth knows."""
    rows = []
    with PageReaderPool(engine, 1) as pool:
        for folder in folders:
            truth = truth_of(folder)
            people = {t["id_number"]: t for t in truth["trainees"]}
            by_name = {t["name"]: t for t in truth["trainees"]}
            for trainee in read_bundle(files_of(folder, truth), pool, policy=POLICY).trainees:
                known = people.get(trainee.id_number) or by_name.get(trainee.name)
                if known is None:
                    continue
                for ev in trainee.evidence:
                    if ev.field in TRAINEE_FIELDS and ev.document != "records" and known.get(ev.field):
                        rows.append((ev.confidence, equivalent(ev.field, ev.value, str(known[ev.field]))))
    return rows


def report(engine: str, rows: list[tuple[float, bool]]) -> None:
    wrong = [c for c, ok in rows if not ok]
    right = [c for c, ok in rows if ok]
    print(f"{engine}: {len(rows)} witnesses, {len(wrong)} wrong")
    print("  cut-off  wrong below (caught)  right below (looked at for nothing)")
    for cut in CUTS:
        caught = sum(c < cut for c in wrong) / len(wrong) if wrong else 0.0
        idle = sum(c < cut for c in right) / len(right) if right else 0.0
        print(f"  {cut:5.2f}    {caught:6.1%}                {idle:6.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundles", type=int, default=2)
    ap.add_argument("--engines", default="rapidocr,tesseract")
    args = ap.parse_args()
    folders = make_corpus(args.bundles, 12, "scan")
    for engine in args.engines.split(","):
        report(engine, witnesses(engine, folders))


if __name__ == "__main__":
    main()
