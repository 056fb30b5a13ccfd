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


def test_search_finds_a_certificate_with_or_without_its_t():
    """The documents keep the T the card prints; the archive's key drops it, so 'T'+ID, the bare ID and
    spaced or lower-case typing are one certificate, and a record number stays itself."""
    from intake.fields.certificate_numbers import search_key

    number = "37160219900307123X"
    assert normalize_certificate_no("T" + number) == "T" + number
    assert {search_key("T" + number), search_key(number), search_key("t 371602 19900307 123x")} == {number}
    assert search_key("TS2137160012345") == "TS2137160012345"


def test_certificate_mask_hides_any_id_inside_and_keeps_record_numbers():
    from intake.fields.certificate_numbers import mask_certificate_no

    assert mask_certificate_no("T37160219900307123X") == "T371602********123X"
    assert mask_certificate_no("T3716021990030712") == "T371602******0712"   # a misread ID is still an ID
    assert mask_certificate_no("TS2137160012345") == "TS2137160012345"
