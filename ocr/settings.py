"""What every detector on a page is tuned by, made once and handed down.

One `ReadSettings` per engine is made where reading starts (the page reader pool) and carried to each
page; each page gets it at the resolution it is read at (`at_dpi`), so a pixel constant means the same
millimetres on every page: pages are brought to the working resolution first, but a scan too small or too
large to bring all the way (ocr/geometry.py's scale limits) is read at what it reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypeVar

from ocr.cells import CellSettings
from ocr.engines import DEFAULT_ENGINE, low_confidence
from ocr.geometry import WORKING_DPI
from ocr.grid import GridSettings
from ocr.marks.seal import SealSettings
from ocr.marks.signature import SignatureSettings

# Lengths in pixels, by settings class: scaled with the resolution. Areas scale with its square.
_LENGTHS = {
    GridSettings: ("min_piece", "min_vertical_piece", "bridge_gap", "merge_distance", "river_width"),
    CellSettings: ("inset", "min_line_height", "min_stroke_width", "line_gap", "crop_margin"),
    SignatureSettings: ("inset",),
}
_AREAS = {SignatureSettings: ("min_component",), GridSettings: ("speck_area",)}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReadSettings:
    engine: str = DEFAULT_ENGINE
    dpi: float = WORKING_DPI
    grid: GridSettings = field(default_factory=GridSettings)
    cells: CellSettings = field(default_factory=CellSettings)
    seals: SealSettings = field(default_factory=SealSettings)
    signatures: SignatureSettings = field(default_factory=SignatureSettings)
    # Below this a reading is a doubt. The engines' scores are not on one scale, so it is the engine's own.
    low_confidence: float = field(default_factory=lambda: low_confidence(DEFAULT_ENGINE))

    def at_dpi(self, dpi: float) -> ReadSettings:
        """The same settings for a page read at `dpi`."""
        if abs(dpi - self.dpi) < 1:
            return self
        factor = dpi / self.dpi
        return replace(self, dpi=dpi, grid=_scaled(self.grid, factor), cells=_scaled(self.cells, factor),
                       seals=replace(self.seals, dpi=dpi), signatures=_scaled(self.signatures, factor))


def read_settings(engine: str = DEFAULT_ENGINE) -> ReadSettings:
    """The settings for pages read by `engine` at the working resolution."""
    return ReadSettings(engine=engine, low_confidence=low_confidence(engine))


def _scaled(settings: T, factor: float) -> T:
    kind = type(settings)
    lengths = {n: max(1, round(getattr(settings, n) * factor)) for n in _LENGTHS.get(kind, ())}
    areas = {n: max(1, round(getattr(settings, n) * factor * factor)) for n in _AREAS.get(kind, ())}
    return replace(settings, **lengths, **areas)  # type: ignore[type-var]
