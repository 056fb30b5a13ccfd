"""One small interface for every document: gather a plain context from the store, then render files.

Splitting the two steps keeps the store out of the templates (contexts hold dataclasses from data.py,
never SQLAlchemy rows) and lets tests render from hand-made contexts. Problems in the data are collected
and raised together as one GenerationError, so a clerk sees every trainee to fix at once, and a document
is never written half-filled.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from intake.labels import DOCUMENTS
from intake.policy.policy import Policy

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
SETTINGS_FILE = Path(__file__).with_name("documents.toml")
QUARTER_NAMES = "一二三四"
# A blank on a form, wide enough to fill in by hand (ideographic spaces: an ASCII space is narrow).
BLANK = "\u3000" * 4


class GenerationError(Exception):
    """Data a document cannot be made from; `problems` names each trainee, class or batch to fix."""

    def __init__(self, subject: str, problems: list[str]) -> None:
        self.subject = subject
        self.problems = list(problems)
        super().__init__(f"{subject}：" + "；".join(self.problems))


@dataclass(frozen=True)
class DocumentSettings:
    """What the documents print that is neither in the store, the policy nor the notice's own words in the
    templates (documents.toml)."""

    bureau: str
    departments: dict[str, str]  # certificate kind -> the competent department (行业主管部门)
    quarterly_addressee: str
    east_asia_font: str
    render_font: str
    publicity_contact: str = ""


@cache
def load_settings(path: Path = SETTINGS_FILE) -> DocumentSettings:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return DocumentSettings(bureau=data["bureau"], departments=dict(data["competent_departments"]),
                            quarterly_addressee=data["quarterly"]["addressee"],
                            east_asia_font=data["fonts"]["east_asia"], render_font=data["fonts"]["render"],
                            publicity_contact=data.get("publicity", {}).get("contact", ""))


@dataclass
class Options:
    """Choices made when generating, not stored. `fill_date` is a date the officer entered; without it the
    documents carry the batch's own (the scanned 填表日期) or a blank to write by hand, never the clock."""

    policy: Policy                      # the subsidy's rules, read once at the entry point (CLI, web app)
    data_dir: Path | None = None
    fill_date: dt.date | None = None
    publicity_start: dt.date | None = None
    settings: DocumentSettings = field(default_factory=load_settings)
    who: str = "generator"


def template_path(name: str, data_dir: Path | None = None) -> Path:
    """A clerk's edited copy in <data>/templates/ wins over the shipped template of the same name."""
    if data_dir is not None and (data_dir / "templates" / name).is_file():
        return data_dir / "templates" / name
    override = os.environ.get("SUBSIDY_TEMPLATES")
    if override and (Path(override) / name).is_file():
        return Path(override) / name
    return TEMPLATES / name


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class DateBlank:
    """A date for a form's "XXXX 年 XX 月 XX 日": the template prints 年 月 日 itself, so an unknown date is
    left as blanks wide enough to write in by hand."""

    year: str = BLANK
    month: str = "\u3000" * 2
    day: str = "\u3000" * 2

    @classmethod
    def of(cls, day: dt.date | None) -> DateBlank:
        return cls(str(day.year), str(day.month), str(day.day)) if day else cls()

    @property
    def known(self) -> bool:
        return self.year.strip() != ""

    def notes(self, what: str) -> list[str]:
        """The note the officer reads when this date was left blank."""
        return [] if self.known else [f"{what}未从材料中识别，已留空待手写；可用 --date 或批次页面指定"]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月{self.day}日"


def quarter_parts(quarter: str) -> tuple[int, int]:
    """'2020Q2' -> (2020, 2); anything else is a usage error."""
    text = quarter.strip().upper()
    if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
        raise ValueError(f"季度应写作 2020Q2：{quarter!r}")
    return int(text[:4]), int(text[5])


def safe_file_part(text: str) -> str:
    """A batch or class name usable inside a file name on Windows and Linux alike."""
    bad = '<>:"/\\|?*'
    cleaned = "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in text).strip(" .")
    return cleaned or "_"


class DocumentGenerator(ABC):
    """One document kind: `context` reads the store into plain data, `render` writes the files."""

    kind: str = ""

    def __init__(self, options: Options) -> None:
        self.options = options

    @property
    def title(self) -> str:
        return DOCUMENTS[self.kind]

    @abstractmethod
    def context(self, session: Session, subject: str) -> dict[str, Any]:
        """The template's context for `subject` (a batch name, or a quarter for the quarterly report)."""

    @abstractmethod
    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        """Write the documents (and spreadsheets) for a context; returns the files written."""

    def generate(self, session: Session, subject: str, out_dir: Path) -> list[Path]:
        return self.render(self.context(session, subject), out_dir)

    def batch_date(self, data: Any) -> DateBlank:
        """填表日期 and the application's date: the one the officer entered, else the batch's own as scanned,
        else blanks to fill in by hand; never the machine's clock, so a past batch keeps its dates."""
        return DateBlank.of(self.options.fill_date or data.fill_date)


def fill_template(name: str, context: dict[str, Any], out: Path, data_dir: Path | None = None) -> Path:
    """Fill a .docx template with docxtpl and save it; Jinja escapes the values (a name may hold '&').
    A template a clerk broke while editing it (a tag split or mistyped) is named with what to do."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    path = template_path(name, data_dir)
    template = DocxTemplate(str(path))
    try:
        template.render(context, autoescape=True)
    except TemplateError as exc:
        raise GenerationError(f"模板 {path}", [f"模板中的标记无法读取（{exc}）；请在 Word 中删去出错的"
                                              f"{{{{ … }}}} 标记后一次输入完整（README“编辑文书模板”）"]) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    template.save(str(out))
    return out
