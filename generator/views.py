"""Views: what the pages and the export's summary show, prepared once from the figures.

`build_report` makes a report's `Views` (`make_views`), so the pages (`generator.pages`)
and the summary (`generator.export`) only render: the sessions by month, the problems by
file, the figures' words, the checklists, the check-in sheet's statements, each session
page's title, and the summary's dosing history, providers, completeness and scores. Views
group and count; every text in them is written by `generator.words`.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .journal import Journal
from .problems import Problem
from .trends import (
    MOOD_FIELDS,
    DoseLevel,
    SessionFigures,
    Trends,
    dose_levels,
    same_regimen,
)
from .words import FIELD_LABELS, FigureWords, Signal, checklist_items, month_text, session_title, sheet_statements

# --------------------------------------------------------------------------- the pages


def sessions_by_month(trends: Trends) -> list[tuple[str, list[Any]]]:
    """Newest month first, newest session first inside each month."""
    months: OrderedDict[str, list[Any]] = OrderedDict()
    for figure in sorted(trends.sessions, key=lambda f: f.entry.sort_key, reverse=True):
        label = month_text(figure.entry.day)
        months.setdefault(label, []).append(figure)
    return list(months.items())


def problems_by_source(journal: Journal) -> OrderedDict[str, list[Problem]]:
    """The journal's problems grouped by the file they are in: first the files with errors
    (left out of the figures), each with its errors before its warnings, then the files with
    warnings only; otherwise in the order found."""
    grouped: OrderedDict[str, list[Problem]] = OrderedDict()
    for problem in journal.problems:
        grouped.setdefault(problem.source, []).append(problem)
    for problems in grouped.values():
        problems.sort(key=_warning_last)  # stable: each kind keeps its order
    ordered = sorted(grouped.items(), key=lambda item: _warning_last(item[1][0]))
    return OrderedDict(ordered)


def _warning_last(problem: Problem) -> bool:
    return problem.severity != "error"


# --------------------------------------------------------------------------- the summary


@dataclass
class DosePeriod:
    """Sessions in a row at one dose by one route with one provider: a change of dose, of
    route or of provider, or a break in treatment, ends one. `provider` is the name shown for the run's
    prescriber (Trends.prescriber; None when no session of it names one); `provider_unrecorded` counts the
    sessions in it that name none."""

    level: DoseLevel
    provider: str | None
    provider_unrecorded: int


def dose_periods(trends: Trends) -> list[DosePeriod]:
    """The dosing history's rows, in order. Providers are compared as the signals compare
    them (one prescriber however it is spelled: Trends.prescriber_key), and each row names
    its prescriber by the one name shown for it. A session without a provider stays in the
    run it falls in, rather than starting a row of its own, and is counted as such."""
    breaks = {gap.end for gap in trends.gaps}
    runs: list[list[SessionFigures]] = []
    for figure in trends.sessions:
        if runs and _continues(runs[-1], figure, breaks, trends.prescriber_key):
            runs[-1].append(figure)
        else:
            runs.append([figure])
    return [
        DosePeriod(
            dose_levels(run)[0],
            next((trends.prescriber(s.entry.provider) for s in run if s.entry.provider is not None), None),
            sum(s.entry.provider is None for s in run),
        )
        for run in runs
    ]


def _continues(run: Sequence[SessionFigures], figure: SessionFigures, breaks: set[dt.date],
               provider_key: Callable[[str], str]) -> bool:
    route = next((s.entry.route for s in run if s.entry.route is not None), None)
    if not same_regimen(route, run[-1].dose_mg, figure) or figure.day in breaks:  # a new dose, route or a break
        return False
    named = {provider_key(s.entry.provider) for s in run if s.entry.provider is not None}
    return figure.entry.provider is None or not named or provider_key(figure.entry.provider) in named


@dataclass
class ProviderPeriod:
    name: str
    first: dt.date
    last: dt.date
    sessions: int
    key: str = ""


def provider_periods(trends: Trends) -> list[ProviderPeriod]:
    """Sessions in a row with one prescriber, each named by the one name shown for it and
    given a letter; spellings of one prescriber are one (see Trends.prescriber)."""
    periods: list[ProviderPeriod] = []
    for figure in trends.sessions:
        name = trends.prescriber(figure.entry.provider) if figure.entry.provider is not None else "not recorded"
        if periods and trends.prescriber_key(periods[-1].name) == trends.prescriber_key(name):
            periods[-1].last = figure.day
            periods[-1].sessions += 1
        else:
            periods.append(ProviderPeriod(name, figure.day, figure.day, 1))
    keys: dict[str, str] = {}
    names: dict[str, str] = {}
    for period in periods:
        same = trends.prescriber_key(period.name)
        period.name = names.setdefault(same, period.name)  # one spelling per provider throughout
        period.key = keys.setdefault(same, chr(ord("A") + len(keys)) if len(keys) < 26 else str(len(keys) + 1))
    return periods


def provider_letters(trends: Trends, periods: Sequence[ProviderPeriod]) -> dict[str, str]:
    """Each spelling of a provider in the sessions ("not recorded" for none) -> its letter."""
    by_key = {trends.prescriber_key(p.name): p.key for p in periods}
    spellings = {s.entry.provider or "not recorded" for s in trends.sessions} | {p.name for p in periods}
    return {name: by_key[trends.prescriber_key(name)] for name in sorted(spellings)}


@dataclass
class FieldCompleteness:
    name: str
    label: str
    recorded: int
    empty: list[dt.date]  # empty after it was due (for moods), or simply not written
    to_come: list[dt.date]  # moods not due yet on the export date


def completeness(trends: Trends) -> list[FieldCompleteness]:
    """For each field, in how many sessions it was written, and the days it was not."""
    rows = []
    for name, label in FIELD_LABELS.items():
        empty: list[dt.date] = []
        to_come: list[dt.date] = []
        for figure in trends.sessions:
            if getattr(figure.entry, name) is not None:
                continue
            if name in MOOD_FIELDS and name in figure.pending:
                to_come.append(figure.day)
            else:
                empty.append(figure.day)
        recorded = len(trends.sessions) - len(empty) - len(to_come)
        rows.append(FieldCompleteness(name, label, recorded, empty, to_come))
    return rows


def score_rows(trends: Trends) -> list[dict[str, Any]]:
    """The sessions with a PHQ-9 or GAD-7 score, each total with the band its point carries
    (trends.questionnaire: one point per session with a total, in the same order)."""
    phq9_points, gad7_points = iter(trends.phq9.points), iter(trends.gad7.points)
    rows = []
    for figure in trends.sessions:
        scores = figure.entry.scores
        if scores is None or (scores.phq9 is None and scores.gad7 is None):
            continue
        rows.append({
            "day": figure.day,
            "phq9": scores.phq9_total,
            "phq9_band": next(phq9_points).band if scores.phq9_total is not None else "",
            "phq9_item9": scores.phq9_item9,
            "gad7": scores.gad7_total,
            "gad7_band": next(gad7_points).band if scores.gad7_total is not None else "",
        })
    return rows


@dataclass(frozen=True)
class Views:
    """What the pages and the summary show, prepared from one report's figures and findings
    (see make_views); the templates only render it."""

    words: FigureWords
    months: list[tuple[str, list[Any]]]
    checklists: dict[str, list[dict[str, Any]]]
    sheet: dict[str, list[str]]
    problems_by_source: OrderedDict[str, list[Problem]]
    session_titles: tuple[str, ...]  # one per session of trends.sessions, in order
    dose_periods: list[DosePeriod]
    provider_periods: list[ProviderPeriod]
    provider_keys: dict[str, str]
    provider_legend: dict[str, str]
    several_providers: bool
    routes: list[str]
    tolerability_recorded: bool
    completeness: list[FieldCompleteness]
    score_rows: list[dict[str, Any]]
    notes: list[tuple[Any, str]]  # (the session's date, its notes), when the audience sees notes


def make_views(journal: Journal, trends: Trends, signals: Sequence[Signal], include_notes: bool) -> Views:
    """The views of a report: `journal` the sessions the audience sees, `trends` their
    figures, `signals` the findings worded, `include_notes` whether the audience sees notes."""
    sessions = trends.sessions
    providers = provider_periods(trends)
    return Views(
        words=FigureWords.of(trends),
        months=sessions_by_month(trends),
        checklists=checklist_items(trends, list(signals)),
        sheet=sheet_statements(trends),
        problems_by_source=problems_by_source(journal),
        session_titles=tuple(session_title(f) for f in sessions),
        dose_periods=dose_periods(trends),
        provider_periods=providers,
        provider_keys=provider_letters(trends, providers),
        provider_legend={p.key: p.name for p in providers},
        several_providers=len({p.key for p in providers}) > 1,
        routes=sorted({s.entry.route or "not recorded" for s in sessions}),
        tolerability_recorded=any(s.entry.tolerability is not None for s in sessions),
        completeness=completeness(trends),
        score_rows=score_rows(trends),
        notes=[(s.entry.date, s.entry.notes) for s in sessions if s.entry.notes] if include_notes else [],
    )
