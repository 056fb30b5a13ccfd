"""Seeded random sources, one per concern, so that changing how one part of a bundle is drawn
does not shift the numbers every other part draws from the same seed."""

from __future__ import annotations

import hashlib
import random

import numpy as np


def derive_seed(seed: int, *labels: object) -> int:
    digest = hashlib.sha256(repr((seed, *labels)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def py_rng(seed: int, *labels: object) -> random.Random:
    return random.Random(derive_seed(seed, *labels))


def np_rng(seed: int, *labels: object) -> np.random.Generator:
    return np.random.default_rng(derive_seed(seed, *labels))


def weighted_choice(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]
