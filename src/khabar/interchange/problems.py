"""What an importer or exporter reports: fatal problems (BadInput) and repairs (RepairLog).

Every message names a file and, where there is one, a line: `file:line: message`. A bad input
stops the whole command before anything is written; a repair is a documented change that the
importer made so that real data fits a valid khabar record, printed one line per repair and
counted by kind (README, "Import and export"). With --strict a repair is a bad input instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from khabar.textrules import escaped


class BadInput(Exception):
    """A file that cannot be imported or exported as it is (exit code 1)."""

    def __init__(self, file: str, line: int | None, message: str):
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        file = escaped(self.file)  # a path or name from the input: never a line break or control
        where = f"{file}:{self.line}" if self.line is not None else file
        return f"{where}: {self.message}"


class UsageProblem(Exception):
    """A missing option or unreadable option file (exit code 2)."""


@dataclass(frozen=True)
class Repair:
    file: str
    line: int | None
    kind: str
    message: str

    def as_text(self) -> str:
        file = escaped(self.file)  # a path or name from the input: never a line break or control
        where = f"{file}:{self.line}" if self.line is not None else file
        return f"{where}: repaired [{self.kind}] {self.message}"


@dataclass
class RepairLog:
    """Repairs one command made, in the order made, and summary lines about counted changes.

    strict: every repair raises BadInput instead of being made (`--strict`).
    """

    strict: bool = False
    repairs: list[Repair] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)

    def repair(self, file: str, line: int | None, kind: str, message: str) -> None:
        if self.strict:
            raise BadInput(file, line, f"{message} [{kind}; rejected by --strict]")
        self.repairs.append(Repair(file, line, kind, message))

    def summary(self, line: str) -> None:
        """A counted change that is not worth a line per occurrence (invisible marks, CRLF)."""
        self.summaries.append(line)

    def counts(self) -> Counter:
        return Counter(repair.kind for repair in self.repairs)

    def lines(self) -> list[str]:
        return [repair.as_text() for repair in self.repairs] + list(self.summaries)
