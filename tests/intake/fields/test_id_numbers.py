import datetime as dt

import pytest

from intake.fields.id_numbers import (
    check_char,
    correct_id,
    gender_from_id,
    mask_id,
    normalize_id_text,
    validate_id,
)

VALID = "11010519491231002X"          # the standard's own example
BINZHOU_1985 = "371602198503070011"   # 371602 did not exist in 1985; the number is still valid


def test_check_character_of_the_standard_example():
    assert check_char(VALID[:17]) == "X"
    assert validate_id(VALID).valid


def test_historical_and_anachronistic_codes_are_valid():
    number = BINZHOU_1985[:17] + check_char(BINZHOU_1985[:17])
    assert validate_id(number).valid
    old = "372301198001010013"
    old = old[:17] + check_char(old[:17])
    assert validate_id(old).valid


@pytest.mark.parametrize("number, reason", [
    ("11010519491231002", "长度"),
    ("110105194912310021", "校验码"),
    ("110105194913310028", "出生日期"),
    ("990105194912310021", "地址码"),
])
def test_invalid_numbers_say_why(number, reason):
    check = validate_id(number)
    assert not check.valid and reason in check.reason


def test_future_birth_date_is_invalid():
    first17 = "37160220990101001"
    assert not validate_id(first17 + check_char(first17), today=dt.date(2026, 1, 1)).valid


def test_gender_from_the_17th_digit():
    assert gender_from_id(VALID) == "女"
    assert gender_from_id("371602199003071213"[:16] + "1" + "3") == "男"


def test_lookalike_letters_become_digits_and_other_marks_doubtful():
    assert normalize_id_text("11O105 1949l231002x") == "11010519491231002X"
    assert normalize_id_text("1101051949123１002X") == "11010519491231002X"
    assert normalize_id_text("110105194912#1002X") == "110105194912?1002X"


def test_a_doubtful_character_is_corrected_when_one_candidate_passes():
    fixed = correct_id("110105194912?1002X")
    assert fixed.value == VALID and fixed.corrected and fixed.original == "110105194912?1002X"


def test_a_misread_digit_without_a_doubt_mark_is_not_guessed():
    # Changing one of the 18 characters leaves many numbers that pass the check: never pick one.
    wrong = VALID[:14] + "5" + VALID[15:]
    fixed = correct_id(wrong)
    assert not fixed.corrected and fixed.value == wrong and VALID in fixed.candidates


def test_a_misread_birth_month_is_corrected_when_the_date_leaves_one_candidate():
    fixed = correct_id(VALID[:10] + "3" + VALID[11:])      # month 32
    assert fixed.corrected and fixed.value == VALID


def test_a_doubled_character_is_dropped_when_unique():
    doubled = VALID[:3] + VALID[3] + VALID[3:]
    fixed = correct_id(doubled)
    assert fixed.corrected and fixed.value == VALID


def test_valid_number_is_left_alone():
    assert correct_id(VALID) == correct_id(VALID)
    assert not correct_id(VALID).corrected


def test_mask_keeps_first_six_and_last_four():
    assert mask_id("37160219900307123X") == "371602********123X"
