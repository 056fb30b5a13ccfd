"""Words into visual lines: engines often cut one printed line into several boxes (a seal or a
wide gap between a label and its value), and the fields are read per printed line."""

from __future__ import annotations

from collections.abc import Sequence

from ocr.types import Word


def _overlap(a: Word, b: Word) -> float:
    """Share of the shorter word's height that the two words have in common."""
    top, bottom = max(a.box.y0, b.box.y0), min(a.box.y1, b.box.y1)
    return max(0, bottom - top) / max(1, min(a.box.height, b.box.height))


def visual_lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into lines (top to bottom), each line left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box.center[1], w.box.x0)):
        for line in lines:
            if _overlap(line[-1], word) >= 0.5:
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w.box.x0)
    lines.sort(key=lambda ln: min(w.box.y0 for w in ln))
    return lines


def line_texts(words: Sequence[Word], gap: str = " ") -> list[str]:
    """One string per visual line; words of a line joined by `gap`."""
    return [gap.join(w.text for w in line) for line in visual_lines(words)]
