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
    "rapidocr": EngineEntry(_rapidocr, _check_rapidocr),
    "tesseract": EngineEntry(_tesseract, _check_tesseract),
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


def check_engine(name: str = DEFAULT_ENGINE) -> None:
    """Raise EngineUnavailable before any work starts if the engine's parts are not installed."""
    _entry(name).check()


__all__ = ["Charset", "DEFAULT_ENGINE", "ENGINES", "EngineUnavailable", "OcrEngine", "Orientation",
           "check_engine", "create_engine"]
