"""Fields printed outside the tables: the roster's header and footer, the agreement's paragraph,
the report's figures. Read from every text line of a document that is not inside its table.
"""

from __future__ import annotations

import re
from typing import Any

from intake.documents import Document
from intake.fields.dates import parse_date, parse_date_range, year_hint
from intake.fields.header import parse_declared_total, parse_labelled, parse_quarter
from intake.fields.phones import normalize_phone
from intake.fields.professions import find_profession_in_text
from intake.fields.text import compact
from ocr.layout import line_texts

ROSTER_LABELS = {
    "unit_name": "单位名称",
    "institution": "培训机构",
    "filled_by": "填表人",
    "contact_phone": "联系方式",
    "fill_date": "填表日期",
}
_CLASS_PERIOD = re.compile(r"(\d{4}\s*年?\s*第\s*\d+\s*期|[A-Z]{0,3}\d{4}[-_]?\d{2,4}期?)")
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
    stops = list(ROSTER_LABELS.values()) + ["第", "共培训"]
    for key, label in ROSTER_LABELS.items():
        value = parse_labelled(text, label, stop_labels=stops)
        if value:
            fields[key] = value
    if "fill_date" in fields:
        fields["fill_date"] = parse_date(fields["fill_date"]) or fields["fill_date"]
    if "contact_phone" in fields:
        phone = normalize_phone(fields["contact_phone"])
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
    institution = parse_labelled(text, "甲方", stop_labels=["乙方", "地址", "法定代表人"])
    if institution:
        fields["institution"] = institution
    if m := _CLASS_PERIOD.search(flat):
        fields["class_period"] = m.group(1)
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
