"""The history of a claim or a batch as the review pages show it: every correction (who, when, old, new,
why) and every decision, newest last.

Sealed values (ID, phone and certificate numbers) are opened only on the claim's form, which is a logged
view of the trainee; the batch page shows them masked, so reading a batch's history reveals no number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.fields.grammar import mask
from intake.labels import OUTCOMES, RULES, field_label, with_labels
from intake.store.db import cipher_of
from intake.store.models import Claim, Correction, Decision, Trainee
from service.clock import beijing


@dataclass
class Entry:
    when: str          # Beijing time
    who: str
    kind: str          # 更正 / 核对 / 判定
    claim_id: int | None
    trainee: str
    what: str
    old: str
    new: str
    why: str


def _shown(session: Session, c: Correction, value: str | None, reveal: bool) -> str:
    if not c.sealed:
        return value or ""
    text = cipher_of(session).open_text(value, f"correction.{c.field}") or ""
    if reveal:
        return text
    return mask(c.field, text)


def history(session: Session, claim_ids: list[int], reveal: bool = False, include_rules: bool = False) -> list[Entry]:
    """Corrections and review decisions of these claims in time order (rules' own verdicts on request)."""
    names = dict(session.execute(select(Claim.id, Trainee.name).join(Trainee, Claim.trainee_id == Trainee.id)
                                 .where(Claim.id.in_(claim_ids))).all())
    entries: list[tuple[dt.datetime, int, Entry]] = []
    for c in session.scalars(select(Correction).where(Correction.claim_id.in_(claim_ids))):
        old, new = _shown(session, c, c.old_value, reveal), _shown(session, c, c.new_value, reveal)
        # Compared opened, not as shown: a corrected digit may sit in the masked middle of an ID number.
        same = _shown(session, c, c.old_value, True) == _shown(session, c, c.new_value, True)
        kind = "核对" if same else "更正"
        entries.append((c.when, 0, Entry(f"{beijing(c.when):%Y-%m-%d %H:%M:%S}", c.who, kind, c.claim_id,
                                         names.get(c.claim_id, ""), field_label(c.field), old, new, c.why)))
    query = select(Decision).where(Decision.claim_id.in_(claim_ids))
    if not include_rules:
        query = query.where(Decision.rule == "review")
    for d in session.scalars(query):
        what = RULES.get(d.rule, d.rule)
        outcome = OUTCOMES.get(d.outcome, d.outcome)
        if d.rule == "review":
            outcome = {"pass": "接受", "fail": "驳回", "needs_review": "待审核"}.get(d.outcome, outcome)
        reason = with_labels(d.reason)
        when = f"{beijing(d.decided_at):%Y-%m-%d %H:%M:%S}"
        entries.append((d.decided_at, 1, Entry(when, d.decided_by, "判定", d.claim_id, names.get(d.claim_id, ""),
                                               what, "", outcome, reason)))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [e for _, _, e in entries]
