"""One reported problem: where it is, which check found it, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from khabar.textrules import escaped
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
        file = escaped(self.file)  # shown_path escaped it already, unless made by hand
        where = f"{file}:{self.line}" if self.line is not None else file
        tag = f"[L{self.level} {self.check}]"
        if self.severity == "warning":
            tag += " warning:"
        return f"{where}: {tag} {escaped(self.message)}"  # quoted data: one line, in its order

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
