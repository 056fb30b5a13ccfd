"""How one bundle looks: faces, sizes, rulings, label wordings and the formats of dates.

Each institution types its forms in its own way, so a bundle draws one Style from its seed and keeps
it for all its pages; across seeds the forms vary the way real submissions do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tests.bundlegen import fonts, tablelooks
from tests.bundlegen.dates import DATE_FORMATS, RANGE_FORMATS, WIDE_DATE_FORMATS, WIDE_RANGE_FORMATS
from tests.bundlegen.tablepage import TableLook
from tests.bundlegen.writing import Habits, draw_habits, form_label

BODY_FACES = ("noto_serif", "uming", "noto_sans", "wqy", "ukai")
BODY_WEIGHTS = (5, 3, 3, 2, 1)
TITLE_FACES = ("noto_serif_bold", "noto_sans_bold", "wqy", "noto_serif", "uming")
TITLE_WEIGHTS = (5, 3, 2, 1, 1)
SEAL_FACES = ("noto_serif_bold", "noto_sans_bold", "noto_serif")

ROSTER_LABELS = {
    "id_number": (("身份证号", 6), ("身份证号码", 3), ("公民身份号码", 1)),
    "phone": (("手机", 6), ("手机号码", 2), ("联系电话", 2)),
    "training_date": (("培训日期", 7), ("培训时间", 2), ("培训起止日期", 1)),
    "class_period": (("班期", 8), ("期次", 2)),
}
ROSTER_TITLES = (("{year}年安全技能培训人员花名册", 5), ("安全技能培训人员花名册", 2),
                 ("{year}年度安全技能培训补贴人员花名册", 2), ("安全技能培训补贴人员花名册", 1))
WIDE_TITLES = ROSTER_TITLES + (("{year} 年安全技能培训人员花名册", 2), ("安全技能培训学员花名册", 1),
                               ("{year}年安全技能提升培训人员花名册", 1), ("特种作业安全技能培训人员花名册", 1))
# The sources that write a class's values, each in its own hand (see writing.Habits).
WRITERS = ("roster", "agreement", "records")
HOUSE_FORM_LABELS = {"unit": "", "institution": "培训机构", "filled_by": "填表人", "contact": "联系方式",
                     "fill_date": "填表日期"}


@dataclass(frozen=True)
class Style:
    body_face: str
    title_face: str
    seal_face: str
    text_color: tuple[int, int, int]
    line_width: int
    outer_width: int
    roster_landscape: bool
    roster_size: int           # em size of roster table text, px
    roster_row: int            # data row height, px
    roster_wrap: bool          # rows tall enough for two lines of text
    agreement_size: int
    agreement_row: int
    repeat_header: bool        # continuation pages repeat the table's header row
    attachment_label: bool     # 附件1 / 附件2 above the title
    page_numbers: bool
    roster_title: str
    labels: dict[str, str]
    range_format: str
    date_format: str
    quarter_digits: bool       # 第2季度 rather than 第二季度
    header_one_line: bool      # 单位名称 / 培训机构 / 季度 on one line, else stacked
    column_jitter: float
    report_table: bool         # the report counts professions in a small table, else in a sentence
    # What a "wide" bundle draws beyond the house look; the defaults are the house's.
    variety: str = "house"
    roster_look: TableLook | None = None        # None: the house look (tablelooks.house_roster_look)
    agreement_look: TableLook | None = None
    agreement_face: str = ""                    # the agreement typed in another face ("" = body_face)
    min_table_size: int = 26                    # smaller house table text is not legible at 200 DPI
    page_rows: int | None = None                # at most this many rows a page (a longer form, a bigger hand)
    seal_first_only: bool = False               # a multi-page form sealed once, on its first page
    notice_wording: bool = False                # the agreement's paragraph in the notice's own words
    hand_header: bool = False                   # the roster's header and footer values written in by hand
    form_labels: dict[str, str] = field(default_factory=lambda: dict(HOUSE_FORM_LABELS))
    habits: dict[str, Habits] = field(default_factory=lambda: {w: Habits() for w in WRITERS})

    @property
    def wide(self) -> bool:
        return self.variety == "wide"

    def roster_table(self) -> TableLook:
        return self.roster_look or tablelooks.house_roster_look(self.labels)

    def agreement_table(self) -> TableLook:
        return self.agreement_look or tablelooks.house_agreement_look()


def _pick(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options], k=1)[0]


def _face(rng: random.Random, keys: tuple[str, ...], weights: tuple[int, ...], truetype_only: bool) -> str:
    pool = [(k, w) for k, w in zip(keys, weights, strict=True) if k in fonts.available(keys, truetype_only)]
    if not pool:
        pool = [(k, 1) for k in fonts.available(truetype_only=truetype_only)]
    return rng.choices([k for k, _ in pool], weights=[w for _, w in pool], k=1)[0]


def make_style(rng: random.Random, truetype_only: bool = False) -> Style:
    """A bundle's look; truetype_only keeps to faces a born-digital PDF can embed."""
    landscape = rng.random() < 0.85
    roster_size = rng.randint(26, 33) if landscape else rng.randint(20, 24)
    wrap = rng.random() < 0.6
    roster_row = int(roster_size * (rng.uniform(2.7, 3.2) if wrap else rng.uniform(1.7, 2.4)))
    agreement_size = rng.randint(27, 33)
    line = rng.choice((1, 2, 2, 2, 3, 3, 4))
    return Style(
        body_face=_face(rng, BODY_FACES, BODY_WEIGHTS, truetype_only),
        title_face=_face(rng, TITLE_FACES, TITLE_WEIGHTS, truetype_only),
        seal_face=_face(rng, SEAL_FACES, (3, 2, 1), False),
        text_color=rng.choice(((15, 15, 15), (30, 30, 30), (0, 0, 0), (40, 38, 45))),
        line_width=line,
        outer_width=line + rng.choice((0, 0, 1, 2)),
        roster_landscape=landscape,
        roster_size=roster_size,
        roster_row=roster_row,
        roster_wrap=wrap,
        agreement_size=agreement_size,
        agreement_row=rng.randint(86, 118),
        repeat_header=rng.random() < 0.75,
        attachment_label=rng.random() < 0.5,
        page_numbers=rng.random() < 0.4,
        roster_title=_pick(rng, ROSTER_TITLES),
        labels={field: _pick(rng, options) for field, options in ROSTER_LABELS.items()},
        range_format=rng.choices(RANGE_FORMATS, weights=(5, 4, 2, 2, 2, 1, 2), k=1)[0],
        date_format=rng.choice(DATE_FORMATS),
        quarter_digits=rng.random() < 0.5,
        header_one_line=rng.random() < 0.5,
        column_jitter=rng.uniform(0.0, 0.18),
        report_table=rng.random() < 0.5,
    )


def make_wide_style(rng: random.Random, truetype_only: bool = False) -> Style:
    """A look drawn along every axis: any installed face at any legible size, other wordings, tables
    of other shapes and rulings, and each source writing values its own way."""
    faces = fonts.available(truetype_only=truetype_only)
    landscape = rng.random() < 0.7
    roster_size = rng.randint(23, 36) if landscape else rng.randint(22, 28)
    wrap = rng.random() < 0.5
    line = rng.choice((1, 1, 2, 2, 3, 4))
    return Style(
        body_face=rng.choice(faces), title_face=rng.choice(faces),
        seal_face=_face(rng, SEAL_FACES, (3, 2, 1), False),
        text_color=rng.choice(((15, 15, 15), (30, 30, 30), (0, 0, 0), (40, 38, 45), (20, 24, 48))),
        line_width=line, outer_width=line + rng.choice((0, 0, 1, 2)),
        roster_landscape=landscape, roster_size=roster_size,
        roster_row=int(roster_size * (rng.uniform(2.6, 3.4) if wrap else rng.uniform(1.6, 2.6))), roster_wrap=wrap,
        agreement_size=rng.randint(24, 36), agreement_row=rng.randint(80, 130),
        repeat_header=rng.random() < 0.5, attachment_label=rng.random() < 0.5, page_numbers=rng.random() < 0.4,
        roster_title=_pick(rng, WIDE_TITLES),
        labels={f: _pick(rng, options) for f, options in ROSTER_LABELS.items()},
        range_format=rng.choice(WIDE_RANGE_FORMATS), date_format=rng.choice(WIDE_DATE_FORMATS),
        quarter_digits=rng.random() < 0.5, header_one_line=rng.random() < 0.5,
        column_jitter=rng.uniform(0.0, 0.1), report_table=rng.random() < 0.5,
        variety="wide",
        roster_look=tablelooks.wide_roster_look(rng), agreement_look=tablelooks.wide_agreement_look(rng),
        agreement_face=rng.choice(faces) if rng.random() < 0.5 else "",
        min_table_size=22,
        page_rows=rng.randint(3, 7) if rng.random() < 0.35 else None,
        seal_first_only=rng.random() < 0.7,
        notice_wording=rng.random() < 0.6,
        hand_header=rng.random() < 0.15,
        form_labels={key: form_label(key, rng) for key in HOUSE_FORM_LABELS},
        habits={w: draw_habits(rng) for w in WRITERS},
    )
