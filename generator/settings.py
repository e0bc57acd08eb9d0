"""The journal's settings (the plugin options of mkdocs.yml, the lines of journal.yml):
their defaults, taken from the guide, and the check of every value."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .providers import read_setting, settings_problems

# The US line by default (the guide's fact); a person elsewhere names theirs in `crisis_line`.
DEFAULT_CRISIS_LINE = "the 988 Suicide & Crisis Lifeline (in the US, call or text 988)"


@dataclass(frozen=True)
class Settings:
    """The plugin options for trends, with the guide's defaults.

    window: sessions in each of the two windows compared (the last N against the N before).
    adequate_trial: sessions at one dose before that dose counts as fairly tried (the guide: 3-4).
    noise_threshold: points of lift a change must exceed before it counts as a change.
    gap_weeks: a break between sessions longer than this many weeks is shown as a gap.
    fade_threshold_days: days by which the effect must shorten before it counts as fading.
    providers: other spellings of each prescriber, {name: [spellings]} (see generator.providers);
      kept as (name, (spellings...)) pairs, so that settings can still be hashed.
    crisis_line: where the self-harm notice tells the person to turn besides their local
      emergency number (a crisis line of their country), as plain text.
    """

    window: int = 6
    adequate_trial: int = 3
    noise_threshold: float = 1.0
    gap_weeks: int = 3
    fade_threshold_days: float = 1.0
    providers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    crisis_line: str = DEFAULT_CRISIS_LINE

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))
        object.__setattr__(self, "providers", read_setting(self.providers))

    def problems(self) -> list[str]:
        """Every bad value, each with what is allowed and what was given."""
        found = []
        found += _whole_number_problem("window", self.window, 2, "sessions")
        found += _whole_number_problem("adequate_trial", self.adequate_trial, 1, "sessions")
        found += _whole_number_problem("gap_weeks", self.gap_weeks, 1, "weeks")
        found += _number_problem("noise_threshold", self.noise_threshold, "points of mood")
        found += _number_problem("fade_threshold_days", self.fade_threshold_days, "days")
        found += settings_problems(self.providers)
        found += _crisis_line_problem(self.crisis_line)
        return found

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Settings:
        """Settings from a mapping such as the plugin's config; unknown names are refused, and
        values of any type are checked by __post_init__."""
        known = [f.name for f in fields(cls)]
        unknown = sorted(str(name) for name in options if name not in known)
        if unknown:
            raise ValueError(
                f"unknown trends option {', '.join(repr(n) for n in unknown)}; "
                f"the options are {', '.join(known)}"
            )
        return cls(**options)

    @property
    def min_known(self) -> int:
        """Known values a window needs before its mean is compared: half the window, at least 2."""
        return max(2, (self.window + 1) // 2)


def _whole_number_problem(name: str, value: object, least: int, unit: str) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        return [f"{name} must be a whole number of {unit}, {least} or more (got {value!r})"]
    return []


def _crisis_line_problem(value: object) -> list[str]:
    # Shown inside a sentence of the safety notice: one line of text, short enough to read.
    if not isinstance(value, str) or not value.strip() or not value.isprintable() or len(value) > 200:
        return [f"crisis_line must be one line of text, up to 200 characters, naming a crisis line (got {value!r})"]
    return []


def _number_problem(name: str, value: object, unit: str) -> list[str]:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        return [f"{name} must be a number of {unit}, 0 or more (got {value!r})"]
    return []
