"""Chinese numerals as forms print them: small numbers (第二季度) and money in capitals (壹万贰仟元整)."""

from __future__ import annotations

SMALL_DIGITS = "零一二三四五六七八九"
CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = ("", "拾", "佰", "仟")


def small_number(n: int) -> str:
    """1..99 as written in running text: 二, 十二, 二十."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    out = "" if tens == 0 else ("十" if tens == 1 else SMALL_DIGITS[tens] + "十")
    return out + (SMALL_DIGITS[ones] if ones else "")


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capitals, with inner zeros collapsed to one 零 and trailing zeros dropped."""
    out, pending_zero = "", False
    for place in range(3, -1, -1):
        digit = n // 10**place % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += CAPITAL_DIGITS[digit] + CAPITAL_UNITS[place]
    return out


def money_in_capitals(amount: int) -> str:
    """A whole yuan amount in capitals (大写): 12000 -> 壹万贰仟元整, 10005 -> 壹万零伍元整."""
    if amount < 0 or amount >= 10**12:
        raise ValueError(amount)
    if amount == 0:
        return "零元整"
    groups = [(amount // 10**8, "亿"), (amount // 10**4 % 10**4, "万"), (amount % 10**4, "")]
    out, zero_before = "", False
    for value, unit in groups:
        if value == 0:
            zero_before = bool(out)
            continue
        # A gap inside the number (a zero group, or a group below 1000 after a higher one) reads 零.
        if out and (zero_before or value < 1000):
            out += "零"
        out += _four_digits(value) + unit
        zero_before = False
    return out + "元整"
