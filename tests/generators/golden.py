"""Golden files: what a generated .docx or .xlsx says (text, table rows, cells), as JSON to compare.

UPDATE_GOLDEN=1 rewrites the files from the current output; review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from docx import Document
from openpyxl import load_workbook

GOLDEN = Path(__file__).with_name("golden")


def docx_content(path: Path) -> dict[str, Any]:
    doc = Document(str(path))
    section = doc.sections[0]
    return {
        "orientation": "landscape" if section.page_width > section.page_height else "portrait",
        "paragraphs": [p.text for p in doc.paragraphs if p.text.strip()],
        "tables": [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables],
    }


def xlsx_content(path: Path) -> dict[str, Any]:
    book = load_workbook(path)
    return {sheet.title: [[c for c in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def content(path: Path) -> dict[str, Any]:
    return docx_content(path) if path.suffix == ".docx" else xlsx_content(path)


def dumps(value: Any, indent: int = 0) -> str:
    """JSON with one table row (a list of plain values) per line, so a golden diff reads row by row."""
    pad = " " * indent
    if isinstance(value, dict):
        items = [f"{pad} {json.dumps(k, ensure_ascii=False)}: {dumps(v, indent + 1).lstrip()}"
                 for k, v in value.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
        return pad + "[\n" + ",\n".join(dumps(v, indent + 1) for v in value) + "\n" + pad + "]"
    return pad + json.dumps(value, ensure_ascii=False)


def check_golden(name: str, files: list[Path]) -> None:
    """Compare the files' content with golden/<name>.json (rewritten when UPDATE_GOLDEN=1)."""
    got = {f.name: content(f) for f in sorted(files)}
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        if not os.environ.get("UPDATE_GOLDEN") and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dumps(got) + "\n", encoding="utf-8")
            raise AssertionError(f"{path.name} did not exist; written now — review it and run again")
        path.write_text(dumps(got) + "\n", encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(got) == sorted(expected), "generated file names differ from the golden ones"
    for name_, value in got.items():
        assert json.loads(json.dumps(value)) == expected[name_], f"{name_} differs from {path.name}"
