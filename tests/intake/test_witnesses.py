"""The class's records as witnesses beside the roster."""

from dataclasses import replace

from intake.documents import Document
from intake.records import ClassRecord
from intake.trainees import assemble_trainees
from tests.intake.readings import AGREEMENT_HEADER, ROSTER_HEADER, reading, table

ID = "11010519491231002X"
OTHER = "371602199003071213"


def record(row: int, **values: str) -> ClassRecord:
    return ClassRecord("records.xlsx", "Sheet1", row, values)


def roster(name: str = "张三", id_number: str = ID, confidence: float = 0.99, **extra: str) -> list[Document]:
    row = ["1", name, "女", id_number, "13812345678", extra.get("profession", "低压电工"), "T" + ID,
           extra.get("training_date", "2020.8.4-8.23"), extra.get("class_period", "2020年第9期")]
    tbl = table([row], ROSTER_HEADER)
    tbl.rows[0] = [replace(cell, confidence=confidence) for cell in tbl.rows[0]]
    return [Document("roster", [reading(1, [], tbl)])]


def assemble(docs, records):
    assembly = assemble_trainees(docs, records=records)
    return assembly.trainees[0], assembly.unmatched_records


def test_agreeing_records_leave_no_flag_and_add_witnesses():
    t, left = assemble(roster(), [record(2, name="张三", gender="女", id_number=ID, phone="138 1234 5678")])
    assert "field_mismatch" not in t.flags and "not_in_records" not in t.flags and left == []
    assert {e.field for e in t.evidence if e.document == "records"} == {"name", "gender", "id_number", "phone"}


def test_loosely_written_dates_and_periods_in_the_records_are_no_mismatch():
    t, _ = assemble(roster(), [record(2, name="张三", id_number=ID, training_date="8月4日-8月23日",
                                      class_period="9期", profession="低压电工作业")])
    assert "field_mismatch" not in t.flags, t.conflicts
    assert t.training_date == "2020-08-04/2020-08-23"


def test_a_different_value_is_a_mismatch_and_every_witness_stays():
    t, _ = assemble(roster(), [record(2, name="张叁", id_number=ID)])
    assert "field_mismatch" in t.flags and t.name == "张三"
    assert any(e.value == "张叁" for e in t.evidence)
    (conflict,) = t.conflicts
    assert conflict["field"] == "name" and {w["value"] for w in conflict["witnesses"]} == {"张三", "张叁"}


def test_an_invalid_id_on_paper_is_repaired_from_the_records():
    misread = ID[:8] + "5" + ID[9:]
    t, _ = assemble(roster(id_number=misread), [record(3, name="张三", id_number=ID)])
    assert t.id_number == ID and "invalid_id_number" not in t.flags
    assert {"field": "id_number", "from": misread, "to": ID, "reason": "records", "page": 1} in t.corrections


def test_missing_from_records_and_records_without_trainee():
    t, left = assemble(roster(), [record(4, name="王五", id_number=OTHER)])
    assert "not_in_records" in t.flags
    assert [r.row for r in left] == [4]


def test_a_rare_character_the_recogniser_dropped_comes_from_the_records():
    t, _ = assemble(roster(name="侯俊"), [record(2, name="侯俊燚", id_number=ID)])
    assert t.name == "侯俊燚" and "field_mismatch" not in t.flags
    assert any(c["reason"] == "records_rare_character" for c in t.corrections)


def test_a_doubtful_character_the_records_spell_otherwise_is_corrected_not_a_mismatch():
    t, _ = assemble(roster(name="侯俊焱", confidence=0.71), [record(2, name="侯俊燚", id_number=ID)])
    assert t.name == "侯俊燚" and "field_mismatch" not in t.flags and "low_confidence" in t.flags


def test_a_confident_reading_that_differs_stays_a_mismatch():
    t, _ = assemble(roster(name="张三"), [record(2, name="张叁", id_number=ID)])
    assert t.name == "张三" and "field_mismatch" in t.flags


def test_records_with_the_training_in_two_columns_witness_one_range():
    """An export with 开始日期 and 结束日期 columns says the same training as the roster's one column
    (the two ends were once joined into a text no date grammar reads)."""
    from intake.witnesses import record_witness

    split = record(2, name="张三", id_number=ID, training_start="8月4日", training_end="8月23日")
    reading = record_witness(split, 2020).readings["training_date"]
    assert (reading.value, reading.valid) == ("2020-08-04/2020-08-23", True)
    t, _ = assemble(roster(), [split])
    assert "field_mismatch" not in t.flags, t.conflicts


def test_a_rare_character_read_clearly_as_a_common_one_is_the_recogniser_s_not_a_second_name():
    """曌, 玥, 䶮 lie outside the characters recognisers learn from: read confidently as 盟, 明, 美, they are
    its slip, not a paper that names someone else; a common character written otherwise is a mismatch."""
    for read, typed in (("侯盟", "侯曌"), ("魏小明", "魏小玥"), ("陈晓美", "陈晓䶮")):
        t, _ = assemble(roster(name=read), [record(2, name=typed, id_number=ID)])
        assert t.name == typed and "field_mismatch" not in t.flags, (read, typed)
        assert any(c["reason"] == "records_rare_character" for c in t.corrections)
    t, _ = assemble(roster(name="侯明"), [record(2, name="侯盟", id_number=ID)])
    assert "field_mismatch" in t.flags
    t, _ = assemble(roster(name="侯伟"), [record(2, name="侯曌", id_number=ID)])  # rare, but of another shape
    assert "field_mismatch" in t.flags


def test_one_paper_a_digit_off_two_that_agree_on_a_phone_is_a_slip_not_a_mismatch():
    """A hand-filled phone number on the agreement, photographed, read confidently with one digit wrong:
    the roster and the records agree, and there is no check digit to tell. Two digits off is another number."""
    docs = roster()
    row = ["1", "张三", "女", ID, "13812345679", ""]
    docs.append(Document("agreement", [reading(2, [], table([row], ["序号", "姓名", "性别", "身份证号", "联系电话",
                                                                    "本人签字"]))]))
    t, _ = assemble(docs, [record(2, name="张三", id_number=ID, phone="13812345678")])
    assert t.phone == "13812345678" and "field_mismatch" not in t.flags
    docs[1].pages[0].table.rows[0][4] = replace(docs[1].pages[0].table.rows[0][4], text="13812345699")
    t, _ = assemble(docs, [record(2, name="张三", id_number=ID, phone="13812345678")])
    assert "field_mismatch" in t.flags


def test_a_common_character_read_as_its_rare_form_keeps_the_common_spelling():
    """At 200 dpi the card's 黄 came out as the traditional 黃 (outside GB 2312): with the roster's 黄 and no
    typed record of 黃, the name is 黄, and the two readings are one opinion, no mismatch."""
    docs = roster(name="黄鹏")
    row = ["1", "黃鹏", "女", ID, "13812345678", ""]
    docs.append(Document("agreement", [reading(2, [], table([row], ["序号", "姓名", "性别", "身份证号", "联系电话",
                                                                    "本人签字"]))]))
    t, _ = assemble(docs, None)
    assert t.name == "黄鹏" and "field_mismatch" not in t.flags


def test_a_phone_one_paper_reads_a_digit_off_the_typed_records_is_the_records_and_no_mismatch():
    # Bundle seed 1009: the agreement's 13582332079 against the records' 13582332379, nothing else to say;
    # the paper's reading won on rank and raised field_mismatch.
    t, _ = assemble(roster(), [record(2, name="张三", id_number=ID, phone="13812345679")])
    assert t.phone == "13812345679" and "field_mismatch" not in t.flags, t.conflicts


def test_a_phone_the_records_type_otherwise_by_more_than_a_digit_is_a_mismatch():
    t, _ = assemble(roster(), [record(2, name="张三", id_number=ID, phone="13912340000")])
    assert "field_mismatch" in t.flags


def test_an_id_read_a_digit_short_that_only_a_repair_made_valid_is_no_second_number():
    # Bundle seed 1018: the agreement's 37160219050891292 (seventeen digits) was repaired into another valid
    # number by one inserted digit, and stood as a clerk's slip against three agreeing papers.
    from intake.fields.id_numbers import read

    short = "37160219050891292"
    repaired = read(short)
    assert repaired.valid and repaired.value != "371602199508191292"
    agreement = Document("agreement", [reading(2, [], table([["1", "张三", "女", short, "13812345678", ""]],
                                                           AGREEMENT_HEADER))])
    t, _ = assemble(roster(id_number="371602199508191292") + [agreement],
                    [record(2, name="张三", id_number="371602199508191292")])
    assert t.id_number == "371602199508191292" and "field_mismatch" not in t.flags, t.conflicts
