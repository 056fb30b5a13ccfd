"""Resident ID numbers (GB 11643-1999): 6-digit address code, birth date, sequence, check character."""

from __future__ import annotations

import datetime as dt
import random

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def is_valid(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return number[17] == check_char(number[:17])


def gender_of(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def make_id_number(rng: random.Random, address_code: str, birth: dt.date, gender: str,
                   want_x: bool = False) -> str:
    """A valid number; with want_x, the sequence is chosen so the check character is X where possible."""
    parity = 1 if gender == "男" else 0
    sequences = [s for s in range(1, 1000) if s % 2 == parity]
    rng.shuffle(sequences)
    stem = f"{address_code}{birth:%Y%m%d}"
    if want_x:
        for seq in sequences:
            if check_char(f"{stem}{seq:03d}") == "X":
                return f"{stem}{seq:03d}X"
    first17 = f"{stem}{sequences[0]:03d}"
    return first17 + check_char(first17)


def typo(rng: random.Random, number: str) -> str:
    """The number with one digit of its body changed, as a clerk's slip would leave it."""
    pos = rng.randrange(6, 17)
    digits = [d for d in "0123456789" if d != number[pos]]
    return number[:pos] + rng.choice(digits) + number[pos + 1:]


def rebirth(number: str, birth: dt.date) -> str:
    """The same number (area, sequence) for a person born on another day, check character recomputed."""
    first17 = f"{number[:6]}{birth:%Y%m%d}{number[14:17]}"
    return first17 + check_char(first17)
