"""A paper bundle from files to bundle-result/1: the stages strung together, nothing else.

files -> pages -> readings (upright, tables read) -> page kinds -> documents -> trainees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from intake.certificates import CertificateReading, read_certificates
from intake.documents import Document, split_documents
from intake.header_fields import document_fields
from intake.page_kinds import PageKind, classify
from intake.page_reader import PageReading
from intake.policy.policy import Policy
from intake.records import ClassRecord
from intake.result import BundleResult, DocumentResult, PageResult
from intake.signals.dates import class_filings
from intake.trainees import assemble_trainees
from intake.workers import PageReaderPool
from ocr.errors import InputProblem
from ocr.sources import load_pages
from ocr.types import PageImage

Progress = Callable[[int, str], None]
DOCUMENT_NAMES = {"roster": "花名册", "agreement": "代领协议书", "certificate": "证书复印件", "report": "申请报告"}


def bundle_name(files: Sequence[Path]) -> str:
    return files[0].name if len(files) == 1 else f"{files[0].name} … {files[-1].name}"


def read_bundle(files: Sequence[Path], pool: PageReaderPool, progress: Progress | None = None,
                keep_images_in: Path | None = None, records: list[ClassRecord] | None = None,
                debug_in: Path | None = None, *, policy: Policy) -> BundleResult:
    """Read one bundle (a PDF, a TIFF, or image files in page order). Problems are collected, not raised.

    With the class's records, every trainee is also held against them (`not_in_records`,
    `field_mismatch`), and records that nobody on paper matches are noted.
    """
    result = BundleResult(source=bundle_name(files), engine=pool.engine_name)
    readings: list[PageReading] = []
    if debug_in is not None:
        debug_in.mkdir(parents=True, exist_ok=True)
    for item in pool.read(_pages(files), keep_images_in, debug_in):
        if isinstance(item, InputProblem):
            result.problems.append(str(item))
            if progress:
                progress(len(readings) + len(result.problems), f"{item}")
            continue
        readings.append(item)
        if progress:
            progress(len(readings) + len(result.problems), f"{item.source} 第 {item.number} 页")
    kinds = [classify(r) for r in readings]
    documents, final_kinds = split_documents(readings, kinds)
    result.pages = [PageResult(r.number, kind, r.rotation, r.source, r.skew, r.image_path, page_text(r),
                               r.transform.to_json(), _kind_reason(first, kind))
                    for r, kind, first in zip(readings, final_kinds, kinds, strict=True)]
    for page in result.pages:
        if page.kind == "unknown":
            # Never dropped in silence: the page stays in the result with its image for a reviewer.
            result.notes.append(f"第{page.page}页：{page.reason}")
    cards = {id(d): read_certificates(d) for d in documents if d.kind == "certificate"}
    result.documents = [_document_result(d, cards.get(id(d))) for d in documents]
    assembly = assemble_trainees(documents, [card for found in cards.values() for card in found], records,
                                 policy.certificates_from, pool.settings.low_confidence)
    result.trainees = assembly.trainees
    result.class_filings = class_filings(records or [])
    for record in assembly.unmatched_records:
        result.notes.append(f"{record.source} 第{record.row}行：{record.values.get('name', '')} "
                            f"不在纸质材料中 (in the records but not in the bundle)")
    for card in assembly.unmatched_cards:
        result.notes.append(f"第{card.page}页证书：{card.name or '（姓名未识别）'} 与花名册、协议书上的任何人都对不上 "
                            f"(a certificate copy that matches no trainee)")
    _flag_missing_stamps(result)
    if not readings and not result.problems:
        result.problems.append(f"{result.source}: 没有可读的页面 (no readable pages)")
    _name_missing_tables(result, documents)
    return result


def _kind_reason(first: PageKind, kind: str) -> str:
    if first.kind == "continuation" and kind == "unknown":
        return f"{first.reason}；本批材料中没有能接续的花名册或协议书 (nothing in the bundle it continues)"
    return first.reason


def page_text(reading: PageReading) -> str:
    """What the archive's full-text search indexes: the lines outside the table, then the table row by row."""
    lines = [reading.text] if reading.text else []
    if reading.table is not None:
        lines += [" ".join(cell.text for cell in row if cell.text) for row in reading.table.rows]
    return "\n".join(line for line in lines if line.strip())


def _pages(files: Sequence[Path]) -> Iterator[PageImage | InputProblem]:
    number = 1
    for path in files:
        try:
            for page in load_pages(path, first_number=number):
                yield page
                number += 1
        except InputProblem as problem:
            yield problem


def _document_result(doc: Document, cards: list[CertificateReading] | None) -> DocumentResult:
    stamped = any(page.seals for page in doc.pages)
    if cards is not None:
        fields = cards[0].fields() if len(cards) == 1 else {"cards": [c.fields() for c in cards]}
    else:
        fields = document_fields(doc)
    seals = [{"page": page.number, "box": seal.box.as_list(), "colour": seal.colour,
              "confidence": round(seal.confidence, 3)} for page in doc.pages for seal in page.seals]
    return DocumentResult(doc.kind, doc.page_numbers, stamped, fields, seals)


def _flag_missing_stamps(result: BundleResult) -> None:
    """Every trainee's claim rests on the roster's and the agreement's seals."""
    unsealed = [d for d in result.documents if d.kind in ("roster", "agreement") and d.stamp_present is False]
    for doc in unsealed:
        pages = "、".join(str(n) for n in doc.pages)
        result.notes.append(f"{DOCUMENT_NAMES.get(doc.kind, doc.kind)}（第{pages}页）没有一页盖有公章 "
                            f"(missing_stamp: no page of this {doc.kind} carries a seal)")
    if unsealed:
        for trainee in result.trainees:
            trainee.flag("missing_stamp")


def _name_missing_tables(result: BundleResult, documents: list[Document]) -> None:
    """A roster or agreement without a readable table is a problem the clerk must hear of."""
    for doc in documents:
        if doc.kind in ("roster", "agreement") and all(p.table is None for p in doc.pages):
            pages = ", ".join(str(n) for n in doc.page_numbers)
            result.problems.append(f"{result.source}, page {pages}: 未找到表格 (no table found on this {doc.kind})")
    if documents and not any(d.kind in ("roster", "agreement") for d in documents):
        result.problems.append(f"{result.source}: 没有花名册或协议书 (no roster or agreement in this bundle)")
