"""What each witness said about each field, kept for the review form.

The store keeps a claim's page references but not the witnesses' values, confidences and boxes (values are
full ID and phone numbers). The reviewer needs exactly those beside the crops, so after intake stores a
bundle, `keep_evidence` seals each trainee's evidence with the store's field cipher into a ReviewFile row
per claim, together with the flags intake raised (the starting point whenever the checks are re-run).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.policy.policy import Policy
from intake.policy.rules import RULE_FLAGS
from intake.result import BundleResult
from intake.store.bundles import SavedBundle, save_bundle_result
from intake.store.db import cipher_of
from intake.store.models import Claim
from service.models import ReviewClaim, ReviewFile

LABEL = "review.evidence"


@dataclass
class Witness:
    """One reading of one field: which document and page, which row, what it said, how sure, where."""

    index: int
    document: str
    page: int
    row: int | None
    field: str
    value: str
    raw: str
    confidence: float
    box: list[int]

    @property
    def has_box(self) -> bool:
        return self.page > 0 and len(self.box) == 4 and self.box[2] > self.box[0] and self.box[3] > self.box[1]


@dataclass
class Reading:
    """A claim's reading as intake left it (opened from its ReviewFile)."""

    intake_flags: list[str] = field(default_factory=list)
    witnesses: list[Witness] = field(default_factory=list)
    signed: bool | None = None
    certificate_copy: bool | None = None
    auto_corrections: list[dict[str, Any]] = field(default_factory=list)

    def of(self, name: str) -> list[Witness]:
        return [w for w in self.witnesses if w.field == name]


def _witnesses(evidence: Sequence[dict[str, Any]]) -> list[Witness]:
    out = []
    for i, e in enumerate(evidence):
        box = [int(v) for v in (e.get("box") or [])]
        out.append(Witness(i, str(e.get("document") or ""), int(e.get("page") or 0), e.get("row"),
                           str(e.get("field") or ""), str(e.get("value") or ""), str(e.get("raw") or ""),
                           float(e.get("confidence") if e.get("confidence") is not None else 1.0), box))
    return out


def keep_evidence(session: Session, saved: SavedBundle, result: BundleResult | dict[str, Any]) -> int:
    """Seal each claimed trainee's evidence into its claim's ReviewFile (replacing an earlier reading of the
    same bundle) and open its review; returns how many claims were kept. The caller commits."""
    data = result.to_json() if isinstance(result, BundleResult) else result
    trainees = list(data.get("trainees", []))
    cipher = cipher_of(session)
    kept = 0
    claims = iter(saved.claims)
    for trainee, verdict in zip(trainees, saved.verdicts, strict=False):
        if verdict is None:
            continue
        claim = session.get(Claim, next(claims))
        if claim is None:
            continue
        payload = {"evidence": trainee.get("evidence", []), "signed": trainee.get("signed"),
                   "certificate_copy": trainee.get("certificate_copy"),
                   "corrections": trainee.get("corrections", [])}
        row = session.get(ReviewFile, claim.id) or ReviewFile(claim_id=claim.id)
        row.bundle_id = claim.bundle_id
        row.intake_flags = [f for f in (trainee.get("flags") or []) if f not in RULE_FLAGS.values()]
        row.evidence_enc = cipher.seal(json.dumps(payload, ensure_ascii=False), LABEL)
        session.add(row)
        if session.get(ReviewClaim, claim.id) is None:
            session.add(ReviewClaim(claim_id=claim.id, batch_id=claim.batch_id))
        kept += 1
    session.flush()
    return kept


def take_in(session: Session, result: BundleResult | dict[str, Any], upload_ids: Sequence[int], batch: str,
            policy: Policy, decided_by: str = "system") -> SavedBundle:
    """Store a reading and keep its evidence for review in one go (what an intake job does with a batch)."""
    saved = save_bundle_result(session, result, upload_ids, batch, policy=policy, decided_by=decided_by)
    keep_evidence(session, saved, result)
    return saved


def reading_of(session: Session, claim: Claim) -> Reading:
    """The claim's reading; a claim stored without one (e.g. by `subsidy intake --batch`) gets its current
    flags as intake's and no witnesses, so the form falls back to the pages the claim names."""
    row = session.get(ReviewFile, claim.id)
    if row is None:
        return Reading(intake_flags=[f for f in claim.flags or [] if f not in RULE_FLAGS.values()])
    payload = json.loads(cipher_of(session).open(row.evidence_enc, LABEL) or "{}")
    return Reading(list(row.intake_flags or []), _witnesses(payload.get("evidence", [])), payload.get("signed"),
                   payload.get("certificate_copy"), list(payload.get("corrections", [])))


def ensure_review_rows(session: Session, batch_id: int) -> None:
    """Open a review (ReviewClaim and ReviewFile) for every claim of the batch that has none yet, so that
    claims stored by other paths are reviewed the same way. Commits on its own: it is the first thing a
    page does, before any form is built on the rows."""
    have = set(session.scalars(select(ReviewClaim.claim_id).where(ReviewClaim.batch_id == batch_id)))
    missing = [c for c in session.scalars(select(Claim).where(Claim.batch_id == batch_id)) if c.id not in have]
    if not missing:
        return
    for claim in missing:
        session.add(ReviewClaim(claim_id=claim.id, batch_id=batch_id))
        if session.get(ReviewFile, claim.id) is None:
            session.add(ReviewFile(claim_id=claim.id, bundle_id=claim.bundle_id,
                                   intake_flags=[f for f in claim.flags or [] if f not in RULE_FLAGS.values()]))
    try:
        session.commit()
    except IntegrityError:  # another request opened them at the same moment: theirs are as good
        session.rollback()
