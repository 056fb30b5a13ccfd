"""Finding or creating the records that many imports share: trainees, batches, classes, certificates.

Every function here is idempotent: called twice with the same facts it returns the same row, so a
bundle or a spreadsheet taken in twice adds nothing. Full ID numbers are revealed only through
`reveal_id_number`, which writes the access log.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.fields.certificate_numbers import mask_certificate_no
from intake.store.db import cipher_of
from intake.store.models import (
    AccessLog,
    Batch,
    Certificate,
    Claim,
    Employer,
    Institution,
    Trainee,
    TrainingClass,
)

PLACEHOLDER_PREFIX = "unread:"
_Named = TypeVar("_Named", Institution, Employer)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def trainee_by_id_number(session: Session, id_number: str) -> Trainee | None:
    return session.scalar(select(Trainee).where(Trainee.id_hash == cipher_of(session).id_hash(id_number)))


def upsert_trainee(session: Session, id_number: str, name: str = "", gender: str = "", phone: str = "") -> Trainee:
    """The trainee with this ID number, created or completed with what is newly known (never blanked)."""
    cipher = cipher_of(session)
    id_hash = cipher.id_hash(id_number)
    trainee = session.scalar(select(Trainee).where(Trainee.id_hash == id_hash))
    if trainee is None:
        trainee = Trainee(id_hash=id_hash, id_number_enc=cipher.seal(id_number, "trainee.id_number"))
        session.add(trainee)
    if name and trainee.name != name:
        trainee.name = name
    if gender and trainee.gender != gender:
        trainee.gender = gender
    if phone and cipher.open(trainee.phone_enc, "trainee.phone") != phone:
        trainee.phone_enc = cipher.seal(phone, "trainee.phone")
        trainee.phone_hash = cipher.phone_hash(phone)
    session.flush()
    return trainee


def reveal_id_number(session: Session, trainee: Trainee, who: str, purpose: str) -> str | None:
    """The full ID number, for work that needs it; the view is logged."""
    session.add(AccessLog(who=who, trainee_id=trainee.id, id_hash=trainee.id_hash, purpose=purpose))
    session.flush()
    return cipher_of(session).open(trainee.id_number_enc, "trainee.id_number")


def phone_of(session: Session, trainee: Trainee) -> str | None:
    return cipher_of(session).open(trainee.phone_enc, "trainee.phone")


def batch_date(session: Session, name: str) -> dt.date | None:
    """The date an existing batch's claims were made on (its earliest), or None for a new batch."""
    return session.scalar(select(func.min(Claim.claim_date)).join(Batch, Claim.batch_id == Batch.id)
                          .where(Batch.name == name))


def get_batch(session: Session, name: str, quarter: str | None = None, institution: str | None = None) -> Batch:
    batch = session.scalar(select(Batch).where(Batch.name == name))
    if batch is None:
        batch = Batch(name=name, quarter=quarter, status="draft")
        session.add(batch)
    if institution and batch.institution_id is None:
        batch.institution_id = get_institution(session, institution).id
    if quarter and not batch.quarter:
        batch.quarter = quarter
    session.flush()
    return batch


def get_institution(session: Session, name: str) -> Institution:
    return _by_name(session, Institution, name)


def get_employer(session: Session, name: str) -> Employer:
    return _by_name(session, Employer, name)


def _by_name(session: Session, model: type[_Named], name: str) -> _Named:
    found = session.scalar(select(model).where(model.name == name))
    if found is None:
        found = model(name=name)
        session.add(found)
        session.flush()
    return found


def get_class(session: Session, class_period: str, profession: str, start: dt.date | None = None,
              end: dt.date | None = None) -> TrainingClass:
    found = session.scalar(select(TrainingClass).where(TrainingClass.class_period == class_period,
                                                       TrainingClass.profession == profession))
    if found is None:
        found = TrainingClass(class_period=class_period, profession=profession)
        session.add(found)
    found.start_date = found.start_date or start
    found.end_date = found.end_date or end
    session.flush()
    return found


def find_certificate(session: Session, trainee: Trainee, profession: str, certificate_no: str) -> Certificate | None:
    no_hash = cipher_of(session).keyed_hash(certificate_no) if certificate_no else ""
    return session.scalar(select(Certificate).where(Certificate.trainee_id == trainee.id,
                                                    Certificate.profession == profession,
                                                    Certificate.certificate_no_hash == no_hash))


def get_certificate(session: Session, trainee: Trainee, profession: str, certificate_no: str, kind: str = "",
                    level: str | None = None, issue_date: dt.date | None = None) -> Certificate:
    """The trainee's certificate for this profession and number; the number is stored masked and sealed."""
    found = find_certificate(session, trainee, profession, certificate_no)
    if found is None:
        cipher = cipher_of(session)
        found = Certificate(trainee_id=trainee.id, profession=profession, kind=kind, level=level,
                            certificate_no=mask_certificate_no(certificate_no),
                            certificate_no_hash=cipher.keyed_hash(certificate_no) if certificate_no else "",
                            certificate_no_enc=cipher.seal(certificate_no, "certificate.certificate_no"))
        session.add(found)
    found.issue_date = found.issue_date or issue_date
    session.flush()
    return found
