"""The class's Excel records held against what the papers say.

The records are typed by the institution into the provincial system; the roster and agreement are
what was signed and stamped. Neither is assumed right: where they differ, the trainee is flagged
`field_mismatch` and both values are kept as witnesses for the reviewer. Only an ID number that fails
its check on paper is replaced by a valid one from the records, because the check character proves
which reading is wrong.
"""

from __future__ import annotations

from intake.fields.dates import parse_date, parse_date_range, year_hint
from intake.fields.id_numbers import correct_id, normalize_id_text, validate_id
from intake.fields.names import normalize_gender, normalize_name
from intake.fields.phones import normalize_phone
from intake.fields.professions import match_profession
from intake.fields.text import compact
from intake.records import ClassRecord
from intake.result import Evidence, TraineeResult
from intake.trainees import LOW_CONFIDENCE

COMPARED = ("name", "gender", "id_number", "phone", "profession", "certificate_no", "training_date", "class_period")


def record_values(record: ClassRecord) -> dict[str, str]:
    """A record's values normalised by the same readers as the scanned cells."""
    v = record.values
    phone = normalize_phone(v.get("phone", ""))
    profession = match_profession(v.get("profession", ""))
    class_period = compact(v.get("class_period", ""))
    return {
        "name": normalize_name(v.get("name", "")),
        "gender": normalize_gender(v.get("gender", "")) or "",
        "id_number": correct_id(normalize_id_text(v.get("id_number", ""))).value,
        "phone": phone.value or phone.digits,
        "profession": profession.item if profession else compact(v.get("profession", "")),
        "certificate_no": compact(v.get("certificate_no", "")).upper(),
        "training_date": _training_date(v, year_hint(class_period)),
        "class_period": class_period,
    }


def _training_date(values: dict[str, str], year: int | None) -> str:
    if values.get("training_start") and values.get("training_end"):
        start, end = parse_date(values["training_start"], year), parse_date(values["training_end"], year)
        if start and end:
            return f"{start}/{end}"
    text = values.get("training_date", "")
    return parse_date_range(text, year) or compact(text)


def hold_against_records(trainees: list[TraineeResult], records: list[ClassRecord]) -> list[ClassRecord]:
    """Flag what differs and who is missing from the records; return the records nobody on paper matched."""
    left = [(r, record_values(r)) for r in records]
    for trainee in trainees:
        found = _record_of(trainee, left)
        if found is None:
            trainee.flag("not_in_records")
            continue
        left.remove(found)
        _compare(trainee, *found)
    return [r for r, _ in left]


Witness = tuple[ClassRecord, dict[str, str]]


def _record_of(trainee: TraineeResult, records: list[Witness]) -> Witness | None:
    for pair in records:
        if trainee.id_number and pair[1]["id_number"] == trainee.id_number:
            return pair
    # A misread ID still finds its record when the name agrees and the numbers are close.
    close = [p for p in records
             if p[1]["name"] == trainee.name and _distance(p[1]["id_number"], trainee.id_number) <= 2]
    if len(close) == 1:
        return close[0]
    named = [p for p in records if trainee.name and p[1]["name"] == trainee.name]
    return named[0] if len(named) == 1 else None


def _compare(trainee: TraineeResult, record: ClassRecord, values: dict[str, str]) -> None:
    if not validate_id(trainee.id_number).valid and validate_id(values["id_number"]).valid:
        trainee.corrections.append({"field": "id_number", "from": trainee.id_number, "to": values["id_number"],
                                    "reason": "records", "row": record.row})
        trainee.id_number = values["id_number"]
        if "invalid_id_number" in trainee.flags:
            trainee.flags.remove("invalid_id_number")
    for field in COMPARED:
        theirs, ours = values[field], getattr(trainee, field)
        if not theirs:
            continue
        trainee.evidence.append(Evidence("records", 0, field, theirs, record.values.get(field, ""), 1.0, [],
                                         record.row))
        if not ours:
            setattr(trainee, field, theirs)
        elif field == "name" and _lost_characters(ours, theirs):
            trainee.corrections.append({"field": "name", "from": ours, "to": theirs, "reason": "records_rare_character",
                                        "row": record.row})
            trainee.name = theirs
        elif field == "name" and _doubtful_reading(trainee, ours) and _distance(ours, theirs) == 1:
            # The recogniser was unsure of a character the records spell: an OCR error, not a second name.
            # The low_confidence flag stays, so a reviewer still looks at the crop.
            trainee.corrections.append({"field": "name", "from": ours, "to": theirs, "reason": "records_low_confidence",
                                        "row": record.row})
            trainee.name = theirs
        elif ours != theirs:
            trainee.flag("field_mismatch")


def _doubtful_reading(trainee: TraineeResult, value: str) -> bool:
    """Every scanned witness of this value read it with low confidence."""
    read = [e.confidence for e in trainee.evidence
            if e.field == "name" and e.value == value and e.document != "records"]
    return bool(read) and max(read) < LOW_CONFIDENCE


def _lost_characters(read: str, typed: str) -> bool:
    """The recogniser leaves out characters it does not know (燚, 䶮, 堃 in names): the typed name is the
    read one with one or two characters more, in order, and nothing else differs."""
    if not 0 < len(typed) - len(read) <= 2 or not read:
        return False
    it = iter(typed)
    return all(ch in it for ch in read)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance; ID numbers are short, so the plain table is fast enough."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
