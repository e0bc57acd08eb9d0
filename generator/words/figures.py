"""The figures' own words: the phase, what the window comparison rests on, the doses and
hold times, for the pages (FigureWords) and the other words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..trends import (
    DoseLevel,
    Phase,
    SessionFigures,
    Trends,
    WindowComparison,
    WindowSummary,
)
from .numbers import (
    PHASE_NAMES,
    break_words,
    dose_text,
    duration_text,
    format_day,
    format_doses,
    format_range,
    hold_text,
    join_words,
    plural,
    sessions_word,
)

# --------------------------------------------------------------------------- the figures' own words


def session_title(figure: SessionFigures) -> str:
    """A session page's title: 'Session of 24 Oct 2026', 'Session of 24 Oct 2026, 18:30'."""
    return f"Session of {format_day(figure.entry.date)}"


def phase_name(phase: Phase) -> str:
    return PHASE_NAMES[phase.key]


def phase_restart(trends: Trends) -> str:
    """'Restarted 4 Oct 2026 after a 5-month break, at 50 mg; the phase counts from then (58 days)';
    "" when the phase does not count from a restart."""
    phase = trends.phase
    gap, restarted = phase.restarted_after, phase.restarted_with
    if gap is None or restarted is None:
        return ""
    return (
        f"Restarted {format_day(gap.end)} after a {break_words(gap.days)} break, at "
        f"{dose_text(restarted.dose_mg, restarted.route, trends.several_routes)}; the phase counts from then "
        f"({plural(phase.days_since_restart, 'day')})"
    )


def window_basis(w: WindowComparison) -> str:
    """What the direction of the lift rests on: 'based on 12 sessions (6 recent, 6 before)', or
    'too few sessions to say (...)'; and the break that cut the windows short, if one did."""
    recent, previous = w.recent, w.previous
    if w.direction == "unknown" or previous is None:  # no windows before: the direction is unknown
        basis = (
            f"too few sessions to say ({recent.lift_n} recent and "
            f"{previous.lift_n if previous else 0} earlier sessions with a recorded lift; "
            f"{w.min_known} of each are needed)"
        )
    else:
        basis = (
            f"based on {sessions_word(recent.lift_n + previous.lift_n)} "
            f"({recent.lift_n} recent, {previous.lift_n} before)"
        )
    if w.cut_at is not None:
        basis += (
            f"; only sessions since the restart on {format_day(w.cut_at.end)}, after a "
            f"{break_words(w.cut_at.days)} break"
        )
    return basis


def dates_text(window: WindowSummary) -> str:
    return format_range(window.first, window.last) if window.first and window.last else "no sessions"


def level_text(trends: Trends, level: DoseLevel) -> str:
    """A dose level: '150 mg', or '200 mg intranasal' when routes differ in the journal."""
    return dose_text(level.dose_mg, level.route, trends.several_routes)


def current_dose_text(trends: Trends) -> str:
    """'200 mg', or '200 mg intranasal' when routes differ in the journal."""
    return "" if trends.current_dose is None else dose_text(trends.current_dose, trends.current_route, trends.several_routes)


def current_run_shown_text(trends: Trends) -> str:
    """How much of the current dose's run a copy that left earlier sessions out holds: '9 of
    them in this export, which covers the sessions from 1 Oct 2026 on'; "" when it holds all."""
    if not trends.current_run_left_out or trends.covers_from is None:
        return ""
    shown = len(trends.current_run)
    them = "1 of them" if shown == 1 else f"{shown} of them"
    return f"{them} in this export, which covers the sessions from {format_day(trends.covers_from)} on"


def current_hold_text(trends: Trends) -> str:
    holds = [s.entry.hold_time_min for s in trends.current_run if s.entry.hold_time_min is not None]
    return hold_text((min(holds), max(holds)) if holds else None)


def regimens_text(trends: Trends, sessions: Sequence[SessionFigures]) -> str:
    """The doses of some sessions: 'doses from 100 mg to 150 mg' as format_doses, or with
    routes in order of appearance when routes differ ('200 mg sublingual and 200 mg intranasal')."""
    if not trends.several_routes:
        return format_doses(s.dose_mg for s in sessions)
    seen = dict.fromkeys((s.dose_mg, trends.routes_by_session.get(id(s), s.entry.route)) for s in sessions)
    return join_words([dose_text(dose, route, trends.several_routes) for dose, route in seen]) or "no recorded dose"


def side_effects_text(level: DoseLevel) -> str:
    """The side effects of a dose level's sessions, each with the sessions it was recorded in:
    'nausea 3, headache 1'; 'none' only when sessions recorded them as none; 'not recorded'
    when no session recorded them, which is not the same as none."""
    if level.side_effects_n == 0:
        return "not recorded"
    return ", ".join(f"{name} {count}" for name, count in level.side_effects.items()) or "none"


def side_effects_unrecorded(level: DoseLevel) -> str:
    """'not recorded in 2': the sessions of a dose level without side effects recorded, when
    others have them; '' when all have them, or none (side_effects_text says so then)."""
    unrecorded = level.sessions - level.side_effects_n
    return f"not recorded in {unrecorded}" if 0 < unrecorded < level.sessions else ""


@dataclass(frozen=True)
class FigureWords:
    """The figures' words for the templates, as `words`: {{ words.phase_name }},
    {{ words.level_text(level) }}, {{ words.hold_text(level) }} and so on."""

    trends: Trends
    phase_name: str
    phase_restart: str
    window_basis: str
    current_dose_text: str
    current_hold_text: str
    current_run_shown: str = ""  # see current_run_shown_text

    @classmethod
    def of(cls, trends: Trends) -> FigureWords:
        return cls(trends, phase_name(trends.phase), phase_restart(trends), window_basis(trends.window),
                   current_dose_text(trends), current_hold_text(trends), current_run_shown_text(trends))

    def level_text(self, level: DoseLevel) -> str:
        return level_text(self.trends, level)

    def session_dose(self, figure: SessionFigures) -> str:
        """A session's dose as written: '150 mg', or '150 mg oral' (or '(route not recorded)')
        when the journal has more than one route."""
        return dose_text(figure.entry.dose_mg, figure.entry.route, self.trends.several_routes)

    def hold_text(self, level: DoseLevel) -> str:
        return hold_text(level.hold_time_min)

    def side_effects_text(self, level: DoseLevel) -> str:
        return side_effects_text(level)

    def side_effects_unrecorded(self, level: DoseLevel) -> str:
        return side_effects_unrecorded(level)

    def sentences(self) -> list[str]:
        """Every sentence written about the figures themselves, for the dose-advice scan."""
        restart = [self.phase_restart] if self.phase_restart else []
        shown = [self.current_run_shown] if self.current_run_shown else []
        return [self.phase_name, self.window_basis, *restart, *shown, *(duration_text(s.duration) for s in self.trends.sessions)]
