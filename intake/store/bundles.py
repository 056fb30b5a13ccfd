"""A bundle's reading (bundle-result/1) into the store: the bundle, its pages, trainees, claims, decisions.

Idempotent: a bundle is identified by the SHA-256s of its uploads in order, a trainee by the keyed hash of
the ID number, a claim by (batch, trainee, profession); running the same bundle twice updates the same rows
and adds decisions only where a verdict changed. The caller commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.fields.dates import parse_date
from intake.fields.professions import canonical_profession, match_profession
from intake.policy.eligibility import decide_claim, latest_training_end, training_end
from intake.policy.policy import Policy
from intake.result import BundleResult
from intake.store.db import cipher_of
from intake.store.findings import find_for_bundle
from intake.store.models import Batch, Bundle, BundleUpload, Claim, Page, Upload
from intake.store.personal import mask_numbers, open_personal, seal_personal
from intake.store.registry import (
    PLACEHOLDER_PREFIX,
    batch_date,
    get_batch,
    get_certificate,
    get_class,
    quarter_of,
    upsert_trainee,
)
from intake.store.uploads import store_upload

DOCUMENTS_LABEL, PAGE_TEXT_LABEL = "bundle.documents", "page.text"


@dataclass
class SavedBundle:
    bundle_id: int
    batch: str | None
    claims: list[int] = field(default_factory=list)
    # Per trainee of the result, in order: the flags and eligibility the rules gave (None when not claimed).
    verdicts: list[tuple[list[str], bool | None] | None] = field(default_factory=list)
    # Per trainee, the registry's and the signals' findings with their evidence (intake.store.findings).
    findings: list[list[dict[str, Any]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bundle_findings: list[dict[str, Any]] = field(default_factory=list)  # the bundle's, where no trainee fits


def bundle_fingerprint(sha256s: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sha256s).encode()).hexdigest()


def read_claim_date(result: dict[str, Any]) -> dt.date | None:
    """The report's or roster's fill date, when it was read."""
    for doc in result.get("documents", []):
        if doc.get("kind") in ("report", "roster"):
            text = str((doc.get("fields") or {}).get("fill_date") or "")
            if iso := parse_date(text):
                return dt.date.fromisoformat(iso)
    return None


def papers_date(result: dict[str, Any], default: dt.date | None = None) -> dt.date | None:
    """A date the papers (or the batch) give the application: the fill date when read, else `default` (the
    batch's own date), else the end of the latest training — an application follows its training, so a past
    batch keeps its year and quarter; None when nothing says a date."""
    trainings = (str(t.get("training_date") or "") for t in result.get("trainees", []))
    return read_claim_date(result) or default or latest_training_end(trainings)


def claim_date_of(result: dict[str, Any], default: dt.date | None = None) -> dt.date:
    """The application's date: what the papers say (papers_date), and only for a bundle that says nothing
    of dates, today."""
    return papers_date(result, default) or dt.date.today()


class BundleElsewhere(ValueError):
    """The same files are already a bundle of another batch: a batch owns its bundles, they never move."""


def bundle_owner(session: Session, sha256s: Sequence[str]) -> tuple[Bundle, Batch] | None:
    """The bundle made of exactly these files, and the batch that holds it, if there is one."""
    found = session.execute(select(Bundle, Batch).join(Batch, Bundle.batch_id == Batch.id)
                            .where(Bundle.fingerprint == bundle_fingerprint(sha256s))).first()
    return (found[0], found[1]) if found else None


def refuse_if_elsewhere(session: Session, sha256s: Sequence[str], batch_name: str, source: str) -> None:
    owner = bundle_owner(session, sha256s)
    if owner is not None and owner[1].name != batch_name:
        raise BundleElsewhere(f"{source}: 这份材料已在批次“{owner[1].name}”中（材料 {owner[0].id}），不能再收入"
                              f"批次“{batch_name}”；一份材料只属于一个批次 (already in another batch: not moved)")


def save_bundle_result(session: Session, result: BundleResult | dict[str, Any], upload_ids: Sequence[int],
                       batch_name: str | None, *, policy: Policy, claim_date: dt.date | None = None,
                       decided_by: str = "system") -> SavedBundle:
    """Store a bundle's reading. Without a batch, the bundle, pages and trainees are stored but no claims."""
    data = result.to_json() if isinstance(result, BundleResult) else result
    uploads = [session.get(Upload, i) for i in upload_ids]
    if any(u is None for u in uploads):
        raise ValueError(f"unknown upload id in {list(upload_ids)}")
    if batch_name:
        refuse_if_elsewhere(session, [u.sha256 for u in uploads], batch_name, str(data.get("source", "")))
    bundle = _upsert_bundle(session, data, uploads)
    _upsert_pages(session, bundle, data, uploads)
    known = claim_date or papers_date(data, batch_date(session, batch_name) if batch_name else None)
    day = known or dt.date.today()
    # The quarter only from a date on the papers (or given): never invented from today's date.
    batch = get_batch(session, batch_name, quarter=quarter_of(known) if known else None) if batch_name else None
    if batch is not None:
        bundle.batch_id = batch.id
    saved = SavedBundle(bundle.id, batch_name)
    claims: list[Claim | None] = []
    for index, trainee in enumerate(data.get("trainees", [])):
        claims.append(_save_trainee(session, bundle, batch, trainee, index, day, policy))
    found = find_for_bundle(session, bundle, batch, data, claims, policy) if batch is not None else None
    saved.notes = found.notes if found is not None else []
    saved.bundle_findings = [f.to_json() for f in found.bundle_findings] if found is not None else []
    for claim in claims:
        saved.findings.append([f.to_json() for f in found.per_claim.get(claim.id, [])] if claim and found else [])
        if claim is None:
            saved.verdicts.append(None)
            continue
        decide_claim(session, claim, policy, decided_by)
        saved.claims.append(claim.id)
        saved.verdicts.append((list(claim.flags), claim.eligible))
    return saved


def record_bundle(session: Session, data_dir: Path, files: Sequence[Path], result: BundleResult, batch_name: str | None,
                  *, policy: Policy, uploaded_by: str = "cli", claim_date: dt.date | None = None) -> SavedBundle:
    """What `subsidy intake --batch` does with a store: keep the originals, store the reading, and write the
    store's verdicts back into `result`. The caller commits (the originals are already safely on disk)."""
    uploads = [store_upload(session, data_dir, f, uploaded_by) for f in files]
    saved = save_bundle_result(session, result, [u.id for u in uploads], batch_name, claim_date=claim_date,
                               policy=policy)
    apply_verdicts(result, saved)
    return saved


def apply_verdicts(result: BundleResult, saved: SavedBundle) -> None:
    """Write the store's flags, findings and eligibility back into the result (the bundle-result/1 fields)."""
    for trainee, verdict, findings in zip(result.trainees, saved.verdicts, saved.findings, strict=True):
        if verdict is not None:
            flags, ok = verdict
            for f in flags:
                trainee.flag(f)
            trainee.eligible = ok
        trainee.findings = findings
    result.notes.extend(note for note in saved.notes if note not in result.notes)
    result.findings = list(saved.bundle_findings)


def _upsert_bundle(session: Session, data: dict[str, Any], uploads: list[Upload]) -> Bundle:
    fingerprint = bundle_fingerprint([u.sha256 for u in uploads])
    bundle = session.scalar(select(Bundle).where(Bundle.fingerprint == fingerprint))
    if bundle is None:
        bundle = Bundle(fingerprint=fingerprint, source=mask_numbers(str(data.get("source", ""))))
        session.add(bundle)
        session.flush()
        for position, upload in enumerate(uploads):
            session.add(BundleUpload(bundle_id=bundle.id, position=position, upload_id=upload.id))
    bundle.engine = str(data.get("engine", ""))
    bundle.documents = seal_personal(list(data.get("documents", [])), cipher_of(session), DOCUMENTS_LABEL)
    bundle.problems = [mask_numbers(str(p)) for p in data.get("problems", [])]
    session.flush()
    return bundle


def bundle_documents(session: Session, bundle: Bundle) -> list[dict[str, Any]]:
    """The bundle's documents as read, personal values opened (for the generators and the package)."""
    return open_personal(list(bundle.documents or []), cipher_of(session), DOCUMENTS_LABEL)


def page_text(session: Session, page: Page) -> str:
    return cipher_of(session).open(page.text_enc, PAGE_TEXT_LABEL) or ""


def _upsert_pages(session: Session, bundle: Bundle, data: dict[str, Any], uploads: list[Upload]) -> None:
    by_name = {u.original_name: u for u in uploads}
    existing = {p.number: p for p in session.scalars(select(Page).where(Page.bundle_id == bundle.id))}
    for page in data.get("pages", []):
        number = int(page["page"])
        source = mask_numbers(str(page.get("source", "")))  # upload names are stored masked
        upload = by_name.get(source) or (uploads[0] if len(uploads) == 1 else None)
        row = existing.get(number) or Page(bundle_id=bundle.id, number=number)
        row.kind = str(page.get("kind", "unknown"))
        row.rotation = int(page.get("rotation", 0))
        row.transform = page.get("transform")
        row.upload_id = upload.id if upload else None
        if page.get("text"):  # sealed: a roster page's text holds every trainee's ID and phone number
            row.text_enc = cipher_of(session).seal(str(page["text"]), PAGE_TEXT_LABEL)
        session.add(row)
    session.flush()


def _page_refs(trainee: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the trainee's fields were read: document, page, row, field; never the values (they may be IDs)."""
    refs, seen = [], set()
    for e in trainee.get("evidence", []):
        key = (e.get("document"), e.get("page"), e.get("row"), e.get("field"))
        if key not in seen:
            seen.add(key)
            refs.append(dict(zip(("document", "page", "row", "field"), key, strict=True)))
    return refs


def _save_trainee(session: Session, bundle: Bundle, batch: Any, data: dict[str, Any], index: int, day: dt.date,
                  policy: Policy) -> Claim | None:
    id_number = str(data.get("id_number") or "")
    # A trainee whose number could not be read at all still needs a row for review, keyed to this bundle.
    key = id_number or f"{PLACEHOLDER_PREFIX}{bundle.fingerprint}:{index}"
    trainee = upsert_trainee(session, key, data.get("name", ""), data.get("gender", ""), data.get("phone", ""))
    if batch is None:
        return None
    profession = canonical_profession(str(data.get("profession") or ""))
    found = match_profession(profession)
    certificate = get_certificate(session, trainee, profession, str(data.get("certificate_no") or ""),
                                  kind=found.kind if found else "")
    training_date = str(data.get("training_date") or "")
    training_class = None
    if data.get("class_period"):
        start = dt.date.fromisoformat(training_date.split("/")[0]) if "/" in training_date else None
        training_class = get_class(session, str(data["class_period"]), profession, start, training_end(training_date))
    claim = session.scalar(select(Claim).where(Claim.batch_id == batch.id, Claim.trainee_id == trainee.id,
                                               Claim.profession == profession))
    if claim is None:
        claim = Claim(batch_id=batch.id, trainee_id=trainee.id, profession=profession)
        session.add(claim)
    claim.certificate_id = certificate.id
    claim.bundle_id = bundle.id
    claim.class_id = training_class.id if training_class else None
    claim.training_date = training_date
    claim.amount = policy.amount_per_person
    claim.claim_date = day
    claim.flags = [str(f) for f in data.get("flags", [])]
    claim.page_refs = _page_refs(data)
    session.flush()
    return claim
