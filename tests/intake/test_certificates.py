import datetime as dt

from intake.certificates import read_certificates
from intake.documents import Document
from intake.trainees import assemble_trainees
from ocr.types import Box, Word
from tests.intake.readings import ROSTER_HEADER, reading, table, words

ID = "11010519491231002X"


def operation_card(name: str = "张三", number: str = "T" + ID, issued: str = "2020年09月10日") -> list[str]:
    return ["中华人民共和国", "特种作业操作证", f"证号 {number}", f"姓名 {name}", "性别 女",
            "作业类别 电工作业", "准操项目 低压电工作业", f"初领日期 {issued}",
            "有效期限 2020.09.10至2026.09.09", "签发机关 滨州市应急管理局"]


def equipment_card() -> list[str]:
    return ["中华人民共和国特种设备安全管理和作业人员证", "姓名：李四", f"证件编号：{ID}", "档案编号：T53716000123456",
            "作业项目：N1 叉车司机", "批准日期：2020-10-01", "有效日期：2024-09-30", "发证机关：滨州市行政审批服务局"]


def test_special_operation_card_fields():
    (card,) = read_certificates(Document("certificate", [reading(5, words(*operation_card()))]))
    assert card.fields() | {} == {
        "certificate_kind": "special_operation", "name": "张三", "gender": "女", "id_number": ID,
        "certificate_no": "T" + ID, "category": "电工作业", "profession": "低压电工作业", "code": "",
        "issue_date": "2020-09-10", "validity": "2020-09-10/2026-09-09", "authority": "滨州市应急管理局"}


def test_special_equipment_card_fields():
    (card,) = read_certificates(Document("certificate", [reading(6, words(*equipment_card()))]))
    assert card.kind == "special_equipment"
    assert (card.name, card.id_number, card.certificate_no) == ("李四", ID, "TS3716000123456")
    assert (card.profession, card.code, card.issue_date) == ("叉车司机", "N1", "2020-10-01")


def test_two_cards_on_one_page():
    lines = operation_card("张三") + operation_card("王五", number="37160219900307123X")
    cards = read_certificates(Document("certificate", [reading(7, words(*lines))]))
    assert [c.name for c in cards] == ["张三", "王五"]


def _roster(*people: tuple[str, str]) -> Document:
    rows = [[str(i + 1), name, "女", number, "13812345678", "低压电工", "", "", ""]
            for i, (name, number) in enumerate(people)]
    return Document("roster", [reading(1, [], table(rows, ROSTER_HEADER))])


def test_trainees_get_their_copies_and_the_rest_are_flagged():
    doc = Document("certificate", [reading(5, words(*operation_card(issued="2019年12月31日")))])
    found, missing = assemble_trainees([_roster(("张三", ID), ("王五", "37160219900307123X"))],
                                       read_certificates(doc), certificates_from=dt.date(2020, 1, 1)).trainees
    assert found.certificate_copy and "certificate_before_policy_start" in found.flags
    assert missing.certificate_copy is False and "missing_certificate_copy" in missing.flags


def test_an_id_misread_in_the_table_is_repaired_from_the_copy():
    doc = Document("certificate", [reading(5, words(*operation_card()))])
    (misread,) = assemble_trainees([_roster(("张三", ID[:5] + "7" + ID[6:]))], read_certificates(doc)).trainees
    assert misread.id_number == ID and "invalid_id_number" not in misread.flags
    assert any(c["reason"] == "certificate_copy" for c in misread.corrections)


def test_two_cards_side_by_side_keep_their_own_fields():
    left = words(*operation_card("张三"))
    right = [Word(w.text.replace("张三", "王五").replace(ID, "37160219900307123X"),
                  Box(w.box.x0 + 1200, w.box.y0, w.box.x1 + 1200, w.box.y1), w.confidence) for w in left]
    cards = read_certificates(Document("certificate", [reading(7, left + right)]))
    assert sorted((c.name, c.id_number) for c in cards) == [("张三", ID), ("王五", "37160219900307123X")]


def test_gender_run_into_the_name_is_taken_out():
    for line in ("姓名 性别女吕静爱", "姓名 董兴珺男", "姓名 性别 李洁 女"):
        (card,) = read_certificates(Document("certificate", [reading(5, words(line, "特种作业操作证"))]))
        assert card.name in ("吕静爱", "董兴珺", "李洁"), card.name


def test_a_dropped_final_x_is_restored():
    (card,) = read_certificates(Document("certificate", [reading(5, words(*operation_card(number=ID[:17])))]))
    assert card.id_number == ID


def test_cards_whose_number_comes_before_the_name_are_split_by_their_outlines():
    """Two cards one above the other, each printing 证号 above 姓名: split at the 姓名 labels alone, the
    second card's number went to the first (which had one) and the second had none."""
    first, second = operation_card("张三"), operation_card("王五", number="T37160219900307123X")
    page = reading(7, words(*first, top=50) + words(*second, top=900))
    page.cards = [Box(80, 30, 1000, 660), Box(80, 880, 1000, 1510)]
    cards = read_certificates(Document("certificate", [page]))
    assert [(c.name, c.certificate_no) for c in cards] == [("张三", "T" + ID), ("王五", "T37160219900307123X")]


def test_a_card_s_back_beside_it_is_not_read_into_its_fields():
    """The back (注意事项 …) copied beside the front: its heading stood on the front's 准操项目 line."""
    front = words(*operation_card("张三"))
    item = next(w for w in front if w.text.startswith("准操项目"))
    back = [Word("注意事项", Box(1100, item.box.y0, 1300, item.box.y1), 0.99),
            Word("一、本证在全国范围内有效", Box(1100, item.box.y1 + 30, 1500, item.box.y1 + 70), 0.99)]
    page = reading(7, front + back)
    page.cards = [Box(80, 30, 1000, 660), Box(1080, 30, 1600, 660)]
    (card,) = read_certificates(Document("certificate", [page]))
    assert card.profession == "低压电工作业"
