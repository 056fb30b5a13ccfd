"""PageDraft -> RGB image, at the draft's 200 DPI or scaled to another resolution."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from tests.bundlegen import fonts
from tests.bundlegen.draft import InsetOp, LineOp, OverlayOp, PageDraft, RectOp, TextOp

PAPER = (255, 255, 255)


def render(draft: PageDraft, scale: float = 1.0) -> Image.Image:
    """The page's pixels; `scale` is the output resolution over 200 DPI (1.5 = 300 DPI). Text and rules are
    drawn at that resolution, not enlarged afterwards, as a scanner at that setting would see them."""
    def s(v: float) -> float:
        return v if scale == 1 else v * scale

    size = (round(s(draft.width)), round(s(draft.height)))
    if draft.background is not None:
        image = draft.background.convert("RGB").resize(size)
    else:
        image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    for op in draft.ops:
        if isinstance(op, TextOp):
            draw_text(draw, op, scale)
        elif isinstance(op, LineOp):
            draw.line([(s(op.x0), s(op.y0)), (s(op.x1), s(op.y1))], fill=op.color, width=_width(op.width, scale))
        elif isinstance(op, RectOp):
            draw.rectangle([s(op.x0), s(op.y0), s(op.x1), s(op.y1)], outline=op.color,
                           width=_width(op.width, scale), fill=op.fill)
        elif isinstance(op, OverlayOp):
            blend(image, op if scale == 1 else _scaled_overlay(op, scale))
        elif isinstance(op, InsetOp):
            inset = render(op.draft, scale)
            image.paste(inset.rotate(op.turn, expand=True) if op.turn else inset, (round(s(op.x)), round(s(op.y))))
    return image


def _width(width: int, scale: float) -> int:
    return width if scale == 1 else max(1, round(width * scale))


def _scaled_overlay(op: OverlayOp, scale: float) -> OverlayOp:
    w, h = max(1, round(op.image.width * scale)), max(1, round(op.image.height * scale))
    return OverlayOp(op.image.resize((w, h), Image.LANCZOS), round(op.x * scale), round(op.y * scale), op.multiply)


def draw_text(draw: ImageDraw.ImageDraw, op: TextOp, scale: float = 1.0) -> None:
    size = op.size if scale == 1 else max(1, round(op.size * scale))
    x = op.x if scale == 1 else op.x * scale
    y = op.y if scale == 1 else op.y * scale
    for key, part in fonts.runs(op.text, op.face):
        font = fonts.font(key, size)
        draw.text((x, y), part, font=font, fill=op.color, anchor="ls")
        x += font.getlength(part)
def blend(image: Image.Image, op: OverlayOp) -> None:
    """Lay an RGBA mark on the page in place; multiply keeps the text below visible, as ink does."""
    x0, y0 = max(op.x, 0), max(op.y, 0)
    x1, y1 = min(op.x + op.image.width, image.width), min(op.y + op.image.height, image.height)
    if x1 <= x0 or y1 <= y0:
        return
    mark = np.asarray(op.image.convert("RGBA"), dtype=np.float32)[y0 - op.y:y1 - op.y, x0 - op.x:x1 - op.x]
    below = np.asarray(image.crop((x0, y0, x1, y1)), dtype=np.float32)
    alpha = mark[..., 3:4] / 255.0
    ink = mark[..., :3]
    top = below * ink / 255.0 if op.multiply else ink
    out = below * (1 - alpha) + top * alpha
    image.paste(Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), (x0, y0))
