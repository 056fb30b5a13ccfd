"""The training institution (培训机构): the roster's header names it, the agreement names it as 甲方, the
publicity list and the archive carry it in a column."""

from __future__ import annotations

from intake.fields.header import parse_labelled

TITLE = "培训机构"
HEADER_LABELS = ("培训机构",)
# The agreement's party A, up to the next party or the address line.
AGREEMENT_LABELS = ("甲方",)
# The columns of a registry list (subsidy institutions import), field -> header wordings.
REGISTRY_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("机构名称", TITLE, "培训机构名称"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
    "category": ("认定类别", "认定专业", "认定范围"),
    "department": ("认定部门", "认定机关", "主管部门"),
    "announcement_no": ("认定文号", "公告文号", "文号"),
    "valid_from": ("有效期起", "有效期自", "认定日期"),
    "valid_to": ("有效期止", "截止日期"),
    "disqualified_on": ("取消资格日期", "取消培训资格日期", "取消日期"),
    "disqualified_reason": ("取消资格原因", "取消培训资格原因", "取消原因"),
    "aliases": ("简称", "机构简称", "其他名称"),
}
AGREEMENT_STOPS = ("乙方", "地址", "法定代表人")


def normalize_institution(raw: str) -> str:
    """One space between words, none around: the name as the seal and the header print it."""
    return " ".join(raw.split())


def in_agreement(text: str) -> str:
    """The institution the agreement's paragraph names as 甲方, or ""."""
    for label in AGREEMENT_LABELS:
        if found := parse_labelled(text, label, stop_labels=AGREEMENT_STOPS):
            return normalize_institution(found)
    return ""
