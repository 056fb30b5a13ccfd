"""OCR engines by name. A new engine is a new module here and one entry in ENGINES."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ocr.engines.base import Charset, EngineUnavailable, OcrEngine, Orientation


@dataclass(frozen=True, slots=True)
class EngineEntry:
    # Imported lazily: loading the ONNX models or probing Tesseract costs seconds we need not pay
    # for the engine that is not used.
    create: Callable[[], OcrEngine]
    # Cheap (no model loaded): raises EngineUnavailable naming the missing part and its fix.
    check: Callable[[], None]
    # Below this score a reading is a doubt a reviewer sees even when it parses. The engines' scores are
    # not on one scale (RapidOCR's recogniser probability, Tesseract's mean word confidence), so each
    # engine has its own, from benchmarks/confidence_benchmark.py (2 scanned bundles): Tesseract's wrong
    # readings caught are the same 78% at 0.70 as at 0.85, with half the right ones sent to review (5% against
    # 11%); RapidOCR read none wrong there, and keeps the 0.85 it was tuned with.
    low_confidence: float


def _rapidocr() -> OcrEngine:
    from ocr.engines.rapid import RapidOcrEngine

    return RapidOcrEngine()


def _check_rapidocr() -> None:
    from ocr.engines.rapid import check_rapidocr

    check_rapidocr()


def _tesseract() -> OcrEngine:
    from ocr.engines.tesseract import TesseractEngine

    return TesseractEngine()


def _check_tesseract() -> None:
    from ocr.engines.tesseract import check_tesseract

    check_tesseract()


ENGINES: dict[str, EngineEntry] = {
    "rapidocr": EngineEntry(_rapidocr, _check_rapidocr, low_confidence=0.85),
    "tesseract": EngineEntry(_tesseract, _check_tesseract, low_confidence=0.70),
}
# Chosen by benchmarks/engine_benchmark.py (figures in README.md).
DEFAULT_ENGINE = "rapidocr"


def _entry(name: str) -> EngineEntry:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINES)}") from None


def create_engine(name: str = DEFAULT_ENGINE) -> OcrEngine:
    return _entry(name).create()


def low_confidence(name: str) -> float:
    """The engine's doubt cut-off. A reading whose engine is not named (a test's fake reader) is held to the
    default engine's."""
    return (ENGINES.get(name) or ENGINES[DEFAULT_ENGINE]).low_confidence


def check_engine(name: str = DEFAULT_ENGINE) -> None:
    """Raise EngineUnavailable before any work starts if the engine's parts are not installed."""
    _entry(name).check()


__all__ = ["Charset", "DEFAULT_ENGINE", "ENGINES", "EngineUnavailable", "OcrEngine", "Orientation",
           "check_engine", "create_engine", "low_confidence"]
