"""How the .docx templates in this folder were first made (python-docx); kept to document them.

The .docx files are the source: a clerk edits them in Word or LibreOffice, and running this script again
overwrites such edits (it asks for --force). What it sets up, and what an edited template must keep:

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


def attachment1() -> None:
    doc = new_document(landscape=True)
    para(doc, "附件1", size=12)
    para(doc, "{{ year }}年安全技能培训人员花名册", bold=True, size=18, align="center", space_after=8)
    para(doc, "单位名称（盖章）：{{ unit_name }}", size=12, space_after=4)
    para(doc, "培训机构：{{ institution }}        第{{ quarter_cn }}季度：共培训{{ total }}人", size=12,
         space_after=6)
    headers = ["序号", "姓名", "性别", "身份证号", "手机", "专业（工种）", "证书编号", "培训日期", "班期"]
    body = ["{{ t.number }}", "{{ t.name }}", "{{ t.gender }}", "{{ t.id_number }}", "{{ t.phone }}",
            "{{ t.profession }}", "{{ t.certificate_no }}", "{{ t.training_date }}", "{{ t.class_period }}"]
    table(doc, headers, [1.1, 2.2, 1.1, 4.3, 2.6, 3.4, 4.4, 4.2, 2.8], body, loop="t in trainees", size=10)
    para(doc, "", space_after=6)
    para(doc, "填表人：{{ filled_by }}            联系方式：{{ contact_phone }}            填表日期：{{ fill_date }}",
         size=12)
    doc.save(HERE / "attachment1_roster.docx")


PROMISE = ("乙方于{{ start }}至{{ end }}参加甲方组织的{{ profession }}安全技能培训（班期：{{ class_period }}），"
           "经考核合格并取得相应证书。乙方自愿委托甲方向{{ bureau }}代为申领安全技能培训补贴，"
           "补贴资金直接拨付至甲方账户，用于抵扣乙方培训费用。乙方承诺：本年度内未享受过同一职业（工种）"
           "同一等级的培训补贴，所提供的身份证件、证书等材料真实有效，如有虚假，自愿承担相应责任。")


def attachment2() -> None:
    doc = new_document(landscape=False)
    para(doc, "附件2", size=12)
    para(doc, "代领安全技能培训补贴协议书", bold=True, size=18, align="center", space_after=10)
    para(doc, "甲方（培训机构）：{{ institution }}", size=14, space_after=4)
    para(doc, "乙方：参加培训并签字（按手印）的下列学员", size=14, space_after=4)
    para(doc, PROMISE, size=14, indent=True, align="justify", line=1.4, space_after=8)
    headers = ["序号", "姓名", "性别", "身份证号码", "手机", "签字（手印或盖章）"]
    body = ["{{ t.number }}", "{{ t.name }}", "{{ t.gender }}", "{{ t.id_number }}", "{{ t.phone }}", ""]
    table(doc, headers, [1.2, 2.3, 1.2, 4.5, 3.0, 3.8], body, loop="t in trainees", size=10.5, row_height=1.1)
    para(doc, "", space_after=10)
    para(doc, "甲方（盖章）：{{ institution }}", size=14, align="right", space_after=6, keep_with_next=True)
    para(doc, "{{ fill_date }}", size=14, align="right")
    doc.save(HERE / "attachment2_agreement.docx")


def attachment3() -> None:
    doc = new_document(landscape=False)
    para(doc, "附件3", size=12)
    para(doc, "关于申请{{ year }}年第{{ quarter_cn }}季度安全技能培训补贴的报告", bold=True, size=18,
         align="center", space_after=12)
    para(doc, "{{ bureau }}：", size=14, space_after=4)
    para(doc, "根据{{ cited_documents }}文件精神，我单位于{{ start }}至{{ end }}组织开展了企业职工安全技能培训，"
              "{{ year }}年第{{ quarter_cn }}季度共培训{{ trained }}人，取得{{ certificate_names }}{{ certified }}人。"
              "其中{{ per_profession_text }}。", size=14, indent=True, align="justify", line=1.5)
    para(doc, "", space_after=4)
    headers = ["专业（工种）", "培训人数", "取证人数", "补贴金额（元）"]
    body = ["{{ p.profession }}", "{{ p.trained }}", "{{ p.certified }}", "{{ p.amount }}"]
    table(doc, headers, [6.0, 2.8, 2.8, 4.4], body, loop="p in professions", size=12,
          after=[["合计", "{{ trained }}", "{{ certified }}", "{{ amount_plain }}"]])
    para(doc, "", space_after=4)
    para(doc, "按照每人{{ rate_figures }}的补贴标准，申请培训补贴资金共计{{ amount_figures }}"
              "（大写：人民币{{ amount_capitals }}）。", size=14, indent=True, align="justify", line=1.5)
    para(doc, "妥否，请批示。", size=14, indent=True, line=1.5, space_after=24)
    para(doc, "{{ institution }}（盖章）", size=14, align="right", space_after=6, keep_with_next=True)
    para(doc, "{{ fill_date }}", size=14, align="right")
    doc.save(HERE / "attachment3_report.docx")


def publicity() -> None:
    doc = new_document(landscape=True)
    para(doc, "{{ year }}年第{{ quarter_cn }}季度安全技能培训补贴人员公示名单", bold=True, size=18, align="center",
         space_after=8)
    para(doc, "根据安全技能培训补贴政策规定，现将{{ institution }}申请安全技能培训补贴的{{ count }}名人员名单予以公示，"
              "公示期为{{ period_start }}至{{ period_end }}（不少于{{ working_days }}个工作日）。"
              "公示期间，如有异议，请向{{ bureau }}反映。{{ contact }}", size=12, indent=True, align="justify",
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
    doc = new_document(landscape=True)
    para(doc, "{{ year }}年第{{ quarter_cn }}季度企业职工安全技能培训补贴情况季报", bold=True, size=18,
         align="center", space_after=8)
    para(doc, "填报单位：{{ bureau }}            统计批次：{{ batches }}", size=12, space_after=6)
    headers = ["序号", "培训机构", "专业（工种）", "培训人数", "取证人数", "申领人数", "审核通过人数", "已拨付人数",
               "申领金额（元）", "核准金额（元）", "已拨付金额（元）"]
    body = ["{{ r.number }}", "{{ r.institution }}", "{{ r.profession }}", "{{ r.trained }}", "{{ r.certified }}",
            "{{ r.claimed }}", "{{ r.approved }}", "{{ r.paid }}", "{{ r.claimed_amount }}",
            "{{ r.approved_amount }}", "{{ r.paid_amount }}"]
    total = ["合计", "", "", "{{ total.trained }}", "{{ total.certified }}", "{{ total.claimed }}",
             "{{ total.approved }}", "{{ total.paid }}", "{{ total.claimed_amount }}", "{{ total.approved_amount }}",
             "{{ total.paid_amount }}"]
    table(doc, headers, [1.1, 4.4, 3.8, 1.7, 1.7, 1.7, 2.0, 2.0, 2.6, 2.6, 2.5], body, loop="r in rows", size=10,
          after=[total])
    para(doc, "", space_after=10)
    para(doc, "填表人：            联系方式：            填表日期：{{ fill_date }}", size=12)
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
