from intake.columns import checked_by_values, looks_like_header, map_columns, role_of
from tests.intake.readings import AGREEMENT_HEADER, ROSTER_HEADER


def test_roster_header_maps_every_column():
    assert map_columns(ROSTER_HEADER) == {
        "seq": 0, "name": 1, "gender": 2, "id_number": 3, "phone": 4, "profession": 5,
        "certificate_no": 6, "training_date": 7, "class_period": 8}


def test_columns_in_another_order_and_half_width_brackets():
    header = ["姓名", "身份证号码", "专业(工种)", "序号", "性别"]
    assert map_columns(header) == {"name": 0, "id_number": 1, "profession": 2, "seq": 3, "gender": 4}


def test_ocr_damaged_header_still_maps():
    roles = map_columns(["序号", "姓 名", "性别", "身份正号", "手 机", "专业（工", "证书编", "培训日", "班期"])
    assert roles["id_number"] == 3 and roles["certificate_no"] == 6 and roles["training_date"] == 7


def test_agreement_signature_column():
    assert map_columns(AGREEMENT_HEADER)["signature"] == 5


def test_a_data_row_is_not_a_header():
    assert not looks_like_header(["1", "张三", "男", "37160219900307123X", "13812345678", "低压电工作业"])
    assert looks_like_header(ROSTER_HEADER)


def test_unrelated_text_has_no_role():
    assert role_of("滨州市宏达机械有限公司")[0] is None


def test_a_field_the_header_put_over_another_s_values_moves_to_the_column_its_values_fill():
    # Bundle seed 1032's roster: the unit's seal over 性别 and 身份证号码 made one spanning header cell, so
    # 身份证号码 stood over the genders, the IDs were under no field and 性别 was lost; nobody had an ID.
    header = {"seq": 0, "name": 1, "id_number": 2, "phone": 4}
    rows = [["1", "陈立新", "男", "371602196806167035", "17541863480"],
            ["2", "程松鑫", "女", "11010519491231002X", "18109166861"],
            ["3", "王五", "男", "372301197508130130", "13912345678"]]
    assert checked_by_values(header, rows) == {"seq": 0, "name": 1, "id_number": 3, "phone": 4, "gender": 2}


def test_a_column_its_header_names_is_kept_when_its_values_read_as_the_field():
    header = {"seq": 0, "name": 1, "gender": 2, "id_number": 3}
    rows = [["1", "张三", "男", "371602196806167035"], ["2", "李四", "女", "3716021968061670"]]
    assert checked_by_values(header, rows) == header
