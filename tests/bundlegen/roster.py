"""Attachment 1, the roster (花名册): header lines, the trainee table over as many pages as it takes,
the footer (填表人 / 联系方式 / 填表日期) and the employer's red seal.

The roster is the primary witness of the truth: every trainee value in truth.json is what this module
prints, so it returns the printed texts alongside the pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from tests.bundlegen import forms, table, tablelooks, tablepage, writing
from tests.bundlegen.chinese import small_number
from tests.bundlegen.content import BundleContent, Trainee
from tests.bundlegen.dates import format_date, format_range
from tests.bundlegen.draft import A4_LANDSCAPE, A4_PORTRAIT, PageDraft
from tests.bundlegen.rng import derive_seed
from tests.bundlegen.style import Style
from tests.bundlegen.tablepage import TableLook


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
    """The table's rows as printed; a wide bundle's roster writes them in its clerk's habits."""
    k = content.klass
    if not style.wide:
        dates = format_range(k.training_start, k.training_end, style.range_format)
        return [RosterRow(str(i + 1), t.person.name, t.roster_gender, t.person.id_number, t.person.phone,
                          k.profession.item, t.certificate.number, dates, k.class_period)
                for i, t in enumerate(content.trainees)]
    habits = style.habits["roster"]
    pick = random.Random(style.roster_table().seed)
    dates = writing.range_text(k.training_start, k.training_end, habits.range_format)
    profession = writing.profession_text(k.profession, habits.profession, pick)
    period = writing.period_text(k.training_start.year, k.period_number, k.period_code, habits.period)
    return [RosterRow(str(i + 1), writing.name_text(t.person.name, habits.pad_names), t.roster_gender,
                      t.person.id_number, t.person.phone, profession, t.certificate.number, dates, period)
            for i, t in enumerate(content.trainees)]


def cells_of(row: RosterRow, look: TableLook, extras: dict[str, str]) -> dict[str, str]:
    """Column key -> the text in that row's cell."""
    cells = dict(zip(tablelooks.ROSTER_COLUMNS, row.cells(), strict=True)) | extras
    if look.glue_gender:
        cells["name"] = row.name + row.gender
    return cells


def extras_of(content: BundleContent, look: TableLook) -> list[dict[str, str]]:
    """Values of the columns an institution added (工作单位, 文化程度, 备注, 民族), one dict a trainee."""
    rng = random.Random(derive_seed(look.seed, "extras"))
    out = []
    for _ in content.trainees:
        out.append({"employer": content.klass.employer,
                    "education": rng.choice(("初中", "高中", "中专", "大专", "本科", "职高")),
                    "remark": "" if rng.random() < 0.85 else rng.choice(("新训", "初训", "补录")),
                    "nation": "汉" if rng.random() < 0.93 else rng.choice(("回", "满", "蒙古"))})
    return out


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
    if style.wide:
        labels = style.form_labels
        return [f"{labels['unit']}：{k.employer}", f"{labels['institution']}：{k.institution}", total]
    unit = rng.choice(("单位名称（盖章）：", "单位名称(盖章)："))
    return [unit + k.employer, "培训机构：" + k.institution, total]


def columns(look: TableLook, rows: list[RosterRow], size: int, one_line_all: bool,
            weights: dict[str, float]) -> list[table.Column]:
    names = [r.name + r.gender for r in rows] if look.glue_gender else [r.name for r in rows]
    must = {"id_number": [r.id_number for r in rows], "phone": [r.phone for r in rows],
            "certificate_no": [r.certificate_no for r in rows], "name": names, "gender": ["男"],
            "seq": [str(len(rows))], "class_period": [r.class_period for r in rows[:1]], "nation": ["汉"],
            "education": ["大专"]}
    if one_line_all:
        must["profession"] = [r.profession for r in rows[:1]]
        must["training_date"] = [r.training_date for r in rows[:1]]
    else:
        # Two lines at full size at least: a date split at its dash, a profession in halves.
        must["profession"] = [r.profession[:(len(r.profession) + 1) // 2] + "（" for r in rows[:1]]
        must["training_date"] = [max(_halves(r.training_date), key=len) for r in rows[:1]]
    if look.spans:   # a merged cell is tall: its text may take several short lines
        must.update({k: [] for k in look.spans})
    return [table.Column(look.labels[k], weights[k], must.get(k, ())) for k in look.columns]


def render(content: BundleContent, style: Style, seed_rng: random.Random, np_rng: np.random.Generator,
           rows_per_page: int | None = None) -> list[PageDraft]:
    """The roster's pages; each page's meta says whether it shows the table's header row."""
    rng = seed_rng
    look = style.roster_table()
    rows = rows_of(content, style)
    extras = extras_of(content, look)
    weights = tablelooks.weights_of(look, random.Random(look.seed) if style.wide else None)
    size = max(style.roster_size, style.min_table_size)
    face = style.body_face
    landscape = style.roster_landscape
    width, height = A4_LANDSCAPE if landscape else A4_PORTRAIT
    m = forms.margins(rng, landscape)

    def cols_at(size: int, one_line: bool) -> list[table.Column]:
        return columns(look, rows, size, one_line, weights)

    if not landscape and not table.fits(cols_at(size, False), width - m.left - m.right, face, size, look.pad):
        landscape, (width, height) = True, A4_LANDSCAPE   # too many digits for a portrait sheet at this size
        m = forms.margins(rng, True)
    table_width = width - m.left - m.right
    while style.wide and size > 16 and not table.fits(cols_at(size, False), table_width, face, size, look.pad):
        size -= 1   # extra columns: the clerk chose a smaller size to keep one sheet wide
    one_line_all = not style.roster_wrap and table.fits(cols_at(size, True), table_width, face, size, look.pad)
    cols = cols_at(size, one_line_all)
    edges = table.column_edges(cols, m.left, table_width, face, size, rng, style.column_jitter, look.pad)
    row_h = max(style.roster_row, int(size * 1.75)) if one_line_all else max(style.roster_row, int(size * 3.05))
    header_h = int(size * rng.uniform(2.8, 3.4))
    if look.group or any("\n" in label for label in look.labels.values()):
        header_h = int(header_h * 1.45)
    footer_h = int(size * 4.5)

    first = PageDraft("roster", width, height)
    y = forms.attachment_label(first, style, m, 1)
    y = forms.title(first, style, title_text(content, style, rng), y + 10, rng.randint(44, 54))
    hand = np.random.default_rng(derive_seed(look.seed, "hand-header")) if style.hand_header else None
    y, seal_at = _header(first, style, m, header_parts(content, style, rng), y, face, rng, hand)
    first_top = y + 12
    bottom = height - m.bottom - (40 if style.page_numbers else 0)
    cap_first = max(1, int((bottom - first_top - header_h) // row_h))
    cont_top = m.top
    cap_next = max(1, int((bottom - cont_top - (header_h if style.repeat_header else 0)) // row_h))
    rows_per_page = rows_per_page or style.page_rows
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
        if with_header and look.group:
            ys = tablepage.header_edges(top, header_h, True) + ys[2:]
        paint = tablepage.PagePaint(face, size, style.text_color, style.line_width, style.outer_width,
                                    rng=random.Random(derive_seed(look.seed, "ruling", index)),
                                    hand_rng=np.random.default_rng(derive_seed(look.seed, "hand", index)))
        page_rows = [cells_of(row, look, extra) for row, extra in zip(rows[start:start + count],
                                                                      extras[start:start + count], strict=True)]
        tablepage.draw(page, look, edges, ys, with_header, page_rows, paint)
        start += count
        page.meta["has_header_row"] = with_header
        page.meta["has_title"] = index == 0
        page.meta["table_bottom"] = ys[-1]
        pages.append(page)
    _footer(pages[-1], content, style, m, pages[-1].meta["table_bottom"] + 30, face, rng, hand)
    for i, page in enumerate(pages):
        forms.page_number(page, style, m, i + 1, len(pages))
    if content.stamps["roster"]:
        # Pressed last so the red ink lies over the typed text and the ruling, as on paper.
        forms.press_seal(first, content.klass.employer, style, seal_at, np_rng)
        if len(pages) > 1 and not style.seal_first_only and rng.random() < 0.5:
            last = pages[-1]
            forms.press_seal(last, content.klass.employer, style,
                             (last.width * rng.uniform(0.55, 0.8), last.meta["footer_y"]), np_rng)
    return pages


def _header(page: PageDraft, style: Style, m: forms.Margins, parts: list[str], top: float, face: str,
            rng: random.Random, hand: np.random.Generator | None = None) -> tuple[float, tuple[float, float]]:
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
            forms.labelled_line(page, x, centre, part, face, size, style.text_color, hand)
            ends.append((x, x + w))
            x += w + spare
        unit_span, unit_y = ends[0], centre
        bottom = top + size * 2.2
    else:
        step = size * 1.7
        for i, part in enumerate(parts):
            forms.labelled_line(page, m.left, top + size * 0.8 + i * step, part, face, size, style.text_color, hand)
        unit_span, unit_y = (m.left, m.left + widths[0]), top + size * 0.8
        bottom = top + size * 0.8 + len(parts) * step
    cx = unit_span[0] + (unit_span[1] - unit_span[0]) * rng.uniform(0.45, 0.8)
    return bottom, (cx, unit_y + rng.uniform(-10, 40))


def _footer(page: PageDraft, content: BundleContent, style: Style, m: forms.Margins, top: float, face: str,
            rng: random.Random, hand: np.random.Generator | None = None) -> None:
    k = content.klass
    size = rng.randint(27, 31)
    labels = style.form_labels
    parts = [f"{labels['filled_by']}：{k.filled_by}", f"{labels['contact']}：{k.contact_phone}",
             f"{labels['fill_date']}：{format_date(k.fill_date, style.date_format)}"]
    usable = page.width - m.left - m.right
    widths = [forms.text_extent(p, face, size) for p in parts]
    centre = min(top + size, page.height - m.bottom - size)
    page.meta["footer_y"] = centre
    if sum(widths) + 4 * size <= usable:
        spare = (usable - sum(widths)) / 2
        x = m.left
        for part, w in zip(parts, widths, strict=True):
            forms.labelled_line(page, x, centre, part, face, size, style.text_color, hand)
            x += w + spare
    else:
        for i, part in enumerate(parts):
            forms.labelled_line(page, m.left, centre + i * size * 1.6, part, face, size, style.text_color, hand)


def fields(content: BundleContent) -> dict:
    k = content.klass
    return {"unit_name": k.employer, "institution": k.institution, "quarter": k.quarter, "year": k.year,
            "declared_total": len(content.trainees), "filled_by": k.filled_by, "contact_phone": k.contact_phone,
            "fill_date": k.fill_date.isoformat()}


def trainee_rows(content: BundleContent, style: Style) -> list[tuple[Trainee, RosterRow]]:
    return list(zip(content.trainees, rows_of(content, style), strict=True))
