"""The class's Excel records as witnesses.

The records are typed by the institution into the provincial system; the roster and agreement are what
was signed and stamped. Neither is assumed right: a records row is one more witness of each field,
normalised by the same grammar as the scanned cells (so "8月4日-8月23日" and "9期" mean what the roster's
"2020.8.4-8.23" and "2020年第9期" mean), and the consensus (intake/consensus.py) weighs it with the others.
"""

from __future__ import annotations

from intake.fields.grammar import TRAINEE_FIELDS, normalize
from intake.records import ClassRecord
from intake.witness import FieldReading, Witness

# Typed values are what the institution meant: no recogniser stood between.
TYPED_CONFIDENCE = 1.0


def record_witness(record: ClassRecord, year: int | None) -> Witness:
    """One records row; `year` completes dates and class periods typed without one."""
    witness = Witness("records", 0, record.row, label=f"{record.source} 第{record.row}行")
    values = record.values | {"training_date": record.training_text()}
    for field in TRAINEE_FIELDS:
        raw = values.get(field, "")
        if not raw.strip():
            continue
        value = normalize(field, raw, year)
        witness.readings[field] = FieldReading(field, raw, value.value, value.valid, TYPED_CONFIDENCE)
    return witness
