"""How the .docx templates in this folder were first made (python-docx); kept to document them.

The .docx files are the source: a clerk edits them in Word or LibreOffice, and running this script again
overwrites such edits (it asks for --force). What it sets up, and what an edited template must keep:

- Attachments 1-3 in the words of the notice's forms (docs/notice.md), line for line, their blanks the
  tags; tests/generators/test_notice_forms.py holds the filled documents to the notice.

- A4; the roster, the publicity list and the quarterly report landscape.
- Every run's East Asian font comes from the document defaults: w:rFonts w:eastAsia="宋体" (no theme font,
  which would win over it), language zh-CN for East Asian text, and a font-table entry for 宋体 with its
  alternative name SimSun and the GB2312 charset. Without this Word and LibreOffice set Chinese in a
  Japanese fallback font. LibreOffice here draws 宋体 with Noto Serif CJK SC (generators/fonts.conf).
- Tables whose first row is marked as a header row repeated on each page (w:tblHeader) and rows that do
  not split across pages.
- Jinja tags for docxtpl, each inside one run (tests/generators/test_templates.py checks this: Word may
  split a tag across runs when it is edited, which docxtpl cannot read). Table rows repeat with
  `{%tr for t in trainees %}` … `{%tr endfor %}` rows.

Run: .venv/bin/python templates/build_templates.py [--force]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).parent
EAST_ASIA = "宋体"
LATIN = "Times New Roman"
FONT_ENTRY = (
    '<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:name="宋体">'
    '<w:altName w:val="SimSun"/><w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/>'
    '<w:family w:val="auto"/><w:pitch w:val="variable"/>'
    '<w:sig w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016" w:usb3="00000000" w:csb0="00040001" '
    'w:csb1="00000000"/></w:font>')


def _set_fonts(doc) -> None:
    """East Asian font and language in the document defaults and every style; theme fonts removed."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            if attr.endswith("Theme") or attr.endswith("theme"):
                del rfonts.attrib[attr]
        if rfonts.getparent() is rpr:
            continue
        rfonts.set(qn("w:eastAsia"), EAST_ASIA)
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(slot), LATIN)
    rfonts.set(qn("w:eastAsia"), EAST_ASIA)
    rfonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml" and "宋体".encode() not in part.blob:
            blob = part.blob.decode("utf-8")
            blob = blob.replace("</w:fonts>", FONT_ENTRY.replace(
                ' xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"', "") + "</w:fonts>")
            part._blob = blob.encode("utf-8")


def new_document(landscape: bool):
    doc = Document()
    _set_fonts(doc)
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8 if landscape else 2.5)
    section.top_margin = section.bottom_margin = Cm(1.8 if landscape else 2.5)
    _page_numbers(section)
    return doc


def _page_numbers(section) -> None:
    """第 N 页 共 M 页 in the footer (fields, so Word and LibreOffice count the pages)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    for instr, after in (("PAGE", " 页 共 "), ("NUMPAGES", " 页")):
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instr)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)
        paragraph.add_run(after)


def para(doc, text: str = "", *, bold: bool = False, size: float | None = None, align: str = "left",
         indent: bool = False, space_after: float = 0, line: float | None = None, keep_with_next: bool = False):
    """One paragraph with one run: tags typed here stay whole."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.keep_with_next = keep_with_next  # a signature line never sits alone atop a page without its date
    if line:
        fmt.line_spacing = line
    if indent:
        fmt.first_line_indent = Pt((size or 12) * 2)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    return paragraph


def _cell_text(cell, text: str, size: float, bold: bool = False, align: str = "center") -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
    tc_pr = cell._tc.get_or_add_tcPr()
    v_align = OxmlElement("w:vAlign")
    v_align.set(qn("w:val"), "center")
    tc_pr.append(v_align)


def _row_props(row, *, header: bool = False, height_cm: float | None = None) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    if height_cm:
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(int(height_cm * 567)))
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _fixed_widths(grid, widths_cm: list[float]) -> None:
    """Column widths in the grid itself (w:gridCol) with a fixed layout: LibreOffice reads the grid, Word the
    cells; both must agree or an 18-character ID number wraps."""
    tbl = grid._tbl
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(width * 567)))
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def table(doc, headers: list[str], widths_cm: list[float], body: list[str], *, loop: str, size: float = 10.5,
          row_height: float | None = 0.8, after: list[list[str]] | None = None):
    """A table: a repeated header row, one row repeated by `loop` (`t in trainees`), optional closing rows."""
    rows = [headers, [f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1), body,
            ["{%tr endfor %}"] + [""] * (len(headers) - 1)] + (after or [])
    grid = doc.add_table(rows=len(rows), cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _fixed_widths(grid, widths_cm)
    for r, values in enumerate(rows):
        row = grid.rows[r]
        _row_props(row, header=r == 0, height_cm=row_height if r != 1 and r != 3 else None)
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = Cm(widths_cm[c])
            _cell_text(cell, value, size, bold=r == 0)
    return grid


DATE = "{{ %s.year }}年{{ %s.month }}月{{ %s.day }}日"  # 年 月 日 are the form's words; blanks stay blank


def attachment1() -> None:
    """附件1 as the notice prints it: label, title, three header lines, the table, three footer lines."""
    doc = new_document(landscape=True)
    para(doc, "附件1", size=12)
    para(doc, "{{ year }}年安全技能培训人员花名册", bold=True, size=18, align="center", space_after=8)
    para(doc, "单位名称（盖章）：{{ unit_name }}", size=12, space_after=4)
    para(doc, "培训机构：{{ institution }}", size=12, space_after=4)
    para(doc, "第{{ quarter_cn }}季度：共培训{{ total }}人", size=12, space_after=6)
    headers = ["序号", "姓名", "性别", "身份证号", "手机", "专业（工种）", "证书编号", "培训日期", "班期"]
    body = ["{{ t.number }}", "{{ t.name }}", "{{ t.gender }}", "{{ t.id_number }}", "{{ t.phone }}",
            "{{ t.profession }}", "{{ t.certificate_no }}", "{{ t.training_date }}", "{{ t.class_period }}"]
    table(doc, headers, [1.1, 2.2, 1.1, 4.3, 2.6, 3.4, 4.4, 4.2, 2.8], body, loop="t in trainees", size=10)
    para(doc, "", space_after=6)
    para(doc, "填表人：{{ filled_by }}", size=12, space_after=4)
    para(doc, "联系方式：{{ contact_phone }}", size=12, space_after=4)
    para(doc, "填表日期：" + DATE % (("fill_date",) * 3), size=12)
    doc.save(HERE / "attachment1_roster.docx")


# The notice's sample agreement word for word; the blanks are the tags. Nothing is added to what a
# trainee signs: a bureau that wants other wording edits this template in Word (README).
AGREEMENT = ("本期学员（乙方）于{{ start.year }}年{{ start.month }}月{{ start.day }}日至{{ end.month }}月"
             "{{ end.day }}日，参加了由{{ department }}局所辖{{ institution }}（培训机构）组织的{{ class_period }}期"
             "{{ profession }}专业（工种）安全技能培训，经双方协商一致，同意培训结束取得相关证书后，"
             "培训补贴由培训机构代为申领。特此签字确认并承诺本年度内未重复享受同专业（工种）同级别的培训补贴待遇。")


def attachment2() -> None:
    """附件2: the institution, the paragraph and the date above the table, as in the notice's sample, so the
    table never leaves a seal line or a date alone on a page of its own."""
    doc = new_document(landscape=False)
    para(doc, "附件2", size=12)
    para(doc, "代领安全技能培训补贴协议书", bold=True, size=18, align="center", space_after=10)
    para(doc, "培训机构（甲方）：{{ institution }}（盖章）", size=14, space_after=6)
    para(doc, AGREEMENT, size=14, indent=True, align="justify", line=1.4, space_after=6)
    para(doc, DATE % (("date",) * 3), size=14, align="right", space_after=8)
    headers = ["序号", "姓名", "性别", "身份证号码", "手机", "签字（手印或盖章）"]
    body = ["{{ t.number }}", "{{ t.name }}", "{{ t.gender }}", "{{ t.id_number }}", "{{ t.phone }}", ""]
    table(doc, headers, [1.2, 2.3, 1.2, 4.5, 3.0, 3.8], body, loop="t in trainees", size=10.5, row_height=1.1)
    doc.save(HERE / "attachment2_agreement.docx")


# The documents the notice's Attachment 3 cites, with their full titles, word for word.
REPORT_BASIS = ("根据《滨州市人民政府办公室关于印发滨州市职业技能提升行动实施方案（2019—2021年）的通知》"
                "（滨政办发〔2019〕8号）、《滨州市应急管理局 滨州市人力资源和社会保障局 滨州市教育局 滨州市财政局 "
                "滨州市发展和改革委员会关于印发〈高危行业领域安全技能提升行动计划的实施方案〉的通知》（滨应急发〔2020〕5号）、"
                "《关于加强职业培训管理工作的通知》（滨人社办字〔2019〕14号）等文件精神，面向高危行业领域从业人员组织开展"
                "安全技能职业培训，狠抓培训质量，注重培训实效，使培训学员的安全意识、安全技能得到提升。")
REPORT_FIGURES = ("在{{ period.year }}年{{ period.first_month }}月至{{ period.last_month }}月期间，"
                  "共组织安全技能培训{{ trained }}人，培训结束后{{ certified }}人取得培训合格证书或职业资格证书。"
                  "其中：{{ per_profession }}。按照{{ rate }}元/人的补贴标准，"
                  "申请培训补贴{{ amount_capitals }}（¥{{ amount_figures }}）。")


def attachment3() -> None:
    """附件3 as the notice prints it: title, addressee, the cited documents, the figures, the unit and date."""
    doc = new_document(landscape=False)
    para(doc, "安全技能培训补贴申请报告", bold=True, size=18, align="center", space_after=12)
    para(doc, "滨州市人力资源和社会保障局：", size=14, space_after=4)
    para(doc, REPORT_BASIS, size=14, indent=True, align="justify", line=1.5)
    para(doc, REPORT_FIGURES, size=14, indent=True, align="justify", line=1.5, space_after=24)
    para(doc, "{{ institution }}", size=14, align="right", space_after=6, keep_with_next=True)
    para(doc, DATE % (("date",) * 3), size=14, align="right")
    doc.save(HERE / "attachment3_report.docx")


NOTICE = "《关于做好安全技能培训工作的通知》（滨人社字〔2020〕32号）"


def publicity() -> None:
    """公示 of the claims that qualify, for at least the policy's working days (the notice's 二（六）)."""
    doc = new_document(landscape=True)
    para(doc, "{{ year }}年第{{ quarter_cn }}季度安全技能培训补贴人员公示名单", bold=True, size=18, align="center",
         space_after=8)
    para(doc, f"根据{NOTICE}，现将{{{{ institution }}}}申请安全技能培训补贴的{{{{ count }}}}名人员信息予以公示，"
              "公示期为{{ period_start }}至{{ period_end }}（不少于{{ working_days }}个工作日）。"
              "公示期间如有异议，请向{{ bureau }}反映。{{ contact }}", size=12, indent=True, align="justify",
         line=1.4, space_after=6)
    headers = ["序号", "姓名", "身份证号码", "手机", "专业（工种）", "证书编号", "培训机构", "补贴金额（元）"]
    body = ["{{ t.number }}", "{{ t.name }}", "{{ t.id_number }}", "{{ t.phone }}", "{{ t.profession }}",
            "{{ t.certificate_no }}", "{{ institution }}", "{{ t.amount_text }}"]
    table(doc, headers, [1.1, 2.2, 4.3, 2.8, 4.2, 4.7, 4.4, 2.4], body, loop="t in trainees", size=10,
          after=[["合计", "{{ count }}人", "", "", "", "", "", "{{ amount_plain }}"]])
    para(doc, "", space_after=10)
    para(doc, "{{ bureau }}", size=12, align="right", space_after=4, keep_with_next=True)
    para(doc, "{{ fill_date }}", size=12, align="right")
    doc.save(HERE / "publicity_list.docx")


def quarterly() -> None:
    """季报 to the competent department (the notice's 三（三）: 每季度向业务主管部门报送培训工作开展情况):
    addressee, period, per institution and profession trained, certified, claimed and paid, and amounts."""
    doc = new_document(landscape=True)
    para(doc, "{{ year }}年第{{ quarter_cn }}季度安全技能培训工作开展情况季报", bold=True, size=18,
         align="center", space_after=8)
    para(doc, "{{ addressee }}：", size=12, space_after=4)
    para(doc, f"按照{NOTICE}实行季报制度的要求，现将{{{{ year }}}}年第{{{{ quarter_cn }}}}季度"
              "（{{ period_start }}至{{ period_end }}）安全技能培训工作开展情况报送如下："
              "{{ institutions }}家培训机构共培训{{ total.trained }}人，{{ total.certified }}人取得证书；"
              "申领补贴{{ total.claimed }}人，{{ total.claimed_amount }}元；"
              "已拨付{{ total.paid }}人，{{ total.paid_amount }}元。", size=12, indent=True, align="justify", line=1.4,
         space_after=6)
    headers = ["序号", "培训机构", "专业（工种）", "培训人数", "取证人数", "申领补贴人数", "申领金额（元）",
               "已拨付人数", "已拨付金额（元）"]
    body = ["{{ r.number }}", "{{ r.institution }}", "{{ r.profession }}", "{{ r.trained }}", "{{ r.certified }}",
            "{{ r.claimed }}", "{{ r.claimed_amount }}", "{{ r.paid }}", "{{ r.paid_amount }}"]
    total = ["合计", "", "", "{{ total.trained }}", "{{ total.certified }}", "{{ total.claimed }}",
             "{{ total.claimed_amount }}", "{{ total.paid }}", "{{ total.paid_amount }}"]
    table(doc, headers, [1.1, 5.6, 4.6, 2.0, 2.0, 2.4, 3.2, 2.2, 3.2], body, loop="r in rows", size=10,
          after=[total])
    para(doc, "", space_after=10)
    para(doc, "{{ bureau }}", size=12, align="right", space_after=4, keep_with_next=True)
    para(doc, DATE % (("date",) * 3), size=12, align="right")
    doc.save(HERE / "quarterly_report.docx")


BUILDERS = (attachment1, attachment2, attachment3, publicity, quarterly)


def main(argv: list[str]) -> int:
    existing = [p.name for p in HERE.glob("*.docx")]
    if existing and "--force" not in argv:
        print(f"templates exist ({', '.join(sorted(existing))}); they may hold a clerk's edits. Use --force.")
        return 1
    for build in BUILDERS:
        build()
    print("written:", ", ".join(sorted(p.name for p in HERE.glob("*.docx"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
