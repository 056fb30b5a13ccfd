"""Trainees out of every witness a bundle holds: one entry per person, each field decided by consensus.

witnesses (roster and agreement rows, certificate cards, records rows) -> people (intake/people.py) ->
fields decided (intake/consensus.py) -> duplicates flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from intake.certificates import CertificateReading, card_witness
from intake.consensus import decide
from intake.documents import Document
from intake.fields.dates import year_hint
from intake.header_fields import document_fields
from intake.people import group_people
from intake.records import ClassRecord
from intake.result import TraineeResult
from intake.rows import row_witness, table_rows
from intake.witnesses import record_witness
from ocr.settings import ReadSettings

DEFAULT_LOW_CONFIDENCE = ReadSettings().low_confidence

__all__ = ["Assembly", "assemble_trainees", "bundle_year"]


@dataclass(slots=True)
class Assembly:
    trainees: list[TraineeResult]
    # Cards and records rows that matched nobody on paper: reported, never attached by guess.
    unmatched_cards: list[CertificateReading] = field(default_factory=list)
    unmatched_records: list[ClassRecord] = field(default_factory=list)


def assemble_trainees(documents: list[Document], cards: list[CertificateReading] | None = None,
                      records: list[ClassRecord] | None = None,
                      certificates_from: dt.date | None = None,
                      low_confidence: float = DEFAULT_LOW_CONFIDENCE) -> Assembly:
    """Every person the bundle's papers (and the class's records, when given) speak of; a reading scored
    under `low_confidence` (the cut-off of the engine that read the papers) is a doubt."""
    year = bundle_year(documents)
    tables = sorted((d for d in documents if d.kind in ("roster", "agreement")), key=lambda d: d.kind != "roster")
    rows = [row_witness(row, _document_year(doc) or year, documents.index(doc))
            for doc in tables for row in table_rows(doc)]
    card_list = list(cards or [])
    card_witnesses = [card_witness(c) for c in card_list]
    record_list = list(records or [])
    record_witnesses = [record_witness(r, year) for r in record_list]
    people, left_cards, left_records = group_people(rows, card_witnesses, record_witnesses)
    has_agreement = any(d.kind == "agreement" and any(p.table for p in d.pages) for d in documents)
    trainees = [decide(p, has_agreement, cards is not None, certificates_from, records is not None, low_confidence)
                for p in people]
    flag_duplicates(trainees)
    return Assembly(trainees,
                    [card_list[card_witnesses.index(w)] for w in left_cards],
                    [record_list[record_witnesses.index(w)] for w in left_records])


def bundle_year(documents: list[Document]) -> int | None:
    """The year the bundle's forms speak of, for dates and class periods written without one."""
    years = [y for d in documents if d.kind in ("roster", "agreement", "report") if (y := _document_year(d))]
    return Counter(years).most_common(1)[0][0] if years else None


def _document_year(doc: Document) -> int | None:
    fields = document_fields(doc)
    for key in ("year", "fill_date", "class_period", "training_date"):
        value = fields.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, str) and (y := year_hint(value)):
            return y
    return None


def flag_duplicates(trainees: list[TraineeResult]) -> None:
    counts = Counter(t.id_number for t in trainees if t.id_number)
    for t in trainees:
        if t.id_number and counts[t.id_number] > 1:
            t.flag("duplicate_in_bundle")
