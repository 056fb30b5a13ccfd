"""Certificate copy pages: a photocopied front of the trainee's card, enlarged on an A4 sheet as
institutions copy them, either a 特种作业操作证 or a 特种设备作业人员证.

The card is drawn as ops (so a text PDF could carry it) and then given the grey, toner-speckled look of
a photocopy by `photocopy`, which the bundle pipeline applies after rasterising.
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from tests.bundlegen import fonts, layout
from tests.bundlegen.catalog import SPECIAL_OPERATION
from tests.bundlegen.content import Trainee
from tests.bundlegen.dates import format_date
from tests.bundlegen.draft import A4_PORTRAIT, PageDraft
from tests.bundlegen.inks import blotches
from tests.bundlegen.style import Style

CARD_W, CARD_H = 1180, 760   # an 85.6 x 54 mm card copied at about 175 %


def fields(trainee: Trainee) -> dict:
    cert = trainee.certificate
    return {"name": trainee.person.name, "id_number": trainee.person.id_number, "certificate_no": cert.number,
            "certificate_kind": cert.kind, "profession": cert.item, "issue_date": cert.issue_date.isoformat()}


def card_lines(trainee: Trainee, date_style: str) -> tuple[str, list[tuple[str, str]]]:
    """The card's title and its (label, value) lines in print order."""
    p, c = trainee.person, trainee.certificate
    d = lambda day: format_date(day, date_style)  # noqa: E731
    if c.kind == SPECIAL_OPERATION:
        return "中华人民共和国特种作业操作证", [
            ("证号", c.number), ("姓名", p.name), ("性别", p.gender), ("作业类别", c.category),
            ("准操项目", c.item), ("初领日期", d(c.issue_date)),
            ("有效期限", f"{d(c.issue_date)}至{d(c.valid_until)}"), ("签发机关", c.authority)]
    return "特种设备安全管理和作业人员证", [
        ("姓名", p.name), ("性别", p.gender), ("证件编号", p.id_number), ("作业项目", f"{c.code} {c.item}"),
        ("批准日期", d(c.issue_date)), ("有效日期", d(c.valid_until)), ("发证机关", c.authority),
        ("档案编号", c.number)]


def render(trainee: Trainee, style: Style, rng: random.Random, np_rng: np.random.Generator) -> PageDraft:
    """One card's front on an A4 sheet, as the house copies them."""
    width, height = A4_PORTRAIT
    page = PageDraft("certificate", width, height)
    scale = rng.uniform(0.92, 1.05)
    cw = int(CARD_W * scale)
    x0 = (width - cw) / 2 + rng.uniform(-120, 120)
    y0 = rng.uniform(150, 420)
    box = draw_front(page, trainee, style, rng, np_rng, x0, y0, scale)
    page.meta["has_header_row"] = False
    page.meta["cards"] = [{"trainee": trainee, "side": "front", "turn": 0, "box": box}]
    page.meta["photocopy_seed"] = rng.randrange(2**32)
    return page


def draw_front(page: PageDraft, trainee: Trainee, style: Style, rng: random.Random, np_rng: np.random.Generator,
               x0: float, y0: float, scale: float) -> tuple[float, float, float, float]:
    """The card's front with its top left at (x0, y0); returns its box. A card used again (card_seed) looks
    the same wherever it is copied: only where it lies, how large and the copier's noise differ."""
    if trainee.card_seed is not None:
        rng, np_rng = random.Random(trainee.card_seed), np.random.default_rng(trainee.card_seed)
    cw, ch = int(CARD_W * scale), int(CARD_H * scale)
    x1, y1 = x0 + cw, y0 + ch
    page.rect(x0, y0, x1, y1, width=3, color=(90, 90, 90), fill=(214, 214, 214))
    face = rng.choice(fonts.available(("noto_sans", "noto_serif")) + [style.body_face])
    title, lines = card_lines(trainee, rng.choice(("iso", "chinese_padded", "chinese")))
    title_size = int(44 * scale)
    layout.centred(page, (x0 + x1) / 2, y0 + 70 * scale, title, _bold(face), title_size, (40, 40, 40))
    page.line(x0 + 40, y0 + 120 * scale, x1 - 40, y0 + 120 * scale, 2, (110, 110, 110))
    photo_w, photo_h = int(250 * scale), int(330 * scale)
    px, py = int(x0 + 50 * scale), int(y0 + 170 * scale)
    page.overlay(_photo(photo_w, photo_h, np_rng), px, py, multiply=False)
    size = int(31 * scale)
    step = (ch - 170 * scale - 40) / len(lines)
    lx = px + photo_w + 50 * scale
    label_w = size * 4.6
    for i, (label, value) in enumerate(lines):
        cy = y0 + 170 * scale + step * (i + 0.5)
        layout.line_of(page, lx, cy, label, face, size, (60, 60, 60))
        value_size = size if len(value) < 24 else int(size * 0.88)
        layout.line_of(page, lx + label_w, cy, value, face, value_size, (15, 15, 15))
    return x0, y0, x1, y1


def back_lines(trainee: Trainee, date_style: str) -> tuple[str, list[str]]:
    """The card's back: the holder's duties for a special-operation card, the item table's row for an
    equipment card. Neither side names the holder, so a back alone is no witness of who they are."""
    c = trainee.certificate
    d = lambda day: format_date(day, date_style)  # noqa: E731
    if c.kind == SPECIAL_OPERATION:
        return "注意事项", ["一、本证在全国范围内有效。", "二、本证每三年复审一次，持证人应按期复审。",
                           "三、本证不得涂改、转借。", f"复审记录：{d(c.issue_date)}（初领）", "复审日期：",
                           "复审结果："]
    return "作业项目", [f"项目代号：{c.code}", f"作业项目：{c.item}", f"批准日期：{d(c.issue_date)}",
                        f"有效期至：{d(c.valid_until)}", "复审记录：", "发证机关（盖章）"]


def draw_back(page: PageDraft, trainee: Trainee, style: Style, rng: random.Random, x0: float, y0: float,
              scale: float) -> tuple[float, float, float, float]:
    cw, ch = int(CARD_W * scale), int(CARD_H * scale)
    x1, y1 = x0 + cw, y0 + ch
    page.rect(x0, y0, x1, y1, width=3, color=(90, 90, 90), fill=(222, 222, 222))
    face = rng.choice(fonts.available(("noto_sans", "noto_serif")) + [style.body_face])
    title, lines = back_lines(trainee, rng.choice(("iso", "chinese_padded", "chinese")))
    layout.centred(page, (x0 + x1) / 2, y0 + 70 * scale, title, _bold(face), int(40 * scale), (40, 40, 40))
    size = int(30 * scale)
    step = (ch - 150 * scale - 30) / len(lines)
    for i, line in enumerate(lines):
        layout.line_of(page, x0 + 70 * scale, y0 + 150 * scale + step * (i + 0.5), line, face, size, (30, 30, 30))
    return x0, y0, x1, y1


def _bold(face: str) -> str:
    bold = {"noto_sans": "noto_sans_bold", "noto_serif": "noto_serif_bold"}.get(face, face)
    return bold if fonts.face(bold) is not None else face


def _photo(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    """A passport photo as a photocopier leaves it: a dark head-and-shoulders on a mid-grey field."""
    bg = int(rng.integers(150, 200))
    img = Image.new("RGB", (w, h), (bg, bg, bg))
    draw = ImageDraw.Draw(img)
    tone = int(rng.integers(40, 90))
    draw.ellipse([w * 0.28, h * 0.14, w * 0.72, h * 0.58], fill=(tone + 40,) * 3)
    draw.ellipse([w * 0.05, h * 0.62, w * 0.95, h * 1.35], fill=(tone,) * 3)
    draw.ellipse([w * 0.26, h * 0.08, w * 0.74, h * 0.34], fill=(tone - 20,) * 3)
    return img.filter(ImageFilter.GaussianBlur(2))


def photocopy(image: Image.Image, seed: int) -> Image.Image:
    """Grey, contrasty, toner-speckled: what a photocopier makes of a coloured card on white paper."""
    rng = np.random.default_rng(seed)
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    h, w = grey.shape
    contrast = rng.uniform(1.1, 1.35)
    grey = (grey - 128) * contrast + 128 + rng.uniform(-12, 4)
    grey -= 25 * blotches((h, w), rng, cells=4) * rng.uniform(0.3, 1.0)       # uneven toner
    grey -= (rng.random((h, w), dtype=np.float32) > 0.997) * rng.uniform(60, 140)   # toner specks
    edge = np.minimum.outer(np.minimum(np.arange(h), np.arange(h)[::-1]),
                            np.minimum(np.arange(w), np.arange(w)[::-1])).astype(np.float32)
    grey -= np.clip(1 - edge / 40, 0, 1) * rng.uniform(40, 120)              # dark margins of the copy
    return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).filter(ImageFilter.BoxBlur(0.5)).convert("RGB")
