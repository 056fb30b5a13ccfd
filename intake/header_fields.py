"""Fields printed outside the tables: the roster's header and footer, the agreement's paragraph,
the report's figures. Read from every text line of a document that is not inside its table.
"""

from __future__ import annotations

import re
from typing import Any

from intake.documents import Document
from intake.fields import class_periods, dates, institutions, phones
from intake.fields.dates import parse_date, parse_date_range, year_hint
from intake.fields.header import parse_declared_total, parse_labelled, parse_quarter
from intake.fields.professions import find_profession_in_text
from intake.fields.text import compact
from ocr.layout import line_texts

# The roster's header and footer: field -> its labels. The unit and the filler are no trainee field and
# are read nowhere else.
ROSTER_LABELS: dict[str, tuple[str, ...]] = {
    "unit_name": ("单位名称",),
    "institution": institutions.HEADER_LABELS,
    "filled_by": ("填表人",),
    "contact_phone": phones.HEADER_LABELS,
    "fill_date": dates.FILL_DATE_LABELS,
}
_AMOUNT = re.compile(r"[¥￥]\s*([\d,]+(?:\.\d{1,2})?)|([\d,]+(?:\.\d{1,2})?)\s*元")
_CERTIFIED = re.compile(r"(?:取得|获得|取证)[^\d]{0,8}(\d+)\s*人")


def document_text(doc: Document) -> str:
    """The document's text outside its tables, one printed line per line of text."""
    return "\n".join(text for page in doc.pages for text in line_texts(page.lines))


def document_fields(doc: Document) -> dict[str, Any]:
    text = document_text(doc)
    if doc.kind == "roster":
        return roster_fields(text)
    if doc.kind == "agreement":
        return agreement_fields(text)
    if doc.kind == "report":
        return report_fields(text)
    return {}


def roster_fields(text: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    stops = [label for labels in ROSTER_LABELS.values() for label in labels] + ["第", "共培训"]
    for key, labels in ROSTER_LABELS.items():
        value = next((v for label in labels if (v := parse_labelled(text, label, stop_labels=stops))), "")
        if value:
            fields[key] = value
    if "institution" in fields:
        fields["institution"] = institutions.normalize_institution(fields["institution"])
    if "fill_date" in fields:
        fields["fill_date"] = parse_date(fields["fill_date"]) or fields["fill_date"]
    if "contact_phone" in fields:
        phone = phones.normalize_phone(fields["contact_phone"])
        fields["contact_phone"] = phone.value if phone.valid else fields["contact_phone"]
    title_year = year_hint(text.split("\n", 1)[0]) or year_hint(text)
    if title_year:
        fields["year"] = title_year
    quarter = parse_quarter(text)
    if quarter:
        fields["quarter"] = quarter
    total = parse_declared_total(text)
    if total is not None:
        fields["declared_total"] = total
    return fields


def agreement_fields(text: str) -> dict[str, Any]:
    flat = compact(text)
    fields: dict[str, Any] = {}
    if institution := institutions.in_agreement(text):
        fields["institution"] = institution
    if period := class_periods.find_in_text(flat):
        fields["class_period"] = period
    if profession := find_profession_in_text(flat):
        fields["profession"] = profession.item
    year = year_hint(flat)
    for m in re.finditer(r"\d{4}年\d{1,2}月\d{1,2}日[^，,。；;]{0,4}?(?:至|到|-|—|~|～)[^，,。；;]{0,16}?日", flat):
        if dates := parse_date_range(m.group(0), default_year=year):
            fields["training_date"] = dates
            break
    return fields


def report_fields(text: str) -> dict[str, Any]:
    flat = compact(text)
    fields: dict[str, Any] = {}
    total = parse_declared_total(flat)
    if total is not None:
        fields["trained"] = total
    if m := _CERTIFIED.search(flat):
        fields["certified"] = int(m.group(1))
    amounts = [float((a or b).replace(",", "")) for a, b in _AMOUNT.findall(flat)]
    if amounts:
        fields["amount"] = int(max(amounts)) if max(amounts).is_integer() else max(amounts)
    return fields
