from dataclasses import replace

from intake.certificates import read_certificates
from intake.documents import Document
from intake.trainees import assemble_trainees
from tests.intake.readings import AGREEMENT_HEADER, ROSTER_HEADER, reading, table, words

ID = "11010519491231002X"
OTHER = "110105194912310011"


def roster_row(seq: str, name: str, id_number: str, gender: str = "女") -> list[str]:
    return [seq, name, gender, id_number, "13812345678", "低压电工", "T" + id_number, "8月8日-8月23日", "2020年第15期"]


def documents(agreement_rows: list[list[str]]) -> list[Document]:
    roster = Document("roster", [reading(1, words("2020年安全技能培训人员花名册"),
                                         table([roster_row("1", "张三", ID), roster_row("2", "李四", OTHER, "男")],
                                               ROSTER_HEADER))])
    agreement = Document("agreement", [reading(2, words("代领安全技能培训补贴协议书"),
                                               table(agreement_rows, AGREEMENT_HEADER))])
    return [agreement, roster]  # scanned out of order: the roster still leads


def test_roster_rows_lead_and_agreement_rows_join_them():
    trainees = assemble_trainees(documents([["1", "张三", "女", ID, "13812345678", ""],
                                            ["2", "李四", "男", OTHER, "13812345678", ""]])).trainees
    assert [(t.name, t.id_number) for t in trainees] == [("张三", ID), ("李四", OTHER)]
    assert trainees[0].profession == "低压电工作业" and trainees[0].training_date == "2020-08-08/2020-08-23"
    assert all(t.flags == [] for t in trainees)
    assert {e.document for e in trainees[0].evidence} == {"roster", "agreement"}


def test_a_name_that_differs_on_the_agreement_is_a_mismatch():
    trainees = assemble_trainees(documents([["1", "张叁", "女", ID, "13812345678", ""]])).trainees
    assert trainees[0].name == "张三" and "field_mismatch" in trainees[0].flags


def test_a_misprinted_id_on_the_agreement_is_a_mismatch_even_when_the_check_repairs_it():
    misprinted = ID[:7] + "1" + ID[8:]  # birth year 1149: one candidate passes, the printed one
    trainees = assemble_trainees(documents([["1", "张三", "女", misprinted, "13812345678", ""]])).trainees
    assert len(trainees) == 2 and trainees[0].id_number == ID
    assert "field_mismatch" in trainees[0].flags and "invalid_id_number" not in trainees[0].flags


def test_a_trainee_listed_twice_is_flagged_on_both_rows():
    roster = Document("roster", [reading(1, [], table([roster_row("1", "张三", ID), roster_row("2", "张三", ID)],
                                                      ROSTER_HEADER))])
    trainees = assemble_trainees([roster]).trainees
    assert [t.flags for t in trainees] == [["duplicate_in_bundle"], ["duplicate_in_bundle"]]


def test_one_agreement_witness_does_not_override_the_roster_and_card_that_agree():
    roster = Document("roster", [reading(1, [], table([roster_row("1", "张三", ID)], ROSTER_HEADER))])
    agreement = Document("agreement", [reading(2, [], table([["1", "张三", "女", OTHER, "13812345678", ""]],
                                                            AGREEMENT_HEADER))])
    card_lines = words("特种作业操作证", f"证号 T{ID}", "姓名 张三", "准操项目 低压电工作业")
    card = Document("certificate", [reading(3, card_lines)])
    trainees = assemble_trainees([roster, agreement, card], read_certificates(card)).trainees
    assert trainees[0].id_number == ID


def test_a_card_whose_name_and_id_belong_to_two_people_is_attached_to_neither():
    third = "371602199003071213"
    rows = [roster_row("1", "张三", ID), roster_row("2", "李四", third, "男")]
    roster = Document("roster", [reading(1, [], table(rows, ROSTER_HEADER))])
    card = Document("certificate", [reading(3, words("特种作业操作证", f"证号 T{third}", "姓名 张三"))])
    assembly = assemble_trainees([roster], read_certificates(card))
    assert [t.id_number for t in assembly.trainees] == [ID, third]
    assert [t.certificate_copy for t in assembly.trainees] == [False, False]
    assert len(assembly.unmatched_cards) == 1


def test_a_gender_glued_to_the_name_is_split_off():
    header = ["序号", "姓名", "身份证号", "手机", "专业（工种）", "证书编号", "培训日期", "班期"]
    row = ["1", "陈杰强男", OTHER, "13812345678", "低压电工", "T" + OTHER, "8月8日-8月23日", "2020年第15期"]
    (t,) = assemble_trainees([Document("roster", [reading(1, [], table([row], header))])]).trainees
    assert (t.name, t.gender) == ("陈杰强", "男")


def test_a_roster_trainee_missing_from_the_agreement_has_not_signed():
    trainees = assemble_trainees(documents([["1", "张三", "女", ID, "13812345678", ""]])).trainees
    assert trainees[1].signed is False and "missing_signature" in trainees[1].flags


def _agreement_with(number: str, confidence: float) -> list[Document]:
    docs = documents([["1", "张三", "女", number, "13812345678", ""]])
    tbl = docs[0].pages[0].table
    tbl.rows[0] = [replace(c, confidence=confidence) for c in tbl.rows[0]]
    return docs


def test_an_invalid_id_printed_clearly_on_the_agreement_is_a_mismatch():
    typo = ID[:9] + str((int(ID[9]) + 1) % 10) + ID[10:]
    (first, _) = assemble_trainees(_agreement_with(typo, 0.98)).trainees
    assert first.id_number == ID and "field_mismatch" in first.flags and "invalid_id_number" not in first.flags


def test_an_id_read_clearly_but_a_digit_short_is_the_recogniser_s_slip_not_a_mismatch():
    """A hand-filled number in a phone photo reads confidently and wrong: one digit dropped, or a stroke read
    as a bar. A clerk's slip is a number of the right form with a wrong digit; these are malformed."""
    for misread in (ID[:9] + ID[10:], ID[:9] + "|" + ID[10:]):
        (first, _) = assemble_trainees(_agreement_with(misread, 0.98)).trainees
        assert first.id_number == ID and "field_mismatch" not in first.flags, misread


def test_an_invalid_id_read_poorly_is_the_recogniser_s_slip_not_a_mismatch():
    typo = ID[:9] + str((int(ID[9]) + 1) % 10) + ID[10:]
    (first, _) = assemble_trainees(_agreement_with(typo, 0.6)).trainees
    assert first.id_number == ID and "field_mismatch" not in first.flags


def test_a_reading_is_doubtful_by_the_cut_off_of_the_engine_that_read_it(monkeypatch):
    """The same score is a sure reading for an engine whose scores run low and a doubt for one whose scores
    run high: the cut-off is the engine's (ocr.engines), not one number for all."""
    from dataclasses import replace as changed

    from ocr import engines
    from ocr.settings import read_settings

    monkeypatch.setitem(engines.ENGINES, "lenient", changed(engines.ENGINES["rapidocr"], low_confidence=0.5))
    typo = ID[:9] + str((int(ID[9]) + 1) % 10) + ID[10:]
    (strict, _) = assemble_trainees(_agreement_with(typo, 0.6),
                                    low_confidence=read_settings("rapidocr").low_confidence).trainees
    (lenient, _) = assemble_trainees(_agreement_with(typo, 0.6),
                                     low_confidence=read_settings("lenient").low_confidence).trainees
    assert "field_mismatch" not in strict.flags and "field_mismatch" in lenient.flags
