"""Values run together in one cell where a continuation page lost a rule, told apart by the fields' forms."""

from __future__ import annotations

from intake.fields.runs import split_run_together


def test_a_number_a_name_and_a_gender_in_one_cell():
    # Bundle seed 1022's agreement page 3: 序号, 姓名 and 性别 ruled as one cell on the continuation page.
    assert split_run_together(("seq", "name", "gender"), "11薛阳男") == {"seq": "11", "name": "薛阳", "gender": "男"}
    assert split_run_together(("seq", "name", "gender"), "12 周 晓 男") == {"seq": "12", "name": "周 晓",
                                                                          "gender": "男"}


def test_a_phone_and_an_id_number_run_together_are_told_apart_by_their_lengths():
    parts = split_run_together(("phone", "id_number"), "15128002231371681198904226574")
    assert parts == {"phone": "15128002231", "id_number": "371681198904226574"}


def test_the_last_field_keeps_what_is_left_even_misread():
    parts = split_run_together(("seq", "name", "phone", "id_number"), "5 王晨浩 18562777334 372319203076590")
    assert parts == {"seq": "5", "name": "王晨浩", "phone": "18562777334", "id_number": "372319203076590"}


def test_a_free_text_between_numbers_ends_where_the_next_number_begins():
    parts = split_run_together(("id_number", "employer", "phone"), "371622199706287717 永盛铝业 18331667659")
    assert parts == {"id_number": "371622199706287717", "employer": "永盛铝业", "phone": "18331667659"}


def test_a_cell_that_holds_one_of_the_fields_only_does_not_split():
    assert split_run_together(("phone", "profession"), "13812345678") is None
    assert split_run_together(("seq", "name"), "张三") is None


def test_a_number_is_not_cut_out_of_a_longer_run_of_digits():
    # Bundle seed 1032: "3171622199706287717" (a digit too many) gave an ID of its first eighteen digits, a
    # well-formed number failing its check, taken for a clerk's slip against the records: field_mismatch.
    assert split_run_together(("id_number", "employer", "phone"), "3171622199706287717 永盛 18331667659") is None
    assert split_run_together(("id_number", "phone"), "317162219970628771 7 永盛 18331667659") is None
