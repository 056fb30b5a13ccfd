"""Benchmark: the archive index over many trainees, its search latency, and package/verify throughput.

    .venv/bin/python benchmarks/archive_benchmark.py [--trainees 100000] [--per-batch 50] [--queries 200]
                                                     [--pack-batches 3] [--url postgresql+psycopg://...]
                                                     [--json OUT.json]

Generated records, no OCR: trainees (ID and phone sealed, keyed hash), certificates, claims and roster page
text are written in bulk (what intake would have stored), then every batch is archived through the real
`archive_batch` (index lines + full-text rows). Reported:
  - indexing: trainees per second;
  - search latency, median and p95 in ms, for an exact ID number (keyed hash), the last 6 digits of one
    (keyed hash of the suffix), the last 4 with a name, a name, a full-text phrase of the scans (FTS5 on
    SQLite, tsvector on PostgreSQL) and an ID number in the full text (its keyed token);
  - pack throughput (MB/s of package payload: originals, page images, JSON, documents without PDF/A) and
    verify throughput (MB/s re-hashed) for the stored originals and for the packages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from generators.archive.package import pack_batch, verify_package  # noqa: E402
from intake.fields.certificate_numbers import mask_certificate_no  # noqa: E402
from intake.fields.id_numbers import check_char  # noqa: E402
from intake.policy.policy import default_policy  # noqa: E402
from intake.store.archive import ArchiveQuery, archive_batch, search_archive, verify_stored  # noqa: E402
from intake.store.db import open_store  # noqa: E402
from intake.store.models import (  # noqa: E402
    Batch,
    Bundle,
    BundleUpload,
    Certificate,
    Claim,
    Institution,
    Page,
    Trainee,
    TrainingClass,
    Upload,
)
from intake.store.uploads import store_upload  # noqa: E402

POLICY = default_policy()  # a benchmark is an entry point: it reads the policy once

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红鹏飞宇浩然子轩欣怡梓涵雨泽晨阳思远"
PROFESSIONS = ["低压电工作业", "高压电工作业", "熔化焊接与热切割作业", "登高架设作业", "叉车司机", "起重机司机",
               "制冷与空调设备运行操作作业", "钎焊作业"]
AREAS = ["371602", "371603", "371621", "371622", "371623", "371625", "371681", "372301", "372330"]
INSTITUTIONS = ["滨州市安全技术培训中心", "滨州职业学院培训部", "邹平市安全生产培训学校", "博兴县技工学校"]
ROWS_PER_PAGE = 13


def id_number(i: int) -> str:
    born = dt.date(1965, 1, 1) + dt.timedelta(days=i // 1000)
    first17 = f"{AREAS[i % len(AREAS)]}{born:%Y%m%d}{i % 1000:03d}"
    return first17 + check_char(first17)


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def scan_image(path: Path, seed: int) -> Path:
    """An A4 page at 200 dpi with some texture, so PNG sizes are scan-like rather than trivially small."""
    rng = np.random.default_rng(seed)
    page = np.full((2339, 1654), 245, dtype=np.uint8)
    page[rng.random(page.shape) < 0.03] = 40
    for row in range(200, 2200, 90):
        page[row:row + 3, 100:1550] = 30
    Image.fromarray(page).save(path)
    return path


def populate(store, trainees: int, per_batch: int, pack_batches: int, work: Path, rng: random.Random) -> dict:
    """Bulk-write what intake would have stored for `trainees` trainees; returns the facts the queries use."""
    cipher = store.cipher
    facts: dict = {"ids": [], "names": [], "phrases": [], "batches": []}
    started = time.perf_counter()
    with store.session() as session:
        institutions = [Institution(name=n) for n in INSTITUTIONS]
        session.add_all(institutions)
        classes = [TrainingClass(class_period=f"2020年第{k + 1}期", profession=p, start_date=dt.date(2020, 5, 6),
                                 end_date=dt.date(2020, 5, 20)) for k, p in enumerate(PROFESSIONS)]
        session.add_all(classes)
        session.flush()
        batches = (trainees + per_batch - 1) // per_batch
        for b in range(batches):
            quarter = f"{2020 + b % 5}Q{b % 4 + 1}"
            batch = Batch(name=f"{quarter}-批次{b:05d}", institution_id=institutions[b % 4].id, quarter=quarter,
                          status="paid")
            session.add(batch)
            session.flush()
            facts["batches"].append(batch.name)
            if b < pack_batches:  # real page images for the packages
                files = [scan_image(work / f"b{b}-p{k}.png", b * 10 + k) for k in range(4)]
                uploads = [store_upload(session, store.data_dir, f, "clerk") for f in files]
            else:
                digest = hashlib.sha256(f"batch {b}".encode()).hexdigest()
                upload = Upload(sha256=digest, size=0, media_type="application/pdf", original_name=f"bundle_{b}.pdf",
                                stored_path=f"originals/{digest[:2]}/{digest[2:]}", uploaded_by="clerk",
                                disposed_at=dt.datetime(2020, 1, 1))  # no file on disk: not expected by verify
                session.add(upload)
                session.flush()
                uploads = [upload] * 4
            bundle = Bundle(fingerprint=hashlib.sha256(f"bundle {b}".encode()).hexdigest(), source=f"bundle_{b}.pdf",
                            batch_id=batch.id, engine="benchmark", documents=[], problems=[])
            session.add(bundle)
            session.flush()
            for position, upload in enumerate(dict.fromkeys(uploads)):
                session.add(BundleUpload(bundle_id=bundle.id, position=position, upload_id=upload.id))
            first, last = b * per_batch, min(trainees, (b + 1) * per_batch)
            people = []
            for i in range(first, last):
                number, phone = id_number(i), f"13{rng.randrange(10 ** 9):09d}"
                people.append({"i": i, "id": number, "phone": phone, "name": name(rng),
                               "profession": PROFESSIONS[i % len(PROFESSIONS)]})
            session.execute(insert(Trainee), [
                {"id_hash": cipher.id_hash(p["id"]), "id_number_enc": cipher.seal(p["id"], "trainee.id_number"),
                 "phone_enc": cipher.seal(p["phone"], "trainee.phone"), "name": p["name"],
                 "gender": "男" if int(p["id"][16]) % 2 else "女"} for p in people])
            trainee_ids = dict(session.execute(select(Trainee.id_hash, Trainee.id).where(
                Trainee.id_hash.in_([cipher.id_hash(p["id"]) for p in people]))).all())
            certificates = []
            for p in people:
                p["tid"] = trainee_ids[cipher.id_hash(p["id"])]
                p["cert"] = f"T{p['id']}" if "作业" in p["profession"] else f"TS{3716000000000 + p['i']}"
                certificates.append({"trainee_id": p["tid"], "kind": "",
                                     "certificate_no": mask_certificate_no(p["cert"]),
                                     "certificate_no_enc": cipher.seal(p["cert"], "certificate.certificate_no"),
                                     "certificate_no_hash": cipher.keyed_hash(p["cert"]),
                                     "profession": p["profession"]})
            session.execute(insert(Certificate), certificates)
            cert_ids = dict(session.execute(select(Certificate.trainee_id, Certificate.id).where(
                Certificate.trainee_id.in_([p["tid"] for p in people]))).all())
            pages = []
            for k in range(4):
                rows = people[k * ROWS_PER_PAGE:(k + 1) * ROWS_PER_PAGE]
                body = "安全技能培训人员花名册\n培训机构：" + INSTITUTIONS[b % 4] + "\n" + "\n".join(
                    f"{n + 1} {p['name']} {p['id']} {p['phone']} {p['profession']} {p['cert']}"
                    for n, p in enumerate(rows))
                pages.append({"bundle_id": bundle.id, "upload_id": uploads[k].id, "number": k + 1, "kind": "roster",
                              "rotation": 0, "text_enc": cipher.seal(body, "page.text")})
                if rows and rng.random() < 0.05:
                    facts["phrases"].append(f"{rows[0]['name']} {rows[0]['profession']}")
            session.execute(insert(Page), pages)
            session.execute(insert(Claim), [
                {"trainee_id": p["tid"], "certificate_id": cert_ids[p["tid"]], "batch_id": batch.id,
                 "bundle_id": bundle.id, "class_id": classes[p["i"] % len(PROFESSIONS)].id,
                 "profession": p["profession"], "training_date": "2020-05-06/2020-05-20", "amount": 1000,
                 "claim_date": dt.date(2020 + b % 5, 3 * (b % 4) + 1, 15), "flags": [], "eligible": True,
                 "page_refs": [{"document": "roster", "page": n // ROWS_PER_PAGE + 1, "row": n % ROWS_PER_PAGE + 1,
                                "field": "name"}]}
                for n, p in enumerate(people)])
            for p in people:
                if rng.random() < 0.01:
                    facts["ids"].append(p["id"])
                    facts["names"].append(p["name"])
            if b % 200 == 199:
                session.commit()
        session.commit()
    facts["populate_seconds"] = time.perf_counter() - started
    return facts


def timed(function, queries) -> tuple[list[float], int]:
    latencies, hits = [], 0
    for query in queries:
        started = time.perf_counter()
        result = function(query)
        latencies.append((time.perf_counter() - started) * 1000)
        hits += bool(result.entries or result.pages)
    return latencies, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--per-batch", type=int, default=50)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pack-batches", type=int, default=3)
    parser.add_argument("--url", default=None, help="database URL (default SQLite in a temporary folder)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(2020)
    report: dict = {"trainees": args.trainees, "per_batch": args.per_batch}
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        work = Path(tmp)
        (work / "scans").mkdir()
        store = open_store(work / "data", args.url)
        report["backend"] = store.engine.dialect.name
        facts = populate(store, args.trainees, args.per_batch, args.pack_batches, work / "scans", rng)
        report["populate_seconds"] = round(facts["populate_seconds"], 1)
        started = time.perf_counter()
        with store.session() as session:
            for n, batch in enumerate(facts["batches"]):
                archive_batch(session, batch, "benchmark", policy=POLICY)
                if n % 100 == 99:
                    session.commit()
            session.commit()
        seconds = time.perf_counter() - started
        report["index_seconds"] = round(seconds, 1)
        report["index_trainees_per_second"] = round(args.trainees / seconds)

        with store.session() as session:
            ids = facts["ids"][:args.queries]
            names = facts["names"][:args.queries]
            phrases = facts["phrases"][:args.queries]
            for label, queries, make in (
                    ("id_number", ids, lambda v: ArchiveQuery(id_number=v)),
                    ("id_suffix", ids, lambda v: ArchiveQuery(id_suffix=v[-6:])),
                    ("id_suffix4_name", list(zip(ids, names, strict=True)),
                     lambda v: ArchiveQuery(id_suffix=v[0][-4:], name=v[1])),
                    ("name", names, lambda v: ArchiveQuery(name=v)),
                    ("fulltext", phrases, lambda v: ArchiveQuery(fulltext=v)),
                    ("fulltext_id_number", ids, lambda v: ArchiveQuery(fulltext=v))):
                latencies, hits = timed(lambda v, make=make: search_archive(session, make(v), limit=50), queries)
                report[f"search_{label}"] = {"queries": len(queries), "found": hits,
                                             "median_ms": round(statistics.median(latencies), 2),
                                             "p95_ms": round(percentile(latencies, 0.95), 2)}

        packages = work / "packages"
        packed_bytes, started = 0, time.perf_counter()
        with store.session() as session:
            for batch in facts["batches"][:args.pack_batches]:
                result = pack_batch(session, store.data_dir, batch, packages, "benchmark", pdf=False, policy=POLICY)
                packed_bytes += sum(p.stat().st_size for p in result.path.rglob("*") if p.is_file())
            session.commit()
        seconds = time.perf_counter() - started
        report["pack"] = {"batches": args.pack_batches, "mb": round(packed_bytes / 1e6, 1),
                          "seconds": round(seconds, 2), "mb_per_s": round(packed_bytes / 1e6 / seconds, 1)}
        started = time.perf_counter()
        checked = sum(verify_package(p).bytes for p in sorted(packages.iterdir()) if p.is_dir())
        seconds = time.perf_counter() - started
        report["verify_packages"] = {"mb": round(checked / 1e6, 1), "seconds": round(seconds, 2),
                                     "mb_per_s": round(checked / 1e6 / seconds, 1)}
        started = time.perf_counter()
        with store.session() as session:
            files, size, problems = verify_stored(session, store.data_dir)
        seconds = time.perf_counter() - started
        report["verify_originals"] = {"files": files, "mb": round(size / 1e6, 1), "problems": len(problems),
                                      "seconds": round(seconds, 2), "mb_per_s": round(size / 1e6 / seconds, 1)}
        store.close()
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
