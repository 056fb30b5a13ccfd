"""Attachment 3, the application report (申请报告): the period, how many were trained and certified,
the count per profession, and the amount (1000 yuan a head) in figures and in capitals, under the
institution's seal."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from tests.bundlegen import forms, layout, table
from tests.bundlegen.catalog import SPECIAL_EQUIPMENT, SPECIAL_OPERATION
from tests.bundlegen.chinese import money_in_capitals, small_number
from tests.bundlegen.content import BundleContent
from tests.bundlegen.data import load
from tests.bundlegen.dates import format_date
from tests.bundlegen.draft import A4_PORTRAIT, PageDraft
from tests.bundlegen.style import Style

SUBSIDY_PER_HEAD = 1000
CARD_NAMES = {SPECIAL_OPERATION: "特种作业操作证", SPECIAL_EQUIPMENT: "特种设备作业人员证"}


def counts(content: BundleContent) -> tuple[int, int, int]:
    """Trained, certified, amount as the report states them: one per roster row, as clerks count."""
    trained = len(content.trainees)
    certified = content.certified
    return trained, certified, certified * SUBSIDY_PER_HEAD


def fields(content: BundleContent) -> dict:
    trained, certified, amount = counts(content)
    return {"trained": trained, "certified": certified, "amount": amount}


def render(content: BundleContent, style: Style, rng: random.Random, np_rng: np.random.Generator) -> PageDraft:
    k = content.klass
    width, height = A4_PORTRAIT
    page = PageDraft("report", width, height)
    m = forms.margins(rng, False)
    face, color = style.body_face, style.text_color
    size = rng.randint(30, 34)
    y = forms.attachment_label(page, style, m, 3)
    quarter = f"第{k.quarter}季度" if style.quarter_digits else f"第{small_number(k.quarter)}季度"
    title = rng.choice((f"关于申请{k.year}年{quarter}安全技能培训补贴的报告", "安全技能培训补贴申请报告",
                        f"{k.year}年{quarter}安全技能培训补贴申请报告"))
    y = forms.title(page, style, title, y + 20, rng.randint(40, 46))
    y += 20
    bureau = load("places")["bureau"]["name"]
    layout.line_of(page, m.left, y + size / 2, f"{bureau}：", face, size, color)
    y += size * 2
    trained, certified, amount = counts(content)
    per = Counter(t.certificate.item for t in content.trainees)
    start, end = format_date(k.training_start, "chinese"), format_date(k.training_end, "chinese")
    text = (f"根据安全技能培训补贴政策规定，我单位于{start}至{end}组织开展了安全技能培训（班期：{k.class_period}），"
            f"{k.year}年{quarter}共培训{trained}人，取得{CARD_NAMES[k.profession.kind]}{certified}人。")
    if not style.report_table:
        text += "其中" + "，".join(f"{item}{n}人" for item, n in per.items()) + "。"
    usable = width - m.left - m.right
    y = layout.paragraph(page, text, m.left, y, usable, face, size)
    if style.report_table:
        y += 10
        cols = [table.Column("专业（工种）", 1.0), table.Column("培训人数", 0.4), table.Column("取证人数", 0.4),
                table.Column("补贴金额（元）", 0.5)]
        edges = table.column_edges(cols, m.left, usable, face, size - 2, rng, 0.05)
        rows = [[c.label for c in cols]]
        rows += [[item, str(n), str(n), str(n * SUBSIDY_PER_HEAD)] for item, n in per.items()]
        rows.append(["合计", str(trained), str(certified), str(amount)])
        ys = table.row_edges(y, int(size * 2.2), int(size * 2.2), len(rows) - 1)
        table.draw_grid(page, edges, ys, style.line_width, style.outer_width, color)
        for r, row in enumerate(rows):
            for i, cell in enumerate(row):
                layout.text_in_box(page, cell, (edges[i], ys[r], edges[i + 1], ys[r + 1]), face, size - 2, color=color)
        y = ys[-1] + 30
    money = (f"按照每人{SUBSIDY_PER_HEAD}元的补贴标准，申请培训补贴资金共计{amount}元"
             f"（大写：{money_in_capitals(amount)}）。")
    y = layout.paragraph(page, money, m.left, y, usable, face, size)
    y = layout.paragraph(page, "妥否，请批示。", m.left, y, usable, face, size)
    y += size * 3
    right = width - m.right - 40
    name_w = forms.text_extent(k.institution, face, size)
    layout.line_of(page, right - name_w, y, k.institution, face, size, color)
    date = format_date(k.fill_date, style.date_format)
    layout.line_of(page, right - forms.text_extent(date, face, size) - 20, y + size * 1.9, date, face, size, color)
    if content.stamps["report"]:
        forms.press_seal(page, k.institution, style, (right - name_w / 2 + rng.uniform(-60, 60), y + size), np_rng)
    page.meta["has_header_row"] = False
    return page
