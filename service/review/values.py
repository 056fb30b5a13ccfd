"""The fields a reviewer can check on a claim: where each one's current value lives in the store, how a
typed value is checked before it is accepted, and how a correction is written back.

Values are spread over several rows (the trainee's sealed ID and phone, the claim's profession and dates,
the certificate, the class), so each field has a reader and a writer here and nothing else in the review
code needs to know where a value lives. Typed values are refused on the spot when they cannot be right
(an ID number whose check character does not match, a date that is not a date), with the reason in Chinese.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.fields import certificate_numbers, class_periods, dates, genders, id_numbers, names, phones
from intake.fields.professions import canonical_profession, match_profession
from intake.labels import FIELDS
from intake.policy.eligibility import training_end
from intake.store.db import cipher_of
from intake.store.models import Claim, Trainee, TrainingClass
from intake.store.registry import PLACEHOLDER_PREFIX, get_certificate, get_class, phone_of

TEXT_FIELDS = ("id_number", "name", "gender", "phone", "profession", "certificate_no", "certificate_date",
               "training_date", "class_period")
# Verdict fields: the detector's (or intake's) yes/no that a reviewer confirms or overrides.
VERDICT_FIELDS = ("signature", "certificate_copy")
FIELD_NAMES = FIELDS
VERDICT_NAMES = {"signature": {"yes": "已签字", "no": "未签字"},
                 "certificate_copy": {"yes": "有复印件", "no": "缺复印件"}}
# Corrections of these fields are stored sealed: they are, or may contain, ID and phone numbers.
SEALED_FIELDS = frozenset({"id_number", "phone", "certificate_no"})


class Refused(ValueError):
    """A typed value that cannot be right; the message says why, for the reviewer."""


class Conflict(ValueError):
    """A correction that would make this claim collide with another stored one."""


def current_values(session: Session, claim: Claim) -> dict[str, str]:
    """The claim's values as the store holds them now (ID and phone in full: the form is a logged view)."""
    cipher = cipher_of(session)
    trainee = claim.trainee
    number = cipher.open(trainee.id_number_enc, "trainee.id_number") or ""
    cert = claim.certificate
    cert_no = ""
    if cert is not None:
        cert_no = cipher.open(cert.certificate_no_enc, "certificate.certificate_no") or cert.certificate_no
    klass = session.get(TrainingClass, claim.class_id) if claim.class_id else None
    return {"id_number": "" if number.startswith(PLACEHOLDER_PREFIX) else number, "name": trainee.name,
            "gender": trainee.gender, "phone": phone_of(session, trainee) or "", "profession": claim.profession,
            "certificate_no": cert_no, "training_date": claim.training_date,
            "certificate_date": cert.issue_date.isoformat() if cert is not None and cert.issue_date else "",
            "class_period": klass.class_period if klass else ""}


def clean(field: str, typed: str) -> str:
    """The typed value in the store's form, or Refused with the reason."""
    text = typed.strip()
    if field == "id_number":
        # A reviewer's number is taken as typed: never "corrected" to some other valid number.
        number = id_numbers.normalize_id_text(text)
        check = id_numbers.validate_id(number)
        if not check.valid:
            raise Refused(f"身份证号“{text}”不正确：{check.reason}。请对照扫描件重新输入。")
        return number
    if field == "gender":
        gender = genders.normalize_gender(text)
        if gender is None:
            raise Refused("性别只能是“男”或“女”")
        return gender
    if field == "phone":
        if not text:
            return ""
        phone = phones.normalize_phone(text)
        if not phone.valid:
            raise Refused(f"手机号“{text}”不是有效的手机或固定电话号码")
        return phone.value
    if field == "training_date":
        span = dates.parse_date_range(text)
        if span is None:
            day = dates.parse_date(text)
            if day is None:
                raise Refused("培训日期应写成 2020-05-06/2020-05-20（开始/结束）")
            span = day
        return span
    if field == "certificate_date":
        if not text:
            return ""  # not on the card (or unreadable): the rule then says it could not tell
        day = dates.parse_date(text)
        if day is None:
            raise Refused("取证日期应写成 2020-06-01 这样（证书上的初领日期或批准日期）")
        return day
    if field == "name":
        name = names.normalize_name(text)
        if not name:
            raise Refused("姓名不能为空")
        return name
    if field == "profession":
        value = "".join(text.split())
        if not value:
            raise Refused("专业（工种）不能为空")
        return value
    if field == "class_period":
        return class_periods.normalize_class_period(text)
    if field == "certificate_no":
        return certificate_numbers.normalize_certificate_no(text) if text else ""
    raise Refused(f"未知字段 {field}")


def write_value(session: Session, claim: Claim, field: str, value: str) -> None:
    """Put a checked value where the field lives. An ID number that belongs to a trainee already stored
    moves the claim to that trainee (the misread number had made a second person)."""
    cipher = cipher_of(session)
    trainee = claim.trainee
    if field == "id_number":
        new_hash = cipher.id_hash(value)
        other = session.scalar(select(Trainee).where(Trainee.id_hash == new_hash))
        if other is not None and other.id != trainee.id:
            clash = session.scalar(select(Claim.id).where(Claim.batch_id == claim.batch_id, Claim.id != claim.id,
                                                          Claim.trainee_id == other.id,
                                                          Claim.profession == claim.profession))
            if clash is not None:
                raise Conflict("本批次已有此身份证号同一工种的申请，请核对是否重复申报，或驳回本条")
            other.name = other.name or trainee.name
            other.gender = other.gender or trainee.gender
            other.phone_enc = other.phone_enc or trainee.phone_enc
            claim.trainee_id = other.id
            if claim.certificate is not None:
                number = cipher.open(claim.certificate.certificate_no_enc, "certificate.certificate_no") or ""
                claim.certificate_id = get_certificate(session, other, claim.profession, number,
                                                       kind=claim.certificate.kind).id
            session.flush()
            session.expire(claim, ["trainee", "certificate"])
        else:
            trainee.id_hash = new_hash
            trainee.id_number_enc = cipher.seal(value, "trainee.id_number")
    elif field == "name":
        trainee.name = value
    elif field == "gender":
        trainee.gender = value
    elif field == "phone":
        trainee.phone_enc = cipher.seal(value, "trainee.phone") if value else None
    elif field == "profession":
        profession = canonical_profession(value)
        clash = session.scalar(select(Claim.id).where(Claim.batch_id == claim.batch_id, Claim.id != claim.id,
                                                      Claim.trainee_id == claim.trainee_id,
                                                      Claim.profession == profession))
        if clash is not None:
            raise Conflict("此学员在本批次已有该工种的申请")
        claim.profession = profession
    elif field == "certificate_no":
        found = match_profession(claim.profession)
        claim.certificate_id = get_certificate(session, claim.trainee, claim.profession, value,
                                               kind=found.kind if found else "").id
        session.expire(claim, ["certificate"])
    elif field == "certificate_date":
        cert = claim.certificate
        if cert is None:
            found = match_profession(claim.profession)
            cert = get_certificate(session, claim.trainee, claim.profession, "", kind=found.kind if found else "")
            claim.certificate_id = cert.id
        cert.issue_date = dt.date.fromisoformat(value) if value else None
        session.expire(claim, ["certificate"])
    elif field == "training_date":
        claim.training_date = value
    elif field == "class_period":
        start = dt.date.fromisoformat(claim.training_date.split("/")[0]) if "/" in claim.training_date else None
        claim.class_id = get_class(session, value, claim.profession, start, training_end(claim.training_date)).id \
            if value else None
    else:
        raise Refused(f"未知字段 {field}")
    session.flush()
