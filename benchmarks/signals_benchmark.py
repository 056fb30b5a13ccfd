"""Signals of made-up claims and the institutions registry, measured.

    .venv/bin/python benchmarks/signals_benchmark.py [--bundles 48] [--clean 20] [--trainees 4] [--workers 2]
    .venv/bin/python benchmarks/signals_benchmark.py --queries [--claims 100000]

Accuracy: a corpus of batches (tests/bundlegen/fraud.py) with every signal planted, and a clean one with
none, each taken in bundle after bundle with real OCR into a fresh store that holds the corpus's registry,
as `subsidy institutions import` and `subsidy intake --batch` do. Per flag: planted claims, flagged claims,
precision and recall over (bundle, trainee) claims in the store's final state; on the clean corpus, every
signal raised is a false alarm.

Queries: a SQLite store with --claims stored claims (trainees with keyed phone hashes, classes at several
institutions, certificate and signature marks), then each cross-batch check timed for new claims:
the person's other claims, trainees sharing a phone, cards with the same number or name, the institution's
signatures. Every one must answer in well under a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out" / "signals"


def corpus(folder: Path, seed: int, bundles: int, trainees: int, plants: bool):  # type: ignore[no-untyped-def]
    from benchmarks.corpus import generator_fingerprint
    from tests.bundlegen.fraud import generate_corpus

    marker, stamp = folder / "corpus.json", folder / "generator.txt"
    if marker.exists() and stamp.exists() and stamp.read_text().strip() == generator_fingerprint():
        data = json.loads(marker.read_text(encoding="utf-8"))
        if len(data["bundles"]) == bundles and data["seed"] == seed:
            return data
    import shutil

    shutil.rmtree(folder, ignore_errors=True)  # made by another generator, or of another size
    start = time.monotonic()
    generate_corpus(folder, seed=seed, bundles=bundles, trainees=trainees, plants=plants)
    stamp.write_text(generator_fingerprint() + "\n")
    print(f"corpus {folder} made in {time.monotonic() - start:.0f} s", file=sys.stderr)
    return json.loads(marker.read_text(encoding="utf-8"))


def take_in(folder: Path, data: dict, workers: int, engine: str) -> tuple[dict, float]:
    """Every bundle into a fresh store with the registry; returns {(bundle, id_number): flags} and seconds."""
    import shutil

    from intake.bundle import read_bundle
    from intake.institutions.importer import import_registry
    from intake.policy.policy import default_policy
    from intake.records import read_records
    from intake.store.bundles import record_bundle
    from intake.store.registry import trainee_by_id_number
    from intake.workers import PageReaderPool
    from service.cli import open_intake_store

    store_dir = folder / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    os.environ.pop("SUBSIDY_DATABASE_URL", None)
    store = open_intake_store(store_dir)
    with store.session() as session:
        report = import_registry(session, folder / data["registry"], default_policy())
        session.commit()
    assert not report.rejected, report.rejected
    started = time.monotonic()
    claims: dict[tuple[str, str], int] = {}
    with PageReaderPool(engine, workers) as pool:
        for bundle in data["bundles"]:
            where = folder / bundle["folder"]
            files = sorted(p for p in where.iterdir() if p.name.startswith(("bundle.", "page-")))
            records = read_records(where / "records.xlsx") if bundle["records"] else None
            result = read_bundle(files, pool, records=records, policy=default_policy())
            with store.session() as session:
                saved = record_bundle(session, store.data_dir, files, result, bundle["batch"],
                                      policy=default_policy())
                session.commit()
                for trainee, claim_id in zip((t for t, v in zip(result.trainees, saved.verdicts, strict=True)
                                              if v is not None), saved.claims, strict=True):
                    claims[(bundle["folder"], trainee.id_number)] = claim_id
            print(f"  {bundle['folder']} {bundle['plants']}", file=sys.stderr)
    seconds = time.monotonic() - started
    from intake.store.models import Claim

    found: dict[tuple[str, str], list[str]] = {}
    with store.session() as session:
        for bundle in data["bundles"]:
            for id_number in bundle["expected"]:
                trainee = trainee_by_id_number(session, id_number)
                claim_id = claims.get((bundle["folder"], id_number))
                claim = session.get(Claim, claim_id) if claim_id else None
                found[(bundle["folder"], id_number)] = list(claim.flags or []) if claim and trainee else ["<unread>"]
    store.close()
    return found, seconds


def scores(data: dict, found: dict) -> dict[str, dict[str, int]]:
    from tests.bundlegen.fraud import _measured

    table = {code: Counter() for code in _measured()}
    for bundle in data["bundles"]:
        for id_number, expected in bundle["expected"].items():
            flags = set(found.get((bundle["folder"], id_number), []))
            for code in table:
                planted, raised = code in expected, code in flags
                table[code]["planted"] += planted
                table[code]["tp"] += planted and raised
                table[code]["fp"] += raised and not planted
                table[code]["fn"] += planted and not raised
    return table


def misses(data: dict, found: dict) -> list[str]:
    """Every claim where a measured flag was raised without being planted, or planted and not raised."""
    from tests.bundlegen.fraud import _measured

    out = []
    for bundle in data["bundles"]:
        for id_number, expected in bundle["expected"].items():
            flags = set(found.get((bundle["folder"], id_number), [])) & set(_measured())
            extra, missed = flags - set(expected), set(expected) - flags
            if extra or missed:
                out.append(f"  {bundle['folder']} {bundle['plants']} …{id_number[-4:]}: "
                           f"raised {sorted(extra)} missed {sorted(missed)}")
    return out


def print_scores(title: str, table: dict[str, dict[str, int]]) -> None:
    print(f"\n{title}")
    print(f"{'flag':45s} {'planted':>7s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'precision':>9s} {'recall':>7s}")
    for code, c in table.items():
        raised = c["tp"] + c["fp"]
        precision = f"{c['tp'] / raised:.0%}" if raised else "-"
        recall = f"{c['tp'] / c['planted']:.0%}" if c["planted"] else "-"
        print(f"{code:45s} {c['planted']:7d} {c['tp']:4d} {c['fp']:4d} {c['fn']:4d} {precision:>9s} {recall:>7s}")


def accuracy(args: argparse.Namespace) -> None:
    planted = corpus(OUT / "planted", 1, args.bundles, args.trainees, True)
    clean = corpus(OUT / "clean", 2, args.clean, args.trainees, False)
    batches = len({b["batch"] for b in planted["bundles"]})
    found, seconds = take_in(OUT / "planted", planted, args.workers, args.engine)
    claims = sum(len(b["expected"]) for b in planted["bundles"])
    print_scores(f"planted corpus: {len(planted['bundles'])} bundles, {batches} batches, {claims} claims, "
                 f"{seconds:.0f} s", scores(planted, found))
    if args.details:
        print("\n".join(misses(planted, found)))
    found, seconds = take_in(OUT / "clean", clean, args.workers, args.engine)
    raised = Counter(code for flags in found.values() for code in flags)
    table = scores(clean, found)
    alarms = {code: c["fp"] for code, c in table.items() if c["fp"]}
    if args.details:
        print("\n".join(misses(clean, found)))
    print(f"\nclean corpus: {len(clean['bundles'])} bundles, {sum(len(b['expected']) for b in clean['bundles'])} "
          f"claims, {seconds:.0f} s: signals raised {alarms or 'none'}; other flags {dict(raised)}")


def queries(args: argparse.Namespace) -> None:
    """Cross-batch look-ups on a store of --claims claims."""
    import shutil

    import numpy as np
    from sqlalchemy import insert, select

    from intake.signals.images import ClaimMark, _stored_candidates
    from intake.signals.marks import Mark
    from intake.signals.people import person_findings, phone_findings
    from intake.store.db import open_store
    from intake.store.models import Batch, Bundle, Claim, ImageMark, Institution, Trainee

    folder = OUT / "queries"
    shutil.rmtree(folder, ignore_errors=True)
    os.environ.pop("SUBSIDY_DATABASE_URL", None)
    store = open_store(folder)
    rng = random.Random(5)
    n = args.claims
    people = n * 2 // 3
    started = time.monotonic()
    with store.session() as session:
        cipher = store.cipher
        institutions = [Institution(name=f"机构{i}", credit_code=None, aliases=[]) for i in range(40)]
        session.add_all(institutions)
        batches = [Batch(name=f"2020Q{1 + i % 4}-机构{i % 40}-{i}", status="paid") for i in range(4000)]
        session.add_all(batches)
        session.flush()
        bundles = [Bundle(fingerprint=f"{i:064d}", source=f"b{i}.pdf", batch_id=batches[i].id,
                          documents=[], problems=[]) for i in range(4000)]
        session.add_all(bundles)
        session.flush()
        session.execute(insert(Trainee), [{"id_hash": cipher.id_hash(f"p{i}"), "name": f"学员{i}",
                                           "phone_hash": cipher.phone_hash(f"139{i % (people - 500):08d}")}
                                          for i in range(people)])
        trainee_ids = list(session.scalars(select(Trainee.id).order_by(Trainee.id)))
        rows, marks, seen = [], [], set()
        signatures = sample_signatures()
        signature = signatures[0]
        for i in range(n):
            start = dt.date(2016 + i % 5, 1, 1) + dt.timedelta(days=rng.randrange(330))
            bundle = bundles[i % 4000]
            trainee = trainee_ids[rng.randrange(people)]
            while (bundle.batch_id, trainee) in seen:  # one claim per trainee and batch
                trainee = trainee_ids[rng.randrange(people)]
            seen.add((bundle.batch_id, trainee))
            rows.append({"trainee_id": trainee, "batch_id": bundle.batch_id,
                         "bundle_id": bundle.id, "institution_id": institutions[i % 40].id,
                         "profession": "低压电工作业", "amount": 1000, "claim_date": start + dt.timedelta(days=40),
                         "training_date": f"{start}/{start + dt.timedelta(days=14)}", "flags": [], "page_refs": []})
        session.execute(insert(Claim), rows)
        claim_ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
        vector = np.zeros((20, 200), np.float16).tobytes()
        for i, claim_id in enumerate(claim_ids):
            marks.append({"claim_id": claim_id, "bundle_id": bundles[i % 4000].id, "kind": "certificate", "page": 3,
                          "box": [], "vector": vector, "number_key": cipher.keyed_hash(f"card:T{i}"),
                          "name_key": cipher.keyed_hash(f"card-name:学员{i % 30000}"), "item": "低压电工作业"})
            if i % 3 == 0:
                marks.append({"claim_id": claim_id, "bundle_id": bundles[i % 4000].id,
                              "institution_id": institutions[i % 40].id, "kind": "signature", "page": 2, "box": [],
                              "vector": signatures[i % len(signatures)].astype(np.float16).tobytes(), "item": ""})
        for chunk in range(0, len(marks), 5000):
            session.execute(insert(ImageMark), marks[chunk:chunk + 5000])
        session.commit()
    print(f"store with {n} claims, {people} trainees, {len(marks)} marks made in {time.monotonic() - started:.0f} s")
    timings: dict[str, list[float]] = {"person (two institutions, overlap)": [], "phone shared": [],
                                       "certificate same number or name": [],
                                       "institution's signatures (compared)": []}
    with store.session() as session:
        for claim_id in rng.sample(claim_ids, 50):
            claim = session.get(Claim, claim_id)
            t0 = time.perf_counter()
            person_findings(session, claim, "机构")
            t1 = time.perf_counter()
            phone_findings(session, claim, session.get(Trainee, claim.trainee_id).phone_hash)
            t2 = time.perf_counter()
            card = ClaimMark(claim, Mark("certificate", np.zeros((20, 200), np.float32), (0, 0, 1, 1)), 3,
                             cipher.keyed_hash(f"card:T{rng.randrange(n)}"),
                             cipher.keyed_hash(f"card-name:学员{rng.randrange(30000)}"), "低压电工作业")
            _stored_candidates(session, card, None, -1)
            t3 = time.perf_counter()
            sign = ClaimMark(claim, Mark("signature", signature, (0, 0, 1, 1)), 2)
            image_findings_against(session, sign, claim.institution_id)
            t4 = time.perf_counter()
            for name, seconds in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                timings[name].append(seconds)
    store.close()
    print(f"{'check':40s} {'median ms':>9s} {'max ms':>7s}")
    for name, values in timings.items():
        print(f"{name:40s} {statistics.median(values) * 1000:9.1f} {max(values) * 1000:7.1f}")


def sample_signatures() -> list:  # type: ignore[type-arg]
    """Real signature descriptors (the fixture generator's handwriting, scanned) to fill the store with."""
    from intake.signals.marks import signature_mark
    from tests.intake.signals.marks_pages import signed_by

    names = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
    return [signature_mark(*signed_by(a + b + c, i)).vector for i, (a, b, c) in
            enumerate(zip(names, reversed(names), names[3:] + names[:3], strict=True))]


def image_findings_against(session, mine, institution_id):  # type: ignore[no-untyped-def]
    """The stored-marks half of images.image_findings for one new mark: candidates, then comparisons."""
    import numpy as np

    from intake.signals.images import SAME_HAND, _stored_candidates
    from intake.signals.marks import from_bytes, signature_likeness, strokes_only

    rows = _stored_candidates(session, mine, institution_id, -1)
    if not rows:
        return []
    vectors = np.stack([from_bytes(r.kind, r.vector) for r in rows])
    bound = 0.3 + 0.7 * strokes_only(vectors, mine.mark.vector)
    return [signature_likeness(mine.mark.vector, v) for v, b in zip(vectors, bound, strict=True) if b >= SAME_HAND]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundles", type=int, default=48)
    ap.add_argument("--clean", type=int, default=20)
    ap.add_argument("--trainees", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", default="rapidocr")
    ap.add_argument("--details", action="store_true", help="list every claim a flag was wrong about")
    ap.add_argument("--queries", action="store_true", help="the cross-batch query benchmark instead")
    ap.add_argument("--claims", type=int, default=100_000)
    args = ap.parse_args()
    queries(args) if args.queries else accuracy(args)


if __name__ == "__main__":
    main()
