"""Amounts as the bureau's documents print them: in figures (¥12,000.00) and in capitals (壹万贰仟元整).

Decimal only: a float has already lost the fen it should print (cn2an truncates floats silently, see
DOMAIN.md), so a float is refused rather than rounded. The capitals follow the rules of Chinese financial
writing: one 零 for a run of zeros inside the number; no 零 where a zero run ends a 万/亿 group and the
next digit is a 仟 (壹拾万壹仟元整, the unit already separates them — both forms are allowed, this one is
what cn2an and the forms in the fixture bundles print); 元整 for whole yuan; 整 also after 角 (the
accounting rules require it, the payment rules allow it); 元零X分 when 角 is zero and 分 is not.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")
LIMIT = Decimal(10) ** 16  # below 壹亿亿: more than any subsidy


def as_amount(value: Decimal | int | str) -> Decimal:
    """An exact amount in yuan with at most two decimals; floats, negatives and fractions of fen refused."""
    if isinstance(value, float) or isinstance(value, bool):
        raise TypeError(f"金额必须是 Decimal、整数或字符串，不能是 {type(value).__name__}")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"不是金额: {value!r}") from exc
    if not amount.is_finite() or amount < 0 or amount >= LIMIT:
        raise ValueError(f"金额超出范围: {value!r}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"金额最多到分: {value!r}")
    return amount.quantize(Decimal("0.01"))


def in_figures(value: Decimal | int | str) -> str:
    """¥12,000.00: the figure printed beside the capitals."""
    return f"¥{as_amount(value):,.2f}"


def plain_figures(value: Decimal | int | str) -> str:
    """12,000.00: for table cells whose header already says 元."""
    return f"{as_amount(value):,.2f}"


def in_capitals(value: Decimal | int | str) -> str:
    """The amount in capitals (大写): 12000 -> 壹万贰仟元整, 16409.02 -> 壹万陆仟肆佰零玖元零贰分."""
    amount = as_amount(value)
    fen_total = int(amount * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if fen_total == 0:
        return "零元整"
    out = _yuan_part(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return out + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"  # 元零贰分: the empty 角 must be marked
    if fen:
        out += DIGITS[fen] + "分"
    else:
        out += "整"
    return out


def _yuan_part(yuan: int) -> str:
    """Whole yuan (> 0), walking the digits from the highest."""
    digits = str(yuan)
    length = len(digits)
    out: list[str] = []
    zeros_pending = False
    for i, ch in enumerate(digits):
        place = length - 1 - i
        if ch == "0":
            zeros_pending = True
        else:
            if zeros_pending:
                out.append("零")
                zeros_pending = False
            out.append(DIGITS[int(ch)] + SMALL_UNITS[place % 4])
        if place % 4 == 0 and place > 0:
            group = digits[max(0, i - 3):i + 1]
            if int(group):
                out.append(BIG_UNITS[place // 4])
                # 壹拾万壹仟: zeros closing a written group before a 仟 need no 零 (the unit separates them).
                if zeros_pending and digits[i + 1] != "0":
                    zeros_pending = False
    return "".join(out)
