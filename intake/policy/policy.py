"""A subsidy policy (one city, one notice) loaded from TOML into a frozen, validated object.

Everything a rule needs to know about the notice comes from here, so that another year or city is a new
file, not new code. Validation names the file and the key, so an edited policy fails loudly at load.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from intake.data import load as load_data

POLICY_DIR = Path(__file__).parent
DEFAULT_POLICY = "binzhou-2020"
YEAR_BASES = ("claim_date", "certificate_date")
FLAG_OUTCOMES = ("fail", "needs_review")


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class SameItem:
    compare_level: bool = True
    special_operation_ignores_level: bool = True


@dataclass(frozen=True)
class Policy:
    name: str
    amount_per_person: Decimal
    max_claims_per_year: int
    year_basis: str
    certificates_from: dt.date
    catalogue: str
    publicity_working_days: int
    retention_years: int
    same_item: SameItem = SameItem()
    flags: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def flag_outcome(self, flag: str) -> str:
        return self.flags.get(flag, "needs_review")

    @property
    def catalogue_items(self) -> frozenset[str]:
        return catalogue_items(self.catalogue)


@cache
def catalogue_items(name: str) -> frozenset[str]:
    """The item names of a catalogue data file (codes of special-equipment items stripped)."""
    data = load_data(name)
    items = set()
    for kind in ("special_operation", "special_equipment"):
        for group in data.get(kind, []):
            for entry in group["items"]:
                code, _, rest = entry.partition(" ")
                items.add(rest if kind == "special_equipment" and rest else entry)
    return frozenset(items)


def load_policy(path: str | Path | None = None) -> Policy:
    """A policy by file path, or by the name of a file in intake/policy/ (default binzhou-2020)."""
    path = Path(path) if path else POLICY_DIR / f"{DEFAULT_POLICY}.toml"
    if not path.suffix:
        path = POLICY_DIR / f"{path}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"{path}: 政策文件不存在") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: 不是有效的 TOML ({exc})") from exc
    return parse_policy(data, str(path))


@cache
def default_policy() -> Policy:
    return load_policy()


def parse_policy(data: dict[str, Any], source: str = "<policy>") -> Policy:
    def need(key: str, kind: type | tuple[type, ...]) -> Any:
        if key not in data:
            raise PolicyError(f"{source}: 缺少 {key}")
        value = data[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise PolicyError(f"{source}: {key} 类型错误 (wrong type: {type(value).__name__})")
        return value

    amount = need("amount_per_person", (int, float, str))
    try:
        amount = Decimal(str(amount))
    except ArithmeticError as exc:
        raise PolicyError(f"{source}: amount_per_person 不是金额") from exc
    if amount <= 0:
        raise PolicyError(f"{source}: amount_per_person 必须大于0")
    limit = need("max_claims_per_year", int)
    if limit < 1:
        raise PolicyError(f"{source}: max_claims_per_year 必须至少为1")
    basis = need("year_basis", str)
    if basis not in YEAR_BASES:
        raise PolicyError(f"{source}: year_basis 应为 {' 或 '.join(YEAR_BASES)} (got {basis!r})")
    start = need("certificates_from", dt.date)
    catalogue = need("catalogue", str)
    try:
        if not catalogue_items(catalogue):
            raise PolicyError(f"{source}: catalogue {catalogue!r} 没有任何项目")
    except FileNotFoundError as exc:
        raise PolicyError(f"{source}: catalogue {catalogue!r} 不存在") from exc
    flags = data.get("flags", {})
    for flag, outcome in flags.items():
        if outcome not in FLAG_OUTCOMES:
            raise PolicyError(f"{source}: flags.{flag} 应为 fail 或 needs_review (got {outcome!r})")
    same = data.get("same_item", {})
    unknown = set(same) - {"compare_level", "special_operation_ignores_level"}
    if unknown:
        raise PolicyError(f"{source}: same_item 中有未知的键 {sorted(unknown)}")
    return Policy(name=str(data.get("name", Path(source).stem)), amount_per_person=amount,
                  max_claims_per_year=limit, year_basis=basis, certificates_from=start, catalogue=catalogue,
                  publicity_working_days=need("publicity_working_days", int),
                  retention_years=need("retention_years", int), same_item=SameItem(**same),
                  flags=dict(flags), source=source)
