"""Findings for a bundle's claims as they are stored: the institution its papers name, the registry's flags,
and the signals across trainees, bundles and batches (intake/signals). Called by save_bundle_result after
the claims are stored and before they are decided, so each finding's flag is weighed with the others.

Each finding is a row (Finding) beside its claim and a code in the claim's flags. Storing the bundle again
replaces its claims' findings. A finding against another claim (the same phone, the same certificate image)
is also recorded on that claim, and its flags follow while its batch is open; a locked batch keeps its
verdicts, and the finding shows on the institution's risk page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake.fields.professions import match_profession
from intake.findings import Finding
from intake.institutions.checks import DISQUALIFIED, NOT_RECOGNISED, REGISTRY_FLAGS, match_findings, standing_findings
from intake.institutions.eligibility import InstitutionFacts
from intake.institutions.matching import InstitutionMatch, Known, match_institution
from intake.policy.eligibility import decide_claim, training_end
from intake.policy.policy import Policy
from intake.policy.rules import canonical_profession
from intake.signals import SIGNAL_FLAGS
from intake.signals.dates import date_findings, filing_findings
from intake.signals.images import image_findings, read_marks
from intake.signals.people import person_findings, phone_findings
from intake.store.institutions import facts_of, registered
from intake.store.models import Batch, Bundle, Claim, Institution, Trainee
from intake.store.models import Finding as FindingRow

NO_REGISTRY_NOTE = ("机构名录为空，未核对培训机构的认定和资格（导入名录：subsidy institutions import，"
                    "或网页“机构名录”）(no institutions registry loaded: institutions not checked)")
OPEN_STATUSES = ("draft", "submitted")
FINDING_FLAGS = (*REGISTRY_FLAGS, *SIGNAL_FLAGS)


@dataclass
class BundleFindings:
    per_claim: dict[int, list[Finding]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    bundle_findings: list[Finding] = field(default_factory=list)  # where no trainee fits
    match: InstitutionMatch | None = None


@dataclass(frozen=True)
class Registry:
    known: list[Known]
    facts: dict[int, InstitutionFacts]

    @classmethod
    def load(cls, session: Session) -> Registry | None:
        institutions = registered(session)
        if not institutions:
            return None
        return cls([Known.of(i.id, i.name, i.aliases or []) for i in institutions],
                   {i.id: facts_of(i) for i in institutions})


def read_names(data: dict[str, Any], batch: Batch | None) -> dict[str, str]:
    """The institution's name as each paper prints it (the roster's 培训机构, the agreement's 甲方) and as the
    clerk typed it at upload."""
    names: dict[str, str] = {}
    for doc in data.get("documents", []):
        kind = doc.get("kind")
        value = str((doc.get("fields") or {}).get("institution") or "")
        if kind in ("roster", "agreement") and value and kind not in names:
            names[kind] = value
    if batch is not None and batch.institution is not None:
        names["batch"] = batch.institution.name
    return names


def claim_item(claim: Claim) -> str | None:
    """The catalogue item the claim is for (None when its profession is not in the catalogue)."""
    found = match_profession(canonical_profession(claim.profession))
    return found.item if found else None


def training_start(training_date: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(training_date.split("/")[0]) if training_date else None
    except ValueError:
        return training_end(training_date)


def institution_findings(facts: InstitutionFacts, claim: Claim) -> list[Finding]:
    return standing_findings(facts, claim_item(claim), training_start(claim.training_date), claim.claim_date)


def find_for_bundle(session: Session, bundle: Bundle, batch: Batch | None, data: dict[str, Any],
                    claims: Sequence[Claim | None], policy: Policy) -> BundleFindings:
    """Match the bundle's institution, raise the registry's flags and the signals on its claims, store them;
    findings against claims of other bundles are recorded on those too."""
    out = BundleFindings()
    trainees = list(data.get("trainees", []))
    stored = [c for c in claims if c is not None]
    registry = Registry.load(session)
    facts = None
    if registry is None:
        out.notes.append(NO_REGISTRY_NOTE)
    else:
        out.match = match_institution(read_names(data, batch), registry.known)
        bundle.institution_id = out.match.institution_id
        facts = registry.facts.get(out.match.institution_id) if out.match.institution_id else None
        if batch is not None and batch.institution_id is None and out.match.status == "sure":
            batch.institution_id = out.match.institution_id
    institution_id = bundle.institution_id or (batch.institution_id if batch is not None else None)
    institution = session.get(Institution, institution_id) if institution_id else None
    if not stored and out.match is not None:  # nobody to flag: the bundle itself carries it
        out.bundle_findings = match_findings(out.match)
    for claim in stored:
        claim.institution_id = institution.id if institution is not None else None
    session.flush()
    for trainee, claim in zip(trainees, claims, strict=False):
        if claim is None:
            continue
        found = match_findings(out.match) if out.match is not None else []
        if facts is not None:
            found += institution_findings(facts, claim)
        found += date_findings(trainee, data.get("documents", []))
        found += filing_findings(trainee, data.get("class_filings") or {})
        found += person_findings(session, claim, institution.name if institution else None)
        found += phone_findings(session, claim, session.get(Trainee, claim.trainee_id).phone_hash)
        out.per_claim[claim.id] = found
    marks = read_marks(session, bundle, data, list(claims))
    for claim_id, extra in image_findings(session, bundle, marks, claims_institution(stored)).items():
        out.per_claim.setdefault(claim_id, []).extend(extra)
    _store(session, out.per_claim)
    _mirror(session, out.per_claim, policy)
    return out


def claims_institution(claims: Sequence[Claim]) -> int | None:
    return next((c.institution_id for c in claims if c.institution_id), None)


def _mirror(session: Session, per_claim: dict[int, list[Finding]], policy: Policy) -> None:
    """Each finding against a claim of another bundle, recorded on that claim too (pointing back here); the
    other claim's flags follow its findings, and it is decided again while its batch is open."""
    mine = set(per_claim)
    session.execute(delete(FindingRow).where(FindingRow.other_claim_id.in_(mine), FindingRow.claim_id.not_in(mine)))
    touched: set[int] = set()
    for claim_id, found in per_claim.items():
        for f in found:
            if f.other_claim_id is None or f.other_claim_id in mine:
                continue
            back = {**{k: v for k, v in f.evidence.items() if k != "other"}, "other": _claim_ref(session, claim_id)}
            session.add(FindingRow(claim_id=f.other_claim_id, code=f.code, reason=f.reason, evidence=back,
                                   other_claim_id=claim_id))
            touched.add(f.other_claim_id)
    session.flush()
    for other_id in touched | _pointing_here(session, mine):
        other = session.get(Claim, other_id)
        if other is None:
            continue
        batch = session.get(Batch, other.batch_id)
        if batch is None or batch.status not in OPEN_STATUSES:
            continue  # a locked batch keeps its verdicts; the finding shows on the risk page
        codes = set(session.scalars(select(FindingRow.code).where(FindingRow.claim_id == other_id)))
        kept = [f for f in other.flags or [] if f not in FINDING_FLAGS]
        other.flags = kept + sorted(codes - set(kept))
        decide_claim(session, other, policy)


def _pointing_here(session: Session, mine: set[int]) -> set[int]:
    """Claims elsewhere that had findings against these claims before (their flags may have to go)."""
    return set(session.scalars(select(FindingRow.claim_id).where(FindingRow.other_claim_id.in_(mine),
                                                                 FindingRow.claim_id.not_in(mine)))) if mine else set()


def _claim_ref(session: Session, claim_id: int) -> dict[str, Any]:
    row = session.execute(select(Claim, Trainee.name, Batch.name).join(Trainee, Claim.trainee_id == Trainee.id)
                          .join(Batch, Claim.batch_id == Batch.id).where(Claim.id == claim_id)).first()
    if row is None:
        return {"claim_id": claim_id}
    claim, name, batch = row
    roster = next((r for r in claim.page_refs or [] if r.get("document") in ("roster", "agreement")), {})
    return {"claim_id": claim.id, "name": name, "batch": batch, "bundle_id": claim.bundle_id,
            "training_date": claim.training_date, "page": roster.get("page"), "row": roster.get("row")}


def _store(session: Session, per_claim: dict[int, list[Finding]], codes: Sequence[str] | None = None) -> None:
    """Replace the claims' findings (only those of `codes` when given) and their flags."""
    ids = list(per_claim)
    if not ids:
        return
    stale = delete(FindingRow).where(FindingRow.claim_id.in_(ids))
    if codes is not None:
        stale = stale.where(FindingRow.code.in_(codes))
    session.execute(stale)
    for claim_id, found in per_claim.items():
        for f in found:
            session.add(FindingRow(claim_id=claim_id, code=f.code, reason=f.reason, evidence=f.evidence,
                                   other_claim_id=f.other_claim_id))
        claim = session.get(Claim, claim_id)
        replaced = set(codes) if codes is not None else set(FINDING_FLAGS)
        kept = [flag for flag in claim.flags or [] if flag not in replaced]
        claim.flags = kept + [code for code in dict.fromkeys(f.code for f in found) if code not in kept]
    session.flush()


def findings_of(session: Session, claim_ids: Sequence[int]) -> dict[int, list[FindingRow]]:
    """The stored findings of these claims and those found against them, per claim."""
    out: dict[int, list[FindingRow]] = {i: [] for i in claim_ids}
    rows = session.scalars(select(FindingRow).where(FindingRow.claim_id.in_(claim_ids)).order_by(FindingRow.id))
    for row in rows:
        out[row.claim_id].append(row)
    return out


def recheck_institution(session: Session, institution_id: int) -> list[Claim]:
    """After a change to an institution's recognitions or disqualifications: its claims in open batches get
    their registry flags again (the caller decides them again). Claims of locked batches keep theirs."""
    from intake.store.models import Institution

    institution = session.get(Institution, institution_id)
    if institution is None or institution.credit_code is None:
        return []
    facts = facts_of(institution)
    claims = list(session.scalars(select(Claim).join(Batch, Claim.batch_id == Batch.id)
                                  .where(Claim.institution_id == institution_id, Batch.status.in_(OPEN_STATUSES))))
    _store(session, {c.id: institution_findings(facts, c) for c in claims}, codes=(NOT_RECOGNISED, DISQUALIFIED))
    return claims


def redecide_institution(session: Session, institution_id: int, who: str, policy: Policy) -> int:
    """recheck_institution, then each of those claims decided again (a Decision where a verdict changed)."""
    claims = recheck_institution(session, institution_id)
    for claim in claims:
        decide_claim(session, claim, policy, decided_by=who)
    return len(claims)
