"""The bureau's ledger of earlier claims (台账) into the store, for the annual-limit and repeat rules.

Every row is checked before anything is written; rejected rows are reported with their row number and
reason, the rest go in in one transaction. A row's identity is (ID number, profession, claim date,
certificate number), kept as a keyed fingerprint, so importing the same ledger again adds nothing and a
row repeated inside one file is reported as a duplicate of the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from intake.fields import certificate_numbers, dates, id_numbers, names
from intake.fields.professions import TABLE_LABELS as PROFESSION_LABELS
from intake.fields.professions import canonical_profession
from intake.fields.professions import read_profession as name_profession
from intake.fields.text import compact
from intake.spreadsheets import read_sheets
from intake.store.crypto import FieldCipher
from intake.store.db import cipher_of
from intake.store.models import PriorClaim
from intake.store.reports import ImportReport
from intake.tabular import Table, find_table, read_amount
from ocr.errors import InputProblem

# The trainee's fields are headed as on every form (their modules); level and amount only the ledger has.
LEDGER_LABELS: dict[str, tuple[str, ...]] = {
    "id_number": id_numbers.TABLE_LABELS,
    "name": names.TABLE_LABELS,
    "profession": PROFESSION_LABELS,
    "level": ("等级", "级别", "技能等级"),
    "certificate_no": certificate_numbers.TABLE_LABELS,
    "claim_date": dates.CLAIM_DATE_LABELS,
    "amount": ("金额", "补贴金额", "补贴标准"),
}
REQUIRED = ("id_number", "profession", "claim_date")
CHUNK = 500  # rows per insert statement
ANALYZE_AFTER = 1000
_UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def read_ledger(path: Path) -> Table:
    """The ledger's table, or InputProblem naming the file when there is no usable header."""
    found = find_table(read_sheets(path), REQUIRED, LEDGER_LABELS)
    if isinstance(found, str):
        raise InputProblem(path.name, found)
    if not found.rows:
        raise InputProblem(path.name, "表中没有数据行 (no data rows under the header)")
    return found


def row_fingerprint(id_hash: str, profession: str, claim_date: dt.date, certificate_no: str) -> str:
    text = "\x1f".join((id_hash, profession, claim_date.isoformat(), compact(certificate_no).upper()))
    return hashlib.sha256(text.encode()).hexdigest()


def parse_row(values: dict[str, str], cipher: FieldCipher) -> tuple[dict[str, Any] | None, list[str], list[str]]:
    """A row as PriorClaim column values (None when refused), every reason it is refused, and notes on values
    taken in another form than written (the catalogue's name of a profession)."""
    problems: list[str] = []
    number, why = id_numbers.read_typed(values.get("id_number", ""))
    if number is None:
        problems.append(why)
    name = names.normalize_name(values.get("name", ""))
    if not name:
        problems.append("姓名为空")
    profession, notes = read_profession(values.get("profession", ""), problems)
    raw_date = values.get("claim_date", "")
    day = dates.parse_typed_date(raw_date)
    if day is None:
        problems.append(f"申领日期“{raw_date}”无法识别" if raw_date else "申领日期为空")
    try:
        amount = read_amount(values.get("amount", ""))
    except ValueError as exc:
        problems.append(str(exc))
    if problems:
        return None, problems, []
    certificate_no = values.get("certificate_no", "").strip()
    id_hash = cipher.id_hash(number)
    return ({"fingerprint": row_fingerprint(id_hash, profession, day, certificate_no), "id_hash": id_hash,
             "id_number_enc": cipher.seal(number, "prior_claim.id_number"), "name": name,
             "profession": profession, "level": values.get("level", "").strip() or None,
             "certificate_no": certificate_numbers.mask_certificate_no(certificate_no),
             "certificate_no_enc": cipher.seal(certificate_no, "prior_claim.certificate_no"),
             "claim_date": day, "amount": amount}, [], notes)


def read_profession(text: str, problems: list[str]) -> tuple[str, list[str]]:
    """The profession as the rules compare it, and a note when that is not what the row says. A category
    with several items (电工作业) names no one item: refused, never guessed."""
    written = compact(text)
    if not written:
        problems.append("专业（工种）为空")
        return "", []
    found = name_profession(written)
    if not found.matched and len(found.candidates) > 1:
        items = [p.item for p in found.candidates]
        problems.append(f"专业“{written}”是作业类别，不是具体项目：请写明{'、'.join(items)}之一")
        return "", []
    profession = canonical_profession(written)
    if profession != written:
        return profession, [f"专业“{written}”按目录记为“{profession}”"]
    return profession, []


def import_ledger(session: Session, path: Path) -> ImportReport:
    """Check every row, then add the good new ones in the caller's transaction (the caller commits once)."""
    table = read_ledger(path)
    cipher = cipher_of(session)
    report = ImportReport(path.name)
    accepted: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for row, values in table.rows:
        parsed, problems, notes = parse_row(values, cipher)
        if parsed is None:
            report.reject(row, "；".join(problems))
            continue
        for note in notes:
            report.note(row, note)
        earlier = first_row.setdefault(parsed["fingerprint"], row)
        if earlier != row:
            report.reject(row, f"与第{earlier}行重复（同一身份证号、工种、申领日期和证书编号）")
            continue
        accepted.append(parsed | {"source_file": path.name, "source_row": row})
    report.imported = _insert_new(session, accepted)
    report.already = len(accepted) - report.imported
    return report


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert the rows not yet present; the count inserted.

    ON CONFLICT DO NOTHING on the fingerprint lets the database decide what is new in the same statement
    (no look-up whose plan depends on fresh table statistics, and safe against a concurrent import).
    """
    dialect = session.bind.dialect.name
    if dialect not in _UPSERTS:
        present = _present_fingerprints(session, [r["fingerprint"] for r in rows])
        rows = [r for r in rows if r["fingerprint"] not in present]
        for chunk in _chunks(rows, CHUNK):
            session.execute(insert(PriorClaim), chunk)
        return len(rows)
    inserted = 0
    for chunk in _chunks(rows, CHUNK):
        statement = (_UPSERTS[dialect](PriorClaim).on_conflict_do_nothing(index_elements=["fingerprint"])
                     .returning(PriorClaim.id))
        inserted += len(session.execute(statement, chunk).all())
    if dialect == "postgresql" and inserted > ANALYZE_AFTER:
        # Fresh statistics, so that look-ups by id_hash keep using the index right after a big import.
        session.execute(text("ANALYZE prior_claims"))
    return inserted


def _present_fingerprints(session: Session, fingerprints: list[str]) -> set[str]:
    present: set[str] = set()
    for chunk in _chunks(fingerprints, CHUNK):
        present.update(session.scalars(select(PriorClaim.fingerprint).where(PriorClaim.fingerprint.in_(chunk))))
    return present


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
