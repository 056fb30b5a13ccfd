"""A batch's trainees, claims and certificates, read from the store into plain dataclasses.

Templates and spreadsheets see only these: no SQLAlchemy rows (which would lazy-load inside Jinja), and
personal fields already in the form the document may print — full ID numbers only when the caller asks
for them (Attachments 1 and 2 go to the bureau), each such view written to the access log; masked ones
otherwise. Checks of the data (a missing certificate number, an unknown profession, a character the font
lacks) live here too, so that every generator refuses the same things with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from generators.base import GenerationError, quarter_parts
from generators.fonts import missing_glyphs
from intake.fields.id_numbers import mask_id
from intake.policy.policy import Policy, default_policy
from intake.store.bundles import bundle_documents
from intake.store.db import cipher_of
from intake.store.models import Batch, Bundle, Claim, Trainee, TrainingClass
from intake.store.registry import PLACEHOLDER_PREFIX, phone_of, reveal_id_number

ROSTER_HEADER_FIELDS = ("unit_name", "institution", "filled_by", "contact_phone")


def mask_phone(phone: str) -> str:
    """138****5678: the middle four digits of a mobile number hidden (DOMAIN.md)."""
    if len(phone) == 11 and phone.isdigit():
        return phone[:3] + "****" + phone[7:]
    return phone[:3] + "*" * max(0, len(phone) - 3) if phone else ""


def display_training_date(value: str) -> str:
    """'2020-05-06/2020-05-20' (bundle-result/1) -> '2020.05.06-2020.05.20' as rosters print it."""
    try:
        days = [dt.date.fromisoformat(part) for part in value.split("/") if part]
    except ValueError:
        return value
    return "-".join(d.strftime("%Y.%m.%d") for d in days)


def date_range(value: str) -> tuple[dt.date | None, dt.date | None]:
    try:
        days = [dt.date.fromisoformat(part) for part in value.split("/") if part]
    except ValueError:
        return None, None
    return (days[0], days[-1]) if days else (None, None)


@dataclass(frozen=True)
class TraineeRow:
    """One roster row: a trainee's claim for one certificate."""

    number: int
    name: str
    gender: str
    id_number: str  # full or masked, as the loader was asked
    phone: str
    profession: str
    certificate_no: str
    training_date: str
    class_period: str
    amount: Decimal
    eligible: bool | None = None
    flags: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    masked_id: str = ""

    @property
    def who(self) -> str:
        """How a message names the trainee: row, name and masked ID, never the full number."""
        return f"第{self.number}行 {self.name or '（无姓名）'}（{self.masked_id or '无身份证号'}）"


@dataclass(frozen=True)
class ClassGroup:
    """班期: the trainees of one class of one profession (one Attachment 2 each)."""

    class_period: str
    profession: str
    start: dt.date | None
    end: dt.date | None
    trainees: tuple[TraineeRow, ...]


@dataclass(frozen=True)
class BatchData:
    name: str
    quarter: str
    year: int
    quarter_no: int
    status: str
    institution: str
    unit_name: str
    filled_by: str
    contact_phone: str
    amount_per_person: Decimal
    trainees: tuple[TraineeRow, ...]
    classes: tuple[ClassGroup, ...] = field(default=())

    @property
    def start(self) -> dt.date | None:
        days = [t.start for t in self.trainees if t.start]
        return min(days) if days else None

    @property
    def end(self) -> dt.date | None:
        days = [t.end for t in self.trainees if t.end]
        return max(days) if days else None

    @property
    def certified(self) -> tuple[TraineeRow, ...]:
        return tuple(t for t in self.trainees if t.certificate_no)

    def per_profession(self) -> list[tuple[str, int, int]]:
        """(profession, trained, certified) in the order professions first appear."""
        trained = Counter(t.profession for t in self.trainees)
        certified = Counter(t.profession for t in self.certified)
        return [(p, n, certified[p]) for p, n in trained.items()]


def _header_fields(session: Session, bundle_ids: set[int]) -> dict[str, str]:
    """The roster's header and footer as intake read them (unit name, filler, contact), first found wins."""
    found: dict[str, str] = {}
    if not bundle_ids:
        return found
    for bundle in session.scalars(select(Bundle).where(Bundle.id.in_(bundle_ids)).order_by(Bundle.id)):
        for doc in bundle_documents(session, bundle):
            fields = doc.get("fields") or {}
            if doc.get("kind") == "agreement" and fields.get("institution"):
                found.setdefault("agreement_institution", str(fields["institution"]))
            if doc.get("kind") != "roster":
                continue
            for key in ROSTER_HEADER_FIELDS:
                if fields.get(key):
                    found.setdefault(key, str(fields[key]))
    return found


def load_batch(session: Session, name: str, *, full_ids: bool, who: str = "generator", purpose: str = "",
               policy: Policy | None = None) -> BatchData:
    """The batch's claims in roster order. With `full_ids`, ID and certificate numbers are opened and each
    trainee's view is logged under `who`/`purpose`; otherwise they are masked."""
    policy = policy or default_policy()
    batch = session.scalar(select(Batch).where(Batch.name == name).options(selectinload(Batch.institution)))
    if batch is None:
        raise GenerationError(f"批次 {name}", ["没有这个批次 (unknown batch)"])
    claims = list(session.scalars(
        select(Claim).where(Claim.batch_id == batch.id).order_by(Claim.id)
        .options(selectinload(Claim.trainee), selectinload(Claim.certificate))))
    if not claims:
        raise GenerationError(f"批次 {name}", ["批次中没有学员 (the batch has no trainees)"])
    cipher = cipher_of(session)
    class_ids = {c.class_id for c in claims if c.class_id}
    classes = {k.id: k for k in session.scalars(select(TrainingClass).where(TrainingClass.id.in_(class_ids)))}
    rows: list[TraineeRow] = []
    for number, claim in enumerate(claims, start=1):
        trainee: Trainee = claim.trainee
        sealed_id = cipher.open(trainee.id_number_enc, "trainee.id_number") or ""
        unread = sealed_id.startswith(PLACEHOLDER_PREFIX)
        masked = "" if unread else mask_id(sealed_id)
        if full_ids and not unread:
            id_number = reveal_id_number(session, trainee, who, purpose or f"生成文书 {name}") or ""
        else:
            id_number = masked
        certificate = claim.certificate
        certificate_no = ""
        if certificate is not None and certificate.certificate_no:
            opened = cipher.open(certificate.certificate_no_enc, "certificate.certificate_no")
            certificate_no = opened if full_ids and opened else certificate.certificate_no
        klass = classes.get(claim.class_id) if claim.class_id else None
        start, end = date_range(claim.training_date)
        rows.append(TraineeRow(
            number=number, name=trainee.name, gender=trainee.gender, id_number=id_number,
            phone=(phone_of(session, trainee) or "") if full_ids else mask_phone(phone_of(session, trainee) or ""),
            profession=claim.profession, certificate_no=certificate_no,
            training_date=display_training_date(claim.training_date),
            class_period=klass.class_period if klass else "", amount=claim.amount or policy.amount_per_person,
            eligible=claim.eligible, flags=tuple(claim.flags or ()),
            start=start or (klass.start_date if klass else None), end=end or (klass.end_date if klass else None),
            masked_id=masked))
    header = _header_fields(session, {c.bundle_id for c in claims if c.bundle_id})
    institution = (batch.institution.name if batch.institution else "") or header.get("institution", "") \
        or header.get("agreement_institution", "")
    quarter = batch.quarter or ""
    try:
        year, quarter_no = quarter_parts(quarter)
    except ValueError:
        first = min(c.claim_date for c in claims)
        year, quarter_no = first.year, (first.month - 1) // 3 + 1
        quarter = f"{year}Q{quarter_no}"
    return BatchData(name=batch.name, quarter=quarter, year=year, quarter_no=quarter_no, status=batch.status,
                     institution=institution, unit_name=header.get("unit_name", "") or institution,
                     filled_by=header.get("filled_by", ""), contact_phone=header.get("contact_phone", ""),
                     amount_per_person=policy.amount_per_person, trainees=tuple(rows),
                     classes=group_classes(rows))


def group_classes(rows: list[TraineeRow] | tuple[TraineeRow, ...]) -> tuple[ClassGroup, ...]:
    """Rows grouped by (class period, profession), in the order classes first appear."""
    groups: dict[tuple[str, str], list[TraineeRow]] = {}
    for row in rows:
        groups.setdefault((row.class_period, row.profession), []).append(row)
    out = []
    for (period, profession), members in groups.items():
        starts = [m.start for m in members if m.start]
        ends = [m.end for m in members if m.end]
        out.append(ClassGroup(period, profession, min(starts) if starts else None, max(ends) if ends else None,
                              tuple(members)))
    return tuple(out)


def check_rows(rows: tuple[TraineeRow, ...] | list[TraineeRow], *, font: str, policy: Policy | None = None,
               need_certificate: bool = True, need_id: bool = True) -> list[str]:
    """Every reason the rows cannot be printed, each naming the trainee (empty when all is well)."""
    catalogue = (policy or default_policy()).catalogue_items
    problems = []
    for row in rows:
        if not row.name.strip():
            problems.append(f"{row.who}: 缺少姓名 (no name)")
        if need_id and not row.masked_id:
            problems.append(f"{row.who}: 身份证号未识别 (ID number not read)")
        if need_certificate and not row.certificate_no:
            problems.append(f"{row.who}: 缺少证书编号 (no certificate number)")
        if row.profession not in catalogue:
            problems.append(f"{row.who}: 专业（工种）“{row.profession}”不在证书目录中 (unknown profession)")
        lacking = missing_glyphs(row.name, font)
        if lacking:
            codes = " ".join(f"U+{ord(ch):04X}" for ch in lacking)
            problems.append(f"{row.who}: 姓名中的“{lacking}”({codes}) 字体 {font} 中没有，打印会成为方框；"
                            f"请核对姓名或安装含此字的字体 (the font lacks this character)")
    return problems


def require(subject: str, problems: list[str]) -> None:
    if problems:
        raise GenerationError(subject, problems)


@dataclass(frozen=True)
class QuarterRow:
    """One line of the quarterly report: one institution, one profession."""

    institution: str
    profession: str
    trained: int = 0
    certified: int = 0
    claimed: int = 0
    approved: int = 0
    paid: int = 0
    claimed_amount: Decimal = Decimal(0)
    approved_amount: Decimal = Decimal(0)
    paid_amount: Decimal = Decimal(0)


def load_quarter(session: Session, quarter: str) -> tuple[list[str], list[QuarterRow]]:
    """Counts and amounts of every batch of the quarter, per institution and profession (no personal data).
    trained: roster rows; certified: rows with a certificate number; claimed: certified rows applied for;
    approved: claims the rules passed; paid: approved claims in batches marked paid."""
    quarter_parts(quarter)
    batches = list(session.scalars(select(Batch).where(Batch.quarter == quarter.upper()).order_by(Batch.name)
                                   .options(selectinload(Batch.institution))))
    if not batches:
        raise GenerationError(f"季度 {quarter}", ["这个季度没有任何批次 (no batch in this quarter)"])
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for batch in batches:
        institution = batch.institution.name if batch.institution else ""
        if not institution:
            bundle_ids = set(session.scalars(select(Claim.bundle_id).where(Claim.batch_id == batch.id)))
            header = _header_fields(session, {b for b in bundle_ids if b})
            institution = header.get("institution") or header.get("agreement_institution") or f"（批次 {batch.name}）"
        claims = session.scalars(select(Claim).where(Claim.batch_id == batch.id).order_by(Claim.id)
                                 .options(selectinload(Claim.certificate)))
        for claim in claims:
            t = totals.setdefault((institution, claim.profession), Counter())
            amount = claim.amount or Decimal(0)
            certified = bool(claim.certificate and claim.certificate.certificate_no)
            t["trained"] += 1
            if certified:
                t["certified"] += 1
                t["claimed"] += 1
                t["claimed_amount"] += amount
            if claim.eligible:
                t["approved"] += 1
                t["approved_amount"] += amount
                if batch.status == "paid":
                    t["paid"] += 1
                    t["paid_amount"] += amount
    rows = [QuarterRow(inst, prof, **{k: (Decimal(v) if k.endswith("amount") else v) for k, v in t.items()})
            for (inst, prof), t in totals.items()]
    return [b.name for b in batches], rows
