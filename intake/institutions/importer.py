"""`subsidy institutions import FILE`: the registry from the departments' list (.xlsx/.xls/.csv).

One row per recognition (an institution recognised for several categories has several rows), headers in any
order: 机构名称 统一社会信用代码 认定类别 认定部门 认定文号 有效期起 有效期止 取消资格日期 取消资格原因, and
optionally 简称 (the short names it prints on forms). A row may carry only the institution, or only its
disqualification. Every row is checked first; refused rows are named with their row number and reason and
the rest go in. Importing the same list again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from intake.fields.credit_codes import read_credit_code
from intake.fields.dates import parse_typed_date
from intake.fields.institutions import REGISTRY_LABELS
from intake.institutions.eligibility import known_category
from intake.institutions.names import split_names, tidy_name
from intake.policy.policy import Policy
from intake.spreadsheets import read_sheets
from intake.store import institutions as registry
from intake.store.findings import redecide_institution
from intake.store.reports import ImportReport
from intake.tabular import Table, find_table
from ocr.errors import InputProblem

LABELS = REGISTRY_LABELS
REQUIRED = ("name", "credit_code")


@dataclass(frozen=True)
class RegistryRow:
    row: int
    name: str
    credit_code: str
    aliases: tuple[str, ...] = ()
    category: str = ""
    department: str = ""
    announcement_no: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    disqualified_on: dt.date | None = None
    disqualified_reason: str = ""


def read_registry(path: Path) -> Table:
    found = find_table(read_sheets(path), REQUIRED, LABELS)
    if isinstance(found, str):
        raise InputProblem(path.name, found)
    if not found.rows:
        raise InputProblem(path.name, "表中没有数据行 (no data rows under the header)")
    return found


def parse_row(row: int, values: dict[str, str]) -> tuple[RegistryRow | None, list[str]]:
    """A row, or None and every reason it is refused."""
    problems: list[str] = []
    name = tidy_name(values.get("name", ""))
    if not name:
        problems.append("机构名称为空")
    code, why = read_credit_code(values.get("credit_code", ""))
    if code is None:
        problems.append(why)
    category = values.get("category", "").strip()
    department = values.get("department", "").strip()
    number = values.get("announcement_no", "").strip()
    start = _date(values, "valid_from", REGISTRY_LABELS["valid_from"][0], problems)
    end = _date(values, "valid_to", REGISTRY_LABELS["valid_to"][0], problems)
    if category:
        if not known_category(category):
            problems.append(f"认定类别“{category}”不是特种作业或特种设备作业的类别或项目")
        for value, what in ((department, REGISTRY_LABELS["department"][0]),
                            (number, REGISTRY_LABELS["announcement_no"][0])):
            if not value:
                problems.append(f"有认定类别而{what}为空")
        if start is None and not values.get("valid_from", "").strip():
            problems.append("有认定类别而有效期起为空")
        if start and end and end < start:
            problems.append(f"有效期止 {end.isoformat()} 早于有效期起 {start.isoformat()}")
    elif department or number or values.get("valid_from", "").strip():
        problems.append("有认定部门、文号或有效期而认定类别为空")
    day = _date(values, "disqualified_on", REGISTRY_LABELS["disqualified_on"][0], problems)
    reason = values.get("disqualified_reason", "").strip()
    if day is not None and not reason:
        problems.append("有取消资格日期而取消资格原因为空")
    if reason and day is None and not values.get("disqualified_on", "").strip():
        problems.append("有取消资格原因而取消资格日期为空")
    if problems:
        return None, problems
    aliases = tuple(split_names(values.get("aliases", "")))
    return RegistryRow(row, name, code, aliases, category, department, number, start, end, day, reason), []


def _date(values: dict[str, str], key: str, label: str, problems: list[str]) -> dt.date | None:
    raw = values.get(key, "").strip()
    if not raw:
        return None
    day = parse_typed_date(raw)
    if day is None:
        problems.append(f"{label}“{raw}”无法识别")
    return day


def import_registry(session: Session, path: Path, policy: Policy, who: str = "cli") -> ImportReport:
    """Check every row, then take the good ones in the caller's transaction (the caller commits once)."""
    table = read_registry(path)
    report = ImportReport(path.name)
    rows: list[RegistryRow] = []
    names: dict[str, tuple[str, int]] = {}
    codes: dict[str, tuple[str, int]] = {}
    for number, values in table.rows:
        parsed, problems = parse_row(number, values)
        if parsed is not None:
            problems = _consistent(parsed, names, codes)
        if problems:
            report.reject(number, "；".join(problems))
            continue
        rows.append(parsed)
    touched: set[int] = set()
    for parsed in rows:
        try:
            institution_id, changed = _apply(session, parsed, who, path.name)
        except registry.RegistryProblem as problem:
            report.reject(parsed.row, str(problem))
            continue
        if changed:
            report.imported += 1
            touched.add(institution_id)
        else:
            report.already += 1
    for institution_id in sorted(touched):  # open claims of a newly disqualified institution, and so on
        redecide_institution(session, institution_id, who, policy)
    return report


def _consistent(row: RegistryRow, names: dict[str, tuple[str, int]], codes: dict[str, tuple[str, int]]) -> list[str]:
    """One code, one name within the file (the first row that says it wins)."""
    code_name, code_row = codes.setdefault(row.credit_code, (row.name, row.row))
    if code_name != row.name:
        return [f"统一社会信用代码 {row.credit_code} 在第{code_row}行是“{code_name}”，此行却是“{row.name}”"]
    name_code, name_row = names.setdefault(row.name, (row.credit_code, row.row))
    if name_code != row.credit_code:
        return [f"机构名称“{row.name}”在第{name_row}行的统一社会信用代码是 {name_code}"]
    return []


def _apply(session: Session, row: RegistryRow, who: str, source: str) -> tuple[int, bool]:
    where = {"source": source, "row": row.row}
    # register refuses (RegistryProblem) before it changes anything, so a refused row leaves nothing behind.
    institution, changed = registry.register(session, row.name, row.credit_code, who, **where)
    if row.aliases:
        changed |= registry.add_aliases(session, institution, list(row.aliases), who, **where)
    if row.category:
        changed |= registry.recognise(session, institution, row.category, row.department, row.announcement_no,
                                      row.valid_from, row.valid_to, who, **where)
    if row.disqualified_on:
        changed |= registry.disqualify(session, institution, row.disqualified_on, row.disqualified_reason, who,
                                       **where)
    return institution.id, changed
