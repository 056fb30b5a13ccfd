"""The bundle-result/1 contract (DESIGN.md): what `subsidy intake --json` writes.

Keys and types of the contract stay stable; what is added for reviewers (evidence, corrections,
problems) sits under keys of its own so that outside readers can ignore it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "bundle-result/1"

TRAINEE_FIELDS = ("id_number", "name", "gender", "phone", "profession", "certificate_no", "training_date",
                  "class_period")


@dataclass(slots=True)
class PageResult:
    page: int
    kind: str
    rotation: int
    source: str = ""
    skew: float = 0.0
    image: str | None = None
    # The page's OCR text (lines outside the table and the table's cells), for the archive's full-text search.
    text: str = ""
    # What the reader did to the page's pixels (ocr/geometry.py PageTransform.to_json), so crops replay it.
    transform: dict[str, Any] | None = None
    # Why the page is what it is; shown for pages that are none of the notice's forms.
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"page": self.page, "kind": self.kind, "rotation": self.rotation}
        out["source"] = self.source
        out["skew"] = round(self.skew, 2)
        if self.image:
            out["image"] = self.image
        if self.text:
            out["text"] = self.text
        if self.transform:
            out["transform"] = self.transform
        if self.kind == "unknown" and self.reason:
            out["reason"] = self.reason
        return out


@dataclass(slots=True)
class DocumentResult:
    kind: str
    pages: list[int]
    stamp_present: bool | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    # Where each seal was seen, for the reviewer: {"page", "box", "colour", "confidence"}.
    seals: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "pages": self.pages, "stamp_present": self.stamp_present,
                "fields": self.fields, "seals": self.seals}


@dataclass(slots=True)
class Evidence:
    """One witness of one field: where it was read and how sure the reading was."""

    document: str
    page: int
    field: str
    value: str
    raw: str
    confidence: float
    box: list[int]
    row: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "page": self.page, "row": self.row, "field": self.field,
                "value": self.value, "raw": self.raw, "confidence": round(self.confidence, 4),
                "box": self.box}


@dataclass(slots=True)
class TraineeResult:
    id_number: str = ""
    name: str = ""
    gender: str = ""
    phone: str = ""
    profession: str = ""
    certificate_no: str = ""
    training_date: str = ""
    class_period: str = ""
    signed: bool | None = None
    certificate_copy: bool | None = None
    flags: list[str] = field(default_factory=list)
    eligible: bool | None = None
    evidence: list[Evidence] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)
    # Fields the papers disagree on, each with every witness's value, page and box.
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    # A profession written as its category: the catalogue items it may mean, for the reviewer.
    profession_candidates: list[str] = field(default_factory=list)
    # The registry's and the signals' flags with their reasons and evidence: [{"flag", "reason", "evidence"}].
    findings: list[dict[str, Any]] = field(default_factory=list)

    def flag(self, code: str) -> None:
        if code not in self.flags:
            self.flags.append(code)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in TRAINEE_FIELDS}
        out.update(signed=self.signed, certificate_copy=self.certificate_copy, flags=list(self.flags),
                   eligible=self.eligible)
        out["evidence"] = [e.to_json() for e in self.evidence]
        out["corrections"] = self.corrections
        if self.conflicts:
            out["conflicts"] = self.conflicts
        if self.profession_candidates:
            out["profession_candidates"] = self.profession_candidates
        if self.findings:
            out["findings"] = self.findings
        return out


@dataclass(slots=True)
class BundleResult:
    source: str
    pages: list[PageResult] = field(default_factory=list)
    documents: list[DocumentResult] = field(default_factory=list)
    trainees: list[TraineeResult] = field(default_factory=list)
    # Files or pages that could not be read, each "file, page N: reason".
    problems: list[str] = field(default_factory=list)
    # Findings that are not failures of the input, e.g. a records row with no trainee on paper.
    notes: list[str] = field(default_factory=list)
    engine: str = ""
    # When the class's records say each row's class period was filed (备案日期), by records row: {"2": "..."}.
    class_filings: dict[str, str] = field(default_factory=dict)
    # Findings that no trainee fits (a card two trainees share that nobody matched): [{"flag", "reason", ...}].
    findings: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = {"schema": SCHEMA, "source": self.source, "engine": self.engine,
               "pages": [p.to_json() for p in self.pages],
               "documents": [d.to_json() for d in self.documents],
               "trainees": [t.to_json() for t in self.trainees],
               "problems": self.problems, "notes": self.notes}
        if self.class_filings:
            out["class_filings"] = self.class_filings
        if self.findings:
            out["findings"] = self.findings
        return out
