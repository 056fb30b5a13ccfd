"""What a bundle draws beyond its forms' style: how its certificates are copied, which stray pages
got into the pile, at what resolution it was scanned and which pages were photographed instead.

The house bundle copies one card a sheet, has no stray pages and is scanned at 200 DPI; a "wide"
bundle draws each of these from its seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.bundlegen.sheets import SHEET_MODES, SHEET_WEIGHTS

# Scanner settings people use, and how often; 600 DPI is rare (large files) but it happens.
DPIS = (150, 200, 240, 300, 400, 600)
DPI_WEIGHTS = (2, 4, 1, 3, 1, 0.6)
STRAY_KINDS = ("financial_report", "letter")


@dataclass(frozen=True)
class BundleLook:
    dpi: int = 200
    photo_share: float = 0.0            # chance that a page of a scanned bundle was photographed instead
    sheet_mode: str = "single"
    strays: tuple[str, ...] = ()        # pages that are none of the notice's forms


def house_look() -> BundleLook:
    return BundleLook()


def wide_look(rng: random.Random) -> BundleLook:
    strays = tuple(rng.choice(STRAY_KINDS) for _ in range(rng.choices((0, 1, 2), weights=(6, 3, 1), k=1)[0]))
    return BundleLook(dpi=rng.choices(DPIS, weights=DPI_WEIGHTS, k=1)[0],
                      photo_share=rng.choice((0.0, 0.0, 0.15, 0.3)),
                      sheet_mode=rng.choices(SHEET_MODES, weights=SHEET_WEIGHTS, k=1)[0], strays=strays)
