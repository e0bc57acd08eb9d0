"""A problem found in the journal, located in the file it came from."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One message for the person: where, which field, what is wrong.

    `message` already says what is expected, in plain words, for example
    "12 is out of range (1-10)".
    """

    source: str
    line: int
    column: int
    field: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{one_line(self.source)}:{self.line}:{self.column}"
        label = "" if self.severity == "error" else "warning: "
        field = f"{one_line(self.field)}: " if self.field else ""
        return f"{where}: {label}{field}{one_line(self.message)}"

    def to_json(self) -> dict:
        return asdict(self)


def one_line(text: str) -> str:
    """Text as it may appear in a one-line message: a line break or other control character
    typed in a value, a field name or a file name is shown escaped (\\n), never obeyed."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def count_summary(entries: int, problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return (
        f"{entries} {'entry' if entries == 1 else 'entries'}, "
        f"{errors} {'error' if errors == 1 else 'errors'}, "
        f"{warnings} {'warning' if warnings == 1 else 'warnings'}"
    )
