"""Every document from the fixed data set, through the store, compared with golden files; the data the
documents refuse; what is masked and what is logged."""

import datetime as dt

import pytest
from sqlalchemy import select

from generators import GENERATORS
from generators.base import GenerationError
from generators.workdays import CalendarUnknown
from intake.store.models import AccessLog
from intake.store.registry import get_batch
from tests.generators.conftest import BATCH, bundle_result, save
from tests.generators.golden import check_golden, content
from tests.intake.idgen import make_id


def generate(store, options, kind, subject=BATCH, out=None):
    with store.session() as session:
        files = GENERATORS[kind](options).generate(session, subject, out)
        session.commit()
    return files


@pytest.mark.parametrize("kind", ["attachment1", "attachment2", "attachment3", "publicity"])
def test_batch_documents_match_golden(filled, options, tmp_path, kind):
    files = generate(filled, options, kind, out=tmp_path / "out")
    check_golden(kind, files)


def test_quarterly_matches_golden(filled, options, tmp_path):
    files = generate(filled, options, "quarterly", "2020Q2", tmp_path / "out")
    assert [f.name for f in files] == ["季报_2020Q2.docx", "季报_2020Q2.xlsx"]
    check_golden("quarterly", files)
    # A report to the competent department: no internal batch names, no personal data.
    printed = str([content(f) for f in files])
    assert BATCH not in printed and "2020Q2-" not in printed and "3716" not in printed


def test_file_names_say_what_and_for_whom(filled, options, tmp_path):
    names = {f.name for kind in ("attachment1", "attachment2", "attachment3", "publicity")
             for f in generate(filled, options, kind, out=tmp_path / "out")}
    assert names == {"附件1_花名册_2020Q2-滨州安培.docx", "附件1_花名册_2020Q2-滨州安培.xlsx",
                     "附件2_代领协议书_2020Q2-滨州安培_2020年第3期_低压电工作业.docx",
                     "附件2_代领协议书_2020Q2-滨州安培_2020年第4期_叉车司机.docx",
                     "附件2_代领协议书_2020Q2-滨州安培.xlsx",
                     "附件3_申请报告_2020Q2-滨州安培.docx", "公示名单_2020Q2-滨州安培.docx",
                     "公示名单_2020Q2-滨州安培.xlsx"}


def test_roster_columns_and_full_ids_are_logged(filled, options, tmp_path):
    files = generate(filled, options, "attachment1", out=tmp_path / "out")
    docx, xlsx = (content(f) for f in files)
    header = ["序号", "姓名", "性别", "身份证号", "手机", "专业（工种）", "证书编号", "培训日期", "班期"]
    sheet = xlsx["花名册"]
    top = sheet.index(header)
    assert docx["tables"][0][0] == header and top == 5
    assert docx["tables"][0][1:] == [[str(c) for c in row] for row in sheet[top + 1:-3]]
    assert sheet[top + 1][3] == make_id(1, born="19800307")  # text, all 18 characters
    assert sheet[top + 1][0] == 1  # the row number a number
    # The form's lines around the table, as the document has them.
    assert [r[0] for r in sheet[:top]] == docx["paragraphs"][:top]
    assert [r[0] for r in sheet[-3:]] == docx["paragraphs"][top:]
    with filled.session() as session:
        log = session.scalars(select(AccessLog)).all()
    # Only the 11 listed trainees' numbers were opened (row 4 lacks a signature and is left out).
    assert len(log) == 11 and {e.who for e in log} == {"generator"}
    assert all("附件1" in e.purpose for e in log)


def test_publicity_masks_and_leaves_out_refused_claims(filled, options, tmp_path):
    files = generate(filled, options, "publicity", out=tmp_path / "out")
    docx = content(files[0])
    rows = docx["tables"][0][1:-1]
    assert len(rows) == 11 and "张喆" not in {r[1] for r in rows}  # row 4: missing signature
    for row in rows:
        assert row[2][6:14] == "********" and row[3][3:7] == "****"
    assert rows[0][2] == "371602********001X" and rows[0][3] == "138****0001"
    text = "\n".join(docx["paragraphs"])
    assert "公示期为2020年9月29日至2020年10月13日（不少于5个工作日）" in text
    with filled.session() as session:
        assert session.scalars(select(AccessLog)).all() == []  # nothing full was opened


def test_report_amount_in_capitals_and_figures(filled, options, tmp_path):
    text = "\n".join(content(generate(filled, options, "attachment3", out=tmp_path / "o")[0])["paragraphs"])
    assert "按照1000元/人的补贴标准，申请培训补贴壹万壹仟元整（¥11,000.00）。" in text
    assert "共组织安全技能培训11人，培训结束后11人取得" in text and "其中：低压电工作业6人，叉车司机5人。" in text


def refused(store, options, tmp_path, kind="attachment1", subject=BATCH) -> GenerationError:
    with pytest.raises(GenerationError) as caught:
        generate(store, options, kind, subject, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return caught.value


def test_trainee_without_certificate_number(store, options, tmp_path):
    save(store, tmp_path, bundle_result(t1={"certificate_no": ""}))
    problem = refused(store, options, tmp_path)
    assert problem.problems == ["第2行 李䶮（371602********0025）：缺少证书编号"]


def test_name_with_a_character_the_font_lacks(store, options, tmp_path):
    save(store, tmp_path, bundle_result(t2={"name": "王\U0002A6D6"}))
    (message,) = refused(store, options, tmp_path, "attachment2").problems
    assert message.startswith("第3行 王\U0002A6D6（371602********0030）：姓名中的“\U0002A6D6”(U+2A6D6)")


def test_a_profession_outside_the_catalogue_leaves_that_trainee_out(store, options, tmp_path):
    save(store, tmp_path, bundle_result(t0={"profession": "杂技表演"}))
    with store.session() as session:
        context = GENERATORS["attachment3"](options).context(session, BATCH)
    assert context["trained"] == 10  # rows 1 (the profession) and 4 (the signature) left out
    assert any(n.startswith("第1行 欧阳娜娜（371602********001X）：未列入（不符合申领补贴条件：")
               and "“杂技表演”不在特种作业或特种设备目录内" in n for n in context["notes"])


def test_batch_with_no_trainees_and_unknown_batch(store, options, tmp_path):
    with store.session() as session:
        get_batch(session, "空批次", quarter="2020Q2")
        session.commit()
    empty = refused(store, options, tmp_path, subject="空批次")
    assert empty.problems == ["批次中没有学员"]
    assert refused(store, options, tmp_path, subject="没有").problems == ["没有这个批次"]
    assert "没有任何批次" in refused(store, options, tmp_path, "quarterly", "2019Q1").problems[0]


def test_messages_never_carry_a_full_id(store, options, tmp_path):
    save(store, tmp_path, bundle_result(t0={"certificate_no": ""}))
    problem = refused(store, options, tmp_path)
    assert "缺少证书编号" in str(problem) and make_id(1, born="19800307") not in str(problem)
    with store.session() as session:
        assert session.scalars(select(AccessLog)).all() == []  # the refused run logged nothing committed


def test_publicity_refuses_an_unknown_year(filled, options, tmp_path):
    options.publicity_start = dt.date(2027, 3, 1)
    assert isinstance(refused(filled, options, tmp_path, "publicity"), CalendarUnknown)
