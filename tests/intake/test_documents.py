"""Pages assembled into documents by continuity, not by a title on each page."""

from __future__ import annotations

from intake.documents import split_documents
from intake.page_kinds import classify
from intake.rows import table_rows
from ocr.grid import Grid
from tests.intake.readings import ROSTER_HEADER, reading, table, words

ID = "11010519491231002X"


def roster_rows(first: int, n: int) -> list[list[str]]:
    return [[str(first + i), f"张{i}", "女", ID, "13812345678", "低压电工", "", "", ""] for i in range(n)]


def test_a_second_page_that_repeats_the_title_with_running_numbers_joins_the_first():
    title = words("2020年安全技能培训人员花名册")
    pages = [reading(1, title, table(roster_rows(1, 3), ROSTER_HEADER)),
             reading(2, title, table(roster_rows(4, 2), ROSTER_HEADER))]
    documents, kinds = split_documents(pages, [classify(p) for p in pages])
    assert [d.kind for d in documents] == ["roster"] and kinds == ["roster", "roster"]
    assert len(table_rows(documents[0])) == 5


def test_numbers_starting_again_open_a_new_document():
    title = words("2020年安全技能培训人员花名册")
    pages = [reading(1, title, table(roster_rows(1, 3), ROSTER_HEADER)),
             reading(2, title, table(roster_rows(1, 2), ROSTER_HEADER))]
    documents, _ = split_documents(pages, [classify(p) for p in pages])
    assert len(documents) == 2


def test_a_headerless_continuation_with_a_lost_rule_keeps_its_columns_by_position():
    first = reading(1, words("2020年安全技能培训人员花名册"), table(roster_rows(1, 2), ROSTER_HEADER))
    # The same form with the rule between 手机 and 专业 lost: one column fewer, the others where they were.
    rest = table(roster_rows(3, 2))
    xs = list(first.table.grid.xs)
    merged = xs[:5] + xs[6:]
    rest.grid = Grid(tuple(merged), rest.grid.ys)
    rest.rows = [row[:4] + [row[4]] + row[6:] for row in rest.rows]
    second = reading(2, [], rest)
    documents, kinds = split_documents([first, second], [classify(first), classify(second)])
    assert kinds == ["roster", "roster"]
    rows = table_rows(documents[0])
    assert [r.raw("name") for r in rows] == ["张0", "张1", "张0", "张1"]
    assert rows[2].raw("id_number") == ID


def test_a_page_of_no_notice_form_is_unknown_with_its_reason():
    page = reading(1, words("2020年度财务报告", "资产负债表", "单位：元"))
    kind = classify(page)
    assert kind.kind == "unknown" and "财务报告" in kind.reason


def test_a_continuation_scanned_after_the_agreement_finds_its_roster_by_what_its_cells_hold():
    roster_header = ["序号", "姓名", "性别", "身份证号", "手机", "专业（工种）"]
    agreement_header = ["序号", "姓名", "性别", "身份证号码", "手机", "签字（手印或盖章）"]
    rows = [[str(i), f"张{i}", "女", ID, "13812345678", "低压电工作业"] for i in range(1, 3)]
    signed = [[str(i), f"张{i}", "女", ID, "13812345678", ""] for i in range(1, 3)]
    pages = [reading(1, words("2020年安全技能培训人员花名册"), table(rows, roster_header)),
             reading(2, words("代领安全技能培训补贴协议书"), table(signed, agreement_header)),
             reading(3, [], table([[str(i), f"李{i}", "男", ID, "13812345678", "低压电工作业"] for i in (3, 4)]))]
    documents, kinds = split_documents(pages, [classify(p) for p in pages])
    assert kinds == ["roster", "agreement", "roster"]


def test_an_agreements_second_page_scanned_before_its_first_goes_to_the_agreement_not_the_roster_before_it():
    roster_header = ["序号", "姓名", "身份证号", "手机", "专业（工种）", "证书编号", "班期", "培训日期"]
    agreement_header = ["序号", "姓名", "性别", "身份证号码", "手机", "签字（手印或盖章）"]
    roster = [[str(i), f"张{i}", ID, "13812345678", "低压电工作业", "T" + ID, "2020年第9期", "2020.8.4-8.23"]
              for i in range(1, 3)]
    signed = [[str(i), f"张{i}", "女", ID, "13812345678", ""] for i in range(1, 5)]
    pages = [reading(1, words("2020年安全技能培训人员花名册"), table(roster, roster_header)),
             reading(2, [], table(signed[2:])),  # the agreement's second page, scanned early
             reading(3, words("代领安全技能培训补贴协议书"), table(signed[:2], agreement_header))]
    documents, kinds = split_documents(pages, [classify(p) for p in pages])
    assert kinds == ["roster", "agreement", "agreement"]
    assert [d.page_numbers for d in documents] == [[1], [3, 2]]


def test_pages_shuffled_so_continuations_come_before_any_first_page_join_their_documents_in_row_order():
    # Bundle seed 1023: three rows a page, the roster's first page scanned last but one, the agreement's in
    # the middle; its pages before that became `unknown` documents of their own, one with a column more.
    agreement_header = ["序号", "姓名", "手机", "身份证号码", "性别", "签字或手印"]
    signed = [[str(i), f"张{i}", "13812345678", ID, "女", f"张{i}"] for i in range(1, 10)]
    roster = [[str(i), f"张{i}", "女", ID, "13812345678", "低压电工作业", "T" + ID, "2020.8.4-8.23", "9期"]
              for i in range(1, 10)]
    wider = table([row[:5] + [""] + row[5:] for row in signed[6:9]])  # a speck made a seventh, empty column
    pages = [reading(1, [], table(roster[6:9])),
             reading(2, [], table(signed[3:6])),
             reading(3, [], wider),
             reading(4, words("代领安全技能培训补贴协议书"), table(signed[:3], agreement_header)),
             reading(5, [], table(roster[3:6])),
             reading(6, words("2020年安全技能培训人员花名册"), table(roster[:3], ROSTER_HEADER))]
    documents, kinds = split_documents(pages, [classify(p) for p in pages])
    assert kinds == ["roster", "agreement", "agreement", "agreement", "roster", "roster"]
    assert [(d.kind, d.page_numbers) for d in documents] == [("agreement", [4, 2, 3]), ("roster", [6, 5, 1])]
    assert [r.raw("id_number") for r in table_rows(documents[0])] == [ID] * 9


def test_a_page_repeating_the_header_scanned_before_the_titled_page_joins_it_though_a_rule_was_lost():
    # Bundle seed 1039: the roster's second page (header repeated, no title) was scanned first, its titled
    # page a phone photo that lost a rule; two roster documents, the second page's one "without a seal".
    roster = roster_rows(1, 5)
    first = table(roster[:3], ROSTER_HEADER)
    merged = list(first.grid.xs)
    first.grid = Grid(tuple(merged[:8] + merged[9:]), first.grid.ys)
    first.header = ROSTER_HEADER[:7] + ["培训日期班期"]
    first.columns = {k: v for k, v in first.columns.items() if k != "class_period"}
    first.rows = [row[:8] for row in first.rows]
    pages = [reading(1, [], table(roster[3:], ROSTER_HEADER)),
             reading(2, words("2020年安全技能培训人员花名册"), first)]
    documents, kinds = split_documents(pages, [classify(p) for p in pages])
    assert kinds == ["roster", "roster"]
    assert [d.page_numbers for d in documents] == [[2, 1]]


def test_a_continuation_ruled_round_groups_of_columns_gives_each_field_its_part_of_the_cell():
    # Bundle seed 1022's agreement page 3: 序号 姓名 性别 one ruled cell, 手机 身份证号 another; the ID was
    # in no cell alone, so the page was no table of trainees and became `unknown`, its signatures missing.
    header = ["序号", "姓名", "性别", "手机", "身份证号码", "签字（手印）"]
    first = reading(1, words("代领安全技能培训补贴协议书"), table([["10", "张三", "男", "13812345678", ID, ""]],
                                                                header))
    rest = table([["11薛阳男", "15128002231" + ID, ""], ["12 周 晓 男", "15521236169" + ID, ""]])
    rest.grid = Grid((100, 550, 850, 1000), rest.grid.ys)
    second = reading(2, [], rest)
    documents, kinds = split_documents([first, second], [classify(first), classify(second)])
    assert kinds == ["agreement", "agreement"]
    rows = table_rows(documents[0])
    assert [(r.raw("seq"), r.raw("name"), r.raw("gender"), r.raw("phone"), r.raw("id_number")) for r in rows[1:]] \
        == [("11", "薛阳", "男", "15128002231", ID), ("12", "周 晓", "男", "15521236169", ID)]


def test_a_table_holds_trainees_by_an_unlabelled_id_not_by_any_long_run_of_digits():
    # A sheet of cards' outlines read as a grid (bundle seed 1009's page 13) had runs of digits from the
    # cards' background; taken for trainees, the sheet became an unknown continuation page.
    assert table([["1", "张三", ID]]).holds_trainees()
    assert table([["11薛阳男", "15128002231" + ID]]).holds_trainees()
    assert not table([["证件编号" + ID, "T" + ID]]).holds_trainees()
    assert not table([["29185371625197309226152", "15470460521375800336105030180"]]).holds_trainees()
    # A card's line whose label was misread (证品 for 证号) stands alone in its row of the outlines' grid.
    assert not table([["", "证品371626196709286990", ""], ["", "作业类别 电工作业", ""]]).holds_trainees()
    # A phone run onto an ID misread three digits short (bundle seed 1030's page 4) is still a trainee's.
    assert table([["5 王晨浩 18562777334 372319203076590", "男", "王晨浩"]]).holds_trainees()


def test_a_continuation_whose_cells_read_as_nobody_joins_the_one_roster_its_footer_names():
    # Bundle seed 1008's roster page 5: two trainees' lines read run together, no ID in any cell; it became a
    # roster of its own, "without a seal", and every trainee was flagged missing_stamp.
    first = reading(1, words("2020年安全技能培训人员花名册"), table(roster_rows(1, 3), ROSTER_HEADER))
    ids, phones = "371626199703096099372324198106066729", "1394172160613711747141"
    run = [["1314", "李瑞黎秀琳", "男女", ids, phones, "烟花爆竹产品涉药作业", "", "", ""]]
    last = reading(2, words("填表人：张三", "填表日期：2020-03-31", top=900), table(run))
    documents, kinds = split_documents([first, last], [classify(first), classify(last)])
    assert kinds == ["roster", "roster"] and [d.page_numbers for d in documents] == [[1, 2]]
