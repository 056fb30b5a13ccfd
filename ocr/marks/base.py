"""The one interface of a mark detector: is the mark there, how sure, and where."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from ocr.types import Box


@dataclass(frozen=True, slots=True)
class MarkVerdict:
    present: bool
    # 0.5 means a coin toss; 1.0 means no doubt either way.
    confidence: float
    # What the mark looks like: "ink", "fingerprint", "seal", or "none".
    kind: str
    # The box of the mark's ink in page pixels, when there is any.
    box: Box | None = None
    # The measurements the verdict was made from, for the reviewer and for tuning.
    measures: dict[str, float] | None = None


class MarkDetector(ABC):
    name: str

    @abstractmethod
    def detect(self, image: np.ndarray, region: Box) -> MarkVerdict:
        """Whether the region of the (upright, BGR) page holds the mark."""
