"""Valid resident ID numbers for tests (GB 11643 check character), made up, never real people."""

from __future__ import annotations

from intake.fields.id_numbers import check_char


def make_id(serial: int, born: str = "19900307", area: str = "371602") -> str:
    """An 18-character valid number; odd serials are men. `serial` 0..999."""
    first17 = f"{area}{born}{serial % 1000:03d}"
    return first17 + check_char(first17)


def make_phone(serial: int) -> str:
    return f"138{serial:08d}"
