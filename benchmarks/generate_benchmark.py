"""Benchmark: a batch of 500 trainees through every generator, seconds per document.

    .venv/bin/python benchmarks/generate_benchmark.py [--trainees 500] [--pdf] [--keep DIR]

Builds a throw-away store with one batch (four classes, two professions, rare name characters among the
names) through intake's save_bundle_result, then times each kind: reading the store (with the logged
opening of 500 full ID numbers for Attachments 1 and 2), filling the template, writing .xlsx, and with
--pdf the LibreOffice conversion of every .docx made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generators import GENERATORS  # noqa: E402
from generators.base import Options  # noqa: E402
from generators.pdf import to_pdf  # noqa: E402
from intake.fields.id_numbers import check_char  # noqa: E402
from intake.policy.policy import default_policy  # noqa: E402
from intake.store.bundles import save_bundle_result  # noqa: E402
from intake.store.db import open_store  # noqa: E402
from intake.store.uploads import store_upload  # noqa: E402

POLICY = default_policy()  # a benchmark is an entry point: it reads the policy once

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋䶮堃喆燚犇淼玥珺昇曌"
BATCH = "基准批次"


def trainees(n: int) -> list[dict]:
    out = []
    for i in range(n):
        first17 = f"37160219{80 + i % 20:02d}0307{i % 1000:03d}"
        id_number = first17 + check_char(first17)
        electric = i % 2 == 0
        name = "欧阳娜娜" if i % 97 == 0 else SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 3) % len(GIVEN)] + GIVEN[i % 7]
        out.append({"id_number": id_number, "name": name, "gender": "男" if int(first17[16]) % 2 else "女",
                    "phone": f"139{i:08d}", "profession": "低压电工作业" if electric else "叉车司机",
                    "certificate_no": f"T{id_number}" if electric else f"TS{3716020200000 + i}",
                    "training_date": "2020-05-06/2020-05-20", "class_period": f"2020年第{1 + i % 4}期",
                    "signed": True, "certificate_copy": True, "flags": []})
    return out


def build_store(folder: Path, n: int):
    store = open_store(folder / "data")
    result = {"schema": "bundle-result/1", "source": "benchmark.pdf", "pages": [],
              "documents": [{"kind": "roster", "pages": [1], "stamp_present": True,
                             "fields": {"unit_name": "滨州宏达化工有限公司", "institution": "滨州市安全技术培训中心",
                                        "filled_by": "王芳", "contact_phone": "0543-3161234"}}],
              "trainees": trainees(n)}
    scan = folder / "benchmark.pdf"
    scan.write_bytes(b"%PDF-1.4 benchmark")
    with store.session() as session:
        upload = store_upload(session, store.data_dir, scan, "benchmark")
        save_bundle_result(session, result, [upload.id], BATCH, claim_date=dt.date(2020, 6, 1), policy=POLICY)
        session.commit()
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--pdf", action="store_true", help="also time the LibreOffice PDF conversion")
    parser.add_argument("--keep", type=Path, help="write the documents here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        store = build_store(folder, args.trainees)
        print(f"store with {args.trainees} trainees built in {time.perf_counter() - started:.1f} s")
        out = args.keep or folder / "out"
        options = Options(data_dir=store.data_dir, fill_date=dt.date(2020, 6, 1),
                          publicity_start=dt.date(2020, 6, 2), policy=POLICY)
        print(f"{'kind':<12} {'files':>5} {'docx+xlsx s':>12} {'pdf s':>8}  pages")
        for kind, generator in GENERATORS.items():
            subject = "2020Q2" if kind == "quarterly" else BATCH
            started = time.perf_counter()
            with store.session() as session:
                files = generator(options).generate(session, subject, out)
                session.commit()
            made = time.perf_counter() - started
            pdf_time, pages = "", ""
            if args.pdf:
                started = time.perf_counter()
                pdfs = to_pdf([f for f in files if f.suffix == ".docx"], out / "pdf")
                pdf_time = f"{time.perf_counter() - started:8.2f}"
                pages = ",".join(str(_pages(p)) for p in pdfs)
            print(f"{kind:<12} {len(files):>5} {made:>12.2f} {pdf_time:>8}  {pages}")
        store.close()


def _pages(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


if __name__ == "__main__":
    main()
