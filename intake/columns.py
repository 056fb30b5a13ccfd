"""Which column holds which field, decided by the header row's text, never by position.

Forms vary by institution (columns added, merged, reordered, brackets full- or half-width), so a
header cell is matched to the field whose known labels it shares most characters with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Field -> header labels seen on the notice's forms and their common variants.
COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "name": ("姓名",),
    "gender": ("性别",),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话"),
    "profession": ("专业（工种）", "专业", "工种", "培训专业", "作业类别"),
    "certificate_no": ("证书编号", "证书号", "证书号码", "证号"),
    "training_date": ("培训日期", "培训时间", "培训起止日期"),
    # Spreadsheet exports split the period into two columns.
    "training_start": ("培训开始日期", "开始日期", "培训起始日期"),
    "training_end": ("培训结束日期", "结束日期", "培训截止日期"),
    "class_period": ("班期", "期次", "班次"),
    "signature": ("签字（手印或盖章）", "签字", "签名", "手印", "签字或手印"),
}

# Fields read with the digit alphabet where the engine can restrict it.
DIGIT_FIELDS = frozenset({"id_number", "phone", "seq"})

_NOISE = re.compile(r"[\s()（）\[\]【】:：.,，、*]")


def _chars(text: str) -> str:
    return _NOISE.sub("", text)


def header_score(text: str, label: str) -> float:
    """Share of the label's characters found, in order-insensitive fashion, in the cell text."""
    cell, want = _chars(text), _chars(label)
    if not cell or not want:
        return 0.0
    if cell == want:
        return 1.01  # an exact label beats a label that is merely contained in the cell
    hits = sum(1 for ch in want if ch in cell)
    # Penalise long cells that merely contain the label's characters among many others.
    return hits / len(want) * min(1.0, len(want) / max(len(cell), 1) * 1.5)


def role_of(text: str) -> tuple[str | None, float]:
    """The field a header cell names and how sure that is (0..1)."""
    best, best_score = None, 0.0
    for role, labels in COLUMN_LABELS.items():
        for label in labels:
            s = header_score(text, label)
            if s > best_score:
                best, best_score = role, s
    return (best, best_score) if best_score >= 0.6 else (None, best_score)


def map_columns(header: Sequence[str], labels: dict[str, tuple[str, ...]] | None = None) -> dict[str, int]:
    """Field -> column index for a header row; each field and each column used once, best first.
    `labels` (field -> header labels) defaults to the forms' columns; spreadsheets bring their own."""
    scored = []
    for col, text in enumerate(header):
        for role, options in (labels or COLUMN_LABELS).items():
            s = max(header_score(text, label) for label in options)
            if s >= 0.6:
                scored.append((s, role, col))
    roles: dict[str, int] = {}
    used: set[int] = set()
    for _s, role, col in sorted(scored, key=lambda t: -t[0]):
        if role not in roles and col not in used:
            roles[role] = col
            used.add(col)
    return roles


def looks_like_header(header: Sequence[str]) -> bool:
    """A row is a header when at least three of its cells name known fields."""
    return len(map_columns(header)) >= 3
