"""Character clean-up shared by the field readers: full-width forms, and the letters OCR puts
where a digit was printed."""

from __future__ import annotations

# Full-width ASCII (U+FF01..U+FF5E) is what Chinese input methods and some OCR models produce.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space

# Shapes a digit-only field cannot hold, read back as the digit they were printed as.
DIGIT_LOOKALIKES = str.maketrans({
    "O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "○": "0",
    "I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "丨": "1", "L": "1",
    "Z": "2", "z": "2",
    "S": "5", "s": "5",
    "G": "6", "b": "6",
    "B": "8",
    "g": "9", "q": "9",
})


def half_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def compact(text: str) -> str:
    """Without any whitespace: OCR scatters spaces between CJK characters and digits."""
    return "".join(half_width(text).split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance; the fields compared are short, so the plain table is fast enough."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
