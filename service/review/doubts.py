"""What needs a reviewer's look on a claim, and which intake flags still stand once a reviewer has looked.

A doubt is a field with a reason: a witness read with low confidence, witnesses that disagree, an ID
number that fails its check, a missing signature, seal or certificate copy. A doubt is settled when a
reviewer confirmed or corrected the field (a ReviewField row). The intake flags are then computed anew
from what was on paper (the ReviewFile), the values as they are now and the reviewer's verdicts, so a
flag clears the moment its cause is settled and appears the moment a correction causes it.

Severity follows the policy: a flag the policy fails on (or a rule's failure) is an error (red), one that
only asks for review is a warning (yellow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.fields.id_numbers import gender_from_id, validate_id
from intake.policy.policy import Policy
from intake.policy.rules import FAIL, RULE_FLAGS
from intake.store.models import Bundle, Claim
from ocr.engines import low_confidence
from service.models import ReviewClaim, ReviewField, ReviewSeal
from service.review.evidence import Reading, Witness, reading_of
from service.review.values import TEXT_FIELDS, current_values

ERROR, WARNING = "error", "warning"
SEALED_DOCUMENTS = ("roster", "agreement")   # the documents whose seal every claim rests on
LOW_CONFIDENCE = "识别置信度低"
MISMATCH = "各材料不一致"


@dataclass
class Doubt:
    field: str
    reasons: list[str]
    severity: str                 # error | warning
    settled: ReviewField | None = None

    @property
    def open(self) -> bool:
        return self.settled is None


@dataclass
class SealDoc:
    """A roster or agreement whose seal the claim rests on: what the detector said, what a reviewer said."""

    index: int
    kind: str
    pages: list[int]
    detected: bool | None
    verdict: ReviewSeal | None

    @property
    def present(self) -> bool | None:
        return self.verdict.present if self.verdict is not None else self.detected


@dataclass
class ClaimReview:
    """Everything the form and the queue show of one claim, computed in one place."""

    claim: Claim
    state: ReviewClaim
    reading: Reading
    values: dict[str, str]
    settled: dict[str, ReviewField]
    seals: list[SealDoc]
    doubts: list[Doubt] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)          # intake flags as they stand now
    low: float = 0.0     # below this the engine that read the claim's papers was unsure (ocr.engines)

    @property
    def open_doubts(self) -> list[Doubt]:
        return [d for d in self.doubts if d.open]

    def doubt(self, name: str) -> Doubt | None:
        return next((d for d in self.doubts if d.field == name), None)

    @property
    def signed(self) -> bool | None:
        return _verdict(self.settled.get("signature"), self.reading.signed, "missing_signature",
                        self.reading.intake_flags)

    @property
    def certificate_copy(self) -> bool | None:
        return _verdict(self.settled.get("certificate_copy"), self.reading.certificate_copy,
                        "missing_certificate_copy", self.reading.intake_flags)


def _verdict(settled: ReviewField | None, read: bool | None, flag: str, intake_flags: list[str]) -> bool | None:
    if settled is not None and settled.verdict in ("yes", "no"):
        return settled.verdict == "yes"
    if flag in intake_flags:
        return False
    return read


def severity_of(flag: str, policy: Policy) -> str:
    if flag in RULE_FLAGS.values():
        return ERROR
    return ERROR if policy.flag_outcome(flag) == FAIL else WARNING


def _norm(value: str) -> str:
    return "".join(value.split()).upper()


def _seal_docs(session: Session, claim: Claim) -> list[SealDoc]:
    if claim.bundle_id is None:
        return []
    bundle = session.get(Bundle, claim.bundle_id)
    found = session.scalars(select(ReviewSeal).where(ReviewSeal.bundle_id == claim.bundle_id))
    verdicts = {s.document: s for s in found}
    docs = []
    for i, doc in enumerate(bundle.documents if bundle else []):
        if doc.get("kind") in SEALED_DOCUMENTS:
            docs.append(SealDoc(i, doc["kind"], list(doc.get("pages") or []), doc.get("stamp_present"),
                                verdicts.get(i)))
    return docs


def _text_doubt(name: str, witnesses: list[Witness], value: str, reading: Reading, low: float,
                policy: Policy) -> Doubt | None:
    reasons: list[str] = []
    severity = WARNING
    read = [w for w in witnesses if w.value or w.raw]
    if read and min(w.confidence for w in read) < low:
        reasons.append(f"{LOW_CONFIDENCE}（{min(w.confidence for w in read):.0%}）")
    if len({_norm(w.value) for w in read if w.value}) > 1:
        reasons.append(MISMATCH)
    if any(c.get("field") == name for c in reading.auto_corrections):
        reasons.append("已按校验码自动更正一位，请核对")
    if name == "id_number":
        check = validate_id(value) if value else None
        if check is None or not check.valid:
            reasons.append("身份证号无效" + (f"：{check.reason}" if check else "：未识别"))
            severity = severity_of("invalid_id_number", policy)
    return Doubt(name, reasons, severity) if reasons else None


def gender_mismatch(values: dict[str, Any]) -> bool:
    number, gender = values.get("id_number") or "", values.get("gender") or ""
    return bool(number and gender and validate_id(number).valid and gender_from_id(number) != gender)


def review_claim(session: Session, claim: Claim, state: ReviewClaim, policy: Policy) -> ClaimReview:
    """Build the claim's review: its doubts (settled or not) and the intake flags as they stand now. A witness
    is doubtful below the cut-off of the engine that read the claim's bundle: scores differ by engine."""
    reading = reading_of(session, claim)
    values = current_values(session, claim)
    settled = {f.field: f for f in session.scalars(select(ReviewField).where(ReviewField.claim_id == claim.id))}
    bundle = session.get(Bundle, claim.bundle_id) if claim.bundle_id else None
    low = low_confidence(bundle.engine if bundle else "")
    review = ClaimReview(claim, state, reading, values, settled, _seal_docs(session, claim), low=low)
    doubts: list[Doubt] = []
    for name in TEXT_FIELDS:
        doubt = _text_doubt(name, reading.of(name), values[name], reading, low, policy)
        if name == "gender" and gender_mismatch(values):
            doubt = doubt or Doubt(name, [], WARNING)
            doubt.reasons.append("性别与身份证号不符")
        if doubt is not None:
            doubts.append(doubt)
    signature = [w for w in reading.of("signature") if w.confidence < low]
    reasons = (["未签字"] if review.signed is False else []) + (["签字识别置信度低"] if signature else [])
    if reasons:
        doubts.append(Doubt("signature", reasons, severity_of("missing_signature", policy)
                            if review.signed is False else WARNING))
    if review.certificate_copy is False:
        doubts.append(Doubt("certificate_copy", ["缺证书复印件"], severity_of("missing_certificate_copy", policy)))
    if not reading.witnesses and {"field_mismatch", "low_confidence"} & set(reading.intake_flags):
        doubts.append(Doubt("record", ["识别有疑问，未保存逐项识别证据，请对照原始扫描页核对整条记录"], WARNING))
    for d in doubts:
        d.settled = settled.get(d.field)
    unsealed = [s for s in review.seals if s.detected is False or s.verdict is not None and not s.verdict.present]
    if unsealed or (not review.seals and "missing_stamp" in reading.intake_flags):
        seal = Doubt("seal", [f"{'、'.join(_kind_name(s.kind) for s in unsealed) or '材料'}未检测到公章"],
                     severity_of("missing_stamp", policy))
        if unsealed and all(s.verdict is not None for s in unsealed):
            seal.settled = ReviewField(field="seal", by=unsealed[0].verdict.by, at=unsealed[0].verdict.at)
        doubts.append(seal)
    review.doubts = doubts
    review.flags = intake_flags_now(review)
    return review


def _kind_name(kind: str) -> str:
    return {"roster": "花名册", "agreement": "协议书"}.get(kind, kind)


def intake_flags_now(review: ClaimReview) -> list[str]:
    """Intake's flags re-derived: kept where nothing settled them, cleared or raised by the current values
    and the reviewer's verdicts."""
    open_reasons = [r for d in review.open_doubts for r in d.reasons]
    record_open = any(d.field == "record" for d in review.open_doubts)
    now = {
        "invalid_id_number": not review.values["id_number"] or not validate_id(review.values["id_number"]).valid,
        "gender_id_mismatch": gender_mismatch(review.values),
        "missing_signature": review.signed is False,
        "missing_certificate_copy": review.certificate_copy is False,
        "field_mismatch": any(r == MISMATCH for r in open_reasons) or record_open,
        "low_confidence": any(r.startswith(LOW_CONFIDENCE) for r in open_reasons) or record_open,
    }
    if review.seals:
        now["missing_stamp"] = any(s.present is False for s in review.seals)
    base = list(review.reading.intake_flags)
    if "invalid_id_number" not in base and not review.values["id_number"]:
        now["invalid_id_number"] = False   # an unread number was never flagged invalid; its doubt shows it
    flags = [f for f in base if now.get(f, True)]
    appeared = [f for f in ("invalid_id_number", "gender_id_mismatch", "missing_signature",
                            "missing_certificate_copy", "missing_stamp") if now.get(f) and f not in flags]
    return flags + appeared
