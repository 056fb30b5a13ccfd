"""PDFs through LibreOffice: every page has ink, fonts embedded, Chinese in a CJK font, and the rare name
characters drawn with real glyphs (not tofu). Skipped, saying why, where LibreOffice or poppler is absent."""

import datetime as dt
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from generators import GENERATORS
from generators.base import Options, load_settings
from generators.fonts import FONTS_CONF, font_file, missing_glyphs
from generators.pdf import PdfUnavailable, soffice, to_pdf
from intake.store.db import open_store
from tests.generators.conftest import BATCH, RARE_NAMES, bundle_result, save
from tests.policy import POLICY

RARE_CHARACTERS = "䶮堃喆燚犇淼玥珺昇曌"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """All six documents of the fixed data set as PDFs (one LibreOffice start)."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install -y --no-install-recommends "
                    "libreoffice-writer-nogui (scripts/setup.sh --test installs it)")
    if not all(shutil.which(tool) for tool in ("pdftoppm", "pdffonts", "pdftotext", "pdfinfo")):
        pytest.skip("poppler-utils (pdftoppm, pdffonts, pdftotext, pdfinfo) not installed")
    tmp = tmp_path_factory.mktemp("pdf")
    store = open_store(tmp / "data")
    # Every trainee signed, so that all the rare names are listed and printed.
    save(store, tmp, bundle_result(t3={"signed": True, "flags": []}))
    options = Options(data_dir=tmp / "data", fill_date=dt.date(2020, 6, 1), publicity_start=dt.date(2020, 6, 2),
                      policy=POLICY)
    docx = []
    with store.session() as session:
        for kind, generator in GENERATORS.items():
            files = generator(options).generate(session, "2020Q2" if kind == "quarterly" else BATCH, tmp / "out")
            docx += [f for f in files if f.suffix == ".docx"]
    store.close()
    return to_pdf(docx, tmp / "pdf")


def test_one_pdf_per_document(pdfs):
    assert len(pdfs) == 6


@pytest.mark.parametrize("index", range(6))
def test_every_page_has_content(pdfs, index, tmp_path):
    pdf = sorted(pdfs)[index]
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    for page in pages:
        ink = np.asarray(Image.open(page).convert("L")) < 128
        body = ink[: int(ink.shape[0] * 0.9)]  # above the footer, whose page number is on every page
        assert body.sum() > 50, f"{pdf.name}: {page.name} is blank"


def _fonts(pdf) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def test_fonts_embedded_and_chinese_in_a_cjk_font(pdfs):
    for pdf in pdfs:
        fonts = _fonts(pdf)
        assert fonts, pdf.name
        for row in fonts:
            emb = row[-5]
            assert emb == "yes", f"{pdf.name}: {row[0]} not embedded"
        assert any("CJK" in row[0] for row in fonts), f"{pdf.name}: no CJK font"


def test_rare_names_print_with_real_glyphs(pdfs, tmp_path):
    roster = next(p for p in pdfs if p.name.startswith("附件1"))
    text = subprocess.run(["pdftotext", str(roster), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s", "", text)
    for name in RARE_NAMES:
        assert name in flat, name
    # The only fonts used are the Noto CJK face fonts.conf maps 宋体 to: no silent fallback to another font.
    families = {re.sub(r"^[A-Z]{6}\+", "", row[0]) for row in _fonts(roster)}
    assert all(f.startswith("NotoSerifCJK") for f in families), families
    # That font really has the glyphs: its character map, and drawn glyphs that are not the missing-glyph box.
    family = load_settings().render_font
    assert missing_glyphs(RARE_CHARACTERS + "欧阳娜娜", family) == ""
    path = font_file(family)
    face = next(i for i in range(10) if ImageFont.truetype(str(path), 10, index=i).getname()[0] == family)
    font = ImageFont.truetype(str(path), 64, index=face)

    def drawn(ch: str) -> bytes:
        image = Image.new("L", (80, 80), 255)
        ImageDraw.Draw(image).text((8, 0), ch, font=font, fill=0)
        return image.tobytes()

    tofu = drawn("\U0002A6D6")  # a character this font lacks: its .notdef box
    for ch in RARE_CHARACTERS:
        assert drawn(ch) != tofu, f"{ch} draws as the missing-glyph box"


def test_page_sizes(pdfs):
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        landscape = pdf.name.startswith(("附件1", "公示", "季报"))
        assert ("841.89 x 595.3" in info) == landscape and "A4" in info, pdf.name


def test_missing_libreoffice_is_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(PdfUnavailable) as caught:
        to_pdf([tmp_path / "x.docx"], tmp_path)
    assert "libreoffice-writer-nogui" in str(caught.value) and "soffice" in str(caught.value)


def test_the_pinned_fonts_are_the_only_ones_libreoffice_sees():
    """Whatever else the machine has (Liberation, DejaVu, WenQuanYi), the PDFs see the Noto CJK fonts alone."""
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig (fc-list) not installed")
    env = {"FONTCONFIG_FILE": str(FONTS_CONF), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run(["fc-list", "--format=%{file}\n"], capture_output=True, text=True, env=env,
                            check=True).stdout.split()
    assert listed, "fonts-noto-cjk not installed (scripts/setup.sh installs it)"
    assert all(re.search(r"/Noto(Serif|Sans)CJK-\w+\.ttc$", f) for f in listed), sorted(set(listed))
    for family, face in (("Times New Roman", "Noto Serif CJK SC"), ("宋体", "Noto Serif CJK SC"),
                         ("Liberation Serif", "Noto Serif CJK SC"), ("黑体", "Noto Sans CJK SC")):
        chosen = subprocess.run(["fc-match", "--format=%{family}", family], capture_output=True, text=True,
                                env=env, check=True).stdout
        assert face in chosen.split(","), (family, chosen)
