"""Benchmark: import a large ledger of prior claims, then check claims against it.

    .venv/bin/python benchmarks/ledger_benchmark.py [--rows 100000] [--claims 10000] [--xlsx-rows 10000]
                                                    [--url postgresql+psycopg://...]

Prints rows per second and seconds for the CSV import (and a smaller .xlsx import, which is slower to
read), and claims per second for checking claims (history look-up by keyed hash + every rule). Checking a
claim reads only the trainee's rows through the id_hash index; the time per claim must not grow with the
ledger.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intake.fields.id_numbers import check_char  # noqa: E402
from intake.ledger import import_ledger  # noqa: E402
from intake.policy.eligibility import decide, history  # noqa: E402
from intake.policy.policy import default_policy  # noqa: E402
from intake.policy.rules import ClaimContext  # noqa: E402
from intake.store.db import open_store  # noqa: E402

PROFESSIONS = ["低压电工作业", "高压电工作业", "熔化焊接与热切割作业", "登高架设作业", "叉车司机", "N1叉车司机",
               "Q2起重机司机", "制冷与空调设备运行操作作业", "钎焊作业", "煤气作业"]
AREAS = ["371602", "371603", "371621", "371622", "371623", "371625", "371681", "372301", "372330"]
HEADER = ["序号", "姓名", "身份证号", "专业（工种）", "等级", "证书编号", "申领日期", "金额"]


def person(i: int) -> str:
    born = dt.date(1965, 1, 1) + dt.timedelta(days=i * 7 % 12000)
    first17 = f"{AREAS[i % len(AREAS)]}{born:%Y%m%d}{i % 1000:03d}"
    return first17 + check_char(first17)


def ledger_rows(n: int, people: int, rng: random.Random) -> list[list[object]]:
    rows = []
    for k in range(n):
        i = rng.randrange(people)
        day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        # Dates as text in most rows, as Excel serials in some, as in the bureau's files.
        date_cell = day.isoformat() if k % 5 else str((day - dt.date(1899, 12, 30)).days)
        rows.append([k + 1, f"学员{i}", person(i), PROFESSIONS[k % len(PROFESSIONS)], "", f"NO{k:07d}", date_cell,
                     1000])
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def timed_import(store, path: Path, label: str, rows: int) -> None:
    start = time.perf_counter()
    with store.session() as session:
        report = import_ledger(session, path)
        session.commit()
    seconds = time.perf_counter() - start
    print(f"{label}: {rows} rows, {report.summary()}, {seconds:.2f} s, {rows / seconds:,.0f} rows/s")


def check_claims(store, claims: int, people: int, rng: random.Random) -> None:
    policy = default_policy()
    start = time.perf_counter()
    outcomes = {"pass": 0, "fail": 0}
    with store.session() as session:
        cipher = store.cipher
        for k in range(claims):
            i = rng.randrange(people)
            day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(365))
            profession = PROFESSIONS[k % len(PROFESSIONS)]
            earlier = history(session, cipher.id_hash(person(i)), day)
            results = decide(ClaimContext(profession=profession, claim_date=day, certificate_date=day,
                                          earlier=tuple(earlier)), policy)
            outcomes["fail" if any(r.outcome == "fail" for r in results) else "pass"] += 1
    seconds = time.perf_counter() - start
    print(f"check: {claims} claims, {outcomes['pass']} pass / {outcomes['fail']} fail, {seconds:.2f} s, "
          f"{claims / seconds:,.0f} claims/s ({seconds / claims * 1000:.2f} ms per claim)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--xlsx-rows", type=int, default=10_000)
    parser.add_argument("--url", default=None, help="database URL (default SQLite in a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(2020)
    people = max(1, args.rows // 3)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(folder / "data", args.url)
        print(f"database: {store.engine.dialect.name}")
        rows = ledger_rows(args.rows, people, rng)
        write_csv(folder / "ledger.csv", rows)
        timed_import(store, folder / "ledger.csv", "csv import", args.rows)
        timed_import(store, folder / "ledger.csv", "csv re-import (idempotent)", args.rows)
        if args.xlsx_rows:
            xrows = ledger_rows(args.xlsx_rows, people, random.Random(2021))
            write_xlsx(folder / "ledger.xlsx", xrows)
            timed_import(store, folder / "ledger.xlsx", "xlsx import", args.xlsx_rows)
        check_claims(store, args.claims, people, rng)
        store.close()


if __name__ == "__main__":
    main()
