"""PageDraft -> RGB image."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from tests.bundlegen import fonts
from tests.bundlegen.draft import LineOp, OverlayOp, PageDraft, RectOp, TextOp

PAPER = (255, 255, 255)


def render(draft: PageDraft) -> Image.Image:
    if draft.background is not None:
        image = draft.background.convert("RGB").resize((draft.width, draft.height))
    else:
        image = Image.new("RGB", (draft.width, draft.height), PAPER)
    draw = ImageDraw.Draw(image)
    for op in draft.ops:
        if isinstance(op, TextOp):
            draw_text(draw, op)
        elif isinstance(op, LineOp):
            draw.line([(op.x0, op.y0), (op.x1, op.y1)], fill=op.color, width=op.width)
        elif isinstance(op, RectOp):
            draw.rectangle([op.x0, op.y0, op.x1, op.y1], outline=op.color, width=op.width, fill=op.fill)
        elif isinstance(op, OverlayOp):
            blend(image, op)
    return image


def draw_text(draw: ImageDraw.ImageDraw, op: TextOp) -> None:
    x = op.x
    for key, part in fonts.runs(op.text, op.face):
        font = fonts.font(key, op.size)
        draw.text((x, op.y), part, font=font, fill=op.color, anchor="ls")
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
