"""The records store's tables (names from DESIGN.md's glossary).

Personal fields are stored sealed (`*_enc`, see crypto.py); trainees and prior ledger claims are found by
`id_hash`, the keyed hash of the ID number, which is indexed so that checking one claim never scans.
Money is whole fen in an integer column (exact on SQLite and PostgreSQL alike), Decimal yuan in Python.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# A batch's life (service.batch_states holds the steps and their gates; intake.labels the words).
BATCH_STATUSES = ("draft", "submitted", "reviewed", "publicised", "publicity_ended", "approved", "paid")
OUTCOMES = ("pass", "fail", "needs_review")

# Stable constraint names so that migrations can alter them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Money(TypeDecorator):
    """Decimal yuan in Python, integer fen in the database."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value) / 100


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Institution(Base):
    """培训机构: the training institution that hands in bundles.

    An institution is in the registry (机构名录) once it has its unified social credit code; rows without one
    are only names a batch was given. The names it prints on forms besides its own (short forms, with or
    without 有限公司) are `aliases`; what it is recognised for and any disqualification are rows of their own,
    and every change to any of it is an InstitutionEvent in the audit chain."""

    __tablename__ = "institutions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    recognitions: Mapped[list[Recognition]] = relationship(order_by="Recognition.valid_from",
                                                           cascade="all, delete-orphan")
    disqualifications: Mapped[list[Disqualification]] = relationship(order_by="Disqualification.disqualified_on",
                                                                     cascade="all, delete-orphan")


class Recognition(Base):
    """认定: a competent department recognised the institution for a certificate kind, category or item
    (认定类别 as announced) from one date to another, by an announcement with its number (认定文号)."""

    __tablename__ = "institution_recognitions"
    __table_args__ = (UniqueConstraint("institution_id", "category", "department", "announcement_no", "valid_from",
                                       name="uq_institution_recognitions_what"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    category: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100))
    announcement_no: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)  # open-ended when None


class Disqualification(Base):
    """取消培训资格: from this day on the institution's claims are not eligible (earlier ones are listed)."""

    __tablename__ = "institution_disqualifications"
    __table_args__ = (UniqueConstraint("institution_id", "disqualified_on",
                                       name="uq_institution_disqualifications_day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    disqualified_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)


class InstitutionEvent(Base):
    """A change to the registry: who changed which institution, when, from what to what. Chained like
    decisions (audit.py), so the history of who was recognised when holds up."""

    __tablename__ = "institution_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    who: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    chain_prev: Mapped[str | None] = mapped_column(String(64), unique=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class Employer(Base):
    """单位: the trainee's employer."""

    __tablename__ = "employers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class TrainingClass(Base):
    """班期: one class of one profession with its training dates."""

    __tablename__ = "training_classes"
    __table_args__ = (UniqueConstraint("class_period", "profession", name="uq_training_classes_period_profession"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    class_period: Mapped[str] = mapped_column(String(100))
    profession: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)


class Batch(Base):
    """An application to the bureau: one institution, one quarter, moving draft -> ... -> paid."""

    __tablename__ = "batches"
    __table_args__ = (CheckConstraint("status IN ('draft','submitted','reviewed','publicised','publicity_ended',"
                                      "'approved','paid')", name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    quarter: Mapped[str | None] = mapped_column(String(6))  # "2020Q3"
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    institution: Mapped[Institution | None] = relationship()
    claims: Mapped[list[Claim]] = relationship(back_populates="batch")


class Upload(Base):
    """An original file kept byte for byte under originals/ by its SHA-256."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(500))
    stored_path: Mapped[str] = mapped_column(String(200))  # relative to the data folder
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Set by an admin's disposal after the retention date (archive.dispose): the file is gone on purpose,
    # so integrity checks no longer expect it. The row stays as the record of what was kept and destroyed.
    disposed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Bundle(Base):
    """One reading of a paper bundle: its uploads in page order, identified by their hashes together."""

    __tablename__ = "bundles"
    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 over the uploads' sha256s
    source: Mapped[str] = mapped_column(String(500))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"))
    # The registered institution its roster and agreement name (intake.institutions.matching), when one does.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    engine: Mapped[str] = mapped_column(String(50), default="")
    # Personal values inside (ID, phone and certificate numbers, any string holding a long number) are sealed
    # in place (personal.seal_personal, label "bundle.documents"); read it through bundles.bundle_documents.
    documents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)  # numbers masked (personal.mask_numbers)
    read_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    pages: Mapped[list[Page]] = relationship(back_populates="bundle", order_by="Page.number")


class BundleUpload(Base):
    """Which uploads make a bundle, in order (several photos are one bundle)."""

    __tablename__ = "bundle_uploads"
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundles.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("bundle_id", "number", name="uq_pages_bundle_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundles.id"))
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    number: Mapped[int] = mapped_column(Integer)  # 1-based within the bundle
    kind: Mapped[str] = mapped_column(String(20))
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    # ocr.geometry.PageTransform as JSON: the evidence boxes are in the pixels it makes of the original.
    transform: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # The page's OCR text, sealed (label "page.text"): it holds every trainee's ID and phone number. The
    # archive's full-text index is built from it with those numbers replaced by keyed tokens (archive_text).
    text_enc: Mapped[bytes | None] = mapped_column(LargeBinary)

    bundle: Mapped[Bundle] = relationship(back_populates="pages")


class Trainee(Base):
    """学员, keyed by the keyed hash of the ID number; ID and phone are sealed."""

    __tablename__ = "trainees"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Keyed hash of the phone (FieldCipher.phone_hash): trainees sharing a number are found by index.
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    gender: Mapped[str] = mapped_column(String(4), default="")
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"))

    claims: Mapped[list[Claim]] = relationship(back_populates="trainee")


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("trainee_id", "profession", "certificate_no_hash",
                                       name="uq_certificates_trainee_profession_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"))
    kind: Mapped[str] = mapped_column(String(30), default="")  # special_operation | special_equipment | ""
    # A special-operation 证号 is the holder's ID number: shown masked, kept sealed, matched by keyed hash.
    certificate_no: Mapped[str] = mapped_column(String(100), default="")
    certificate_no_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    certificate_no_hash: Mapped[str] = mapped_column(String(64), default="")
    profession: Mapped[str] = mapped_column(String(100))  # catalogue item when matched, else as printed
    level: Mapped[str | None] = mapped_column(String(50))
    issue_date: Mapped[dt.date | None] = mapped_column(Date)


class Claim(Base):
    """One trainee's subsidy claim for one certificate in one batch."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("batch_id", "trainee_id", "profession", name="uq_claims_batch_trainee_prof"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("bundles.id"))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"))
    # Who claims it: the bundle's registered institution, else the batch's (indexed for the cross-batch checks).
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    profession: Mapped[str] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(50))
    training_date: Mapped[str] = mapped_column(String(30), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    claim_date: Mapped[dt.date] = mapped_column(Date)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    eligible: Mapped[bool | None] = mapped_column()
    page_refs: Mapped[list[Any]] = mapped_column(JSON, default=list)  # evidence: [{"document","page","row"}]

    trainee: Mapped[Trainee] = relationship(back_populates="claims")
    batch: Mapped[Batch] = relationship(back_populates="claims")
    certificate: Mapped[Certificate | None] = relationship()
    decisions: Mapped[list[Decision]] = relationship(back_populates="claim", order_by="Decision.id")


class Finding(Base):
    """A flag raised on a claim by the registry or a signal (intake.findings), with its reason and evidence:
    the other claim where there is one, pages and boxes. Computed again whenever the bundle is stored again;
    the verdicts it leads to are Decisions, which keep the history."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    code: Mapped[str] = mapped_column(String(50), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The claim it was found against (another trainee's, another batch's), so that one is shown it too.
    other_claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    found_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ImageMark(Base):
    """A claim's signature, fingerprint or certificate card as a descriptor (intake.signals.marks), so that
    the same mark in another bundle or batch is found: signatures and fingerprints among the institution's
    agreements (by institution), cards across every batch by the keyed hashes of the number and the name
    read on them (a misread number is still found by the name)."""

    __tablename__ = "image_marks"
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundles.id"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    kind: Mapped[str] = mapped_column(String(20))  # signature | fingerprint | certificate
    page: Mapped[int] = mapped_column(Integer)
    box: Mapped[list[Any]] = mapped_column(JSON, default=list)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    number_key: Mapped[str | None] = mapped_column(String(64))
    name_key: Mapped[str | None] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(String(100), default="")  # the card's 准操项目 / 作业项目


Index("ix_image_marks_institution_kind", ImageMark.institution_id, ImageMark.kind)
Index("ix_image_marks_number_key", ImageMark.kind, ImageMark.number_key)
Index("ix_image_marks_name_key", ImageMark.kind, ImageMark.name_key)


class Decision(Base):
    """One rule's verdict on one claim, with its reason and evidence; history is kept, never overwritten."""

    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint("outcome IN ('pass','fail','needs_review')", name="outcome"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    rule: Mapped[str] = mapped_column(String(50))
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(100), default="system")
    # Audit chain (intake.store.audit): HMAC of the previous row's chain_hash and this row's content. Rows
    # are only ever added; an edit made behind the ORM's back breaks the chain at that row.
    chain_prev: Mapped[str | None] = mapped_column(String(64), unique=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    claim: Mapped[Claim] = relationship(back_populates="decisions")


class Correction(Base):
    """A reviewer's change to a field. Values of sealed fields (ID, phone) are stored sealed too."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id"), index=True)
    field: Mapped[str] = mapped_column(String(50))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    sealed: Mapped[bool] = mapped_column(default=False)
    who: Mapped[str] = mapped_column(String(100))
    when: Mapped[dt.datetime] = mapped_column("corrected_at", DateTime, default=utcnow)  # WHEN is reserved in SQL
    why: Mapped[str] = mapped_column(Text, default="")
    # Audit chain (intake.store.audit): HMAC of the previous row's chain_hash and this row's content. Rows
    # are only ever added; an edit made behind the ORM's back breaks the chain at that row.
    chain_prev: Mapped[str | None] = mapped_column(String(64), unique=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class PriorClaim(Base):
    """A row of the bureau's ledger of earlier claims (台账), as imported."""

    __tablename__ = "prior_claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    # A hash over the row's identifying fields (keyed via id_hash): re-importing the same row adds nothing.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    id_hash: Mapped[str] = mapped_column(String(64), index=True)
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    name: Mapped[str] = mapped_column(String(100), default="")
    profession: Mapped[str] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(50))
    certificate_no: Mapped[str] = mapped_column(String(100), default="")  # masked where it holds an ID number
    certificate_no_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    claim_date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    source_file: Mapped[str] = mapped_column(String(500))
    source_row: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AccessLog(Base):
    """Every view of a full ID number: who, whose, when, why."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    who: Mapped[str] = mapped_column(String(100))
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id"))
    id_hash: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Audit chain (intake.store.audit), as for decisions: a view of a full number cannot be struck out unseen.
    chain_prev: Mapped[str | None] = mapped_column(String(64), unique=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class ArchivedBatch(Base):
    """存档: a batch taken into the archive, with the date until which it must be kept (archival date plus the
    policy's retention years). Disposal is recorded here, never done by deleting this row."""

    __tablename__ = "archived_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), unique=True)
    archived_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    archived_by: Mapped[str] = mapped_column(String(100))
    policy: Mapped[str] = mapped_column(String(200), default="")
    retention_years: Mapped[int] = mapped_column(Integer)
    retain_until: Mapped[dt.date] = mapped_column(Date, index=True)
    indexed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    disposed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    disposed_by: Mapped[str | None] = mapped_column(String(100))

    batch: Mapped[Batch] = relationship()
    documents: Mapped[list[ArchiveDocument]] = relationship(order_by="ArchiveDocument.id")


class ArchiveEntry(Base):
    """One line of the archive index: one claim of an archived batch, with where its evidence lies.

    Only what may be shown or matched is kept: the ID number as its keyed hash and a masked copy, the
    certificate number likewise (a special-operation 证号 is the ID number)."""

    __tablename__ = "archive_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    archived_batch_id: Mapped[int] = mapped_column(ForeignKey("archived_batches.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"))
    name: Mapped[str] = mapped_column(String(100), index=True, default="")
    id_hash: Mapped[str] = mapped_column(String(64), index=True)
    id_masked: Mapped[str] = mapped_column(String(30), default="")
    certificate_no_hash: Mapped[str] = mapped_column(String(64), index=True, default="")
    certificate_no_masked: Mapped[str] = mapped_column(String(100), default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")
    class_period: Mapped[str] = mapped_column(String(100), default="")
    profession: Mapped[str] = mapped_column(String(100), default="")
    batch: Mapped[str] = mapped_column(String(200), index=True)
    quarter: Mapped[str] = mapped_column(String(6), default="")
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    archived_at: Mapped[dt.datetime] = mapped_column(DateTime)
    retain_until: Mapped[dt.date] = mapped_column(Date)
    # Where the evidence is: [{"bundle_id", "page", "kind", "sha256", "path", "page_in_file"}]
    pages: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ArchiveSuffix(Base):
    """"Last 4 to 6 digits" search of the archive index: one keyed hash (FieldCipher.suffix_hash) per
    suffix length of the entry's ID number and phone, so the suffix is matched without being stored."""

    __tablename__ = "archive_suffixes"
    entry_id: Mapped[int] = mapped_column(ForeignKey("archive_entries.id", ondelete="CASCADE"), primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class ArchiveDocument(Base):
    """A generated document kept with an archived batch (under <data>/archive/), with its SHA-256."""

    __tablename__ = "archive_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    archived_batch_id: Mapped[int] = mapped_column(ForeignKey("archived_batches.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(300))
    stored_path: Mapped[str] = mapped_column(String(500))  # relative to the data folder
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)


class ArchiveEvent(Base):
    """The archive's own log: archiving, packing, restoring, disposal and refused disposal, who and when."""

    __tablename__ = "archive_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(30))
    batch: Mapped[str] = mapped_column(String(200), default="")
    who: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class BatchEvent(Base):
    """A step in a batch's life: a change of state, a 退回 with its reason, documents generated. Who, when,
    from which state to which, why, and what came with it (the finance bureau's approval number and date,
    the amount paid, the files made). Chained like decisions (audit.py): the history of a payment holds up."""

    __tablename__ = "batch_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))            # advance | return | generate
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    who: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    chain_prev: Mapped[str | None] = mapped_column(String(64), unique=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class StoreKey(Base):
    """The fingerprint of the key the store's data is sealed and hashed with (keys.py), so that any other key
    is refused before it writes anything. One row. While a key rotation runs (service.key_rotation),
    `next_fingerprint` names the new key and `rotation` records how far it got: an interrupted rotation
    resumes where it stopped, and no other command works on a store half sealed with each key."""

    __tablename__ = "store_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    next_fingerprint: Mapped[str | None] = mapped_column(String(64))
    rotation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


Index("ix_claims_claim_date", Claim.claim_date)
