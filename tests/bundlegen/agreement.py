"""Attachment 2, the agreement (代领安全技能培训补贴协议书): the institution as 甲方 with its seal, the
paragraph naming the training, the trainees' promise, and the table each trainee signs, fingerprints or
seals — or, for a planted missing signature, leaves empty."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image

from tests.bundlegen import forms, layout, table, tablelooks, tablepage, writing
from tests.bundlegen.content import BundleContent, Trainee
from tests.bundlegen.data import load
from tests.bundlegen.dates import format_date
from tests.bundlegen.draft import A4_PORTRAIT, PageDraft
from tests.bundlegen.fingerprint import fingerprint, stray_dots
from tests.bundlegen.handwriting import same_hand, signature
from tests.bundlegen.rng import derive_seed
from tests.bundlegen.seals import name_seal
from tests.bundlegen.style import Style
from tests.bundlegen.tablepage import TableLook

TITLES = (("代领安全技能培训补贴协议书", 6), ("安全技能培训补贴代领协议书", 1))


def paragraph_text(content: BundleContent, style: Style, rng: random.Random) -> str:
    k = content.klass
    bureau = load("places")["bureau"]["name"]
    start = format_date(k.training_start, "chinese")
    end = format_date(k.training_end, "chinese")
    if rng.random() < 0.5 and k.training_end.year == k.training_start.year:
        end = f"{k.training_end.month}月{k.training_end.day}日"
    return (f"乙方于{start}至{end}参加甲方组织的{k.profession.item}安全技能培训（班期：{k.class_period}），"
            f"经考核合格并取得相应证书。乙方自愿委托甲方向{bureau}代为申领安全技能培训补贴，"
            "补贴资金直接拨付至甲方账户，用于抵扣乙方培训费用。乙方承诺：本年度内未享受过同一职业（工种）"
            "同一等级的培训补贴，所提供的身份证件、证书等材料真实有效，如有虚假，自愿承担相应责任。")


def render(content: BundleContent, style: Style, rng: random.Random, np_rng: np.random.Generator,
           rows_per_page: int | None = None) -> list[PageDraft]:
    k = content.klass
    width, height = A4_PORTRAIT
    m = forms.margins(rng, False)
    face = style.agreement_face or style.body_face
    size = max(style.agreement_size, min(style.min_table_size, 26))
    color = style.text_color

    first = PageDraft("agreement", width, height)
    y = forms.attachment_label(first, style, m, 2)
    y = forms.title(first, style, rng.choices([t for t, _ in TITLES], [w for _, w in TITLES])[0], y + 10,
                    rng.randint(46, 54))
    text_size = rng.randint(29, 33)
    inst_y = y + text_size
    if style.notice_wording:
        y, seal_x = _notice_top(first, content, style, m, y, face, text_size, rng)
    else:
        layout.line_of(first, m.left, inst_y, f"甲方（培训机构）：{k.institution}", face, text_size, color)
        seal_x = None   # drawn when the seal is pressed, after everything else on the page
        y += text_size * 2.2
        layout.line_of(first, m.left, y + text_size / 2, "乙方：参加培训并签字（按手印）的下列学员", face, text_size,
                       color)
        y += text_size * 1.8
        y = layout.paragraph(first, paragraph_text(content, style, rng), m.left, y, width - m.left - m.right, face,
                             text_size, leading=rng.uniform(1.6, 1.9))
    y += 20

    look = style.agreement_table()
    rows = [_cells(i, t, look, style, k.employer) for i, t in enumerate(content.trainees)]
    must = {"seq": [str(len(rows))], "name": [r["name"] for r in rows], "gender": ["男"],
            "id_number": [r["id_number"] for r in rows], "phone": [r["phone"] for r in rows],
            "signature": ["签字（手印"]}
    weights = tablelooks.weights_of(look, random.Random(look.seed) if style.wide else None,
                                    tablelooks.AGREEMENT_WEIGHTS)
    cols = [table.Column(look.labels[key], weights[key], must.get(key, ())) for key in look.columns]
    usable = width - m.left - m.right
    while style.wide and size > 18 and not table.fits(cols, usable, face, size, look.pad):
        size -= 1
    edges = table.column_edges(cols, m.left, usable, face, size, rng, style.column_jitter, look.pad)
    row_h = max(style.agreement_row, int(size * 2.6))
    header_h = int(size * 2.9)
    if look.group or any("\n" in label for label in look.labels.values()):
        header_h = int(header_h * 1.45)
    bottom = height - m.bottom - (40 if style.page_numbers else 0)
    footer_h = 260
    cap_first = max(1, int((bottom - y - header_h) // row_h))
    cap_next = max(1, int((bottom - m.top - (header_h if style.repeat_header else 0)) // row_h))
    footer_rows = int(np.ceil(footer_h / row_h))
    rows_per_page = rows_per_page or style.page_rows
    if rows_per_page:
        cap_first, cap_next, footer_rows = min(cap_first, rows_per_page), min(cap_next, rows_per_page), 0
    counts = table.paginate(len(rows), cap_first, cap_next, footer_rows)

    pages: list[PageDraft] = []
    start = 0
    marks: list[tuple[PageDraft, Trainee, tuple[float, float, float, float]]] = []
    for index, count in enumerate(counts):
        page = first if index == 0 else PageDraft("agreement", width, height)
        with_header = index == 0 or style.repeat_header
        top = y if index == 0 else m.top
        ys = table.row_edges(top, header_h if with_header else None, row_h, count)
        if with_header and look.group:
            ys = tablepage.header_edges(top, header_h, True) + ys[2:]
        paint = tablepage.PagePaint(face, size, color, style.line_width, style.outer_width,
                                    rng=random.Random(derive_seed(look.seed, "ruling", index)),
                                    hand_rng=np.random.default_rng(derive_seed(look.seed, "hand", index)),
                                    skip=frozenset({"signature"}))
        boxes = tablepage.draw(page, look, edges, ys, with_header, rows[start:start + count], paint)
        for r, cell_boxes in enumerate(boxes):
            marks.append((page, content.trainees[start + r], cell_boxes["signature"]))
        start += count
        page.meta["has_header_row"] = with_header
        page.meta["has_title"] = index == 0
        page.meta["table_bottom"] = ys[-1]
        pages.append(page)

    for page, trainee, box in marks:
        sign(page, trainee, box, style, np_rng)
    last = pages[-1]
    fy = last.meta["table_bottom"] + 60
    fsize = text_size
    right = width - m.right
    line1 = "甲方（盖章）："
    x = right - forms.text_extent(line1 + k.institution, face, fsize) - 20
    x = max(x, m.left)
    layout.line_of(last, x, fy + fsize, line1 + k.institution, face, fsize, color)
    date = format_date(k.fill_date, style.date_format)
    layout.line_of(last, right - forms.text_extent(date, face, fsize) - 20, fy + fsize * 3, date, face, fsize, color)
    for i, page in enumerate(pages):
        forms.page_number(page, style, m, i + 1, len(pages))
    if content.stamps["agreement"]:
        if not (style.seal_first_only and len(pages) > 1):
            forms.press_seal(last, k.institution, style, (x + forms.text_extent(line1, face, fsize)
                                                          + rng.uniform(80, 250), fy + fsize * 2), np_rng)
        if rng.random() < 0.5 or len(pages) > 1:
            at = seal_x if seal_x is not None else m.left + rng.uniform(350, 650)
            forms.press_seal(first, k.institution, style, (at, inst_y), np_rng)
    return pages


def _notice_top(page: PageDraft, content: BundleContent, style: Style, m: forms.Margins, y: float, face: str,
                size: int, rng: random.Random) -> tuple[float, float | None]:
    """The top of the agreement in the notice's own words: 培训机构（甲方）：…（盖章）, the paragraph, the date.
    Returns the y below it and where the seal goes over the institution's name."""
    k = content.klass
    color = style.text_color
    label = rng.choice(("培训机构（甲方）：", "培训机构(甲方)：", "甲方（培训机构）："))
    right = layout.line_of(page, m.left, y + size, f"{label}{k.institution}（盖章）", face, size, color)
    seal_x = (m.left + forms.text_extent(label, face, size) + right) / 2 + rng.uniform(-80, 80)
    y += size * 2.4
    y = layout.paragraph(page, notice_paragraph(content, style, rng), m.left, y, page.width - m.left - m.right, face,
                         size, leading=rng.uniform(1.6, 1.9))
    if rng.random() < 0.6:   # the notice dates the agreement above the table
        date = format_date(k.fill_date, style.date_format)
        layout.line_of(page, page.width - m.right - forms.text_extent(date, face, size) - 40, y + size * 0.6, date,
                       face, size, color)
        y += size * 1.8
    return y, seal_x


def notice_paragraph(content: BundleContent, style: Style, rng: random.Random) -> str:
    """The notice's sample paragraph, its blanks filled the way this agreement's writer writes."""
    k = content.klass
    habits = style.habits["agreement"]
    if habits.range_format in ("md", "md_to"):   # a paragraph names the year even where a cell would not
        dates = f"{format_date(k.training_start, 'chinese')}至{k.training_end.month}月{k.training_end.day}日"
    else:
        dates = writing.range_text(k.training_start, k.training_end, habits.range_format)
    period = writing.period_text(k.training_start.year, k.period_number, k.period_code, habits.period)
    profession = writing.profession_text(k.profession, habits.profession, rng)
    bureau = rng.choice(("滨州市应急管理局", "滨州市行政审批服务局", "滨州市人力资源和社会保障局"))
    return (f"本期学员（乙方）于{dates}，参加了由{bureau}所辖{k.institution}组织的"
            f"{period if period.endswith('期') else period + '期'}{profession}专业（工种）安全技能培训，"
            "经双方协商一致，同意培训结束取得相关证书后，培训补贴由培训机构代为申领。"
            "特此签字确认并承诺本年度内未重复享受同专业（工种）同级别的培训补贴待遇。")


def _cells(i: int, t: Trainee, look: TableLook, style: Style, employer: str) -> dict[str, str]:
    name = writing.name_text(t.agreement_name, style.habits["agreement"].pad_names)
    gender = t.person.gender
    return {"seq": str(i + 1), "name": name + gender if look.glue_gender else name, "gender": gender,
            "id_number": t.agreement_id, "phone": t.person.phone, "signature": "", "remark": "",
            "employer": employer}


def sign(page: PageDraft, trainee: Trainee, box: tuple[float, float, float, float], style: Style,
         rng: np.random.Generator) -> None:
    """The trainee's mark in the signature cell, placed loosely as a hand would."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    kind = trainee.signature_kind
    if trainee.hand_seed is not None:
        mark = same_hand(trainee.hand_seed, trainee.hand_name, rng, int(h * 0.6))
        room = (x1 - x0) * 0.85
        if mark.width > room:   # written smaller to stay in the cell, as a hand does
            mark = mark.resize((int(room), max(1, int(mark.height * room / mark.width))), Image.BICUBIC)
        x = x0 + (x1 - x0 - mark.width) * rng.uniform(0.2, 0.8)
        page.overlay(mark, int(x), int(y0 + (h - mark.height) / 2 + rng.normal(0, h * 0.04)))
    elif trainee.print_seed is not None:   # the same image pasted again: same pixels, another place
        print_ = fingerprint(np.random.default_rng(trainee.print_seed), int(h * 0.72))
        x = x0 + (x1 - x0) * rng.uniform(0.25, 0.6)
        page.overlay(print_, int(x), int(y0 + (h - print_.height) / 2 + rng.normal(0, 3)))
    elif kind in ("ink", "pencil"):
        mark = signature(trainee.person.name, rng, int(h * rng.uniform(0.55, 0.75)), kind)
        x = x0 + (x1 - x0) * rng.uniform(0.1, 0.5)
        page.overlay(mark, int(x), int(y0 + (h - mark.height) / 2 + rng.normal(0, h * 0.06)))
        if kind == "ink" and rng.random() < 0.15:   # signed and also fingerprinted
            print_ = fingerprint(rng, int(h * 0.7))
            page.overlay(print_, int(x + mark.width + rng.uniform(5, 40)), int(y0 + (h - print_.height) / 2))
    elif kind == "fingerprint":
        print_ = fingerprint(rng, int(h * rng.uniform(0.6, 0.85)), light=rng.random() < 0.15)
        x = x0 + (x1 - x0) * rng.uniform(0.25, 0.6)
        page.overlay(print_, int(x), int(y0 + (h - print_.height) / 2 + rng.normal(0, 4)))
    elif kind == "seal":
        mark = name_seal(trainee.person.name, rng, style.seal_face, side=int(h * rng.uniform(0.6, 0.75)))
        x = x0 + (x1 - x0) * rng.uniform(0.25, 0.6)
        page.overlay(mark, int(x), int(y0 + (h - mark.height) / 2))
    elif rng.random() < 0.3:   # an empty cell is not always clean
        dots = stray_dots(rng, int(h * 0.5))
        page.overlay(dots, int(x0 + (x1 - x0) * rng.uniform(0.1, 0.8)), int(y0 + h * 0.25))
