"""One hand for many, one print pasted twice, one card copied again: the marks of a bundle's agreement rows
and certificate cards compared with each other and with those already stored.

Signatures and fingerprints are compared within the bundle and with the institution's other agreements
(index on institution and kind); cards with every stored card whose number or name read the same (indexed
keyed hashes), then by picture. Each finding names both pages and boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake.findings import Finding
from intake.signals.dates import trainee_cards
from intake.signals.marks import (
    SAME_CARD,
    SAME_HAND,
    SAME_PRINT,
    Mark,
    card_mark,
    fingerprint_mark,
    from_bytes,
    mark_likeness,
    red_mark,
    signature_mark,
    strokes_only,
)
from intake.store.db import cipher_of
from intake.store.models import Batch, Bundle, Claim, ImageMark, Trainee
from intake.store.page_images import upright_pages

SAME_HAND_FLAG, SAME_PRINT_FLAG, CARD_FLAG = "signature_same_hand", "fingerprint_same_image", "certificate_image_reused"
THRESHOLDS = {"signature": SAME_HAND, "fingerprint": SAME_PRINT, "certificate": SAME_CARD}
FLAGS = {"signature": SAME_HAND_FLAG, "fingerprint": SAME_PRINT_FLAG, "certificate": CARD_FLAG}
WORDS = {"signature": "签字与{who}的签字出自同一人之手（相似度{score:.2f}）",
         "fingerprint": "手印与{who}的手印是同一图像（相似度{score:.2f}）",
         "certificate": "证书复印件与{who}的证书复印件是同一张图（相似度{score:.2f}）"}
# A signature this much below SAME_HAND still joins a group of one hand found in the same agreement.
GROUP_SLACK = 0.05
# How many of an institution's stored signatures and prints a bundle is held against (the latest).
INSTITUTION_MARKS = 3000


@dataclass
class ClaimMark:
    claim: Claim
    mark: Mark
    page: int
    number_key: str | None = None
    name_key: str | None = None
    item: str = ""


def _first(trainee: dict[str, Any], field: str, document: str) -> dict[str, Any] | None:
    return next((e for e in trainee.get("evidence", []) if e.get("field") == field
                 and e.get("document") == document and e.get("page") and len(e.get("box") or []) == 4), None)


def read_marks(session: Session, bundle: Bundle, data: dict[str, Any], claims: list[Claim | None]) -> list[ClaimMark]:
    """Each claimed trainee's signature or fingerprint and certificate card, as descriptors."""
    trainees = data.get("trainees", [])
    wanted: dict[int, list[tuple[Claim, str, dict[str, Any], dict[str, Any]]]] = {}
    for trainee, claim in zip(trainees, claims, strict=False):
        if claim is None:
            continue
        signed = _first(trainee, "signature", "agreement")
        if signed is not None and signed.get("value") in ("ink", "fingerprint", "signature"):
            kind = "fingerprint" if signed["value"] == "fingerprint" else "signature"
            wanted.setdefault(int(signed["page"]), []).append((claim, kind, signed, {}))
        number = _first(trainee, "certificate_no", "certificate") or _first(trainee, "id_number", "certificate")
        if number is not None:
            card = next(iter(trainee_cards(trainee, data.get("documents", []))), {})
            wanted.setdefault(int(number["page"]), []).append((claim, "certificate", number, card))
    if not wanted:
        return []
    data_dir: Path = session.info.get("data_dir") or Path(".")
    images = upright_pages(session, data_dir, bundle, wanted)
    cipher = cipher_of(session)
    out = []
    for page, items in wanted.items():
        image = images.get(page)
        if image is None:
            continue
        for claim, kind, evidence, card in items:
            if kind == "certificate":
                mark = card_mark(image, evidence["box"])
                number, name = str(card.get("certificate_no") or ""), str(card.get("name") or "")
                keys = (cipher.keyed_hash("card:" + number) if number else None,
                        cipher.keyed_hash("card-name:" + name) if name else None)
                if mark is not None:
                    out.append(ClaimMark(claim, mark, page, *keys, str(card.get("profession") or "")))
                continue
            if red_mark(image, evidence["box"]):  # a faint print is sometimes read as ink
                kind = "fingerprint"
            mark = fingerprint_mark(image, evidence["box"]) if kind == "fingerprint" else \
                signature_mark(image, evidence["box"])
            if mark is not None:
                out.append(ClaimMark(claim, mark, page))
    return out


def _alike(a: np.ndarray, b: np.ndarray, kind: str) -> float:
    return mark_likeness(kind, a, b)


def _other(session: Session, claim_id: int, page: int, box: list[int]) -> dict[str, Any]:
    row = session.execute(select(Claim, Trainee.name, Batch.name).join(Trainee, Claim.trainee_id == Trainee.id)
                          .join(Batch, Claim.batch_id == Batch.id).where(Claim.id == claim_id)).first()
    if row is None:
        return {"claim_id": claim_id, "page": page, "box": box}
    claim, name, batch = row
    return {"claim_id": claim.id, "name": name, "batch": batch, "bundle_id": claim.bundle_id, "page": page,
            "box": box}


def _finding(session: Session, mine: ClaimMark, other_claim: int, other_page: int, other_box: list[int],
             score: float) -> Finding:
    other = _other(session, other_claim, other_page, other_box)
    who = other.get("name", "另一学员")
    where = f"（批次 {other['batch']} 第{other_page}页）" if other.get("batch") else ""
    return Finding(FLAGS[mine.mark.kind], WORDS[mine.mark.kind].format(who=f"{who}{where}", score=score),
                   {"page": mine.page, "box": list(mine.mark.box), "likeness": round(score, 3), "other": other},
                   other_claim)


def image_findings(session: Session, bundle: Bundle, marks: list[ClaimMark],
                   institution_id: int | None) -> dict[int, list[Finding]]:
    """Store the bundle's marks (replacing an earlier reading's) and find the same mark elsewhere."""
    session.execute(delete(ImageMark).where(ImageMark.bundle_id == bundle.id))
    found: dict[int, list[Finding]] = {}
    pairs = [(a, b, _alike(a.mark.vector, b.mark.vector, a.mark.kind)) for i, a in enumerate(marks)
             for b in marks[i + 1:]
             if a.mark.kind == b.mark.kind and a.claim.id != b.claim.id and _same_item(a.item, b.item)]
    strong = {m.claim.id for a, b, score in pairs if score >= THRESHOLDS[a.mark.kind] for m in (a, b)}
    for a, b, score in pairs:
        # One hand's rows in one agreement: a row only close to a row already in the group joins it.
        joins = a.mark.kind == "signature" and score >= SAME_HAND - GROUP_SLACK and {a.claim.id, b.claim.id} & strong
        if score >= THRESHOLDS[a.mark.kind] or joins:
            found.setdefault(a.claim.id, []).append(_finding(session, a, b.claim.id, b.page, list(b.mark.box),
                                                             score))
            found.setdefault(b.claim.id, []).append(_finding(session, b, a.claim.id, a.page, list(a.mark.box),
                                                             score))
    for mine in marks:
        rows = _stored_candidates(session, mine, institution_id, bundle.id)
        vectors = [from_bytes(row.kind, row.vector) for row in rows]
        if mine.mark.kind == "signature" and vectors:
            # Most of an institution's signatures are ruled out by their strokes alone, all at once.
            bound = 0.3 + 0.7 * strokes_only(np.stack(vectors), mine.mark.vector)
            rows, vectors = zip(*[(r, v) for r, v, b in zip(rows, vectors, bound, strict=True)
                                  if b >= SAME_HAND], strict=True) if (bound >= SAME_HAND).any() else ((), ())
        for row, vector in zip(rows, vectors, strict=True):
            score = _alike(mine.mark.vector, vector, row.kind)
            if score >= THRESHOLDS[row.kind] and row.claim_id != mine.claim.id and _same_item(mine.item, row.item):
                found.setdefault(mine.claim.id, []).append(_finding(session, mine, row.claim_id, row.page,
                                                                    list(row.box), score))
    for m in marks:
        session.add(ImageMark(claim_id=m.claim.id, bundle_id=bundle.id, institution_id=institution_id,
                              kind=m.mark.kind, page=m.page, box=list(m.mark.box), vector=m.mark.to_bytes(),
                              number_key=m.number_key, name_key=m.name_key, item=m.item))
    session.flush()
    return found


def _same_item(a: str, b: str) -> bool:
    """Cards for two items are two cards (one holder's 证号 is the same on each); unread items do not tell."""
    return not a or not b or a == b


def _stored_candidates(session: Session, mine: ClaimMark, institution_id: int | None,
                       bundle_id: int) -> list[ImageMark]:
    kind = mine.mark.kind
    query = select(ImageMark).where(ImageMark.kind == kind, ImageMark.bundle_id != bundle_id)
    if kind == "certificate":
        # One look-up per key, each on its own index (an OR of the two would scan on SQLite).
        found: dict[int, ImageMark] = {}
        for column, key in ((ImageMark.number_key, mine.number_key), (ImageMark.name_key, mine.name_key)):
            if key:
                found.update((m.id, m) for m in session.scalars(query.where(column == key).limit(500)))
        return list(found.values())
    if institution_id is None:
        return []
    if kind == "signature":
        # A trainee who signs again in a later batch signs in their own hand: that is no one signing for them.
        query = query.join(Claim, ImageMark.claim_id == Claim.id).where(Claim.trainee_id != mine.claim.trainee_id)
    return list(session.scalars(query.where(ImageMark.institution_id == institution_id)
                                .order_by(ImageMark.id.desc()).limit(INSTITUTION_MARKS)))
