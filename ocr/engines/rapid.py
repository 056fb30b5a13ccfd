"""RapidOCR 3.x on onnxruntime: PP-OCRv6 detection and recognition, the models from its wheel.

The models are handed to RapidOCR by path, so its download code is never reached: the machines
have no internet, and a missing model must say so rather than try to fetch one. Detection,
orientation and recognition are used as separate steps: table cells go to recognition alone,
in batches; detection runs only where the layout has no cells (a page's header and footer).

The raw calls (`_detect`, `_recognise`, `_classify`) are kept apart from the functions that turn
their output into our common `Word`/`Reading` form, so the parsing is tested on saved output.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import cv2
import numpy as np

from ocr.engines.base import Charset, EngineUnavailable, OcrEngine, Orientation, as_bgr, rotate_clockwise
from ocr.engines.regions import detection_scale, survey
from ocr.types import Box, Reading, Word

# Detection runs on the inked region only, scaled so that characters are this tall (px): the
# detector finds lines of this height as well as larger ones, and its cost grows with the area.
DET_TEXT_HEIGHT = 12
# Telling which way lines run needs only their outlines.
ORIENT_TEXT_HEIGHT = 9
DETECT_MAX_SIDE = 1600  # where the survey cannot tell the characters' height
MIN_LINE_ASPECT = 1.5  # single characters are square and say nothing about direction
# A "line" many characters tall is a picture the detector took for text (the holder's photo on a
# certificate): a title is twice the body's size, not three times.
MAX_LINE_HEIGHT = 3.0
# The recogniser pads every crop to at least this width (RapidOCR's default, 320, is a whole
# line's): a two-character name cell would cost as much as an ID number.
REC_MIN_WIDTH = 96
REC_HEIGHT = 48
REC_BATCH = 6

INSTALL_HINT = "pip install 'rapidocr>=3.10,<4' onnxruntime"
REINSTALL_HINT = "pip install --force-reinstall --no-deps 'rapidocr>=3.10,<4' onnxruntime"


@dataclass(frozen=True, slots=True)
class RapidModels:
    """The ONNX files of one model generation, and the version RapidOCR must treat them as."""

    version: str  # "PP-OCRv6", "PP-OCRv4": RapidOCR's OCRVersion value
    det: Path
    rec: Path
    cls: Path

    def files(self) -> tuple[Path, ...]:
        return (self.det, self.rec, self.cls)


def wheel_models() -> RapidModels:
    """The PP-OCRv6 small models that ship inside the rapidocr wheel."""
    spec = find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise EngineUnavailable("rapidocr", "未安装 rapidocr (the rapidocr package is not installed)", INSTALL_HINT)
    models = Path(spec.origin).parent / "models"
    return RapidModels("PP-OCRv6", models / "PP-OCRv6_det_small.onnx", models / "PP-OCRv6_rec_small.onnx",
                       models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx")


# Lines read both ways up to tell an upright page from an upside-down one, and the mean score difference
# that decides without the direction classifier.
ORIENT_CHECK_LINES = 6
ORIENT_SCORE_MARGIN = 0.08
# A classifier this sure that the page stands upright is taken at its word.
ORIENT_SURE_SHARE = 0.9


def _threads() -> int:
    return int(os.environ.get("SUBSIDY_OCR_THREADS", "0")) or (os.cpu_count() or 1)


def rapidocr_params(models: RapidModels, threads: int) -> dict[str, object]:
    """RapidOCR's settings: our model files by path, one thread count, quiet logs."""
    from rapidocr import OCRVersion

    version = OCRVersion(models.version)
    return {
        "Global.log_level": "error",
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "Det.model_path": str(models.det), "Det.ocr_version": version,
        "Rec.model_path": str(models.rec), "Rec.ocr_version": version, "Rec.rec_batch_num": REC_BATCH,
        "Rec.rec_img_shape": [3, REC_HEIGHT, REC_MIN_WIDTH],
        # The direction classifier keeps its own (PP-OCRv4-era) input shape whatever the models are.
        "Cls.model_path": str(models.cls), "Cls.ocr_version": OCRVersion("PP-OCRv4"),
    }


def check_rapidocr(models: RapidModels | None = None) -> RapidModels:
    """The models to load, once the packages import and the files are there; else EngineUnavailable."""
    models = models or wheel_models()
    for package in ("onnxruntime", "rapidocr.main"):
        try:
            import_module(package)
        except ImportError as exc:
            raise EngineUnavailable("rapidocr", f"无法导入 {package.split('.')[0]} ({exc})", INSTALL_HINT) from exc
    missing = [str(p) for p in models.files() if not p.is_file()]
    if missing:
        raise EngineUnavailable("rapidocr", f"缺少 ONNX 模型文件 (model files missing): {', '.join(missing)}",
                                REINSTALL_HINT)
    return models


class RapidOcrEngine(OcrEngine):
    name = "rapidocr"

    def __init__(self, threads: int | None = None, models: RapidModels | None = None) -> None:
        models = check_rapidocr(models)
        from rapidocr import RapidOCR
        from rapidocr.ch_ppocr_rec import TextRecInput

        self.models = models
        self._rec_input = TextRecInput
        try:
            ocr = RapidOCR(params=rapidocr_params(models, threads or _threads()))
            # Loaded now, not on first use: a broken model must fail here, where it is named.
            self._det = ocr._load_det_model()
            self._rec = ocr._load_rec_model()
            self._cls = ocr._load_cls_model()
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own unrelated types
            raise EngineUnavailable("rapidocr", f"ONNX 模型无法加载 (models could not be loaded: {exc})",
                                    REINSTALL_HINT) from exc
        finally:
            # RapidOCR's logger is set to our level on creation; keep its info lines out of ours.
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        # The detector's default enlarges any image whose short side is under 736 px: a page's
        # header band would be blown up threefold. We scale ourselves and never enlarge.
        self._det.limit_type = "max"
        self._det.limit_side_len = 8192

    # -- raw engine calls -------------------------------------------------------------------
    def _detect(self, image: np.ndarray, scale: float) -> np.ndarray:
        """Quadrilaterals (N, 4, 2) in `image` coordinates, found on a copy at `scale`."""
        small = image if scale >= 1.0 else cv2.resize(image, None, fx=scale, fy=scale,
                                                      interpolation=cv2.INTER_AREA)
        boxes = self._det(small).boxes
        if boxes is None or len(boxes) == 0:
            return _NO_QUADS
        return np.asarray(boxes, np.float32) / min(scale, 1.0)

    def _recognise(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        if not crops:
            return []
        out = self._rec(self._rec_input(img=[as_bgr(c) for c in crops]))
        return [(str(t), float(s)) for t, s in zip(out.txts, out.scores, strict=True)]

    def _classify(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        out = self._cls([as_bgr(c).copy() for c in crops])
        return [(str(label), float(score)) for label, score in out.cls_res]

    def _find_lines(self, image: np.ndarray, text_height: float) -> np.ndarray:
        """Line quadrilaterals in `image` coordinates, detected on its inked region only."""
        found = survey(image)
        if found.region is None:
            return _NO_QUADS
        r = found.region
        region = image[r.y0:r.y1, r.x0:r.x1]
        scale = detection_scale(found.text_height, text_height, region.shape[:2], DETECT_MAX_SIDE)
        quads = self._detect(region, scale)
        if found.text_height is not None and len(quads):
            quads = quads[[min(_quad_size(q)) <= MAX_LINE_HEIGHT * found.text_height for q in quads]]
        return quads + np.array([r.x0, r.y0], np.float32) if len(quads) else quads

    # -- the interface --------------------------------------------------------------------------
    def read_page(self, image: np.ndarray) -> list[Word]:
        image = as_bgr(image)
        quads = _reading_order(self._find_lines(image, DET_TEXT_HEIGHT))
        crops = [crop_quad(image, q) for q in quads]
        return parse_page_result([(q.tolist(), t, s) for q, (t, s) in zip(quads, self._recognise(crops),
                                                                             strict=True)])

    def read_lines(self, crops: Sequence[np.ndarray], charset: Charset = "any") -> list[Reading]:
        return parse_line_results(self._recognise([pad_line(c) for c in crops]))

    def detect_orientation(self, image: np.ndarray) -> Orientation:
        image = as_bgr(image)
        quads = self._find_lines(image, ORIENT_TEXT_HEIGHT)
        # Text reads along the longer side of its line boxes: lines lying wide say 0/180, lines
        # standing tall say 90/270 (the detector finds both); the classifier then settles up or down.
        base = 90 if _line_evidence(quads, tall=True) > _line_evidence(quads) else 0
        if base == 90:
            quads = quads_turned_clockwise(quads, image.shape[0])
        turned = rotate_clockwise(image, base)
        crops = [crop_quad(turned, q) for q in _widest(quads, 16)]
        if not crops:
            return Orientation(base, 0.0)
        votes = self._classify(crops)
        flipped = sum(score for label, score in votes if label == "180")
        kept = sum(score for label, score in votes if label != "180")
        share = kept / (flipped + kept or 1.0)
        if share >= ORIENT_SURE_SHARE:
            return Orientation(base, share)
        # The direction classifier is unreliable on lines of digits (ID numbers and dates look alike upside
        # down to it), which a roster is full of: before a page is turned over, the recogniser reads the
        # widest lines both ways up, and reads text the right way up with clearly higher scores.
        checked = crops[:ORIENT_CHECK_LINES]
        upright_score = float(np.mean([s for _, s in self._recognise([pad_line(c) for c in checked])]))
        flipped_score = float(np.mean([s for _, s in self._recognise([pad_line(rotate_clockwise(c, 180))
                                                                      for c in checked])]))
        if abs(upright_score - flipped_score) >= ORIENT_SCORE_MARGIN:
            sure = min(1.0, 0.5 + abs(upright_score - flipped_score))
            return Orientation((base + 180) % 360 if flipped_score > upright_score else base, sure)
        if flipped > kept:
            return Orientation((base + 180) % 360, 1 - share)
        return Orientation(base, share)


_NO_QUADS = np.zeros((0, 4, 2), np.float32)


# -- turning raw output into the common form ---------------------------------------------------
def parse_page_result(raw: Sequence[tuple[list[list[float]], str, float]]) -> list[Word]:
    """RapidOCR's [(quad, text, score)] -> Words with axis-aligned boxes, blanks dropped."""
    words = []
    for quad, text, score in raw:
        text = text.strip()
        if not text:
            continue
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        box = Box(int(min(xs)), int(min(ys)), int(round(max(xs))), int(round(max(ys))))
        words.append(Word(text, box, float(score)))
    return words


def parse_line_results(raw: Sequence[tuple[str, float]]) -> list[Reading]:
    return [Reading(text.strip(), float(score) if text.strip() else 0.0) for text, score in raw]


# -- geometry helpers ---------------------------------------------------------------------------
def crop_quad(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The axis-aligned crop around a detected quadrilateral, clipped to the image."""
    h, w = image.shape[:2]
    x0, y0 = np.floor(quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(w, x1), min(h, y1)
    return image[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)]


def pad_line(crop: np.ndarray, margin: int = 6) -> np.ndarray:
    """The recogniser was trained on lines with a little white around them."""
    crop = as_bgr(crop)
    return cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_REPLICATE)


def _quad_size(quad: np.ndarray) -> tuple[float, float]:
    width = float(np.linalg.norm(quad[1] - quad[0]))
    height = float(np.linalg.norm(quad[3] - quad[0]))
    return width, height


def _line_evidence(quads: np.ndarray, tall: bool = False) -> float:
    """Total length of boxes clearly wider than tall (or, with `tall`, taller than wide)."""
    total = 0.0
    for q in quads:
        w, h = _quad_size(q)
        if tall:
            w, h = h, w
        if w > MIN_LINE_ASPECT * h:
            total += w
    return total


def quads_turned_clockwise(quads: np.ndarray, height: int) -> np.ndarray:
    """The quadrilaterals of an image `height` px tall, placed on that image turned 90 degrees clockwise.

    A point (x, y) lands on (height - 1 - y, x); the corners are rolled so that each quad still
    starts at its top-left corner and runs clockwise.
    """
    if len(quads) == 0:
        return quads
    turned = np.stack([height - 1 - quads[:, :, 1], quads[:, :, 0]], axis=2)
    return np.roll(turned, 1, axis=1)


def _widest(quads: np.ndarray, n: int) -> list[np.ndarray]:
    wide = [q for q in quads if _quad_size(q)[0] > MIN_LINE_ASPECT * _quad_size(q)[1]]
    return sorted(wide, key=lambda q: -_quad_size(q)[0])[:n]


def _reading_order(quads: np.ndarray) -> np.ndarray:
    """Top to bottom, then left to right within a line (boxes whose tops are within 10 px)."""
    if len(quads) == 0:
        return quads
    order = sorted(range(len(quads)), key=lambda i: (int(quads[i][0][1]) // 10, quads[i][0][0]))
    return quads[order]
