"""OCR engines by name. A new engine is a new module here and one line in ENGINES."""

from __future__ import annotations

from collections.abc import Callable

from ocr.engines.base import Charset, OcrEngine, Orientation


def _rapidocr() -> OcrEngine:
    from ocr.engines.rapid import RapidOcrEngine

    return RapidOcrEngine()


def _tesseract() -> OcrEngine:
    from ocr.engines.tesseract import TesseractEngine

    return TesseractEngine()


# Imported lazily: loading the ONNX models or probing Tesseract costs seconds we need not pay
# for the engine that is not used.
ENGINES: dict[str, Callable[[], OcrEngine]] = {
    "rapidocr": _rapidocr,
    "tesseract": _tesseract,
}
DEFAULT_ENGINE = "rapidocr"


def create_engine(name: str = DEFAULT_ENGINE) -> OcrEngine:
    try:
        factory = ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINES)}") from None
    return factory()


__all__ = ["Charset", "DEFAULT_ENGINE", "ENGINES", "OcrEngine", "Orientation", "create_engine"]
