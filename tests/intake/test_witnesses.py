from intake.records import ClassRecord
from intake.result import Evidence, TraineeResult
from intake.witnesses import hold_against_records

ID = "11010519491231002X"
OTHER = "371602199003071213"


def record(row: int, **values: str) -> ClassRecord:
    return ClassRecord("records.xlsx", "Sheet1", row, values)


def trainee(**values) -> TraineeResult:
    return TraineeResult(**{"name": "张三", "gender": "女", "id_number": ID, "phone": "13812345678"} | values)


def test_agreeing_records_leave_no_flag_and_add_witnesses():
    t = trainee()
    left = hold_against_records([t], [record(2, name="张三", gender="女", id_number=ID, phone="138 1234 5678")])
    assert t.flags == [] and left == []
    assert {e.field for e in t.evidence if e.document == "records"} == {"name", "gender", "id_number", "phone"}


def test_a_different_value_is_a_mismatch_and_both_values_stay():
    t = trainee()
    hold_against_records([t], [record(2, name="张叁", id_number=ID)])
    assert t.flags == ["field_mismatch"] and t.name == "张三"
    assert any(e.value == "张叁" for e in t.evidence)


def test_an_invalid_id_on_paper_is_repaired_from_the_records():
    t = trainee(id_number=ID[:8] + "5" + ID[9:], flags=["invalid_id_number"])
    hold_against_records([t], [record(3, name="张三", id_number=ID)])
    assert t.id_number == ID and "invalid_id_number" not in t.flags
    assert t.corrections == [{"field": "id_number", "from": ID[:8] + "5" + ID[9:], "to": ID,
                              "reason": "records", "row": 3}]


def test_missing_from_records_and_records_without_trainee():
    t = trainee()
    left = hold_against_records([t], [record(4, name="王五", id_number=OTHER)])
    assert t.flags == ["not_in_records"]
    assert [r.row for r in left] == [4]


def test_a_rare_character_the_recogniser_dropped_comes_from_the_records():
    t = trainee(name="侯俊")
    hold_against_records([t], [record(2, name="侯俊燚", id_number=ID)])
    assert t.name == "侯俊燚" and "field_mismatch" not in t.flags
    assert t.corrections[0]["reason"] == "records_rare_character"


def test_a_doubtful_character_the_records_spell_otherwise_is_corrected_not_a_mismatch():
    t = trainee(name="侯俊焱")
    t.evidence.append(Evidence("roster", 1, "name", "侯俊焱", "侯俊焱", 0.71, [0, 0, 10, 10], 0))
    hold_against_records([t], [record(2, name="侯俊燚", id_number=ID)])
    assert t.name == "侯俊燚" and "field_mismatch" not in t.flags


def test_a_confident_reading_that_differs_stays_a_mismatch():
    t = trainee(name="张三")
    t.evidence.append(Evidence("roster", 1, "name", "张三", "张三", 0.99, [0, 0, 10, 10], 0))
    hold_against_records([t], [record(2, name="张叁", id_number=ID)])
    assert t.name == "张三" and "field_mismatch" in t.flags
