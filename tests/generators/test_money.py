"""Money in capitals: published examples of Chinese financial writing, and two independent oracles."""

import random
from decimal import Decimal

import cn2an
import pytest

from generators.money import as_amount, in_capitals, in_figures
from tests.bundlegen.chinese import money_in_capitals as fixture_capitals

# The amounts, DOMAIN.md's examples, and the worked examples of the payment and accounting rules
# (支付结算办法 附件 / 会计基础工作规范 第五十二条), written in their form with 整 after 角.
PUBLISHED = {
    "0": "零元整",
    "1000": "壹仟元整",
    "10000": "壹万元整",
    "10005": "壹万零伍元整",
    "12000": "壹万贰仟元整",
    "101000": "壹拾万壹仟元整",
    "1000000": "壹佰万元整",
    "123456789.12": "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分",
    "16409.02": "壹万陆仟肆佰零玖元零贰分",
    "1409.50": "壹仟肆佰零玖元伍角整",
    "6007.14": "陆仟零柒元壹角肆分",
    "1680.32": "壹仟陆佰捌拾元叁角贰分",
    "107000.53": "壹拾万柒仟元伍角叁分",
    "325.04": "叁佰贰拾伍元零肆分",
    "0.05": "伍分",
    "0.50": "伍角整",
    "10": "壹拾元整",
    "100001000": "壹亿零壹仟元整",
    "1000010": "壹佰万零壹拾元整",
}


@pytest.mark.parametrize("amount, words", PUBLISHED.items())
def test_published_examples(amount, words):
    assert in_capitals(Decimal(amount)) == words


def test_never_a_zero_unit():
    for n in (20000, 20100, 2000000, 200000000, 1000000000):
        words = in_capitals(n)
        assert "零仟" not in words and "零万" not in words and "零佰" not in words and "零拾" not in words


def _integers() -> list[int]:
    rng = random.Random(2020)
    patterns = [int("".join(rng.choice("0001") for _ in range(rng.randint(1, 11))) or "0") for _ in range(2000)]
    return sorted(set(patterns + [rng.randrange(10**11) for _ in range(2000)] + list(range(0, 2001))))


def test_whole_amounts_agree_with_the_fixture_generator():
    for n in _integers():
        assert in_capitals(n) == fixture_capitals(n), n


def test_whole_amounts_agree_with_cn2an():
    # cn2an leaves out the optional 零 after 亿 before an all-zero 万 group (壹亿壹仟); both forms are allowed.
    for n in _integers():
        assert in_capitals(n).replace("亿零", "亿") == cn2an.an2cn(n, "rmb").replace("亿零", "亿"), n


def test_figures():
    assert in_figures(12000) == "¥12,000.00"
    assert in_figures(Decimal("123456789.12")) == "¥123,456,789.12"
    assert in_figures("0") == "¥0.00"


@pytest.mark.parametrize("bad", [1000.0, -1, "1.005", "abc", Decimal("NaN"), 10**16])
def test_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        as_amount(bad)
