"""Valid unified social credit codes (GB 32100-2015) for generated institutions."""

from __future__ import annotations

import random

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# 5 民政 + 2 民办非企业单位 (most training schools), 9 工商 + 1 企业 (training companies).
KINDS = ("52", "52", "91")
AREAS = ("371600", "371602", "371603", "371621", "371622", "371623", "371625", "371681")


def _org_check(body: str) -> str:
    digit = 11 - sum(int(ch, 36) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True)) % 11
    return "X" if digit == 10 else "0" if digit == 11 else str(digit)


def credit_code(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = _org_check(body)
    if check == "X":  # X is a valid organisation check, but keep codes simple to read
        body = body[:-1] + str((int(body[-1]) + 1) % 10)
        check = _org_check(body)
    first17 = rng.choice(KINDS) + rng.choice(AREAS) + body + check
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return first17 + ALPHABET[(31 - total % 31) % 31]
