"""Header fields of the forms: labelled values ("培训机构：…"), the quarter, the declared total."""

from __future__ import annotations

import re
from collections.abc import Sequence

from intake.fields.numerals import parse_int
from intake.fields.text import half_width

_QUARTER = re.compile(r"(?:第\s*)?([一二三四1-4])\s*季\s*度|\b20\d{2}\s*[Qq]\s*([1-4])\b")
_TOTAL = re.compile(r"共\s*培\s*训\s*[:：]?\s*([0-9零〇一二两三四五六七八九十百]+)\s*人"
                    r"|培\s*训\s*人\s*数\s*[:：]?\s*([0-9零〇一二两三四五六七八九十百]+)\s*人?")


def parse_labelled(text: str, label: str, stop_labels: Sequence[str] = ()) -> str:
    """The value printed after `label` on the same line, up to the next label or the line's end.

    Labels are matched with any spacing between their characters, an optional bracketed qualifier
    ("（盖章）", "（培训机构）", or what is left of one under a seal) and a colon, because forms space
    labels out to fill a width and qualify them in brackets.
    """
    for line in half_width(text).splitlines():
        m = re.search(_spaced(label) + r"\s*(?:[(（][^()（）:：]{0,8}[)）])?\s*[:：]?", line)
        if not m:
            continue
        rest = line[m.end():]
        cut = len(rest)
        for stop in stop_labels:
            if stop == label:
                continue
            s = re.search(_spaced(stop), rest)
            if s and s.start() > 0:
                cut = min(cut, s.start())
        value = rest[:cut].strip(" :：_")
        if value:
            return " ".join(value.split())
    return ""


def parse_quarter(text: str) -> int | None:
    m = _QUARTER.search(half_width(text))
    if not m:
        return None
    return parse_int(m.group(1) or m.group(2))


def parse_declared_total(text: str) -> int | None:
    m = _TOTAL.search(half_width(text))
    if not m:
        return None
    return parse_int(m.group(1) or m.group(2))


def _spaced(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in label)
