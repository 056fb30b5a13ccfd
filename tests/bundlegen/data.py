"""The generator's data files (names, places, certificate catalogues), read once."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")


@cache
def load(name: str) -> dict[str, Any]:
    with (DATA_DIR / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)
