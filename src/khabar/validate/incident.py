"""One reported problem: where it is, which check found it, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from khabar.validate.checks import CHECKS


@dataclass(frozen=True)
class Incident:
    file: str
    line: int | None
    check: str
    message: str
    record_id: str | None = None

    @property
    def level(self) -> int:
        return CHECKS[self.check].level

    @property
    def severity(self) -> str:
        return CHECKS[self.check].severity

    def as_text(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        tag = f"[L{self.level} {self.check}]"
        if self.severity == "warning":
            tag += " warning:"
        return f"{where}: {tag} {self.message}"

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "level": self.level,
            "check": self.check,
            "severity": self.severity,
            "record": self.record_id,
            "message": self.message,
        }
