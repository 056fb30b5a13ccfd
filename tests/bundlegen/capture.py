"""From a page draft to the image a reader receives: rasterised at the bundle's resolution, photocopied
if it is a certificate sheet, then scanned or photographed (scan.py) — each page in its own way when a
wide bundle mixes scanned and photographed pages."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image

from tests.bundlegen import certificate, raster, scan
from tests.bundlegen.draft import PageDraft


def captures(profile: str, born_digital: bool, photo_share: float, pages: int, rng: random.Random) -> list[str]:
    """How each page was captured: the bundle's profile, or "phone" for a page photographed instead."""
    if born_digital:
        return ["digital"] * pages
    if profile not in ("scan", "gray") or not photo_share:
        return [profile] * pages
    return ["phone" if rng.random() < photo_share else profile for _ in range(pages)]


def page_image(draft: PageDraft, scale: float, any_dpi: bool = False) -> Image.Image:
    image = raster.render(draft, scale)
    if "photocopy_seed" in draft.meta:
        copy = photocopy_any_dpi if any_dpi else certificate.photocopy
        image = copy(image, draft.meta["photocopy_seed"])
    return image


def photocopy_any_dpi(image: Image.Image, seed: int) -> Image.Image:
    """certificate.photocopy's grey, contrasty, speckled copy with dark margins, at any resolution and fast:
    the specks are placed, not drawn for every pixel, and the margins darken only the margins."""
    rng = np.random.default_rng(seed)
    grey = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    contrast = rng.uniform(1.1, 1.35)
    grey = cv2.convertScaleAbs(grey, alpha=contrast, beta=128 * (1 - contrast) + rng.uniform(-12, 4))
    toner = cv2.resize(rng.random((4, 4)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    grey = cv2.subtract(grey, np.clip(toner * 25 * rng.uniform(0.3, 1.0), 0, 255).astype(np.uint8))
    count = int(h * w * 0.003)
    ys, xs = rng.integers(0, h, count), rng.integers(0, w, count)
    grey[ys, xs] = np.clip(grey[ys, xs].astype(np.int16) - int(rng.uniform(60, 140)), 0, 255).astype(np.uint8)
    band = max(8, int(round(40 * w / 1654)))
    dark = rng.uniform(40, 120)
    ramp = (np.clip(1 - np.arange(band, dtype=np.float32) / band, 0, 1) * dark).astype(np.int16)
    grey = grey.astype(np.int16)
    grey[:band] -= ramp[:, None]
    grey[h - band:] -= ramp[::-1, None]
    grey[:, :band] -= ramp[None, :]
    grey[:, w - band:] -= ramp[None, ::-1]
    grey = np.clip(grey, 0, 255).astype(np.uint8)
    grey = cv2.GaussianBlur(grey, (0, 0), 0.5 * w / 1654)
    return Image.fromarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB))


def degrade(image: Image.Image, how_taken: str, how: scan.Degradation, seed: int, scale: float = 1.0,
            any_dpi: bool = False) -> Image.Image:
    """The house scanner (scan.degrade), or with any_dpi the faster one wide bundles use at every resolution."""
    if any_dpi:
        return degrade_any_dpi(image, how_taken, how, seed, scale)
    return scan.degrade(image, how_taken, how, seed)


def degrade_any_dpi(image: Image.Image, how_taken: str, how: scan.Degradation, seed: int,
                    scale: float) -> Image.Image:
    """The scanner or the phone of a wide bundle, at any resolution in well under a second a page: the
    same effects as scan.degrade (skew, quarter turn, uneven light, optics, grain, JPEG) through OpenCV,
    with the blur and the photo's geometry measured in the page's own pixels."""
    if how_taken in ("clean", "digital"):
        return image
    rng = np.random.default_rng(seed)
    phone = how_taken == "phone"
    arr = np.asarray(image.convert("RGB"))
    if phone:
        arr = _photographed(arr, rng)
    if how.skew:
        h, w = arr.shape[:2]
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), how.skew, 1.0)
        fill = scan.SCANNER_BED if not phone else DESK
        arr = cv2.warpAffine(arr, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)
    arr = _light(arr, rng, 0.28 if phone else 0.10)
    sigma = (rng.uniform(0.7, 1.2) if phone else rng.uniform(0.4, 0.8)) * scale
    arr = cv2.GaussianBlur(arr, (0, 0), sigma)
    arr = _grain(arr, rng, rng.uniform(4, 8) if phone else rng.uniform(2, 5), scale)
    if how_taken == "gray":
        arr = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)
    if how.rotation:
        arr = np.ascontiguousarray(np.rot90(arr, how.rotation // 90))   # counter-clockwise quarter turns
    quality = int(rng.integers(40, 65)) if phone else int(rng.integers(55, 80))
    ok, data = cv2.imencode(".jpg", arr if arr.ndim == 2 else cv2.cvtColor(arr, cv2.COLOR_RGB2BGR),
                            [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    if decoded.ndim == 3:
        decoded = cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)
    return Image.fromarray(decoded)


DESK = (96, 88, 80)


def _photographed(arr: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Taken from off-square: the sheet a quadrilateral on a desk, a little smaller than the frame."""
    h, w = arr.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = []
    for cx, cy in ((0, 0), (1, 0), (1, 1), (0, 1)):
        dx = (0.03 + rng.uniform(0, 0.07)) * (1 if cx == 0 else -1)
        dy = (0.03 + rng.uniform(0, 0.06)) * (1 if cy == 0 else -1)
        dst.append([(cx + dx) * w, (cy + dy) * h])
    warp = cv2.getPerspectiveTransform(src, np.float32(dst))
    return cv2.warpPerspective(arr, warp, (w, h), flags=cv2.INTER_LINEAR, borderValue=DESK)


def _light(arr: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    """Paper tint and a slow brightness field (a lamp, a lid's shadow), computed small and scaled up."""
    h, w = arr.shape[:2]
    cells = int(rng.integers(3, 6))
    field = cv2.resize(rng.random((cells, cells)).astype(np.float32), (64, 64), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[-1:1:64j, -1:1:64j].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xx + np.sin(angle) * yy) * 0.5 + 0.5
    light = np.clip(1 - strength * (0.6 * field + 0.4 * ramp), 0, 1)
    tint = np.array([rng.uniform(0.95, 1.0), rng.uniform(0.94, 0.99), rng.uniform(0.9, 0.97)], dtype=np.float32)
    small = np.clip(light[..., None] * tint * 255, 0, 255).astype(np.uint8)
    return cv2.multiply(arr, cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), scale=1 / 255)


def _grain(arr: np.ndarray, rng: np.random.Generator, sigma: float, scale: float) -> np.ndarray:
    """Sensor grain, one value for all channels of a pixel, about one 200-DPI pixel wide whatever the
    resolution (a finer scan resolves the same optics, not finer noise)."""
    h, w = arr.shape[:2]
    step = max(1, round(scale))
    cv2.setRNGSeed(int(rng.integers(2**31)))
    noise = np.empty((-(-h // step), -(-w // step)), np.int16)
    cv2.randn(noise, 0, sigma)
    up = np.clip(noise, 0, 255).astype(np.uint8), np.clip(-noise, 0, 255).astype(np.uint8)
    if step > 1:
        up = tuple(cv2.resize(part, (w, h), interpolation=cv2.INTER_NEAREST) for part in up)
    lighter, darker = up if arr.ndim == 2 else tuple(cv2.cvtColor(part, cv2.COLOR_GRAY2RGB) for part in up)
    return cv2.subtract(cv2.add(arr, lighter), darker)
