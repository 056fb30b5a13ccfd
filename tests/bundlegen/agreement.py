"""Attachment 2, the agreement (代领安全技能培训补贴协议书): the institution as 甲方 with its seal, the
paragraph naming the training, the trainees' promise, and the table each trainee signs, fingerprints or
seals — or, for a planted missing signature, leaves empty."""

from __future__ import annotations

import random

import numpy as np

from tests.bundlegen import forms, layout, table
from tests.bundlegen.content import BundleContent, Trainee
from tests.bundlegen.data import load
from tests.bundlegen.dates import format_date
from tests.bundlegen.draft import A4_PORTRAIT, PageDraft
from tests.bundlegen.fingerprint import fingerprint, stray_dots
from tests.bundlegen.handwriting import signature
from tests.bundlegen.seals import name_seal
from tests.bundlegen.style import Style

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
    face = style.body_face
    size = max(style.agreement_size, 26)
    color = style.text_color

    first = PageDraft("agreement", width, height)
    y = forms.attachment_label(first, style, m, 2)
    y = forms.title(first, style, rng.choices([t for t, _ in TITLES], [w for _, w in TITLES])[0], y + 10,
                    rng.randint(46, 54))
    text_size = rng.randint(29, 33)
    inst_y = y + text_size
    layout.line_of(first, m.left, inst_y, f"甲方（培训机构）：{k.institution}", face, text_size, color)
    y += text_size * 2.2
    layout.line_of(first, m.left, y + text_size / 2, "乙方：参加培训并签字（按手印）的下列学员", face, text_size, color)
    y += text_size * 1.8
    y = layout.paragraph(first, paragraph_text(content, style, rng), m.left, y, width - m.left - m.right, face,
                         text_size, leading=rng.uniform(1.6, 1.9))
    y += 20

    labels = ["序号", "姓名", "性别", "身份证号码", "手机", "签字（手印或盖章）"]
    rows = [[str(i + 1), t.agreement_name, t.person.gender, t.agreement_id, t.person.phone, ""]
            for i, t in enumerate(content.trainees)]
    cols = [table.Column(labels[0], 0.1, [str(len(rows))]), table.Column(labels[1], 0.4, [r[1] for r in rows]),
            table.Column(labels[2], 0.1, ["男"]), table.Column(labels[3], 0.3, [r[3] for r in rows]),
            table.Column(labels[4], 0.3, [r[4] for r in rows]), table.Column(labels[5], 1.6, ["签字（手印"])]
    edges = table.column_edges(cols, m.left, width - m.left - m.right, face, size, rng, style.column_jitter)
    row_h = max(style.agreement_row, int(size * 2.6))
    header_h = int(size * 2.9)
    bottom = height - m.bottom - (40 if style.page_numbers else 0)
    footer_h = 260
    cap_first = max(1, int((bottom - y - header_h) // row_h))
    cap_next = max(1, int((bottom - m.top - (header_h if style.repeat_header else 0)) // row_h))
    footer_rows = int(np.ceil(footer_h / row_h))
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
        table.draw_grid(page, edges, ys, style.line_width, style.outer_width, color)
        if with_header:
            for i, label in enumerate(labels):
                layout.text_in_box(page, label, (edges[i], ys[0], edges[i + 1], ys[1]), face, size, color=color)
        body = ys[1:] if with_header else ys
        for r, row in enumerate(rows[start:start + count]):
            for i, text in enumerate(row[:5]):
                layout.text_in_box(page, text, (edges[i], body[r], edges[i + 1], body[r + 1]), face, size, color=color)
            marks.append((page, content.trainees[start + r], (edges[5], body[r], edges[6], body[r + 1])))
        start += count
        page.meta["has_header_row"] = with_header
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
        forms.press_seal(last, k.institution, style, (x + forms.text_extent(line1, face, fsize)
                                                      + rng.uniform(80, 250), fy + fsize * 2), np_rng)
        if rng.random() < 0.5 or len(pages) > 1:
            forms.press_seal(first, k.institution, style, (m.left + rng.uniform(350, 650), inst_y), np_rng)
    return pages


def sign(page: PageDraft, trainee: Trainee, box: tuple[float, float, float, float], style: Style,
         rng: np.random.Generator) -> None:
    """The trainee's mark in the signature cell, placed loosely as a hand would."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    kind = trainee.signature_kind
    if kind in ("ink", "pencil"):
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
