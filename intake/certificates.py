"""Certificate copies read from their printed labels, and matched to the trainees they prove.

Both kinds print "label value" pairs: the special-operation certificate (特种作业操作证: 证号 is the
holder's ID number, perhaps behind a "T") and the special-equipment certificate (特种设备作业人员证:
证件编号 is the ID number, 档案编号 "TS…" the certificate number). A copy page may hold two cards one
above the other or side by side (1–4 cards, fronts and backs): the page's words are first split into
columns of cards where the 姓名 labels stand apart across the page, then each column into cards at each
姓名 label, so that no card's fields are read off its neighbour. A card is a witness of its holder
(intake/people.py joins it only where its name and ID agree with the person's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intake.documents import Document
from intake.fields import certificate_numbers, dates, genders, id_numbers, names, professions
from intake.fields.certificate_numbers import record_no, split_t_prefix
from intake.fields.dates import parse_date, parse_date_range
from intake.fields.genders import normalize_gender
from intake.fields.grammar import normalize
from intake.fields.header import parse_labelled
from intake.fields.id_numbers import correct_id, normalize_id_text, validate_id
from intake.fields.names import normalize_name
from intake.fields.professions import SPECIAL_EQUIPMENT, SPECIAL_OPERATION, match_profession
from intake.fields.text import compact
from intake.result import Evidence
from intake.witness import FieldReading, Witness
from ocr.layout import visual_lines
from ocr.types import Box, Word, union_all

# Printed label -> what the card says there. Several labels mean the same field on the two kinds or older
# cards; each field's labels are its module's, the issuing authority only cards print.
AUTHORITY_LABELS = ("签发机关", "发证机关")
_CARD_FIELDS: dict[str, tuple[str, ...]] = {
    "name": names.CARD_LABELS, "gender": genders.CARD_LABELS, "id_number": id_numbers.CARD_LABELS,
    "record_no": certificate_numbers.CARD_LABELS, "category": professions.CARD_CATEGORY_LABELS,
    "item": professions.CARD_ITEM_LABELS, "issue_date": dates.CARD_ISSUE_LABELS,
    "validity": dates.CARD_VALIDITY_LABELS, "authority": AUTHORITY_LABELS,
}
LABELS: dict[str, str] = {label: name for name, labels in _CARD_FIELDS.items() for label in labels}


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
    confidences: dict[str, float] = field(default_factory=dict)

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
        title = compact(page.text.replace("\n", ""))
        for region in _card_words(page.lines, page.cards):  # a turned card's words are in its own frame
            for card in _cards(visual_lines(region)):
                readings.append(_read_card(page.number, card, title))
        for turned in page.turned:  # a card laid in turned: read in its own frame, placed back on the page
            for card in _cards(visual_lines(turned.words)):
                reading = _read_card(page.number, card, title)
                reading.boxes = {f: turned.to_page(Box(*b)).as_list() for f, b in reading.boxes.items()}
                readings.append(reading)
    return readings


def _card_words(words: list[Word], outlines: list[Box]) -> list[list[Word]]:
    """The page's words card by card: those inside each card's outline, then the rest split by where their
    姓名 labels stand. A card's back (注意事项 …) is a region of its own, without a label, and is left out."""
    regions, rest = [], list(words)
    for outline in outlines:
        inside = [w for w in rest if outline.contains(*w.box.center)]
        if inside:
            regions.append(inside)
            rest = [w for w in rest if not outline.contains(*w.box.center)]
    regions += card_regions(rest) if rest else []
    return [r for r in regions if any(label in compact(w.text) for w in r for label in LABELS)]


def card_regions(words: list[Word]) -> list[list[Word]]:
    """The page's words split into columns of cards: where 姓名 labels stand in two places across the page,
    each word goes to the column whose labels it lies nearest to."""
    anchors = sorted(w.box.x0 for w in words if names.starts_card(w.text))
    if len(anchors) < 2 or not words:
        return [words]
    width = max(w.box.x1 for w in words) - min(w.box.x0 for w in words)
    columns: list[list[int]] = [[anchors[0]]]
    for x in anchors[1:]:
        if x - columns[-1][-1] > 0.25 * width:
            columns.append([])
        columns[-1].append(x)
    if len(columns) < 2:
        return [words]
    starts = [min(c) for c in columns]
    # A card's text starts at about its 姓名 label (a little left for the title): a word belongs to the
    # rightmost column whose labels start left of it.
    slack = 0.05 * width
    regions: list[list[Word]] = [[] for _ in starts]
    for word in words:
        index = max((i for i, x in enumerate(starts) if word.box.x0 >= x - slack), default=0)
        regions[index].append(word)
    return [r for r in regions if r]


def _cards(lines: list[list[Word]]) -> list[list[list[Word]]]:
    """Lines split into cards at each 姓名 label after the first."""
    cards: list[list[list[Word]]] = [[]]
    seen_name = False
    for line in lines:
        if names.starts_card("".join(w.text for w in line)):
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
                card.confidences[name] = min(w.confidence for w in line)
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
    labels = "|".join(genders.CARD_LABELS)
    text = re.sub(rf"(?:{labels})[:：]?[男女]?", "", compact(raw))
    if text[:1] in genders.GENDERS:  # no surname is 男 or 女
        text = text[1:]
    if text[-1:] in genders.GENDERS and (not gender or text[-1] == gender) and len(text) > 2:
        text = text[:-1]
    return normalize_name(text)


def _kind(page_text: str, raw: dict[str, str], from_item: str) -> str:
    if "特种作业操作证" in page_text or professions.CARD_ITEM_LABELS[0] in page_text:
        return SPECIAL_OPERATION
    if "特种设备" in page_text or "record_no" in raw:
        return SPECIAL_EQUIPMENT
    return from_item


def card_witness(card: CertificateReading) -> Witness:
    """What a card says of its holder, normalised by the same grammar as the tables."""
    witness = Witness("certificate", card.page, None, card=card.fields(), label=f"第{card.page}页证书")
    for name, raw_key, text in (("name", "name", card.name), ("gender", "gender", card.gender),
                                ("id_number", "id_number", card.id_number),
                                ("certificate_no", "record_no" if card.kind == SPECIAL_EQUIPMENT else "id_number",
                                 card.certificate_no),
                                ("profession", "item", card.profession)):
        if not text:
            continue
        value = normalize(name, text)
        box = card.boxes.get(raw_key)
        witness.readings[name] = FieldReading(name, card.raw.get(raw_key, text), value.value, value.valid,
                                              card.confidences.get(raw_key, 1.0), tuple(box) if box else None)
    return witness
