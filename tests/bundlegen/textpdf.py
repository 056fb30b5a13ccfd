"""A born-digital PDF (output "text_pdf"): the typed forms drawn from their PageDrafts with a real, selectable
text layer in embedded TrueType CJK fonts; seals, signatures and fingerprints as images, and certificate copies
as whole-page scans (an institution pastes those in as pictures).

Text positions come from Pillow's measurements, the same as the raster, so both outputs show one layout.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.bundlegen import fonts
from tests.bundlegen.draft import DPI, LineOp, OverlayOp, PageDraft, RectOp, TextOp

PT = 72 / DPI   # points per pixel


@cache
def _font_name(key: str) -> str:
    face = fonts.face(key)
    if face is None or not face.truetype:
        raise ValueError(f"font {key!r} cannot be embedded in a text PDF")
    name = f"bg-{key}"
    pdfmetrics.registerFont(TTFont(name, face.path, subfontIndex=face.index))
    return name


def write_pdf(drafts: list[PageDraft], images: list[Image.Image], path: Path) -> list[str]:
    """One page per draft; a draft marked as a photocopy is placed as its rendered image instead."""
    pdf = canvas.Canvas(str(path), invariant=1, pageCompression=1)
    pdf.setCreator("tests.bundlegen")
    for draft, image in zip(drafts, images, strict=True):
        pdf.setPageSize((draft.width * PT, draft.height * PT))
        if "photocopy_seed" in draft.meta:
            pdf.drawImage(ImageReader(image), 0, 0, draft.width * PT, draft.height * PT)
        else:
            _draw(pdf, draft)
        pdf.showPage()
    pdf.save()
    return [path.name]


def _rgb(color: tuple[int, int, int]) -> tuple[float, float, float]:
    return color[0] / 255, color[1] / 255, color[2] / 255


def _draw(pdf: canvas.Canvas, draft: PageDraft) -> None:
    h = draft.height
    if draft.background is not None:
        pdf.drawImage(ImageReader(draft.background.convert("RGB")), 0, 0, draft.width * PT, h * PT)
    for op in draft.ops:
        if isinstance(op, TextOp):
            x = op.x
            pdf.setFillColorRGB(*_rgb(op.color))
            for key, part in fonts.runs(op.text, op.face, truetype_only=True):
                pdf.setFont(_font_name(key), op.size * PT)
                pdf.drawString(x * PT, (h - op.y) * PT, part)
                x += fonts.font(key, op.size).getlength(part)
        elif isinstance(op, LineOp):
            pdf.setStrokeColorRGB(*_rgb(op.color))
            pdf.setLineWidth(op.width * PT)
            pdf.line(op.x0 * PT, (h - op.y0) * PT, op.x1 * PT, (h - op.y1) * PT)
        elif isinstance(op, RectOp):
            pdf.setStrokeColorRGB(*_rgb(op.color))
            pdf.setLineWidth(op.width * PT)
            if op.fill is not None:
                pdf.setFillColorRGB(*_rgb(op.fill))
            pdf.rect(op.x0 * PT, (h - op.y1) * PT, (op.x1 - op.x0) * PT, (op.y1 - op.y0) * PT,
                     stroke=1, fill=int(op.fill is not None))
        elif isinstance(op, OverlayOp):
            img = op.image.convert("RGBA")
            pdf.drawImage(ImageReader(img), op.x * PT, (h - op.y - img.height) * PT, img.width * PT,
                          img.height * PT, mask="auto")
