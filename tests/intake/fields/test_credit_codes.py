import random

import pytest

from intake.fields.credit_codes import (
    check_char,
    normalize_credit_code,
    organisation_check_char,
    read_credit_code,
    validate_credit_code,
)
from tests.bundlegen.credit_codes import credit_code

STANDARD_EXAMPLE = "91350100M000100Y43"  # GB 32100-2015's own example


def test_the_standards_example_checks_out_both_ways():
    assert check_char(STANDARD_EXAMPLE[:17]) == "3"
    assert organisation_check_char(STANDARD_EXAMPLE[8:16]) == "4"
    assert validate_credit_code(STANDARD_EXAMPLE).valid


@pytest.mark.parametrize("seed", range(20))
def test_generated_codes_are_valid_and_every_single_misread_is_caught(seed):
    code = credit_code(random.Random(seed))
    assert validate_credit_code(code).valid
    position = seed % 18
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for other in alphabet:
        if other != code[position]:
            assert not validate_credit_code(code[:position] + other + code[position + 1:]).valid


def test_wrong_length_characters_and_check():
    assert "18位" in validate_credit_code(STANDARD_EXAMPLE[:-1]).reason
    assert "字符" in validate_credit_code("91350100M000100Y4!").reason
    assert validate_credit_code("91350100M000100Y44").reason == "校验码不符"


def test_typed_forms_are_normalised_and_letters_it_never_uses_read_as_digits():
    assert normalize_credit_code(" 9135 0100-m000100y43 ") == STANDARD_EXAMPLE
    assert read_credit_code("9135O100M000100Y43") == (STANDARD_EXAMPLE, "")  # O typed for 0
    code, why = read_credit_code("")
    assert code is None and why == "统一社会信用代码为空"
    code, why = read_credit_code("91350100M000100Y44")
    assert code is None and "校验码不符" in why
