"""The registry's flags on one claim: from an institution the registry knows, for a profession it is
recognised for on the training date, not after it was disqualified.

- institution_unknown: no registered institution is close to the names the papers print;
- institution_match_unsure: only close, or the papers disagree: checked as the closest, for a reviewer to
  confirm (a printed form worth keeping goes into the registry's short names);
- institution_not_recognised_for_profession: no recognition of the institution covers the claim's
  profession on the first day of its training (or the claim date when the training dates are unknown);
- institution_disqualified: the claim is dated on or after a disqualification (not eligible by policy).
  Earlier claims stay as they are; the registry's risk page lists them for the officer.
"""

from __future__ import annotations

import datetime as dt

from intake.findings import Finding
from intake.institutions.eligibility import (
    InstitutionFacts,
    categories_text,
    disqualified_by,
    recognition_for,
    recognitions_of_item,
)
from intake.institutions.matching import InstitutionMatch

UNKNOWN, UNSURE = "institution_unknown", "institution_match_unsure"
NOT_RECOGNISED, DISQUALIFIED = "institution_not_recognised_for_profession", "institution_disqualified"
REGISTRY_FLAGS = (UNKNOWN, UNSURE, NOT_RECOGNISED, DISQUALIFIED)


def match_findings(match: InstitutionMatch) -> list[Finding]:
    if match.status == "unknown":
        return [Finding(UNKNOWN, f"培训机构不在机构名录中：{match.reason}", match.evidence())]
    if match.status == "unsure":
        return [Finding(UNSURE, f"{match.reason}；已按“{match.name}”核对资质", match.evidence())]
    return []


def standing_findings(facts: InstitutionFacts, item: str | None, training_start: dt.date | None,
                      claim_date: dt.date) -> list[Finding]:
    """Recognition for the item on the training's first day, and disqualification by the claim date."""
    found: list[Finding] = []
    where = {"institution_id": facts.id, "institution": facts.name, "credit_code": facts.credit_code}
    if item:
        day = training_start or claim_date
        if recognition_for(facts, item, day) is None:
            other_times = recognitions_of_item(facts, item)
            if other_times:
                spans = "；".join(r.describe() for r in other_times)
                reason = f"“{facts.name}”对“{item}”的认定在{day.isoformat()}不在有效期内：{spans}"
            elif facts.recognitions:
                reason = f"“{facts.name}”未获“{item}”的认定（已认定：{categories_text(facts.recognitions)}）"
            else:
                reason = f"“{facts.name}”在名录中没有任何认定记录"
            found.append(Finding(NOT_RECOGNISED, reason, {**where, "profession": item, "day": day.isoformat(),
                                                          "recognitions": [r.describe() for r in other_times]}))
    if (stop := disqualified_by(facts, claim_date)) is not None:
        found.append(Finding(DISQUALIFIED, f"“{facts.name}”于{stop.day.isoformat()}被取消培训资格（{stop.reason}），"
                             f"此后（{claim_date.isoformat()}）的申领不符合补贴条件",
                             {**where, "disqualified_on": stop.day.isoformat(), "reason": stop.reason,
                              "claim_date": claim_date.isoformat()}))
    return found
