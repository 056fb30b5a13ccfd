"""The .docx templates as a clerk may have saved them: every Jinja tag whole in one run (Word splits tags
across runs when text is edited, and docxtpl then cannot read them), Chinese text in an East Asian font
(not a theme font, which would win), header rows repeated on every page, A4 in the right orientation."""

import re
import zipfile

import pytest
from docxtpl import DocxTemplate
from lxml import etree

from generators.base import TEMPLATES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
NAMES = ["attachment1_roster.docx", "attachment2_agreement.docx", "attachment3_report.docx",
         "publicity_list.docx", "quarterly_report.docx"]
LANDSCAPE = {"attachment1_roster.docx", "publicity_list.docx", "quarterly_report.docx"}
WITHOUT_TABLE = {"attachment3_report.docx"}  # the notice's report is a letter


def xml_parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if PARTS.fullmatch(n) or n == "word/styles.xml"}


def split_tags(root) -> list[str]:
    """Tags (or tag fragments) that span more than one w:t of a paragraph."""
    bad = []
    for paragraph in root.iter(f"{W}p"):
        texts = [t.text or "" for t in paragraph.iter(f"{W}t")]
        joined, spans, pos = "", [], 0
        for text in texts:
            spans.append((pos, pos + len(text)))
            joined += text
            pos += len(text)
        for m in TAG.finditer(joined):
            if not any(a <= m.start() and m.end() <= b for a, b in spans):
                bad.append(m.group())
        leftovers = TAG.sub("", joined)
        if any(mark in leftovers for mark in ("{{", "}}", "{%", "%}")):
            bad.append(f"unbalanced: {joined!r}")
    return bad


def test_all_templates_exist():
    assert sorted(p.name for p in TEMPLATES.glob("*.docx")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_tag_sits_in_one_run(name):
    for part, root in xml_parts(TEMPLATES / name).items():
        assert split_tags(root) == [], f"{name} {part}"


def test_the_check_catches_a_split_tag():
    root = etree.fromstring(
        f'<w:body xmlns:w="{W[1:-1]}"><w:p><w:r><w:t>姓名：{{{{ t.na</w:t></w:r><w:r><w:t>me }}}}</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t>{{</w:t></w:r><w:r><w:t>{{ x }}}}</w:t></w:r></w:p></w:body>')
    assert len(split_tags(root)) == 2


@pytest.mark.parametrize("name", NAMES)
def test_east_asian_font_and_language(name):
    parts = xml_parts(TEMPLATES / name)
    styles = parts["word/styles.xml"]
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = default.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "宋体"
    assert default.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    for root in parts.values():
        for rfonts in root.iter(f"{W}rFonts"):
            assert rfonts.get(f"{W}eastAsiaTheme") is None, name
            assert rfonts.get(f"{W}eastAsia") in (None, "宋体"), name


@pytest.mark.parametrize("name", NAMES)
def test_tables_repeat_their_header_row_and_pages_are_a4(name):
    root = xml_parts(TEMPLATES / name)["word/document.xml"]
    tables = list(root.iter(f"{W}tbl"))
    assert bool(tables) != (name in WITHOUT_TABLE)
    for table in tables:
        first = table.find(f"{W}tr")
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
    size = root.find(f".//{W}sectPr/{W}pgSz")
    width, height = int(size.get(f"{W}w")), int(size.get(f"{W}h"))
    assert sorted((width, height)) == [11906, 16838]
    assert (width > height) == (name in LANDSCAPE)


@pytest.mark.parametrize("name", NAMES)
def test_templates_parse_as_jinja(name):
    variables = DocxTemplate(str(TEMPLATES / name)).get_undeclared_template_variables()
    assert variables


def test_a_template_broken_by_editing_is_a_clear_message(filled, options, tmp_path):
    """A clerk's copy in <data>/templates/ wins; one whose tag Word split apart is refused, naming the file."""
    from docx import Document

    from generators import GENERATORS
    from generators.base import GenerationError
    from tests.generators.conftest import BATCH

    edited = Document(str(TEMPLATES / "attachment3_report.docx"))
    edited.paragraphs[-1].runs[0].text = "{{ date.year 年"
    folder = options.data_dir / "templates"
    folder.mkdir(parents=True)
    edited.save(str(folder / "attachment3_report.docx"))
    with filled.session() as session, pytest.raises(GenerationError) as caught:
        GENERATORS["attachment3"](options).generate(session, BATCH, tmp_path / "out")
    assert str(folder / "attachment3_report.docx") in caught.value.subject
    assert "模板中的标记无法读取" in caught.value.problems[0]
