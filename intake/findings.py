"""A finding: a flag raised on a claim by the institutions registry or by a signal across trainees, bundles
and batches, with its reason in Chinese and its evidence (the other trainee, batch, page, box).

Findings never reject a claim by themselves: the policy weighs each flag (intake/policy), as for the flags
intake reads off the paper, and a reviewer sees the evidence beside the scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Finding:
    code: str
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    other_claim_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"flag": self.code, "reason": self.reason, "evidence": self.evidence}
