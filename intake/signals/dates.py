"""Dates that cannot be, read off one trainee's papers (date_impossible), and a class period filed after its
training began (class_filed_after_start).

- a certificate issued before the training ended (the card's 初领日期 / 批准日期);
- a class shorter or longer than its certificate kind's classes run (data/signals.toml);
- a trainee under 18, or past retirement age, on the first day of training (birth date from the ID number);
- a card issued by a department that issues the other kind of card (特种作业操作证 by emergency management,
  特种设备作业人员证 by market regulation or administrative approval);
- the class's records (the provincial system's export) saying its period was filed after training began:
  the notice requires filing before training.

Each finding names the page and box it was read from, so the reviewer sees the date beside the scan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake.data import load
from intake.fields.dates import parse_typed_date
from intake.fields.id_numbers import birth_date, validate_id
from intake.fields.professions import SPECIAL_EQUIPMENT, SPECIAL_OPERATION, match_profession
from intake.findings import Finding

DATE_IMPOSSIBLE, FILED_AFTER_START = "date_impossible", "class_filed_after_start"
KIND_NAMES = {SPECIAL_OPERATION: "特种作业操作证", SPECIAL_EQUIPMENT: "特种设备作业人员证"}


def _day(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def training_span(trainee: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    text = str(trainee.get("training_date") or "")
    if "/" not in text:
        return None, _day(text)
    start, _, end = text.partition("/")
    return _day(start), _day(end)


def age_on(number: str, day: dt.date) -> int | None:
    born = birth_date(number) if validate_id(number, today=day).valid else None
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _where(trainee: dict[str, Any], field: str, document: str | None = None) -> dict[str, Any]:
    """The page and box a field was read at (the first witness on paper, or of the given document)."""
    for e in trainee.get("evidence", []):
        if e.get("field") == field and e.get("page") and (document is None or e.get("document") == document):
            return {"document": e.get("document"), "page": e.get("page"), "row": e.get("row"), "box": e.get("box")}
    return {}


def trainee_cards(trainee: dict[str, Any], documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The certificate cards read for this trainee (by ID number or certificate number), each with its page."""
    pages = {e.get("page") for e in trainee.get("evidence", []) if e.get("document") == "certificate"}
    keys = {str(trainee.get(k) or "") for k in ("id_number", "certificate_no")} - {""}
    found = []
    for doc in documents:
        if doc.get("kind") != "certificate":
            continue
        fields = doc.get("fields") or {}
        for card in fields.get("cards") or [fields]:
            mine = {str(card.get(k) or "") for k in ("id_number", "certificate_no")} & keys
            if mine and (set(doc.get("pages") or []) & pages or not pages):
                found.append({**card, "page": min(set(doc.get("pages") or [0]) & pages or {0})})
    return found


def date_findings(trainee: dict[str, Any], documents: list[dict[str, Any]]) -> list[Finding]:
    settings = load("signals")
    found: list[Finding] = []
    start, end = training_span(trainee)
    profession = match_profession(str(trainee.get("profession") or ""))
    kind = profession.kind if profession else ""
    for card in trainee_cards(trainee, documents):
        where = _where(trainee, "certificate_no", "certificate") or _where(trainee, "name", "certificate")
        issued = _day(card.get("issue_date"))
        if issued and end and issued < end:
            found.append(Finding(DATE_IMPOSSIBLE, f"证书取得日期{issued.isoformat()}早于培训结束日期{end.isoformat()}",
                                 {"check": "certificate_before_training_end", "issue_date": issued.isoformat(),
                                  "training_end": end.isoformat(), **where}))
        card_kind = str(card.get("certificate_kind") or "") or kind
        if problem := wrong_issuer(str(card.get("authority") or ""), card_kind, settings["issuers"]):
            found.append(Finding(DATE_IMPOSSIBLE, problem, {"check": "issuer", "authority": card.get("authority"),
                                                            "kind": card_kind, **where}))
    if start and end and kind:
        days = (end - start).days + 1
        limits = settings["training_days"].get(profession.category) or settings["training_days"][kind]
        if not limits["min"] <= days <= limits["max"]:
            words = "短于" if days < limits["min"] else "长于"
            found.append(Finding(DATE_IMPOSSIBLE, f"培训{start.isoformat()}至{end.isoformat()}共{days}天，{words}"
                                 f"{KIND_NAMES[kind]}培训通常的{limits['min']}-{limits['max']}天",
                                 {"check": "training_days", "days": days, "min": limits["min"],
                                  "max": limits["max"], **_where(trainee, "training_date")}))
    number = str(trainee.get("id_number") or "")
    if start and (age := age_on(number, start)) is not None:
        limit = settings["age"]["retirement"].get(number and ("男" if int(number[16]) % 2 else "女"), 60)
        if age < settings["age"]["minimum"] or age >= limit:
            words = f"未满{settings['age']['minimum']}周岁" if age < settings["age"]["minimum"] else \
                f"已达退休年龄（{limit}周岁）"
            found.append(Finding(DATE_IMPOSSIBLE, f"按身份证号，培训开始时（{start.isoformat()}）{age}岁，{words}",
                                 {"check": "age", "age": age, "training_start": start.isoformat(),
                                  **_where(trainee, "id_number")}))
    return found


def wrong_issuer(authority: str, kind: str, issuers: dict[str, list[str]]) -> str:
    """Why the office cannot have issued this kind of card ("" when it can, or cannot be told)."""
    if kind not in KIND_NAMES or not authority:
        return ""
    own = any(word in authority for word in issuers[kind])
    other_kind = SPECIAL_EQUIPMENT if kind == SPECIAL_OPERATION else SPECIAL_OPERATION
    if not own and any(word in authority for word in issuers[other_kind]):
        return f"{KIND_NAMES[kind]}的签发机关是“{authority}”，该部门签发的是{KIND_NAMES[other_kind]}"
    return ""


def filing_findings(trainee: dict[str, Any], filings: dict[str, str]) -> list[Finding]:
    """The class period filed after training began, by the records row this trainee was matched to."""
    start, _end = training_span(trainee)
    if start is None or not filings:
        return []
    for e in trainee.get("evidence", []):
        if e.get("document") != "records" or e.get("row") is None:
            continue
        filed = _day(filings.get(str(e["row"])))
        if filed and filed > start:
            reason = f"班期于{filed.isoformat()}备案，晚于培训开始日期{start.isoformat()}（通知要求培训前备案）"
            return [Finding(FILED_AFTER_START, reason, {"filed_on": filed.isoformat(),
                                                        "training_start": start.isoformat(), "document": "records",
                                                        "row": e["row"]})]
    return []


def class_filings(records: list[Any]) -> dict[str, str]:
    """When each records row's class period was filed (备案日期), by the row's number: {"2": "2020-05-01"}."""
    out = {}
    for record in records:
        if filed := parse_typed_date(str(record.values.get("filed_date") or "")):
            out[str(record.row)] = filed.isoformat()
    return out
