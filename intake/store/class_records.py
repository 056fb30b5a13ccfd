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

from intake.fields import class_periods, dates, genders, id_numbers, names, phones
from intake.fields.professions import canonical_profession, match_profession
from intake.policy.eligibility import decide_claim, latest_training_end
from intake.policy.policy import Policy
from intake.records import ClassRecord, read_records
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


def _check(record: ClassRecord) -> tuple[dict[str, str], str]:
    """The row's values in the store's form, or the reason it cannot be stored."""
    values = record.values
    number, why = id_numbers.read_typed(values.get("id_number", ""))
    if number is None:
        return {}, why
    name = names.normalize_name(values.get("name", ""))
    if not name:
        return {}, "姓名为空"
    if not values.get("profession"):
        return {}, "专业（工种）为空"
    phone = phones.normalize_phone(values.get("phone", "")) if values.get("phone") else None
    if phone is not None and not phone.valid:
        return {}, f"手机号“{phone.digits[:3]}…”无效"
    training = record.training_text()
    span = dates.read_training(training) if training else None
    if span is not None and not span.valid:
        return {}, f"培训日期“{training}”无法识别"
    year = int(span.value[:4]) if span else None
    gender = genders.normalize_gender(values.get("gender", "")) or ""
    return values | {"id_number": number, "name": name, "gender": gender,
                     "phone": phone.value if phone else "", "training_date": span.value if span else "",
                     "class_period": class_periods.normalize_class_period(values.get("class_period", ""), year)}, ""


def import_records(session: Session, path: Path, batch_name: str | None = None, claim_date: dt.date | None = None,
                   *, policy: Policy, decided_by: str = "system") -> ImportReport:
    report = ImportReport(path.name)
    good = []
    seen: dict[tuple[str, str], int] = {}
    for record in read_records(path):
        row = record.row
        checked, why = _check(record)
        if why:
            report.reject(row, why)
            continue
        key = (checked["id_number"], canonical_profession(checked["profession"]))
        if (first := seen.setdefault(key, row)) != row:
            report.reject(row, f"与第{first}行重复（同一身份证号和工种）")
            continue
        good.append(checked)
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
