"""The one interface every OCR engine offers; the pipeline never names a concrete engine.

Engines are kept stateless between calls (apart from loaded models) because pages are read in
worker processes, each holding its own engine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from ocr.types import Reading, Word

# "digits" asks for 0-9 and X only (ID numbers, phones); engines that cannot restrict their
# alphabet read normally and leave the filtering to the field parsers.
Charset = Literal["any", "digits"]


class EngineUnavailable(RuntimeError):
    """An engine that cannot start on this machine: which part is missing, and how to get it."""

    def __init__(self, engine: str, reason: str, fix: str) -> None:
        self.engine = engine
        self.reason = reason
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"OCR 引擎 {self.engine} 不可用：{self.reason}。解决办法：{self.fix}"

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        # Raised in a worker process, it must arrive whole in the one that reports it.
        return (type(self), (self.engine, self.reason, self.fix))


@dataclass(frozen=True, slots=True)
class Orientation:
    """Clockwise degrees (0, 90, 180, 270) to turn the image so that its text reads upright."""

    rotation: int
    confidence: float


class OcrEngine(ABC):
    name: ClassVar[str]

    @abstractmethod
    def read_page(self, image: np.ndarray) -> list[Word]:
        """Find and read every line of text on an upright page (or region) image."""

    @abstractmethod
    def read_lines(self, crops: Sequence[np.ndarray], charset: Charset = "any") -> list[Reading]:
        """Read crops that each hold one line of text; one reading per crop, in order."""

    @abstractmethod
    def detect_orientation(self, image: np.ndarray) -> Orientation:
        """How far the page must be turned clockwise so its text stands upright."""


def as_bgr(image: np.ndarray) -> np.ndarray:
    """Engines want three channels; scans arrive as grey or BGR."""
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2)
    return image


def rotate_clockwise(image: np.ndarray, degrees: int) -> np.ndarray:
    """Turn an image by a multiple of 90 degrees clockwise, without resampling."""
    turns = (degrees // 90) % 4
    # np.rot90 turns counter-clockwise for positive k.
    return np.ascontiguousarray(np.rot90(image, k=-turns)) if turns else image
