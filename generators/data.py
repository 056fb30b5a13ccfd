"""A batch's trainees, claims and certificates, read from the store into plain dataclasses.

Templates and spreadsheets see only these: no SQLAlchemy rows (which would lazy-load inside Jinja), and
personal fields already in the form the document may print — full ID numbers only when the caller asks
for them (Attachments 1 and 2 go to the bureau) and only of the trainees who are listed, each such view
written to the access log; masked ones otherwise. Who is listed is intake.policy.listing's one rule; the
others come with the reasons they are left out. Checks of the data (a missing certificate number, a
character the font lacks) live here too, so that every generator refuses the same things with the same
words.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from generators.base import GenerationError, quarter_parts
from generators.fonts import missing_glyphs
from intake.fields.dates import parse_date
from intake.fields.id_numbers import mask_id
from intake.fields.phones import mask_phone
from intake.policy.listing import LeftOut, is_listed, left_out
from intake.policy.policy import Policy
from intake.store.bundles import bundle_documents
from intake.store.db import cipher_of
from intake.store.models import Batch, Bundle, Claim, Trainee, TrainingClass
from intake.store.registry import PLACEHOLDER_PREFIX, phone_of, reveal_id_number

ROSTER_HEADER_FIELDS = ("unit_name", "institution", "filled_by", "contact_phone", "fill_date")


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
    start: dt.date | None = None
    end: dt.date | None = None
    masked_id: str = ""
    left_out: LeftOut | None = None

    @property
    def listed(self) -> bool:
        return self.left_out is None

    @property
    def who(self) -> str:
        """How a message names the trainee: row, name and masked ID, never the full number."""
        return f"第{self.number}行 {self.name or '（无姓名）'}（{self.masked_id or '无身份证号'}）"

    @property
    def left_out_note(self) -> str:
        return f"{self.who}：未列入（{self.left_out.text}）" if self.left_out else ""


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
    fill_date: dt.date | None = None  # 填表日期 as scanned from the roster (or report)

    @property
    def listed(self) -> tuple[TraineeRow, ...]:
        """The trainees the documents list, numbered 1.. in roster order."""
        return tuple(replace(t, number=i) for i, t in enumerate((t for t in self.trainees if t.listed), start=1))

    @property
    def left_out_notes(self) -> list[str]:
        return [t.left_out_note for t in self.trainees if not t.listed]

    @property
    def classes(self) -> tuple[ClassGroup, ...]:
        return group_classes(self.listed)

    @property
    def start(self) -> dt.date | None:
        days = [t.start for t in self.listed if t.start]
        return min(days) if days else None

    @property
    def end(self) -> dt.date | None:
        days = [t.end for t in self.listed if t.end]
        return max(days) if days else None

    @property
    def amount(self) -> Decimal:
        return sum((t.amount for t in self.listed), Decimal(0))

    def per_profession(self) -> list[tuple[str, int]]:
        """(profession, listed trainees) in the order professions first appear."""
        return list(Counter(t.profession for t in self.listed).items())

    def require_listed(self) -> tuple[TraineeRow, ...]:
        """The listed trainees, or a refusal that names everyone left out and why."""
        if not self.listed:
            raise GenerationError(f"批次 {self.name}", ["没有符合申领补贴条件的学员（须审核通过），无可生成"]
                                  + self.left_out_notes)
        return self.listed


def _header_fields(session: Session, bundle_ids: set[int]) -> dict[str, str]:
    """The roster's header and footer as intake read them (unit name, filler, contact, fill date), first
    found wins; a report's fill date where the roster's was not read."""
    found: dict[str, str] = {}
    if not bundle_ids:
        return found
    for bundle in session.scalars(select(Bundle).where(Bundle.id.in_(bundle_ids)).order_by(Bundle.id)):
        for doc in bundle_documents(session, bundle):
            fields = doc.get("fields") or {}
            if doc.get("kind") == "agreement" and fields.get("institution"):
                found.setdefault("agreement_institution", str(fields["institution"]))
            if doc.get("kind") == "report" and fields.get("fill_date"):
                found.setdefault("report_fill_date", str(fields["fill_date"]))
            if doc.get("kind") != "roster":
                continue
            for key in ROSTER_HEADER_FIELDS:
                if fields.get(key):
                    found.setdefault(key, str(fields[key]))
    return found


def load_batch(session: Session, name: str, *, policy: Policy, full_ids: bool, who: str = "generator",
               purpose: str = "") -> BatchData:
    """The batch's claims in roster order, each listed or with the reasons it is left out. With `full_ids`,
    the ID and certificate numbers of the listed trainees are opened and each view is logged under
    `who`/`purpose`; everything else is masked."""
    batch = session.scalar(select(Batch).where(Batch.name == name).options(selectinload(Batch.institution)))
    if batch is None:
        raise GenerationError(f"批次 {name}", ["没有这个批次"])
    claims = list(session.scalars(
        select(Claim).where(Claim.batch_id == batch.id).order_by(Claim.id)
        .options(selectinload(Claim.trainee), selectinload(Claim.certificate))))
    if not claims:
        raise GenerationError(f"批次 {name}", ["批次中没有学员"])
    cipher = cipher_of(session)
    class_ids = {c.class_id for c in claims if c.class_id}
    classes = {k.id: k for k in session.scalars(select(TrainingClass).where(TrainingClass.id.in_(class_ids)))}
    out = left_out(session, claims)
    rows: list[TraineeRow] = []
    for number, claim in enumerate(claims, start=1):
        trainee: Trainee = claim.trainee
        sealed_id = cipher.open(trainee.id_number_enc, "trainee.id_number") or ""
        unread = sealed_id.startswith(PLACEHOLDER_PREFIX)
        masked = "" if unread else mask_id(sealed_id)
        opened = full_ids and is_listed(claim)
        if opened and not unread:
            id_number = reveal_id_number(session, trainee, who, purpose or f"生成文书 {name}") or ""
        else:
            id_number = masked
        certificate = claim.certificate
        certificate_no = ""
        if certificate is not None and certificate.certificate_no:
            sealed_no = cipher.open(certificate.certificate_no_enc, "certificate.certificate_no")
            certificate_no = sealed_no if opened and sealed_no else certificate.certificate_no
        phone = phone_of(session, trainee) or ""
        klass = classes.get(claim.class_id) if claim.class_id else None
        start, end = date_range(claim.training_date)
        rows.append(TraineeRow(
            number=number, name=trainee.name, gender=trainee.gender, id_number=id_number,
            phone=phone if opened else mask_phone(phone), profession=claim.profession,
            certificate_no=certificate_no, training_date=display_training_date(claim.training_date),
            class_period=klass.class_period if klass else "", amount=claim.amount or policy.amount_per_person,
            start=start or (klass.start_date if klass else None), end=end or (klass.end_date if klass else None),
            masked_id=masked, left_out=out.get(claim.id)))
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
    scanned = parse_date(header.get("fill_date", "")) or parse_date(header.get("report_fill_date", ""))
    return BatchData(name=batch.name, quarter=quarter, year=year, quarter_no=quarter_no, status=batch.status,
                     institution=institution, unit_name=header.get("unit_name", "") or institution,
                     filled_by=header.get("filled_by", ""), contact_phone=header.get("contact_phone", ""),
                     amount_per_person=policy.amount_per_person, trainees=tuple(rows),
                     fill_date=dt.date.fromisoformat(scanned) if scanned else None)


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


def check_rows(rows: tuple[TraineeRow, ...] | list[TraineeRow], *, font: str | None,
               need_certificate: bool = True, need_id: bool = True) -> list[str]:
    """Every reason the rows cannot be printed, each naming the trainee (empty when all is well). Without
    a font (a document that prints no names) the glyphs are not checked."""
    problems = []
    for row in rows:
        if not row.name.strip():
            problems.append(f"{row.who}：缺少姓名")
        if need_id and not row.masked_id:
            problems.append(f"{row.who}：身份证号未识别")
        if need_certificate and not row.certificate_no:
            problems.append(f"{row.who}：缺少证书编号")
        lacking = missing_glyphs(row.name, font) if font else ""
        if lacking:
            codes = " ".join(f"U+{ord(ch):04X}" for ch in lacking)
            problems.append(f"{row.who}：姓名中的“{lacking}”({codes}) 字体 {font} 中没有，打印会成为方框；"
                            f"请核对姓名或安装含此字的字体")
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
    paid: int = 0
    claimed_amount: Decimal = Decimal(0)
    paid_amount: Decimal = Decimal(0)


def _institution_of(session: Session, batch: Batch) -> str:
    if batch.institution:
        return batch.institution.name
    bundle_ids = set(session.scalars(select(Claim.bundle_id).where(Claim.batch_id == batch.id)))
    header = _header_fields(session, {b for b in bundle_ids if b})
    return header.get("institution") or header.get("agreement_institution") or "（培训机构未识别）"


def load_quarter(session: Session, quarter: str) -> list[QuarterRow]:
    """Counts and amounts of the quarter, per institution and profession (no personal data, no batch names).
    trained: roster rows; certified: rows with a certificate number; claimed: the listed claims, those
    Attachments 1 and 3 apply for; paid: listed claims of batches marked paid."""
    quarter_parts(quarter)
    batches = list(session.scalars(select(Batch).where(Batch.quarter == quarter.upper()).order_by(Batch.name)
                                   .options(selectinload(Batch.institution))))
    if not batches:
        raise GenerationError(f"季度 {quarter}", ["这个季度没有任何批次"])
    totals: dict[tuple[str, str], Counter] = {}
    for batch in batches:
        institution = _institution_of(session, batch)
        claims = session.scalars(select(Claim).where(Claim.batch_id == batch.id).order_by(Claim.id)
                                 .options(selectinload(Claim.certificate)))
        for claim in claims:
            t = totals.setdefault((institution, claim.profession), Counter())
            t["trained"] += 1
            t["certified"] += bool(claim.certificate and claim.certificate.certificate_no)
            if is_listed(claim):
                amount = claim.amount or Decimal(0)
                t["claimed"] += 1
                t["claimed_amount"] += amount
                if batch.status == "paid":
                    t["paid"] += 1
                    t["paid_amount"] += amount
    return [QuarterRow(inst, prof, **{k: (Decimal(v) if k.endswith("amount") else v) for k, v in t.items()})
            for (inst, prof), t in sorted(totals.items())]
