import pytest

from intake.fields.certificate_numbers import is_well_formed, normalize_certificate_no, record_no, split_t_prefix

ID = "11010519491231002X"


@pytest.mark.parametrize("raw, want", [
    ("T" + ID, "T" + ID), (ID, ID), ("T " + ID[:8] + " " + ID[8:], "T" + ID), ("T" + ID[:17], "T" + ID),
    ("TS5493709217993", "TS5493709217993"), ("155493709217993", "TS5493709217993"),
    ("T55493709217993", "TS5493709217993"), ("1" + ID, "T" + ID), ("abc", "ABC"),
])
def test_printed_numbers_normalised(raw, want):
    assert normalize_certificate_no(raw) == want


def test_an_inner_mongolian_id_is_not_taken_for_a_record_number():
    number = "150102199003071234"
    assert record_no(number) is None
    assert split_t_prefix(number) == ("", number)


@pytest.mark.parametrize("raw, ok", [("T" + ID, True), (ID, True), ("TS5493709217993", True),
                                     ("155493709217993", False), ("T" + ID[:14] + "5" + ID[15:], False)])
def test_well_formed_numbers(raw, ok):
    assert is_well_formed(raw) is ok
