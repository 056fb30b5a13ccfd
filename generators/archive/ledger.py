"""The archive index as spreadsheets (台账), per batch and per year: what a bureau keeps on paper.

Only what the index itself holds: masked ID and certificate numbers, never the full ones, so the sheet can
be printed and filed. The location columns name the original file (its SHA-256 and path in the data folder
or in the package) and the page, so a reader finds the scan without this software.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from generators.base import safe_file_part
from generators.spreadsheets import write_sheet
from intake.fields import certificate_numbers, class_periods, id_numbers, institutions, names, professions
from intake.store.models import ArchiveEntry

COLUMNS = (("序号", "number", 6), (names.TITLE, "name", 10), (id_numbers.TITLE, "id_masked", 22),
           (certificate_numbers.TITLE, "certificate_no_masked", 24), (professions.TITLE, "profession", 22),
           (class_periods.TITLE, "class_period", 14), (institutions.TITLE, "institution", 28),
           ("单位", "employer", 28), ("批次", "batch", 20), ("季度", "quarter", 8),
           ("年度", "year", 6), ("归档日期", "archived_on", 12), ("保管期限至", "retain_until", 12),
           ("原件页（SHA-256 前12位 / 文件内页码）", "pages", 48))


def entry_rows(entries: Sequence[ArchiveEntry]) -> list[dict]:
    rows = []
    for number, e in enumerate(entries, start=1):
        pages = "；".join(f"{p.get('sha256', '')[:12]} 第{p.get('page_in_file')}页（{p.get('kind')}）"
                         for p in e.pages or [])
        rows.append({"number": number, "name": e.name, "id_masked": e.id_masked,
                     "certificate_no_masked": e.certificate_no_masked, "profession": e.profession,
                     "class_period": e.class_period, "institution": e.institution, "employer": e.employer,
                     "batch": e.batch, "quarter": e.quarter, "year": e.year or "",
                     "archived_on": e.archived_at.date().isoformat(), "retain_until": e.retain_until.isoformat(),
                     "pages": pages})
    return rows


def batch_ledger(session: Session, batch: str, out_dir: Path) -> Path:
    entries = list(session.scalars(select(ArchiveEntry).where(ArchiveEntry.batch == batch).order_by(ArchiveEntry.id)))
    return write_sheet(out_dir / f"存档台账_{safe_file_part(batch)}.xlsx", "存档台账", COLUMNS, entry_rows(entries),
                       numeric=("number", "year"))


def year_ledger(session: Session, year: int, out_dir: Path) -> Path:
    entries = list(session.scalars(select(ArchiveEntry).where(ArchiveEntry.year == year)
                                   .order_by(ArchiveEntry.batch, ArchiveEntry.id)))
    return write_sheet(out_dir / f"存档台账_{year}年.xlsx", f"{year}年存档台账", COLUMNS, entry_rows(entries),
                       numeric=("number", "year"))
