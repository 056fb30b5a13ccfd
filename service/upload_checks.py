"""Checks on an upload before anything is stored: what each file really is, whether it opens, how many
pages it has, and the limits. A refused upload leaves no row and no original behind; the clerk gets
one message per problem, in Chinese, naming the file.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from intake.records import read_records
from ocr.errors import InputProblem
from ocr.sources import sniff
from ocr.sources.sniff import IMAGE_KINDS
from service.settings import Settings

WHAT_IT_IS = {
    "zip": "ZIP 压缩包", "docx": "Word 文档", "xlsx": "Excel 表格", "ole": "旧版 Office 文档", "gzip": "压缩包",
    "rar": "RAR 压缩包", "7z": "7-Zip 压缩包", "rtf": "RTF 文档", "html": "网页", "xml": "XML 文件",
    "svg": "SVG 图形", "text": "文本文件", "jpeg2000": "JPEG 2000 图片（不支持）",
    "heic": "HEIC 照片（不支持，请另存为 JPEG）", "unknown": "无法识别的内容（可能是程序或已损坏的文件）",
    "directory": "文件夹",
}
RECORD_KINDS = {"xlsx", "ole", "text"}
_UNSAFE_NAME = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


class UploadRefused(Exception):
    """One or more files cannot be taken; `messages` names each (shown in the page, nothing stored)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass
class CheckedFile:
    path: Path            # the temporary copy
    name: str             # the clerk's file name, made safe
    kind: str             # pdf, jpeg, png, tiff, ...
    pages: int


def safe_name(name: str | None, fallback: str) -> str:
    """The file's own name only (no folders: a browser may send 'C:\\scans\\a.pdf' or '../../a.pdf')."""
    base = (name or "").replace("\\", "/").split("/")[-1]
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    return base[:200] or fallback


def _pdf_pages(path: Path, name: str) -> int:
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        text = str(e).lower()
        if "password" in text or "security" in text:
            raise UploadRefused([f"{name}：PDF 已加密（有密码保护），请上传未加密的扫描件"]) from None
        raise UploadRefused([f"{name}：PDF 文件已损坏，无法打开"]) from None
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages == 0:
        raise UploadRefused([f"{name}：PDF 中没有任何页面"])
    return pages


def _image_pages(path: Path, name: str, max_pixels: int) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
                if width * height > max_pixels:
                    raise UploadRefused([f"{name}：图片过大（{width}×{height} 像素，上限 "
                                         f"{max_pixels // 10_000} 万像素），请降低扫描分辨率"])
                frames = getattr(im, "n_frames", 1)
                im.verify()
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused([f"{name}：图片过大（超过 {max_pixels // 10_000} 万像素），请降低扫描分辨率"]) from None
    except Exception:
        raise UploadRefused([f"{name}：图片已损坏，无法打开"]) from None
    return int(frames)


def check_one(path: Path, name: str, settings: Settings) -> CheckedFile:
    size = path.stat().st_size
    if size == 0:
        raise UploadRefused([f"{name}：文件是空的（0 字节）"])
    if size > settings.max_upload_bytes:
        raise UploadRefused([f"{name}：文件过大（{size / 1048576:.1f} MB，上限 {settings.max_upload_mb} MB）"])
    try:
        kind = sniff(path)
    except InputProblem:
        raise UploadRefused([f"{name}：文件无法读取"]) from None
    if kind == "pdf":
        pages = _pdf_pages(path, name)
    elif kind in IMAGE_KINDS:
        pages = _image_pages(path, name, settings.max_image_pixels)
    else:
        what = WHAT_IT_IS.get(kind, WHAT_IT_IS["unknown"])
        raise UploadRefused([f"{name}：不是 PDF 或图片，而是{what}；请上传扫描得到的 PDF 或 JPEG/PNG/TIFF 图片"])
    return CheckedFile(path, name, kind, pages)


def check_bundle(files: list[tuple[Path, str]], settings: Settings) -> list[CheckedFile]:
    """All files of one bundle, or UploadRefused with every problem found (not just the first)."""
    if not files:
        raise UploadRefused(["请选择要上传的扫描件（一个 PDF 或多张图片）"])
    if len(files) > settings.max_files:
        raise UploadRefused([f"文件过多：{len(files)} 个，每次最多 {settings.max_files} 个"])
    total = sum(path.stat().st_size for path, _ in files)
    if total > settings.max_upload_bytes:
        raise UploadRefused([f"上传过大：共 {total / 1048576:.1f} MB，每次最多 {settings.max_upload_mb} MB"])
    checked, messages = [], []
    for path, name in files:
        try:
            checked.append(check_one(path, name, settings))
        except UploadRefused as refused:
            messages += refused.messages
    if messages:
        raise UploadRefused(messages)
    if sum(1 for c in checked if c.kind == "pdf") > 1:
        raise UploadRefused(["一次只能上传一份材料：一个 PDF，或按页序排列的多张图片"])
    if any(c.kind == "pdf" for c in checked) and len(checked) > 1:
        raise UploadRefused(["PDF 和图片请分开上传：一份材料是一个 PDF，或多张图片"])
    pages = sum(c.pages for c in checked)
    if pages > settings.max_pages:
        raise UploadRefused([f"页数过多：共 {pages} 页，每次最多 {settings.max_pages} 页，请分批上传"])
    names = [c.name for c in checked]
    if len(set(names)) != len(names):
        raise UploadRefused(["有重名的文件，请改名后再上传（文件名决定页序）"])
    return checked


def check_records(path: Path, name: str) -> None:
    if path.stat().st_size == 0:
        raise UploadRefused([f"{name}：表格文件是空的"])
    kind = sniff(path)
    if kind not in RECORD_KINDS:
        raise UploadRefused([f"{name}：不是 Excel 或 CSV 表格（实际是{WHAT_IT_IS.get(kind, kind)}）"])
    try:
        rows = read_records(path)
    except (InputProblem, OSError, ValueError):
        raise UploadRefused([f"{name}：表格无法读取，请确认是培训班的学员信息表"]) from None
    if not rows:
        raise UploadRefused([f"{name}：表格中没有找到学员信息（缺少表头“姓名”“身份证号”等）"])
