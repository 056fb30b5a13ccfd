"""What a page is: roster, agreement, certificate, report or unknown, from what it says.

The title decides first (a report may cite the roster by name in its body, so body words alone
would mislead); then the table's header; then keywords anywhere on the page. A table page with
neither title nor header is a continuation of the document before it with the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.fields import certificate_numbers, dates, institutions, professions
from intake.page_reader import PageReading
from ocr.layout import line_texts

PAGE_KINDS = ("roster", "agreement", "certificate", "report", "unknown")

TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "roster": ("花名册", "人员名册", "培训人员名单"),
    "agreement": ("协议书", "代领", "补贴协议"),
    "report": ("申请报告", "补贴申请"),
    "certificate": ("特种作业操作证", "作业人员证", "特种设备安全管理", "操作证"),
}
# Words of the body; a card's are the labels only cards print (each field's module holds its own).
BODY_WORDS: dict[str, tuple[str, ...]] = {
    "certificate": (*professions.CARD_ITEM_LABELS, *professions.CARD_CATEGORY_LABELS, *dates.CARD_ISSUE_LABELS,
                    *certificate_numbers.CARD_LABELS, "发证机关", "签发机关", "有效期", "复审"),
    "report": ("人力资源和社会保障局", "共培训", "取得证书", "申请补贴", "大写", "特此申请", "此致"),
    "agreement": (*institutions.AGREEMENT_LABELS, "乙方", "承诺", "代为领取"),
    "roster": ("填表人", *dates.FILL_DATE_LABELS, "共培训"),
}
# Columns that only one kind of table has.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": ("certificate_no", "training_date", "class_period", "profession"),
    "agreement": ("signature",),
}
# What the application report is about; without these a page titled …报告 is some other report.
REPORT_SUBJECT = ("补贴", "培训")
TITLE_ZONE = 0.3  # share of the page height where titles stand
TITLE_LINES = 3  # a title sits under at most an attachment label and a country line


@dataclass(frozen=True, slots=True)
class PageKind:
    kind: str
    # True when the page opens a document (it has a title), False for a continuation page.
    starts_document: bool
    reason: str
    # For a continuation page: the kind its words suggest, should no document precede it.
    guess: str | None = None


def title_lines(reading: PageReading) -> list[str]:
    """Printed lines in the top of the page, top first."""
    top = reading.height * TITLE_ZONE
    return line_texts([w for w in reading.lines if w.box.y0 < top], gap="")


def _title_kind(line: str) -> str | None:
    for kind, words in TITLE_WORDS.items():
        if _hits(line, words):
            return kind
    # "关于申请…补贴的报告": reports are titled by what they ask for, ending in 报告; a financial report
    # or a work report also ends so, and is none of the notice's forms.
    if line.rstrip("。.").endswith("报告") and any(word in line for word in REPORT_SUBJECT):
        return "report"
    return None


def _hits(text: str, words: tuple[str, ...]) -> int:
    return sum(1 for word in words if word in text)


def classify(reading: PageReading) -> PageKind:
    # The topmost line naming a kind is the title; lower lines, even near the top, may cite other
    # documents (a report says it is about certificates), so only the first few lines are titles.
    for line in title_lines(reading)[:TITLE_LINES]:
        kind = _title_kind(line)
        if kind:
            return PageKind(kind, True, f"title: {line[:40]}")
    table = reading.table
    if table is not None and table.columns:
        for kind, cols in TABLE_COLUMNS.items():
            if any(c in table.columns for c in cols):
                return PageKind(kind, False, f"table header: {''.join(table.header)[:40]}")
    scores = {kind: _hits(reading.text, words) for kind, words in BODY_WORDS.items()}
    if not any(word in reading.text for word in REPORT_SUBJECT):
        scores["report"] = 0  # a letter to the bureau ends in 此致 too
    best = max(scores, key=lambda k: scores[k])
    guess = best if scores[best] >= 2 else None
    if table is not None and scores["certificate"] >= 2:
        # Card outlines make a grid too; their labels (准操项目, 初领日期 …) say what the page is.
        return PageKind("certificate", True, f"keywords ({scores['certificate']}) in a framed page")
    if table is not None:
        # A headerless table continues the document before it, even when its footer ("填表人")
        # names a kind; the keywords only say what it is when nothing precedes it.
        return PageKind("continuation", False, f"无表头的{table.grid.n_cols}列表格，是花名册或协议书的续页 "
                         f"(table of {table.grid.n_cols} columns, no header: a continuation page)", guess)
    if guess:
        return PageKind(guess, True, f"keywords ({scores[best]})")
    titles = title_lines(reading)[:1]
    shown = f"，标题“{titles[0][:30]}”" if titles else ""
    return PageKind("unknown", True, f"不是通知所列的材料（花名册、协议书、证书、申请报告）{shown} "
                                     f"(no title, table or keywords of the notice's forms)")
