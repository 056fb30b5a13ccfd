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

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
SETTINGS_FILE = Path(__file__).with_name("documents.toml")
QUARTER_NAMES = "一二三四"


class GenerationError(Exception):
    """Data a document cannot be made from; `problems` names each trainee, class or batch to fix."""

    def __init__(self, subject: str, problems: list[str]) -> None:
        self.subject = subject
        self.problems = list(problems)
        super().__init__(f"{subject}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class DocumentSettings:
    """What the documents print that is neither in the store nor in the policy (documents.toml)."""

    bureau: str
    cited_documents: tuple[str, ...]
    east_asia_font: str
    render_font: str
    publicity_contact: str = ""


@cache
def load_settings(path: Path = SETTINGS_FILE) -> DocumentSettings:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return DocumentSettings(bureau=data["bureau"], cited_documents=tuple(data["cited_documents"]),
                            east_asia_font=data["fonts"]["east_asia"], render_font=data["fonts"]["render"],
                            publicity_contact=data.get("publicity_contact", ""))


@dataclass
class Options:
    """Choices made when generating, not stored: the date printed on the documents and so on."""

    data_dir: Path | None = None
    fill_date: dt.date = field(default_factory=dt.date.today)
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


def quarter_parts(quarter: str) -> tuple[int, int]:
    """'2020Q2' -> (2020, 2); anything else is a usage error."""
    text = quarter.strip().upper()
    if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
        raise ValueError(f"季度应写作 2020Q2 (quarter must look like 2020Q2): {quarter!r}")
    return int(text[:4]), int(text[5])


def safe_file_part(text: str) -> str:
    """A batch or class name usable inside a file name on Windows and Linux alike."""
    bad = '<>:"/\\|?*'
    cleaned = "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in text).strip(" .")
    return cleaned or "_"


class DocumentGenerator(ABC):
    """One document kind: `context` reads the store into plain data, `render` writes the files."""

    kind: str = ""
    title: str = ""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()

    @abstractmethod
    def context(self, session: Session, subject: str) -> dict[str, Any]:
        """The template's context for `subject` (a batch name, or a quarter for the quarterly report)."""

    @abstractmethod
    def render(self, context: dict[str, Any], out_dir: Path) -> list[Path]:
        """Write the documents (and spreadsheets) for a context; returns the files written."""

    def generate(self, session: Session, subject: str, out_dir: Path) -> list[Path]:
        return self.render(self.context(session, subject), out_dir)


def fill_template(name: str, context: dict[str, Any], out: Path, data_dir: Path | None = None) -> Path:
    """Fill a .docx template with docxtpl and save it; Jinja escapes the values (a name may hold '&')."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(template_path(name, data_dir)))
    template.render(context, autoescape=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    template.save(str(out))
    return out
