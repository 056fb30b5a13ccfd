"""The training institution (培训机构): the roster's header names it, the agreement names it as 甲方, the
publicity list and the archive carry it in a column."""

from __future__ import annotations

from intake.fields.header import parse_labelled

TITLE = "培训机构"
HEADER_LABELS = ("培训机构",)
# The agreement's party A, up to the next party or the address line.
AGREEMENT_LABELS = ("甲方",)
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
