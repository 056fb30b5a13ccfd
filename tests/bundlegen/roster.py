"""Attachment 1, the roster (花名册): header lines, the trainee table over as many pages as it takes,
the footer (填表人 / 联系方式 / 填表日期) and the employer's red seal.

The roster is the primary witness of the truth: every trainee value in truth.json is what this module
prints, so it returns the printed texts alongside the pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from tests.bundlegen import forms, layout, table
from tests.bundlegen.chinese import small_number
from tests.bundlegen.content import BundleContent, Trainee
from tests.bundlegen.dates import format_date, format_range
from tests.bundlegen.draft import A4_LANDSCAPE, A4_PORTRAIT, PageDraft
from tests.bundlegen.style import Style

MIN_TABLE_SIZE = 26   # smaller table text is not legible at 200 DPI after a scan


@dataclass(frozen=True)
class RosterRow:
    """One table row as printed."""
    number: str
    name: str
    gender: str
    id_number: str
    phone: str
    profession: str
    certificate_no: str
    training_date: str
    class_period: str

    def cells(self) -> list[str]:
        return [self.number, self.name, self.gender, self.id_number, self.phone, self.profession,
                self.certificate_no, self.training_date, self.class_period]


def rows_of(content: BundleContent, style: Style) -> list[RosterRow]:
    k = content.klass
    dates = format_range(k.training_start, k.training_end, style.range_format)
    return [RosterRow(str(i + 1), t.person.name, t.roster_gender, t.person.id_number, t.person.phone,
                      k.profession.item, t.certificate.number, dates, k.class_period)
            for i, t in enumerate(content.trainees)]


def _halves(text: str) -> list[str]:
    for sep in ("至", "—", "-", "~"):
        if sep in text:
            left, _, right = text.partition(sep)
            return [left + sep, right]
    return [text]


def quarter_text(quarter: int, digits: bool) -> str:
    return f"第{quarter}季度" if digits else f"第{small_number(quarter)}季度"


def title_text(content: BundleContent, style: Style, rng: random.Random) -> str:
    k = content.klass
    if rng.random() < 0.45:
        q = quarter_text(k.quarter, style.quarter_digits)
        return rng.choice((f"{k.year}年{q}安全技能培训补贴花名册", f"{k.year}年{q}安全技能培训人员花名册"))
    return style.roster_title.format(year=k.year)


def header_parts(content: BundleContent, style: Style, rng: random.Random) -> list[str]:
    k = content.klass
    n = len(content.trainees)
    q = quarter_text(k.quarter, style.quarter_digits)
    total = rng.choice((f"{q}：共培训 {n} 人", f"{q}：共培训{n}人", f"{q}共培训 {n} 人"))
    unit = rng.choice(("单位名称（盖章）：", "单位名称(盖章)："))
    return [unit + k.employer, "培训机构：" + k.institution, total]


def columns(style: Style, rows: list[RosterRow], size: int, one_line_all: bool) -> list[table.Column]:
    lab = style.labels
    must = {3: [r.id_number for r in rows], 4: [r.phone for r in rows], 6: [r.certificate_no for r in rows],
            1: [r.name for r in rows], 2: ["男"], 0: [str(len(rows))], 8: [r.class_period for r in rows[:1]]}
    if one_line_all:
        must[5] = [r.profession for r in rows[:1]]
        must[7] = [r.training_date for r in rows[:1]]
    else:
        # Two lines at full size at least: a date split at its dash, a profession in halves.
        must[5] = [r.profession[:(len(r.profession) + 1) // 2] + "（" for r in rows[:1]]
        must[7] = [max(_halves(r.training_date), key=len) for r in rows[:1]]
    labels = ["序号", "姓名", "性别", lab["id_number"], lab["phone"], "专业（工种）", "证书编号",
              lab["training_date"], lab["class_period"]]
    weights = [0.2, 0.6, 0.2, 1.0, 0.7, 1.4, 1.0, 1.3, 0.9]
    return [table.Column(label, w, must.get(i, ())) for i, (label, w) in enumerate(zip(labels, weights, strict=True))]


def render(content: BundleContent, style: Style, seed_rng: random.Random, np_rng: np.random.Generator,
           rows_per_page: int | None = None) -> list[PageDraft]:
    """The roster's pages; each page's meta says whether it shows the table's header row."""
    rng = seed_rng
    rows = rows_of(content, style)
    size = max(style.roster_size, MIN_TABLE_SIZE)
    face = style.body_face
    landscape = style.roster_landscape
    width, height = A4_LANDSCAPE if landscape else A4_PORTRAIT
    m = forms.margins(rng, landscape)
    if not landscape and not table.fits(columns(style, rows, size, False), width - m.left - m.right, face, size):
        landscape, (width, height) = True, A4_LANDSCAPE   # too many digits for a portrait sheet at this size
        m = forms.margins(rng, True)
    table_width = width - m.left - m.right
    one_line_all = not style.roster_wrap and table.fits(columns(style, rows, size, True), table_width, face, size)
    cols = columns(style, rows, size, one_line_all)
    edges = table.column_edges(cols, m.left, table_width, face, size, rng, style.column_jitter)
    row_h = max(style.roster_row, int(size * 1.75)) if one_line_all else max(style.roster_row, int(size * 3.05))
    header_h = int(size * rng.uniform(2.8, 3.4))
    footer_h = int(size * 4.5)

    first = PageDraft("roster", width, height)
    y = forms.attachment_label(first, style, m, 1)
    y = forms.title(first, style, title_text(content, style, rng), y + 10, rng.randint(44, 54))
    y, seal_at = _header(first, style, m, header_parts(content, style, rng), y, face, rng)
    first_top = y + 12
    bottom = height - m.bottom - (40 if style.page_numbers else 0)
    cap_first = max(1, int((bottom - first_top - header_h) // row_h))
    cont_top = m.top
    cap_next = max(1, int((bottom - cont_top - (header_h if style.repeat_header else 0)) // row_h))
    if rows_per_page:
        cap_first, cap_next = min(cap_first, rows_per_page), min(cap_next, rows_per_page)
        footer_rows = 0
    else:
        footer_rows = int(np.ceil(footer_h / row_h))
    counts = table.paginate(len(rows), cap_first, cap_next, footer_rows)

    pages: list[PageDraft] = []
    start = 0
    for index, count in enumerate(counts):
        page = first if index == 0 else PageDraft("roster", width, height)
        with_header = index == 0 or style.repeat_header
        top = first_top if index == 0 else cont_top
        ys = table.row_edges(top, header_h if with_header else None, row_h, count)
        table.draw_grid(page, edges, ys, style.line_width, style.outer_width, style.text_color)
        if with_header:
            for i, col in enumerate(cols):
                layout.text_in_box(page, col.label, (edges[i], ys[0], edges[i + 1], ys[1]), face, size,
                                   max_lines=2, color=style.text_color)
        body = ys[1:] if with_header else ys
        for r, row in enumerate(rows[start:start + count]):
            for i, text in enumerate(row.cells()):
                layout.text_in_box(page, text, (edges[i], body[r], edges[i + 1], body[r + 1]), face, size,
                                   max_lines=2, color=style.text_color)
        start += count
        page.meta["has_header_row"] = with_header
        page.meta["table_bottom"] = ys[-1]
        pages.append(page)
    _footer(pages[-1], content, style, m, pages[-1].meta["table_bottom"] + 30, face, rng, np_rng)
    for i, page in enumerate(pages):
        forms.page_number(page, style, m, i + 1, len(pages))
    if content.stamps["roster"]:
        # Pressed last so the red ink lies over the typed text and the ruling, as on paper.
        forms.press_seal(first, content.klass.employer, style, seal_at, np_rng)
        if len(pages) > 1 and rng.random() < 0.5:
            last = pages[-1]
            forms.press_seal(last, content.klass.employer, style,
                             (last.width * rng.uniform(0.55, 0.8), last.meta["footer_y"]), np_rng)
    return pages


def _header(page: PageDraft, style: Style, m: forms.Margins, parts: list[str], top: float, face: str,
            rng: random.Random) -> tuple[float, tuple[float, float]]:
    """The 单位名称 / 培训机构 / 季度 lines; the seal goes over the unit name, as clerks press it."""
    size = rng.randint(28, 32)
    gap = size * 2
    widths = [forms.text_extent(p, face, size) for p in parts]
    one_line = style.header_one_line and sum(widths) + gap * 2 <= page.width - m.left - m.right
    if one_line:
        centre = top + size
        x = m.left
        spare = (page.width - m.left - m.right - sum(widths)) / 2
        ends = []
        for part, w in zip(parts, widths, strict=True):
            layout.line_of(page, x, centre, part, face, size, style.text_color)
            ends.append((x, x + w))
            x += w + spare
        unit_span, unit_y = ends[0], centre
        bottom = top + size * 2.2
    else:
        step = size * 1.7
        for i, part in enumerate(parts):
            layout.line_of(page, m.left, top + size * 0.8 + i * step, part, face, size, style.text_color)
        unit_span, unit_y = (m.left, m.left + widths[0]), top + size * 0.8
        bottom = top + size * 0.8 + len(parts) * step
    cx = unit_span[0] + (unit_span[1] - unit_span[0]) * rng.uniform(0.45, 0.8)
    return bottom, (cx, unit_y + rng.uniform(-10, 40))


def _footer(page: PageDraft, content: BundleContent, style: Style, m: forms.Margins, top: float, face: str,
            rng: random.Random, np_rng: np.random.Generator) -> None:
    k = content.klass
    size = rng.randint(27, 31)
    parts = [f"填表人：{k.filled_by}", f"联系方式：{k.contact_phone}",
             f"填表日期：{format_date(k.fill_date, style.date_format)}"]
    usable = page.width - m.left - m.right
    widths = [forms.text_extent(p, face, size) for p in parts]
    centre = min(top + size, page.height - m.bottom - size)
    page.meta["footer_y"] = centre
    if sum(widths) + 4 * size <= usable:
        spare = (usable - sum(widths)) / 2
        x = m.left
        for part, w in zip(parts, widths, strict=True):
            layout.line_of(page, x, centre, part, face, size, style.text_color)
            x += w + spare
    else:
        for i, part in enumerate(parts):
            layout.line_of(page, m.left, centre + i * size * 1.6, part, face, size, style.text_color)


def fields(content: BundleContent) -> dict:
    k = content.klass
    return {"unit_name": k.employer, "institution": k.institution, "quarter": k.quarter, "year": k.year,
            "declared_total": len(content.trainees), "filled_by": k.filled_by, "contact_phone": k.contact_phone,
            "fill_date": k.fill_date.isoformat()}


def trainee_rows(content: BundleContent, style: Style) -> list[tuple[Trainee, RosterRow]]:
    return list(zip(content.trainees, rows_of(content, style), strict=True))
