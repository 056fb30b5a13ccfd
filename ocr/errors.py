"""The one error a bad input raises, so that a batch can name it and go on."""

from __future__ import annotations


class InputProblem(Exception):
    """A file (or one page of it) that cannot be read; the message names both and the reason."""

    def __init__(self, source: str, reason: str, page: int | None = None) -> None:
        self.source = source
        self.page = page
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source if self.page is None else f"{self.source}, page {self.page}"
        return f"{where}: {self.reason}"
