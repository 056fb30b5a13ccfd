"""The pool of page readers: an engine that cannot start in its workers stops the read with its own
message (which part, how to get it), not a BrokenProcessPool or one failure per page."""

from __future__ import annotations

import numpy as np
import pytest

from intake import workers
from ocr.engines import ENGINES, EngineEntry, EngineUnavailable
from ocr.types import PageImage


def _fails_to_start():
    raise EngineUnavailable("broken", "模型文件已损坏", "pip install --force-reinstall rapidocr")


def _pages(n: int) -> list[PageImage]:
    return [PageImage("scan.pdf", i + 1, np.full((200, 150, 3), 255, np.uint8), 200.0) for i in range(n)]


@pytest.fixture
def broken_engine(monkeypatch):
    # The cheap check passes (the files are there); loading them fails, as a corrupt model does.
    monkeypatch.setitem(ENGINES, "broken", EngineEntry(_fails_to_start, lambda: None, low_confidence=0.85))
    return "broken"


@pytest.mark.parametrize("n_workers", [1, 2])
def test_engine_failing_to_start_is_raised_once_with_its_fix(broken_engine, n_workers):
    with workers.PageReaderPool(broken_engine, n_workers) as pool, pytest.raises(EngineUnavailable) as raised:
        list(pool.read(_pages(3)))
    assert raised.value.fix == "pip install --force-reinstall rapidocr"
    assert "模型文件已损坏" in str(raised.value)


def test_engine_missing_is_named_before_any_page(monkeypatch):
    def missing() -> None:
        raise EngineUnavailable("gone", "未安装", "pip install gone")

    monkeypatch.setitem(ENGINES, "gone", EngineEntry(_fails_to_start, missing, low_confidence=0.85))
    with pytest.raises(EngineUnavailable, match="pip install gone"):
        workers.PageReaderPool("gone", 2)
