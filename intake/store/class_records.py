"""A class's structured records (the provincial system's Excel export) into the store.

Each valid row becomes (or completes) a trainee, a certificate and a class; with a batch it also becomes a
claim in that batch, decided by the rules. Rows are all checked first; rejected rows are reported by row
number and reason and the rest is written in the caller's one transaction. Idempotent like every store
write: the same file twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.fields.dates import parse_date_range
from intake.fields.phones import normalize_phone
from intake.fields.professions import match_profession
from intake.policy.eligibility import decide_claim, latest_training_end
from intake.policy.policy import Policy, default_policy
from intake.policy.rules import canonical_profession
from intake.spreadsheets import read_sheets
from intake.store.models import Batch, Claim
from intake.store.registry import (
    batch_date,
    find_certificate,
    get_batch,
    get_certificate,
    get_class,
    quarter_of,
    upsert_trainee,
)
from intake.store.reports import ImportReport
from intake.tabular import find_table, read_id_number
from ocr.errors import InputProblem

RECORD_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "gender": ("性别",),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
    "phone": ("手机", "手机号", "手机号码", "联系电话"),
    "profession": ("专业（工种）", "专业", "工种", "培训专业"),
    "certificate_no": ("证书编号", "证书号", "证书号码"),
    "training_date": ("培训日期", "培训时间", "培训起止日期"),
    "class_period": ("班期", "期次", "班次"),
}
REQUIRED = ("name", "id_number", "profession")


def _check(values: dict[str, str]) -> tuple[dict[str, str], str]:
    number, why = read_id_number(values.get("id_number", ""))
    if number is None:
        return {}, why
    if not values.get("name"):
        return {}, "姓名为空"
    if not values.get("profession"):
        return {}, "专业（工种）为空"
    phone = normalize_phone(values.get("phone", "")) if values.get("phone") else None
    if phone is not None and not phone.valid:
        return {}, f"手机号“{phone.digits[:3]}…”无效"
    training = values.get("training_date", "")
    span = parse_date_range(training) if training else ""
    if training and not span:
        return {}, f"培训日期“{training}”无法识别"
    return values | {"id_number": number, "phone": phone.value if phone else "", "training_date": span or ""}, ""


def import_records(session: Session, path: Path, batch_name: str | None = None, claim_date: dt.date | None = None,
                   policy: Policy | None = None, decided_by: str = "system") -> ImportReport:
    found = find_table(read_sheets(path), RECORD_LABELS, REQUIRED)
    if isinstance(found, str):
        raise InputProblem(path.name, found)
    report = ImportReport(path.name)
    good = []
    seen: dict[tuple[str, str], int] = {}
    for row, values in found.rows:
        checked, why = _check(values)
        if why:
            report.reject(row, why)
            continue
        key = (checked["id_number"], canonical_profession(checked["profession"]))
        if (first := seen.setdefault(key, row)) != row:
            report.reject(row, f"与第{first}行重复（同一身份证号和工种）")
            continue
        good.append(checked)
    policy = policy or default_policy()
    # A past class's records keep their own year: the batch's date, else the end of their training.
    day = (claim_date or (batch_date(session, batch_name) if batch_name else None)
           or latest_training_end(v.get("training_date", "") for v in good) or dt.date.today())
    batch = get_batch(session, batch_name, quarter=quarter_of(day)) if batch_name else None
    for values in good:
        if _store_row(session, values, batch, day, policy, decided_by):
            report.imported += 1
        else:
            report.already += 1
    return report


def _store_row(session: Session, values: dict[str, str], batch: Batch | None, day: dt.date, policy: Policy,
               decided_by: str) -> bool:
    """Store one checked row; False when it was all there already."""
    trainee = upsert_trainee(session, values["id_number"], values["name"], values.get("gender", ""), values["phone"])
    profession = canonical_profession(values["profession"])
    found = match_profession(profession)
    known = find_certificate(session, trainee, profession, values.get("certificate_no", "")) is not None
    certificate = get_certificate(session, trainee, profession, values.get("certificate_no", ""),
                                  kind=found.kind if found else "")
    span = values.get("training_date", "")
    training_class = None
    if values.get("class_period"):
        start, end = (dt.date.fromisoformat(d) for d in span.split("/")) if span else (None, None)
        training_class = get_class(session, values["class_period"], profession, start, end)
    if batch is None:
        return not known
    claim = session.scalar(select(Claim).where(Claim.batch_id == batch.id, Claim.trainee_id == trainee.id,
                                               Claim.profession == profession))
    new = claim is None
    if new:
        claim = Claim(batch_id=batch.id, trainee_id=trainee.id, profession=profession, amount=policy.amount_per_person,
                      claim_date=day, flags=[], page_refs=[])
        session.add(claim)
    claim.certificate_id = certificate.id
    claim.class_id = training_class.id if training_class else claim.class_id
    claim.training_date = span or claim.training_date or ""
    session.flush()
    decide_claim(session, claim, policy, decided_by)
    return new
