import pytest

from intake.fields.genders import normalize_gender
from intake.fields.names import normalize_name
from intake.fields.phones import mask_phone, normalize_phone


@pytest.mark.parametrize("raw, value", [("138 1234 5678", "13812345678"), ("1381234567B", "13812345678"),
                                        ("+86 13812345678", "13812345678"), ("0543-3161234", "0543-3161234")])
def test_valid_phones(raw, value):
    phone = normalize_phone(raw)
    assert phone.valid and phone.value == value


def test_invalid_phone_keeps_its_digits_for_the_reviewer():
    phone = normalize_phone("1381234567")
    assert not phone.valid and phone.value == "" and phone.digits == "1381234567"


@pytest.mark.parametrize("raw, want", [("张 三", "张三"), ("买买提•艾力", "买买提·艾力"), ("李𠮷", "李𠮷"),
                                       ("王五1", "王五"), ("", "")])
def test_names(raw, want):
    assert normalize_name(raw) == want


@pytest.mark.parametrize("raw, want", [("男", "男"), (" 女", "女"), ("", None), ("男女", None)])
def test_genders(raw, want):
    assert normalize_gender(raw) == want


@pytest.mark.parametrize("stored, shown", [("13812345678", "138****5678"), ("0543-3161234", "0543-***1234"),
                                           ("1381234567", "******4567"), ("12345", "*****"), ("", "")])
def test_one_phone_mask_for_every_display(stored, shown):
    """Documents, pages, history and logs show a phone so: a mobile's middle four hidden, a landline's area
    code kept, anything else at most its last four (never its first digits)."""
    assert mask_phone(stored) == shown
