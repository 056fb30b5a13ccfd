"""Pages read in parallel: a pool of worker processes, each holding one OCR engine.

Both cores stay busy on different pages; each engine is told to use one thread so the workers
do not fight over the cores. With one worker the pages are read in this process, which spares
the start-up of a pool for small bundles and keeps tracebacks simple.

A worker dies with the process that started it: killed (kill -9, the machine's OOM killer, a closed
terminal), a parent cannot shut its pool down, and orphaned workers would go on holding an engine,
memory and the pages of a bundle nobody waits for. Linux is asked to kill the worker when its parent
dies (PR_SET_PDEATHSIG); a thread that watches the parent's pid does it where that is not available.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from intake.page_reader import PageReading, read_page
from ocr.engines import EngineUnavailable, OcrEngine, check_engine, create_engine
from ocr.errors import InputProblem
from ocr.settings import ReadSettings, read_settings
from ocr.types import PageImage

_engine: OcrEngine | EngineUnavailable | None = None
_settings: ReadSettings | None = None


def _init_worker(engine_name: str, settings: ReadSettings, parent: int) -> None:
    global _engine, _settings
    _settings = settings
    die_with_parent(parent)
    os.environ["SUBSIDY_OCR_THREADS"] = "1"
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        _engine = create_engine(engine_name)
    except EngineUnavailable as missing:
        # Kept for the first page to raise: a failing initializer would only break the pool.
        _engine = missing


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when `parent` ends, however it ends."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the watcher below is enough
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _read_in_worker(page: PageImage, keep_image_in: Path | None, overlay_in: Path | None = None) -> PageReading:
    if isinstance(_engine, EngineUnavailable):
        raise _engine
    assert _engine is not None and _settings is not None
    return read_page(page, _engine, _settings, keep_image_in, overlay_in)


def default_workers() -> int:
    return int(os.environ.get("SUBSIDY_WORKERS", "0")) or max(1, os.cpu_count() or 1)


class PageReaderPool:
    """Reads pages with one engine per worker; use as a context manager across many bundles."""

    def __init__(self, engine_name: str, workers: int | None = None) -> None:
        check_engine(engine_name)  # a missing part is named before any page is read
        self.engine_name = engine_name
        # What every page's detectors are tuned by: made here once, handed to each page.
        self.settings = read_settings(engine_name)
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None
        self._local: OcrEngine | None = None

    def __enter__(self) -> PageReaderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def read(self, pages: Iterable[PageImage | InputProblem], keep_image_in: Path | None = None,
             overlay_in: Path | None = None) -> Iterator[PageReading | InputProblem]:
        """Readings in page order; a problem page passes through as its InputProblem. `overlay_in` gets a
        picture per page of what the reader saw (grid, cells, text lines) for finding out why it misread."""
        if self.workers <= 1:
            yield from self._read_here(pages, keep_image_in, overlay_in)
        else:
            yield from self._read_in_pool(pages, keep_image_in, overlay_in)

    def _read_here(self, pages: Iterable[PageImage | InputProblem], keep_image_in: Path | None,
                   overlay_in: Path | None = None) -> Iterator[PageReading | InputProblem]:
        if self._local is None:
            self._local = create_engine(self.engine_name)
        for page in pages:
            yield page if isinstance(page, InputProblem) else _read_guarded(
                lambda p=page: read_page(p, self._local, self.settings, keep_image_in, overlay_in), page)

    def _read_in_pool(self, pages: Iterable[PageImage | InputProblem], keep_image_in: Path | None,
                      overlay_in: Path | None = None) -> Iterator[PageReading | InputProblem]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_init_worker,
                                             initargs=(self.engine_name, self.settings, os.getpid()))
        # At most two pages per worker in flight: a 300-page scan never sits in memory whole.
        in_flight: deque[tuple[PageImage | InputProblem, Future[PageReading] | None]] = deque()
        for page in pages:
            future = None if isinstance(page, InputProblem) else self._pool.submit(_read_in_worker, page,
                                                                                    keep_image_in, overlay_in)
            in_flight.append((page, future))
            if len(in_flight) >= 2 * self.workers:
                yield _collect(*in_flight.popleft())
        while in_flight:
            yield _collect(*in_flight.popleft())


def _collect(page: PageImage | InputProblem, future: Future[PageReading] | None) -> PageReading | InputProblem:
    if future is None:
        assert isinstance(page, InputProblem)
        return page
    assert isinstance(page, PageImage)
    return _read_guarded(future.result, page)


def _read_guarded(read: Callable[[], PageReading], page: PageImage) -> PageReading | InputProblem:
    """A page that breaks the reader is named and skipped; the batch goes on."""
    try:
        return read()
    except EngineUnavailable:
        raise  # not this page's fault: every page would fail the same way
    except Exception as exc:  # noqa: BLE001 - any failure of one page must not stop the bundle
        return InputProblem(page.source, f"页面无法识别 (page could not be read: {type(exc).__name__}: {exc})",
                            page=page.number)
