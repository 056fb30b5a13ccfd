"""What an import tells its user: how many rows went in, which were refused and why."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowProblem:
    source: str
    row: int  # as Excel shows it
    reason: str  # never a full ID number (masked where one is named)

    def __str__(self) -> str:
        return f"{self.source} 第{self.row}行：{self.reason}"


@dataclass
class ImportReport:
    source: str
    imported: int = 0
    already: int = 0  # rows present from an earlier import of the same data
    rejected: list[RowProblem] = field(default_factory=list)
    # Rows taken in, with a value stored in another form than written (said, never done silently).
    notes: list[RowProblem] = field(default_factory=list)

    def reject(self, row: int, reason: str) -> None:
        self.rejected.append(RowProblem(self.source, row, reason))

    def note(self, row: int, what: str) -> None:
        self.notes.append(RowProblem(self.source, row, what))

    def summary(self) -> str:
        extra = f"，已有 {self.already} 行" if self.already else ""
        return f"导入 {self.imported} 行，拒绝 {len(self.rejected)} 行{extra}"
