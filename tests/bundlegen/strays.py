"""Pages that are none of the notice's forms but end up in a bundle's pile: the employer's quarterly
financial report (whose title ends in 报告, like the subsidy report's) and a covering letter that talks
about the very training. A reader must call them `unknown`, whatever their titles say."""

from __future__ import annotations

import random

import numpy as np

from tests.bundlegen import forms, layout, table
from tests.bundlegen.chinese import small_number
from tests.bundlegen.content import BundleContent
from tests.bundlegen.dates import format_date
from tests.bundlegen.draft import A4_PORTRAIT, PageDraft
from tests.bundlegen.style import Style

BALANCE_ITEMS = ("货币资金", "应收账款", "预付款项", "存货", "流动资产合计", "固定资产", "无形资产", "资产总计",
                 "短期借款", "应付账款", "应付职工薪酬", "应交税费", "负债合计", "实收资本", "未分配利润",
                 "所有者权益合计")


def render(kind: str, content: BundleContent, style: Style, rng: random.Random,
           np_rng: np.random.Generator) -> PageDraft:
    if kind == "financial_report":
        return financial_report(content, style, rng, np_rng)
    if kind == "letter":
        return letter(content, style, rng, np_rng)
    raise ValueError(f"unknown stray page {kind!r}")


def financial_report(content: BundleContent, style: Style, rng: random.Random,
                     np_rng: np.random.Generator) -> PageDraft:
    k = content.klass
    page = PageDraft("unknown", *A4_PORTRAIT)
    m = forms.margins(rng, False)
    face, color = style.body_face, style.text_color
    quarter = f"第{small_number(k.quarter)}季度"
    y = forms.title(page, style, f"{k.employer}{k.year}年{quarter}财务报告", m.top, rng.randint(40, 46))
    size = rng.randint(26, 30)
    layout.line_of(page, m.left, y + size, f"编制单位：{k.employer}", face, size, color)
    unit = "单位：元"
    layout.line_of(page, page.width - m.right - forms.text_extent(unit, face, size), y + size, unit, face, size, color)
    y += size * 2.4
    cols = [table.Column("项目", 1.4), table.Column("行次", 0.3), table.Column("期末余额", 1.0),
            table.Column("年初余额", 1.0)]
    edges = table.column_edges(cols, m.left, page.width - m.left - m.right, face, size, rng, 0.05)
    row_h = int(size * 2.1)
    ys = table.row_edges(y, row_h, row_h, len(BALANCE_ITEMS))
    table.draw_grid(page, edges, ys, style.line_width, style.outer_width, color)
    for i, col in enumerate(cols):
        layout.text_in_box(page, col.label, (edges[i], ys[0], edges[i + 1], ys[1]), face, size, color=color)
    for r, item in enumerate(BALANCE_ITEMS):
        cells = [item, str(r + 1), _money(rng), _money(rng)]
        for i, text in enumerate(cells):
            layout.text_in_box(page, text, (edges[i], ys[r + 1], edges[i + 1], ys[r + 2]), face, size,
                               align="left" if i == 0 else "center", color=color)
    foot = ys[-1] + size * 2
    layout.line_of(page, m.left, foot, f"单位负责人：{_name(rng)}    会计主管：{_name(rng)}    制表：{_name(rng)}",
                   face, size, color)
    if rng.random() < 0.5:
        forms.press_seal(page, k.employer, style, (page.width * 0.7, foot), np_rng)
    page.meta["has_header_row"] = True
    return page


def letter(content: BundleContent, style: Style, rng: random.Random, np_rng: np.random.Generator) -> PageDraft:
    k = content.klass
    page = PageDraft("unknown", *A4_PORTRAIT)
    m = forms.margins(rng, False)
    face, color = style.body_face, style.text_color
    title = rng.choice(("情况说明", "说明", f"关于{k.employer}职工参加安全培训的情况说明", "介绍信"))
    y = forms.title(page, style, title, m.top + 60, rng.randint(44, 52))
    size = rng.randint(30, 34)
    usable = page.width - m.left - m.right
    layout.line_of(page, m.left, y + size, f"{k.institution}：", face, size, color)
    y += size * 2.2
    text = (f"兹有我单位职工{len(content.trainees)}人于{format_date(k.training_start, 'chinese')}起参加贵校组织的"
            "安全技能培训。上述人员均为我单位在职职工，劳动关系真实有效。特此说明。")
    y = layout.paragraph(page, text, m.left, y, usable, face, size, leading=1.9)
    y += size * 3
    right = page.width - m.right - 40
    layout.line_of(page, right - forms.text_extent(k.employer, face, size), y, k.employer, face, size, color)
    date = format_date(k.fill_date, style.date_format)
    layout.line_of(page, right - forms.text_extent(date, face, size), y + size * 1.9, date, face, size, color)
    forms.press_seal(page, k.employer, style, (right - 200, y + size), np_rng)
    page.meta["has_header_row"] = False
    return page


def _money(rng: random.Random) -> str:
    value = rng.randrange(10_000, 90_000_000) / 100
    return f"{value:,.2f}"


def _name(rng: random.Random) -> str:
    return rng.choice("王李张刘陈杨赵黄周吴") + rng.choice("建国丽华明军芳伟强敏静磊")
