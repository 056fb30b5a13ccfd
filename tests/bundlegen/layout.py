"""Placing text: fitting a cell's text into its box (wrapping to two lines, shrinking if it must) and
setting Chinese paragraphs with the usual rule that no line starts with closing punctuation."""

from __future__ import annotations

from tests.bundlegen import fonts
from tests.bundlegen.draft import BLACK, Color, PageDraft

# CJK ideographs sit on the em box from about 0.88 em above the baseline to 0.12 em below it.
BASELINE_BELOW_CENTRE = 0.38
LINE_SPACING = 1.22
CLOSING = "，。、；：？！）》」』”’%"
BREAK_AFTER = "-—~～至、/ "


def baseline(centre_y: float, size: int) -> float:
    return centre_y + BASELINE_BELOW_CENTRE * size


def wrap(text: str, face: str, size: int, width: float, soft: bool = True) -> list[str]:
    """Greedy wrap by characters, breaking after a dash or 至 when one is close to the line's end
    (soft=False for running text, which breaks anywhere but inside a number or code)."""
    lines: list[str] = []
    rest = text
    while rest:
        cut = _fit_count(rest, face, size, width)
        if cut < len(rest):
            after = max((i + 1 for i in range(cut) if rest[i] in BREAK_AFTER), default=0) if soft else 0
            if after >= cut * 0.5:
                cut = after
            # Never split a number or a code (ID, class period, date) across lines.
            run = cut
            while run > 0 and _latin(rest[run - 1]) and _latin(rest[run]):
                run -= 1
            if run > 0 and run != cut:
                cut = run
            while cut < len(rest) and rest[cut] in CLOSING:  # never start a line with closing punctuation
                cut += 1
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return lines


def _latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".-/")


def _fit_count(text: str, face: str, size: int, width: float) -> int:
    for n in range(1, len(text) + 1):
        if fonts.text_width(text[:n], face, size) > width:
            return max(n - 1, 1)
    return len(text)


def fit(text: str, face: str, size: int, width: float, height: float, max_lines: int = 2,
        min_size: int = 12) -> tuple[list[str], int]:
    """Lines and size that fit the box: one line if it fits, else wrapped, else smaller. A "\n" in the text
    breaks it there, as a form's two-line header cell does."""
    if "\n" in text:
        return _fit_broken(text.split("\n"), face, size, width, height, min_size)
    for s in range(size, min_size - 1, -1):
        if fonts.text_width(text, face, s) <= width and s * 1.05 <= height:
            return [text], s
        lines = wrap(text, face, s, width)
        if len(lines) <= max_lines and len(lines) * s * LINE_SPACING <= height:
            return lines, s
    return wrap(text, face, min_size, width)[:max_lines], min_size


def _fit_broken(lines: list[str], face: str, size: int, width: float, height: float,
                min_size: int) -> tuple[list[str], int]:
    for s in range(size, min_size - 1, -1):
        if all(fonts.text_width(line, face, s) <= width for line in lines) and len(lines) * s * LINE_SPACING <= height:
            return lines, s
    return lines, min_size


def text_in_box(draft: PageDraft, text: str, box: tuple[float, float, float, float], face: str, size: int,
                align: str = "center", max_lines: int = 2, pad: float = 6, color: Color = BLACK) -> int:
    """Draw text inside a cell box; returns the size used."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0 - 2 * pad, y1 - y0 - 2 * pad
    lines, s = fit(text, face, size, width, height, max_lines)
    centre = (y0 + y1) / 2
    first = centre - (len(lines) - 1) * s * LINE_SPACING / 2
    for i, line in enumerate(lines):
        w = fonts.text_width(line, face, s)
        x = x0 + pad if align == "left" else (x0 + x1 - w) / 2
        draft.text(x, baseline(first + i * s * LINE_SPACING, s), line, face, s, color)
    return s


def paragraph(draft: PageDraft, text: str, x: float, top: float, width: float, face: str, size: int,
              leading: float = 1.8, indent: int = 2, color: Color = BLACK) -> float:
    """Set a paragraph from top; returns the y below its last line."""
    lead = "\u3000" * indent
    lines = wrap(lead + text, face, size, width, soft=False)
    step = size * leading
    for i, line in enumerate(lines):
        y = top + i * step
        indent_px = fonts.text_width(lead, face, size) if i == 0 and indent else 0
        draft.text(x + indent_px, baseline(y + size / 2, size), line.lstrip("\u3000"), face, size, color)
    return top + len(lines) * step


def line_of(draft: PageDraft, x: float, centre_y: float, text: str, face: str, size: int,
            color: Color = BLACK) -> float:
    """One line of text starting at x, vertically centred on centre_y; returns its right end."""
    draft.text(x, baseline(centre_y, size), text, face, size, color)
    return x + fonts.text_width(text, face, size)


def centred(draft: PageDraft, centre_x: float, centre_y: float, text: str, face: str, size: int,
            color: Color = BLACK) -> tuple[float, float]:
    """A line centred on (centre_x, centre_y); returns its left and right ends."""
    w = fonts.text_width(text, face, size)
    draft.text(centre_x - w / 2, baseline(centre_y, size), text, face, size, color)
    return centre_x - w / 2, centre_x + w / 2
