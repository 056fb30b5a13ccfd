"""Which column holds which field: by the header's words where there is a header, by the values' own grammar
where there is none (a continuation page) or where the header is damaged.

Forms vary by institution (columns added, merged, reordered, brackets full- or half-width, two header rows
with "培训日期" over "开始"/"结束"), so a header cell is matched to the field whose known labels it shares most
characters with, and a column's values are scored by how well they parse as each field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from intake.fields import (
    certificate_numbers,
    class_periods,
    dates,
    genders,
    id_numbers,
    names,
    phones,
    professions,
)

# Field -> header labels seen on the notice's forms and on institutions' own versions of them: each
# field's module holds its own; the row number and the signature belong to the table, not to a field.
COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序"),
    "name": names.TABLE_LABELS,
    "gender": genders.TABLE_LABELS,
    "id_number": id_numbers.TABLE_LABELS,
    "phone": phones.TABLE_LABELS,
    "profession": professions.TABLE_LABELS,
    "certificate_no": certificate_numbers.TABLE_LABELS,
    "training_date": dates.TABLE_LABELS,
    # Spreadsheet exports split the period into two columns; two-row headers put 开始/结束 under 培训日期.
    "training_start": dates.START_LABELS,
    "training_end": dates.END_LABELS,
    "class_period": class_periods.TABLE_LABELS,
    # The provincial system's export says when the class period was filed (the notice: before training).
    "filed_date": dates.FILED_LABELS,
    "signature": ("签字（手印或盖章）", "签字", "签名", "手印", "签字或手印", "学员签字", "本人签字", "签字确认",
                  "乙方签字", "学员签名"),
}
# Under a spanning "培训日期" cell, the sub-columns say only which end of the period they hold.
SUB_LABELS: dict[str, tuple[str, ...]] = {"training_start": dates.START_SUB_LABELS,
                                          "training_end": dates.END_SUB_LABELS}

# Fields read with the digit alphabet where the engine can restrict it.
DIGIT_FIELDS = frozenset({"id_number", "phone", "seq"})
# Columns a form may add that hold none of the trainee's fields; recognised so they claim no field.
OTHER_LABELS = ("备注", "工作单位", "用人单位", "单位名称", "年龄", "文化程度", "学历", "联系地址", "住址", "考核结果",
                "成绩", "是否合格", "民族", "出生日期", "所在单位", "岗位")

_NOISE = re.compile(r"[\s()（）\[\]【】:：.,，、*]")
MIN_SCORE = 0.6


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
    return (best, best_score) if best_score >= MIN_SCORE else (None, best_score)


def _is_other(text: str) -> bool:
    return any(header_score(text, label) >= 1.0 for label in OTHER_LABELS)


def map_columns(header: Sequence[str], labels: dict[str, tuple[str, ...]] | None = None) -> dict[str, int]:
    """Field -> column index for a header row; each field and each column used once, best first.
    `labels` (field -> header labels) defaults to the forms' columns; spreadsheets bring their own."""
    return assign(score_header(header, labels))


def score_header(header: Sequence[str], labels: dict[str, tuple[str, ...]] | None = None,
                 ) -> list[tuple[float, str, int]]:
    scored = []
    for col, text in enumerate(header):
        if labels is None and _is_other(text):
            continue
        for role, options in (labels or COLUMN_LABELS).items():
            s = max(header_score(text, label) for label in options)
            if s >= MIN_SCORE:
                scored.append((s, role, col))
    return scored


def map_header_rows(rows: Sequence[Sequence[str]]) -> dict[str, int]:
    """Columns of a header of one or two rows: each column's label is its own cell, the cell above it
    (a spanning "培训日期" over "开始"/"结束"), or both joined."""
    if len(rows) == 1:
        return map_columns(rows[0])
    top, bottom = rows[0], rows[1]
    scored: list[tuple[float, str, int]] = []
    for col in range(len(bottom)):
        up, down = top[col] if col < len(top) else "", bottom[col]
        texts = [t for t in (down, up, up + down) if t]
        for text in texts:
            scored += [(s, role, col) for s, role, _ in score_header([text])]
        for role, subs in SUB_LABELS.items():
            if down and up and any(_chars(down) == s for s in subs) and role_of(up)[0] == "training_date":
                scored.append((1.02, role, col))
    return assign(scored)


def assign(scored: list[tuple[float, str, int]]) -> dict[str, int]:
    roles: dict[str, int] = {}
    used: set[int] = set()
    for _s, role, col in sorted(scored, key=lambda t: -t[0]):
        if role not in roles and col not in used:
            roles[role] = col
            used.add(col)
    if "training_start" in roles and "training_end" in roles:
        roles.pop("training_date", None)
    return roles


def looks_like_header(header: Sequence[str]) -> bool:
    """A row is a header when at least three of its cells name known fields (two in a narrow table)."""
    found = map_columns(header)
    return len(found) >= 3 or (len(found) == 2 and len([t for t in header if t.strip()]) <= 3)


# Fields whose values have a form a column's cells can be checked against.
FORMED_FIELDS = ("id_number", "phone", "gender")
# Share of a column's filled cells that must read as the field for the values to decide.
VALUES_DECIDE = 0.6


def checked_by_values(columns: dict[str, int], rows: Sequence[Sequence[str]]) -> dict[str, int]:
    """The header's mapping with each formed field over the column its values take the form of. A seal
    stamped over two labels, or their rule, makes one spanning header cell ("性别" lost under "身份证号码",
    the ID mapped over the genders): a formed field whose column's values do not read as it moves to a column
    no field holds whose values do, and one the header lost is given such a column."""
    out = dict(columns)
    n_cols = max((len(r) for r in rows), default=0)
    for name in FORMED_FIELDS:
        here = out.get(name)
        if here is not None and _reads_as(name, rows, here) >= VALUES_DECIDE:
            continue
        held = {c for f, c in out.items() if f != name}
        free = [c for c in range(n_cols) if c not in held and c != here]
        best = max(free, key=lambda c: _reads_as(name, rows, c), default=None)
        if best is not None and _reads_as(name, rows, best) >= VALUES_DECIDE:
            out[name] = best
    return out


def _reads_as(name: str, rows: Sequence[Sequence[str]], col: int) -> float:
    texts = [r[col] for r in rows if col < len(r) and r[col].strip()]
    if len(texts) < 2:
        return 0.0
    read = _VALUE_READERS[name]
    return sum(1 for t in texts if read(t).valid) / len(texts)


_VALUE_READERS = {"id_number": id_numbers.read, "phone": phones.read, "gender": genders.read}
