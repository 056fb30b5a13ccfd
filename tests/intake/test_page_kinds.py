from intake.documents import split_documents
from intake.page_kinds import classify
from tests.intake.readings import AGREEMENT_HEADER, ROSTER_HEADER, reading, table, words

ROW = ["1", "张三", "男", "37160219900307123X", "13812345678", "低压电工作业", "T37160219900307123X",
       "2020.05.06-2020.05.20", "2020年第15期"]
AROW = ROW[:5] + [""]


def test_title_decides():
    assert classify(reading(1, words("2020年安全技能培训人员花名册"), table([ROW], ROSTER_HEADER))).kind == "roster"
    assert classify(reading(1, words("代领安全技能培训补贴协议书", "甲方：某某学校"))).kind == "agreement"
    assert classify(reading(1, words("安全技能培训补贴申请报告", "附件：花名册"))).kind == "report"


def test_certificate_by_its_words():
    page = reading(1, words("姓名 张三", "作业类别 电工作业", "准操项目 低压电工作业", "初领日期 2020-06-01"))
    assert classify(page).kind == "certificate"


def test_header_row_decides_without_title():
    kind = classify(reading(2, [], table([AROW], AGREEMENT_HEADER)))
    assert kind.kind == "agreement" and not kind.starts_document


def test_headerless_table_continues_the_document_with_the_same_columns():
    pages = [reading(1, words("2020年安全技能培训人员花名册"), table([ROW], ROSTER_HEADER)),
             reading(2, words("代领安全技能培训补贴协议书"), table([AROW], AGREEMENT_HEADER)),
             reading(3, [], table([ROW])),
             reading(4, [], table([AROW]))]
    docs, kinds = split_documents(pages, [classify(p) for p in pages])
    assert kinds == ["roster", "agreement", "roster", "agreement"]
    assert [(d.kind, d.page_numbers) for d in docs] == [("roster", [1, 3]), ("agreement", [2, 4])]


def test_each_certificate_page_is_its_own_document():
    cert = words("特种作业操作证", "准操项目 低压电工作业")
    pages = [reading(1, cert), reading(2, cert)]
    docs, _ = split_documents(pages, [classify(p) for p in pages])
    assert [d.page_numbers for d in docs] == [[1], [2]]


def test_blank_page_is_unknown():
    assert classify(reading(1, [])).kind == "unknown"


def test_a_continuation_whose_footer_names_its_kind_still_continues():
    footer = words("填表人：王明  联系方式：13812345678", "填表日期：2020年9月1日", top=1400)
    pages = [reading(1, words("2020年安全技能培训人员花名册"), table([ROW], ROSTER_HEADER)),
             reading(2, footer, table([ROW]))]
    docs, kinds = split_documents(pages, [classify(p) for p in pages])
    assert [(d.kind, d.page_numbers) for d in docs] == [("roster", [1, 2])]


def test_a_headerless_table_alone_takes_the_kind_its_words_suggest():
    footer = words("填表人：王明", "填表日期：2020年9月1日", top=1400)
    docs, kinds = split_documents([reading(1, footer, table([ROW]))], [classify(reading(1, footer, table([ROW])))])
    assert kinds == ["roster"]


def test_report_titled_by_what_it_asks_for():
    page = reading(1, words("关于申请2020年第2季度安全技能培训补贴的报告", "滨州市人力资源和社会保障局：",
                            "共培训7人，取得特种作业操作证7人"))
    assert classify(page).kind == "report"


def test_a_nameless_continuation_scanned_before_its_first_page_joins_it():
    pages = [reading(1, [], table([AROW])),
             reading(2, words("2020年安全技能培训人员花名册"), table([ROW], ROSTER_HEADER)),
             reading(3, words("代领安全技能培训补贴协议书"), table([AROW], AGREEMENT_HEADER))]
    docs, kinds = split_documents(pages, [classify(p) for p in pages])
    assert kinds == ["agreement", "roster", "agreement"]
    assert [(d.kind, d.page_numbers) for d in docs] == [("roster", [2]), ("agreement", [3, 1])]
