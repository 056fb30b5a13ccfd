"""Files to pages: every input made here, the bad ones named for what they are."""

from __future__ import annotations

import io
import math
import resource
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from ocr.errors import InputProblem
from ocr.sources import (
    folder_pages,
    group_bundles,
    load_pages,
    natural_key,
    sniff,
    sniff_bytes,
)
from ocr.sources.pdf import _unify_hanzi
from ocr.types import PageImage

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def problem_of(path: Path, **kwargs) -> InputProblem:
    with pytest.raises(InputProblem) as caught:
        list(load_pages(path, **kwargs))
    return caught.value


def pages_of(path: Path, **kwargs) -> list[PageImage | InputProblem]:
    return list(load_pages(path, **kwargs))


def save_png(path: Path, array: np.ndarray, **kwargs) -> Path:
    Image.fromarray(array).save(path, **kwargs)
    return path


def png_claiming_size(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header says width×height: enough to test refusal without the pixels."""
    buf = io.BytesIO()
    Image.new("1", (8, 8), 1).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = 8 + 4  # signature, then the IHDR chunk's length
    struct.pack_into(">II", data, ihdr + 4, width, height)
    crc = zlib.crc32(bytes(data[ihdr:ihdr + 4 + 13]))
    struct.pack_into(">I", data, ihdr + 4 + 13, crc)
    path.write_bytes(bytes(data))
    return path


# --- cjk PDFs made with reportlab ---------------------------------------------------------------

def cjk_canvas(path: Path, pagesize=(595, 842), **kwargs):
    if not CJK_FONT.exists():
        pytest.skip("no CJK font (scripts/setup.sh installs fonts-wqy-zenhei)")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=pagesize, **kwargs)
    c.setFont("WQY", 20)
    return c


def born_digital_pdf(path: Path) -> Path:
    c = cjk_canvas(path)
    c.drawString(72, 700, "培训学员花名册 2024")
    c.drawString(72, 600, "姓名 张三 身份证号")
    c.showPage()
    c.setFont("WQY", 20)
    c.drawString(300, 300, "第二页的文字内容")
    c.showPage()
    c.save()
    return path


def ink_mask(image: np.ndarray) -> np.ndarray:
    return image.min(axis=2) < 128


def assert_words_cover_ink(page: PageImage, slack: int = 3) -> None:
    """Every dark pixel lies in some word box (give or take `slack` px), and every box holds ink."""
    ink = ink_mask(page.image)
    covered = np.zeros_like(ink)
    for w in page.text_layer:
        b = w.box
        covered[max(0, b.y0 - slack):b.y1 + slack, max(0, b.x0 - slack):b.x1 + slack] = True
        assert ink[b.y0:b.y1, b.x0:b.x1].any(), f"no ink under {w}"
    assert ink.sum() > 500
    assert not (ink & ~covered).any(), "ink outside every word box"


# --- sniffing -----------------------------------------------------------------------------------

@pytest.mark.parametrize("head, kind", [
    (b"", "empty"),
    (b"%PDF-1.7\n", "pdf"),
    (b"\xef\xbb\xbfjunk\n%PDF-1.4\n", "pdf"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
    (b"II*\x00\x08\x00", "tiff"),
    (b"MM\x00*\x00\x00", "tiff"),
    (b"BM\x36\x00", "bmp"),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"),
    (b"GIF89a", "gif"),
    (b"\x00\x00\x00\x18ftypheic", "heic"),
    (b"PK\x03\x04\x14\x00\x00\x00[Content_Types].xmlword/document.xml", "docx"),
    (b"PK\x03\x04\x14\x00\x00\x00a.txt", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    ("这不是PDF，是一段说明文字。".encode(), "text"),
    ("这不是PDF".encode("gb18030"), "text"),
    (b"<!DOCTYPE html><html>", "html"),
    (b"\x00\x01\x02\x03\xfe", "unknown"),
])
def test_sniff_reads_the_first_bytes(head, kind):
    assert sniff_bytes(head) == kind


def test_sniff_ignores_the_name(tmp_path):
    photo = save_png(tmp_path / "scan.pdf", np.zeros((4, 4), np.uint8), format="PNG")
    assert sniff(photo) == "png"


def test_a_png_named_pdf_is_still_read(tmp_path):
    photo = save_png(tmp_path / "scan.pdf", np.full((40, 30), 255, np.uint8), format="PNG")
    [page] = pages_of(photo)
    assert page.image.shape == (40, 30, 3)


# --- whole-file failures --------------------------------------------------------------------------

def test_missing_file(tmp_path):
    problem = problem_of(tmp_path / "nope.pdf")
    assert str(problem) == "nope.pdf: file not found"


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert str(problem_of(empty)) == "empty.pdf: empty file"


def test_text_file_named_pdf(tmp_path):
    notes = tmp_path / "notes.pdf"
    notes.write_text("这不是PDF", encoding="utf-8")
    assert problem_of(notes).reason == "not a PDF or image (looks like a text file)"


def test_zip_named_pdf(tmp_path):
    zipped = tmp_path / "archive.pdf"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("a.txt", "hello")
    assert problem_of(zipped).reason == "not a PDF or image (looks like a ZIP archive)"


def test_word_document_named_pdf(tmp_path):
    docx = tmp_path / "roster.pdf"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "Word document" in problem_of(docx).reason


def test_garbage_pdf(tmp_path):
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj<<>>\nendobj\ntrailer<<>>\n%%EOF garbage")
    problem = problem_of(corrupt)
    assert problem.reason.startswith("corrupt PDF")
    assert problem.page is None


def test_truncated_pdf(tmp_path):
    whole = born_digital_pdf(tmp_path / "whole.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 2])
    assert problem_of(cut).reason == "corrupt PDF: data format error"


def test_encrypted_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(locked), encrypt="secret")
    c.drawString(72, 700, "hello")
    c.save()
    assert problem_of(locked).reason == "encrypted PDF (password protected)"


def test_outsize_image_is_refused_from_its_header(tmp_path):
    huge = png_claiming_size(tmp_path / "huge.png", 20000, 20000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problem = problem_of(huge)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB: nothing decoded
    assert problem.reason == "image too large: 20000×20000 pixels (limit 60 megapixels)"


def test_image_just_over_the_limit_names_its_size(tmp_path):
    big = png_claiming_size(tmp_path / "big.png", 9000, 8000)
    assert problem_of(big).reason == "image too large: 9000×8000 pixels (limit 60 megapixels)"


def test_empty_folder(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    assert problem_of(folder).reason == "folder holds no PDF or image files"


# --- images -------------------------------------------------------------------------------------

def test_exif_rotated_jpeg_comes_out_upright(tmp_path):
    # Stored landscape with a black block at the stored top-left; orientation 6 tells viewers to
    # turn it 90° clockwise, which puts the block at the top-right of a portrait page.
    stored = np.full((200, 300, 3), 255, np.uint8)
    stored[:50, :50] = 0
    exif = Image.Exif()
    exif[0x0112] = 6
    photo = tmp_path / "photo.jpg"
    Image.fromarray(stored).save(photo, exif=exif, dpi=(200, 200))
    [page] = pages_of(photo, first_number=4)
    assert page.number == 4
    assert page.image.shape == (300, 200, 3)
    assert page.image[:50, -50:].mean() < 40
    assert page.image[-50:, :50].mean() > 215
    assert any("EXIF orientation 6" in n for n in page.notes)


def test_multi_page_tiff_numbers_pages_on(tmp_path):
    frames = [Image.fromarray(np.full((120, 90), 60 * i, np.uint8)) for i in range(3)]
    tiff = tmp_path / "bundle.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(200, 200))
    pages = pages_of(tiff, first_number=7)
    assert [p.number for p in pages] == [7, 8, 9]
    assert all(p.image.shape == (120, 90, 3) and p.image.dtype == np.uint8 for p in pages)
    assert [int(p.image.mean()) for p in pages] == [0, 60, 120]
    assert all(p.dpi == 200 and p.text_layer is None for p in pages)


def test_broken_tiff_frame_is_named_and_the_others_kept(tmp_path):
    frames = [Image.fromarray(np.full((400, 300), 40 * (i + 1), np.uint8)) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    data = bytearray(buf.getvalue())
    # Overwrite the middle frame's compressed strip with junk.
    with Image.open(io.BytesIO(bytes(data))) as tiff:
        tiff.seek(1)
        offset, length = tiff.tag_v2[273][0], tiff.tag_v2[279][0]
    data[offset:offset + length] = b"\xff" * length
    broken = tmp_path / "broken.tif"
    broken.write_bytes(bytes(data))
    items = pages_of(broken)
    assert [type(i).__name__ for i in items] == ["PageImage", "InputProblem", "PageImage"]
    assert items[1].page == 2 and str(items[1]).startswith("broken.tif, page 2: ")
    assert items[2].number == 3 and int(items[2].image.mean()) == 120


def test_truncated_jpeg_is_a_page_problem(tmp_path):
    buf = io.BytesIO()
    noise = np.random.default_rng(1).integers(0, 255, (300, 300, 3), dtype=np.uint8)
    Image.fromarray(noise).save(buf, "JPEG")
    photo = tmp_path / "cut.jpg"
    photo.write_bytes(buf.getvalue()[:2000])
    [item] = pages_of(photo, first_number=3)
    assert isinstance(item, InputProblem)
    assert item.page == 3


def test_sixteen_bit_png(tmp_path):
    gray = np.full((50, 40), 65535, np.uint16)
    gray[:10] = 0
    path = tmp_path / "deep.png"
    Image.fromarray(gray).save(path)
    [page] = pages_of(path)
    assert page.image.dtype == np.uint8 and page.image.shape == (50, 40, 3)
    assert page.image[:10].max() == 0 and page.image[10:].min() == 255


def test_transparency_lies_on_white(tmp_path):
    rgba = np.zeros((30, 30, 4), np.uint8)  # fully transparent black
    rgba[:10, :, 3] = 255  # an opaque black band
    [page] = pages_of(save_png(tmp_path / "alpha.png", rgba))
    assert page.image[:10].max() == 0
    assert page.image[10:].min() == 255

    palette = Image.fromarray(np.array([[0, 1], [1, 1]], np.uint8), "P")
    palette.putpalette([0, 0, 0, 255, 0, 0])
    palette.info["transparency"] = 0
    path = tmp_path / "palette.png"
    palette.save(path, transparency=0)
    [page] = pages_of(path)
    assert page.image[0, 0].tolist() == [255, 255, 255]
    assert page.image[1, 1].tolist() == [0, 0, 255]  # red, in BGR


@pytest.mark.parametrize("fmt, suffix", [("BMP", "bmp"), ("WEBP", "webp")])
def test_bmp_and_webp(tmp_path, fmt, suffix):
    path = tmp_path / f"page.{suffix}"
    Image.new("RGB", (64, 48), (255, 255, 255)).save(path, fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    [page] = pages_of(path)
    assert page.image.shape == (48, 64, 3)
    assert page.image.min() == 255


def test_high_dpi_scan_is_reduced_to_300_dpi(tmp_path):
    path = save_png(tmp_path / "fine.png", np.full((1000, 2000), 255, np.uint8), dpi=(600, 600))
    [page] = pages_of(path)
    assert page.image.shape == (500, 1000, 3)
    assert page.dpi == pytest.approx(300)
    assert any("reduced from 2000×1000" in n for n in page.notes)


def test_huge_photo_is_reduced_to_a4_at_300_dpi(tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (3000, 4500), (250, 250, 250)).save(photo, dpi=(72, 72))
    [page] = pages_of(photo)
    assert max(page.image.shape[:2]) == 3508
    assert page.image.shape[:2] == (3508, 2339)
    assert page.dpi == pytest.approx(300, abs=1)


def test_image_without_dpi_is_taken_as_a4(tmp_path):
    [page] = pages_of(save_png(tmp_path / "a4.png", np.full((2339, 1654), 255, np.uint8)))
    assert page.dpi == pytest.approx(200, abs=0.5)
    assert page.image.shape == (2339, 1654, 3)


def test_scanner_dpi_is_kept(tmp_path):
    [page] = pages_of(save_png(tmp_path / "s.png", np.full((100, 80), 255, np.uint8), dpi=(150, 150)))
    assert page.dpi == pytest.approx(150)


# --- PDFs ---------------------------------------------------------------------------------------

def test_image_only_pdf_has_no_text_layer(tmp_path):
    scan = tmp_path / "scan.pdf"
    Image.fromarray(np.full((1100, 800), 255, np.uint8)).save(scan)  # 1 px = 1 pt
    [page] = pages_of(scan, first_number=2)
    assert page.number == 2
    assert page.text_layer is None
    assert page.image.shape == (math.ceil(1100 * 200 / 72), math.ceil(800 * 200 / 72), 3)  # pdfium rounds up
    assert page.dpi == pytest.approx(200)


def test_born_digital_pdf_has_a_text_layer_in_pixels(tmp_path):
    pages = pages_of(born_digital_pdf(tmp_path / "roster.pdf"), first_number=5)
    assert [p.number for p in pages] == [5, 6]
    first = pages[0]
    assert first.image.shape == (2339, 1653, 3)
    texts = [w.text for w in first.text_layer]
    assert texts == ["培训学员花名册", "2024", "姓名", "张三", "身份证号"]
    title = first.text_layer[0].box
    scale = 200 / 72
    assert title.x0 == pytest.approx(72 * scale, abs=3)
    assert title.y1 == pytest.approx((842 - 700) * scale, abs=12)  # baseline plus the descent
    assert all(w.confidence == 1.0 for w in first.text_layer)
    assert_words_cover_ink(first)
    assert_words_cover_ink(pages[1])


def test_pdf_page_at_another_dpi(tmp_path):
    [page, _] = pages_of(born_digital_pdf(tmp_path / "roster.pdf"), dpi=100)
    assert page.image.shape == (math.ceil(842 * 100 / 72), math.ceil(595 * 100 / 72), 3)
    assert_words_cover_ink(page)


def test_rotated_page_with_upright_text_keeps_its_text_layer(tmp_path):
    # A landscape page stored portrait with /Rotate 90, its text drawn turned so that it reads
    # upright as displayed: the rendering and the text layer must both be in the turned frame.
    path = tmp_path / "turned.pdf"
    c = cjk_canvas(path)
    c.setPageRotation(90)
    c.saveState()
    c.translate(300, 100)
    c.rotate(90)
    c.drawString(0, 0, "横向页面文字 2024")
    c.restoreState()
    c.showPage()
    c.save()
    doc = pdfium.PdfDocument(path)  # reportlab stored the page landscape, to be shown portrait
    assert doc[0].get_mediabox() == (0, 0, 842, 595) and doc[0].get_rotation() == 90
    doc.close()
    [page] = pages_of(path)
    assert page.image.shape == (2339, 1653, 3)  # rendered as displayed
    assert page.text_layer, page.notes
    assert "".join(w.text for w in page.text_layer) == "横向页面文字2024"
    assert_words_cover_ink(page)
    # Upright text is wider than tall.
    box = page.text_layer[0].box
    assert box.width > 3 * box.height


def test_rotated_page_with_sideways_text_drops_the_layer(tmp_path):
    path = tmp_path / "sideways.pdf"
    c = cjk_canvas(path)
    c.setPageRotation(90)
    c.drawString(100, 300, "旋转页面测试文字")
    c.showPage()
    c.save()
    [page] = pages_of(path)
    assert page.text_layer is None
    assert any("sideways" in n for n in page.notes)
    # The text, horizontal on the stored page, is vertical on the rendered one.
    ys, xs = np.nonzero(ink_mask(page.image))
    assert ys.max() - ys.min() > 5 * (xs.max() - xs.min())


def test_few_characters_are_not_a_text_layer(tmp_path):
    path = tmp_path / "stamp.pdf"
    c = cjk_canvas(path)
    c.drawString(100, 100, "1")
    c.showPage()
    c.save()
    [page] = pages_of(path)
    assert page.text_layer is None


def test_pdf_pages_come_one_at_a_time(tmp_path):
    pages = load_pages(born_digital_pdf(tmp_path / "roster.pdf"))
    first = next(pages)
    assert first.number == 1
    pages.close()  # the documents are closed without reading the rest


def test_kangxi_radicals_become_ordinary_hanzi():
    assert _unify_hanzi("\u2f47期：2024") == "日期：2024"
    assert _unify_hanzi("姓名：张三") == "姓名：张三"


# --- bundles ------------------------------------------------------------------------------------

def test_natural_order():
    names = ["page-10.jpg", "page-2.jpg", "page-1.jpg", "第3页.png", "第12页.png"]
    assert [p.name for p in sorted(map(Path, names), key=natural_key)] == [
        "page-1.jpg", "page-2.jpg", "page-10.jpg", "第3页.png", "第12页.png"]


def test_group_bundles(tmp_path):
    white = np.full((10, 10), 255, np.uint8)
    a = tmp_path / "a.pdf"
    Image.fromarray(white).save(a)
    p10, p2 = save_png(tmp_path / "p-10.png", white), save_png(tmp_path / "p-2.jpg", white, format="JPEG")
    tiff = save_png(tmp_path / "t.tif", white, format="TIFF")
    c = save_png(tmp_path / "c.png", white)
    missing = tmp_path / "gone.jpg"
    misnamed = tmp_path / "p-3.jpg"
    misnamed.write_text("not a photo")
    zipped = tmp_path / "z.pdf"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("a.txt", "x")
    groups = group_bundles([a, p10, p2, misnamed, tiff, c, zipped, missing])
    assert groups == [[a], [p2, misnamed, p10], [tiff], [c], [zipped], [missing]]


def test_a_folder_is_one_bundle_in_natural_order(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    white = np.full((10, 10), 255, np.uint8)
    for name in ("page-10.png", "page-2.png", "page-1.png"):
        save_png(folder / name, white)
    (folder / "readme.txt").write_text("scanned 2024-05-01")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    Image.fromarray(white).save(folder / "page-11.pdf")
    single = save_png(tmp_path / "x.png", white)
    expected = [folder / n for n in ("page-1.png", "page-2.png", "page-10.png", "page-11.pdf")]
    assert folder_pages(folder) == expected
    assert group_bundles([single, folder]) == [[single], expected]


def test_cropped_page_text_layer_follows_the_crop(tmp_path):
    path = tmp_path / "cropped.pdf"
    c = cjk_canvas(path)
    c.setCropBox((50, 100, 545, 800))
    c.drawString(72, 700, "裁剪后的页面文字")
    c.showPage()
    c.save()
    [page] = pages_of(path)
    assert page.image.shape == (math.ceil(700 * 200 / 72), math.ceil(495 * 200 / 72), 3)
    assert page.text_layer[0].box.x0 == pytest.approx((72 - 50) * 200 / 72, abs=3)
    assert_words_cover_ink(page)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("cropped", [False, True])
def test_text_layer_lands_on_the_ink_however_the_page_is_turned_and_cropped(tmp_path, rotation, cropped):
    sideways = rotation in (90, 270)  # reportlab stores these pages landscape
    path = tmp_path / "page.pdf"
    c = cjk_canvas(path)
    c.setPageRotation(rotation)
    if cropped:
        c.setCropBox((40, 60, 800, 560) if sideways else (40, 60, 560, 800))
    c.saveState()
    c.translate(*((400, 300) if sideways else (300, 400)))
    c.rotate(rotation)  # so that the text reads upright as displayed
    c.drawString(-60, 0, "显示时正立的文字 2024")
    c.restoreState()
    c.showPage()
    c.save()
    [page] = pages_of(path)
    assert [w.text for w in page.text_layer] == ["显示时正立的文字", "2024"]
    assert_words_cover_ink(page)


def test_large_phone_photo_is_decoded_reduced(tmp_path):
    photo = tmp_path / "IMG_0001.jpg"
    Image.new("RGB", (5400, 7200), (240, 240, 240)).save(photo, dpi=(72, 72), quality=50)
    [page] = pages_of(photo)  # how fast is the benchmark's to say; here: decoded reduced, not whole
    assert page.image.shape[:2] == (3508, 2631)
    assert page.dpi == pytest.approx(300, abs=1)
    assert "reduced from 5400×7200 at 616 dpi to 2631×3508 at 300 dpi" in page.notes


def test_chinese_file_name(tmp_path):
    [page, _] = pages_of(born_digital_pdf(tmp_path / "培训花名册（第一批）.pdf"))
    assert page.source == "培训花名册（第一批）.pdf"
    assert page.text_layer
