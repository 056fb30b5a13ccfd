"""Certificate copies read from their printed labels, and matched to the trainees they prove.

Both kinds print "label value" pairs: the special-operation certificate (特种作业操作证: 证号 is the
holder's ID number, perhaps behind a "T") and the special-equipment certificate (特种设备作业人员证:
证件编号 is the ID number, 档案编号 "TS…" the certificate number). A copy page may hold two cards one
above the other; each card starts at its own 姓名 label.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from intake.documents import Document
from intake.fields.certificate_numbers import record_no, split_t_prefix
from intake.fields.dates import parse_date, parse_date_range
from intake.fields.header import parse_labelled
from intake.fields.id_numbers import correct_id, normalize_id_text, validate_id
from intake.fields.names import normalize_gender, normalize_name
from intake.fields.professions import SPECIAL_EQUIPMENT, SPECIAL_OPERATION, match_profession
from intake.fields.text import compact
from intake.policy.policy import default_policy
from intake.result import Evidence, TraineeResult
from ocr.layout import visual_lines
from ocr.types import Word, union_all

# Printed label -> field. Several labels mean the same field on the two kinds or older cards.
LABELS: dict[str, str] = {
    "姓名": "name", "性别": "gender",
    "证号": "id_number", "证件编号": "id_number", "身份证号": "id_number", "公民身份号码": "id_number",
    "档案编号": "record_no",
    "作业类别": "category",
    "准操项目": "item", "操作项目": "item", "作业项目": "item",
    "初领日期": "issue_date", "批准日期": "issue_date", "发证日期": "issue_date",
    "有效期限": "validity", "有效日期": "validity", "有效期至": "validity",
    "签发机关": "authority", "发证机关": "authority",
}


@dataclass(slots=True)
class CertificateReading:
    page: int
    kind: str = ""                  # SPECIAL_OPERATION, SPECIAL_EQUIPMENT or "" when unsure
    name: str = ""
    gender: str = ""
    id_number: str = ""
    certificate_no: str = ""
    category: str = ""
    profession: str = ""            # catalogue item when it matches, else as printed
    code: str = ""
    issue_date: str = ""
    validity: str = ""
    authority: str = ""
    raw: dict[str, str] = field(default_factory=dict)
    boxes: dict[str, list[int]] = field(default_factory=dict)

    def fields(self) -> dict[str, str]:
        return {"certificate_kind": self.kind, "name": self.name, "gender": self.gender,
                "id_number": self.id_number, "certificate_no": self.certificate_no, "category": self.category,
                "profession": self.profession, "code": self.code, "issue_date": self.issue_date,
                "validity": self.validity, "authority": self.authority}

    def evidence(self, field_name: str, value: str) -> Evidence:
        return Evidence("certificate", self.page, field_name, value, self.raw.get(field_name, ""), 1.0,
                        self.boxes.get(field_name, []))


def read_certificates(doc: Document) -> list[CertificateReading]:
    """One reading per card on the document's pages."""
    readings = []
    for page in doc.pages:
        title = compact("".join(w.text for w in page.lines))
        for card in _cards(visual_lines(page.lines)):
            readings.append(_read_card(page.number, card, title))
    return readings


def _cards(lines: list[list[Word]]) -> list[list[list[Word]]]:
    """Lines split into cards at each 姓名 label after the first."""
    cards: list[list[list[Word]]] = [[]]
    seen_name = False
    for line in lines:
        if "姓名" in compact("".join(w.text for w in line)):
            if seen_name:
                cards.append([])
            seen_name = True
        cards[-1].append(line)
    return [c for c in cards if c]


def _read_card(page: int, lines: list[list[Word]], page_text: str) -> CertificateReading:
    card = CertificateReading(page)
    stops = list(LABELS)
    for line in lines:
        text = " ".join(w.text for w in line)
        for label, name in LABELS.items():
            if name in card.raw or label not in compact(text):
                continue
            value = parse_labelled(text, label, stop_labels=stops)
            if value:
                card.raw[name] = value
                card.boxes[name] = union_all([w.box for w in line]).as_list()
    _interpret(card, page_text)
    return card


def _interpret(card: CertificateReading, page_text: str) -> None:
    raw = card.raw
    card.gender = normalize_gender(raw.get("gender", "")) or ""
    card.name = _name_without_gender(raw.get("name", ""), card.gender)
    card.category = compact(raw.get("category", ""))
    item_text = compact(raw.get("item", ""))
    code = re.match(r"([A-Z]\d?)(?=[\u4e00-\u9fff]|$)", item_text.upper())
    profession = match_profession(item_text)
    card.profession = profession.item if profession else item_text
    card.code = profession.code if profession and profession.code else (code.group(1) if code else "")
    card.kind = _kind(page_text, raw, profession.kind if profession else "")
    prefix, body = split_t_prefix(raw.get("id_number", ""))
    fixed = correct_id(normalize_id_text(body))
    card.id_number = fixed.value if validate_id(fixed.value).valid else normalize_id_text(body)
    if card.kind == SPECIAL_EQUIPMENT:
        printed = raw.get("record_no", "")
        card.certificate_no = record_no(printed) or compact(printed).upper()
    else:
        card.certificate_no = prefix + card.id_number
    card.issue_date = parse_date(raw.get("issue_date", "")) or ""
    validity = raw.get("validity", "")
    card.validity = parse_date_range(validity) or parse_date(validity) or compact(validity)
    card.authority = compact(raw.get("authority", ""))


def _name_without_gender(raw: str, gender: str) -> str:
    """Cards print 姓名 and 性别 on one line, and the recogniser may run them together in any order
    ("性别女吕静爱", "董兴珺男"): the gender and its label are not part of the name. A name's own last
    character is kept unless it is the card's gender (or the card's gender was not read apart)."""
    text = re.sub(r"性别[:：]?[男女]?", "", compact(raw))
    if text[:1] in ("男", "女"):  # no surname is 男 or 女
        text = text[1:]
    if text[-1:] in ("男", "女") and (not gender or text[-1] == gender) and len(text) > 2:
        text = text[:-1]
    return normalize_name(text)


def _kind(page_text: str, raw: dict[str, str], from_item: str) -> str:
    if "特种作业操作证" in page_text or "准操项目" in page_text:
        return SPECIAL_OPERATION
    if "特种设备" in page_text or "record_no" in raw:
        return SPECIAL_EQUIPMENT
    return from_item


def attach_certificates(trainees: list[TraineeResult], readings: list[CertificateReading],
                        certificates_from: dt.date | None = None) -> None:
    """Each trainee gets the certificate copy that proves them (by ID number, else by a unique name);
    a trainee without one is flagged, and so is a certificate issued before the policy's start
    (the policy file's `certificates_from` unless given)."""
    start = (certificates_from or default_policy().certificates_from).isoformat()
    unmatched = list(readings)
    for trainee in trainees:
        # A trainee listed twice has one certificate: the second listing finds the card already taken.
        card = _card_of(trainee, unmatched) or _card_by_id(trainee, readings)
        trainee.certificate_copy = card is not None
        if card is None:
            trainee.flag("missing_certificate_copy")
            continue
        if card in unmatched:
            unmatched.remove(card)
        _witness(trainee, card)
        if card.issue_date and card.issue_date < start:
            trainee.flag("certificate_before_policy_start")


def _card_by_id(trainee: TraineeResult, cards: list[CertificateReading]) -> CertificateReading | None:
    return next((c for c in cards if trainee.id_number and trainee.id_number == c.id_number), None)


def _card_of(trainee: TraineeResult, cards: list[CertificateReading]) -> CertificateReading | None:
    if card := _card_by_id(trainee, cards):
        return card
    named = [c for c in cards if trainee.name and c.name == trainee.name]
    return named[0] if len(named) == 1 else None


def _witness(trainee: TraineeResult, card: CertificateReading) -> None:
    """The card is a witness: it fills what the tables lacked and repairs an ID the tables misread."""
    for name, value in (("id_number", card.id_number), ("name", card.name),
                        ("certificate_no", card.certificate_no), ("profession", card.profession)):
        if value:
            trainee.evidence.append(card.evidence(name, value))
    if card.id_number and validate_id(card.id_number).valid and not validate_id(trainee.id_number).valid:
        trainee.corrections.append({"field": "id_number", "from": trainee.id_number, "to": card.id_number,
                                    "reason": "certificate_copy", "page": card.page})
        trainee.id_number = card.id_number
        if "invalid_id_number" in trainee.flags:
            trainee.flags.remove("invalid_id_number")
    if not trainee.certificate_no and card.certificate_no:
        trainee.certificate_no = card.certificate_no
    if not trainee.profession and card.profession:
        trainee.profession = card.profession
