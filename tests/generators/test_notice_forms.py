"""The generated documents held against the notice's forms (docs/notice.md, 滨人社字〔2020〕32号): the words
outside the blanks identical, line for line, the table headers identical, the cited documents exactly the
notice's.

Each form below is the notice's text with its blanks marked `{…}`, the braces holding how the notice
prints that blank (XXXX, xx, ___ or nothing). The first test proves the marking changed no word of the
notice; the others match the generated text against the form with every blank open. Compared without
white space (the published text is spaced by its extraction) and with ASCII brackets, colons and commas
read as the full-width ones a Chinese document uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generators import GENERATORS
from tests.generators.conftest import BATCH
from tests.generators.golden import content

NOTICE = Path(__file__).resolve().parents[2] / "docs" / "notice.md"
BLANK = re.compile(r"\{([^{}]*)\}")
LINE = "¶"  # the forms' lines are the documents' paragraphs
WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；"})

FORMS = {
    "attachment1": [
        "附件1",
        "{2020}年安全技能培训人员花名册",
        "单位名称（盖章）：{}",
        "培训机构：{}",
        "第{}季度：共培训{}人",
        "填表人：{}",
        "联系方式：{}",
        "填表日期：{}",
    ],
    "attachment2": [
        "附件2",
        # The sample's mark: a filled agreement is the agreement itself, not a sample (README).
        "代领安全技能培训补贴协议书{（样本）}",
        "培训机构（甲方）：{XXXXXXXXXXXXX}（盖章）",
        "本期学员（乙方）于{XXXX}年{XX}月{XX}日至{XX}月{XX}日，参加了由{_____}局所辖{_____}（培训机构）组织的"
        "{_____}期{_____}专业（工种）安全技能培训，经双方协商一致，同意培训结束取得相关证书后，培训补贴由培训机构"
        "代为申领。特此签字确认并承诺本年度内未重复享受同专业（工种）同级别的培训补贴待遇。",
        "{XXXX}年{XX}月{XX}日",
    ],
    "attachment3": [
        "安全技能培训补贴申请报告",
        "滨州市人力资源和社会保障局：",
        "根据《滨州市人民政府办公室关于印发滨州市职业技能提升行动实施方案（2019—2021年）的通知》（滨政办发〔2019〕8号）、"
        "《滨州市应急管理局 滨州市人力资源和社会保障局 滨州市教育局 滨州市财政局 滨州市发展和改革委员会关于印发"
        "〈高危行业领域安全技能提升行动计划的实施方案〉的通知》（滨应急发〔2020〕5号）、《关于加强职业培训管理工作的通知》"
        "（滨人社办字〔2019〕14号）等文件精神，面向高危行业领域从业人员组织开展安全技能职业培训，狠抓培训质量，"
        "注重培训实效，使培训学员的安全意识、安全技能得到提升。",
        "在{xx}年{xx}月至{xx}月期间，共组织安全技能培训{xx}人，培训结束后{xx}人取得培训合格证书或职业资格证书。"
        "其中：{A工种（专业）xx人，B工种（专业）xx人，C工种（专业）xx人，…}。按照{1000}元/人的补贴标准，"
        "申请培训补贴{xx万xx仟整}（¥{xxx.00}）。",
        "{XXXXXXXXXX单位}",
        "{}年{}月{}日",
    ],
}
HEADERS = {
    "attachment1": ["序号", "姓名", "性别", "身份证号", "手机", "专业（工种）", "证书编号", "培训日期", "班期"],
    "attachment2": ["序号", "姓名", "性别", "身份证号码", "手机", "签字（手印或盖章）"],
}


def norm(text: str) -> str:
    flat = re.sub(r"\s+", "", text.replace("\\_", "_").replace("## ", "")).translate(WIDTH)
    return re.sub(r"(?<!\d),|,(?!\d)", "，", flat)  # 11,000.00 keeps its comma


def notice_sections() -> dict[str, list[str]]:
    """The notice's three forms, line by line, from the published text."""
    lines = [line.strip(" ") for line in NOTICE.read_text(encoding="utf-8").splitlines()]  # tabs are columns
    one, two = lines.index("附件 1"), lines.index("附件 2")
    three = lines.index("## 安全技能培训补贴申请报告")
    return {"attachment1": lines[one:two], "attachment2": lines[two:three], "attachment3": lines[three:]}


def outside_tables(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip() and "\t" not in line and line != "."]


def table_header(lines: list[str]) -> list[str]:
    return next(line.split("\t") for line in lines if "\t" in line)


def as_printed(form: list[str]) -> str:
    """The form with each blank as the notice prints it."""
    return LINE.join(norm(BLANK.sub(lambda m: m.group(1), line)) for line in form)


def pattern(form: list[str]) -> re.Pattern:
    """The form with every blank open; the words between blanks as they are."""
    lines = []
    for line in form:
        pieces = BLANK.split(line)  # literal, blank, literal, ...
        lines.append("".join(re.escape(norm(p)) if i % 2 == 0 else "([^¶]*?)" for i, p in enumerate(pieces)))
    return re.compile(re.escape(LINE).join(lines))


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_the_forms_here_are_the_notice_word_for_word(kind):
    section = notice_sections()[kind]
    assert as_printed(FORMS[kind]) == LINE.join(norm(line) for line in outside_tables(section))
    if kind in HEADERS:
        assert [norm(h) for h in table_header(section)] == HEADERS[kind]


def generate(store, options, kind, out):
    with store.session() as session:
        files = GENERATORS[kind](options).generate(session, BATCH, out)
        session.commit()
    return [content(f) for f in files if f.suffix == ".docx"]


def blanks(document: dict, kind: str) -> tuple[str, ...]:
    """The generated text's fill of each blank; fails unless every word outside the blanks is the notice's."""
    text = LINE.join(norm(p) for p in document["paragraphs"])
    found = pattern(FORMS[kind]).fullmatch(text)
    assert found, f"{kind}: the text differs from the notice's form outside its blanks:\n{text}"
    return found.groups()


def test_roster_is_the_notices_form(filled, options, tmp_path):
    (roster,) = generate(filled, options, "attachment1", tmp_path / "out")
    assert blanks(roster, "attachment1") == ("2020", "滨州宏达化工有限公司", "滨州市安全技术培训中心", "二", "11",
                                             "王芳", "0543-3161234", "2020年6月1日")
    assert roster["tables"][0][0] == HEADERS["attachment1"]


def test_agreements_are_the_notices_form_with_nothing_added(filled, options, tmp_path):
    electric, forklift = generate(filled, options, "attachment2", tmp_path / "out")
    institution = "滨州市安全技术培训中心"
    assert blanks(electric, "attachment2") == ("", institution, "2020", "5", "6", "5", "20", "滨州市应急管理",
                                               institution, "2020年第3", "低压电工作业", "", "", "")
    assert blanks(forklift, "attachment2")[7:11] == ("滨州市行政审批服务", institution, "2020年第4", "叉车司机")
    for agreement in (electric, forklift):
        assert agreement["tables"][0][0] == HEADERS["attachment2"]
        assert all(row[5] == "" for row in agreement["tables"][0][1:])  # signed by hand


def test_report_is_the_notices_form(filled, options, tmp_path):
    (report,) = generate(filled, options, "attachment3", tmp_path / "out")
    assert blanks(report, "attachment3") == ("2020", "5", "5", "11", "11", "低压电工作业6人，叉车司机5人", "1000",
                                             "壹万壹仟元整", "11,000.00", "滨州市安全技术培训中心", "2020", "6", "1")
    assert report["tables"] == []


CITED = re.compile(r"《[^》]+》（[^）]+号）")


def test_the_report_cites_exactly_the_notices_documents(filled, options, tmp_path):
    (report,) = generate(filled, options, "attachment3", tmp_path / "out")
    cited = CITED.findall(norm("".join(report["paragraphs"])))
    expected = CITED.findall(norm("".join(notice_sections()["attachment3"])))
    assert len(expected) == 3 and cited == expected
    body = norm(NOTICE.read_text(encoding="utf-8"))
    for number in ("滨政办发〔2019〕8号", "滨应急发〔2020〕5号", "滨人社办字〔2019〕14号"):
        assert sum(number in c for c in cited) == 1 and number in body


def test_a_changed_word_is_caught():
    form = FORMS["attachment2"]
    good = LINE.join(norm(BLANK.sub("", line)) for line in form)
    assert pattern(form).fullmatch(good)
    assert not pattern(form).fullmatch(good.replace("经双方协商一致，", ""))
    assert not pattern(form).fullmatch(good.replace("特此签字确认", "特此签字确认，乙方同意补贴抵扣培训费"))


@pytest.mark.parametrize("kind", ["publicity", "quarterly"])
def test_publicity_and_quarterly_report_name_the_notice_as_it_is_titled(filled, options, tmp_path, kind):
    with filled.session() as session:
        files = GENERATORS[kind](options).generate(session, "2020Q2" if kind == "quarterly" else BATCH,
                                                   tmp_path / "out")
    text = "".join(content(files[0])["paragraphs"])
    title = next(line for line in NOTICE.read_text(encoding="utf-8").splitlines() if line.startswith("## 关于"))
    assert f"《{title[3:]}》（滨人社字〔2020〕32号）" in text
