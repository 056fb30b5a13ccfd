"""What a field's reader says of a written value: the normalised value and whether it is well formed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldValue:
    value: str            # normalised; "" when nothing usable was written
    valid: bool           # well formed by the field's own rules
    repaired_from: str = ""   # an ID the check character repaired: the text as read
