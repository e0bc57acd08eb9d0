"""Charts: Vega-Lite specs built with Altair from the trends, and their static SVG.

Everything is rendered on this machine: the specs carry their data inline, the report's
pages draw them with the Vega runtime, a local file (`vega_runtime_js`), and the static
SVG, drawn only for what is read without a script (the export's summary), comes from
vl-convert. No chart refers to any other host.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from . import vega_bundle
from .cache import DrawingCache, source_digest
from .entries import DISSOCIATION_LEVELS
from .trends import Gap, Questionnaire, SessionFigures, Trends, mean_and_count, summarize_window
from .words import (
    MOOD_NAMES,
    after_next_words,
    band_range,
    dose_range_text,
    dose_text,
    duration_mean_text,
    duration_text,
    format_dose,
    period_text,
    table_number,
    totals_range,
)

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#767676",
}
# Each mood series, named as a chart names the moment (words.MOOD_NAMES).
MOOD_SERIES = [
    ("pre", MOOD_NAMES["pre_mood"].moment, PALETTE["grey"]),
    ("2h", MOOD_NAMES["post_mood_2h"].moment, PALETTE["blue"]),
    ("day1", MOOD_NAMES["mood_day1"].moment, PALETTE["green"]),
    ("day3", MOOD_NAMES["mood_day3"].moment, PALETTE["orange"]),
    ("day7", MOOD_NAMES["mood_day7"].moment, PALETTE["purple"]),
]
# none, mild, moderate, strong: a neutral grey, then yellow, orange and vermillion, warmer and
# darker with each level, so the order reads from the colours and survives grey printing.
DISSOCIATION_COLOURS = ["#999999", PALETTE["yellow"], PALETTE["orange"], PALETTE["vermillion"]]
# "not recorded" in the dose-against-lift chart: a hollow dot, unlike any level.
NOT_RECORDED_FILL, NOT_RECORDED_STROKE = "#ffffff", PALETTE["grey"]
WIDTH = 640
HEIGHT = 240
# Up to this many sessions, a chart over time draws one mark per session. A longer journal
# is drawn one point per month (or quarter, or year): hundreds of marks side by side on a
# 640-pixel chart cannot be told apart, and drawing tens of thousands of them takes the
# chart renderer hundreds of megabytes and makes a page of tens of megabytes.
MAX_SESSION_MARKS = 150
MAX_PERIODS = 150
# Side effects are free text, and one entry may list hundreds: a row each made a chart tens of
# thousands of pixels high that took the renderer minutes. The most frequent ones get a row of
# their own, the rest share one; every name is cut to a label's length. The full names stay
# in the tables and on the session pages.
MAX_CATEGORIES = 12
MAX_LABEL = 40


@dataclass
class Chart:
    """One chart: what it is called, a sentence saying what it shows, the Vega-Lite
    spec, its data as a table for reading without the picture, and its static SVG when
    asked for (build_charts' `pictures`; else "")."""

    key: str
    title: str
    description: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[str]]
    svg: str = field(default="", repr=False)
    period: str | None = None  # "month", "quarter" or "year" when drawn one point per period


@dataclass
class Period:
    """The sessions of one calendar month, quarter or year, drawn as one point."""

    start: dt.date
    label: str
    sessions: list[SessionFigures]


@dataclass
class Grouping:
    """How the charts over time of a long journal are drawn: one point per period."""

    unit: str  # "month", "quarter" or "year"
    periods: list[Period]
    sessions: int

    @property
    def sentence(self) -> str:
        return (
            f"The journal has {self.sessions:,} sessions, too many to draw one by one, so the charts "
            f"over time show one point per {self.unit}: the average of that {self.unit}'s sessions. "
            "Every session is listed on the Sessions page, and the comparison of the recent "
            "sessions with the ones before uses each session."
        )


class _Altair:
    """Altair, imported when a chart's spec is first made: a build whose charts are all in
    the journal's cache makes no spec, and importing Altair alone takes longer than the
    rest of such a build's own work."""

    def __getattr__(self, name: str) -> Any:
        import altair

        globals()["alt"] = altair
        return getattr(altair, name)


alt: Any = _Altair()


@cache
def _values_type() -> type:
    class _Values(alt.Data):
        """Inline data, put into the spec as it is. Altair's own conversion looks at every
        value of every row, and copies them with each chart it derives; the rows here hold
        only text, numbers and None, which it leaves unchanged, so the spec is the same
        (byte for byte, at 30, 150 and 1,000 entries). Measured (benchmarks/RESULTS.md,
        "Speed tricks"): making the specs at 150 entries takes 0.150 s of CPU with it and
        0.221 s without, which `journal serve` pays on every edit that changes a figure."""

        def __init__(self, values: list[dict[str, Any]], **kwds: Any):
            super().__init__(values=values, **kwds)

        def to_dict(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return {"values": self._kwds["values"]}

        def __deepcopy__(self, memo: Any = None) -> _Values:
            return self  # never changed once made, so Altair's copies of a chart can share it

    return _Values


# One datum of a chart's inline data: a JSON object of text, numbers and None, as Vega-Lite reads it.
Datum = dict[str, Any]


def _Values(values: list[Datum]) -> Any:
    return _values_type()(values)


def _config() -> dict[str, Any]:
    return {
        "background": "#ffffff",
        "font": "sans-serif",
        "view": {"stroke": None},
        "axis": {"labelColor": "#333333", "titleColor": "#333333", "gridColor": "#e6e6e6", "labelFontSize": 12, "titleFontSize": 12},
        "legend": {"labelColor": "#333333", "titleColor": "#333333", "orient": "bottom", "labelFontSize": 12, "titleFontSize": 12},
        "title": {"color": "#111111", "fontSize": 14, "anchor": "start"},
    }


def _set(chart: Any, **properties: Any) -> Any:
    """`chart` with these top-level properties set on it. Altair's `properties()` makes a
    copy first, and a copy of a layered chart copies every layer deeply (each mark and
    encoding with all its unset options): most of the time the specs took."""
    for name, value in properties.items():
        setattr(chart, name, value)
    return chart


@cache
def _layered_type() -> type:
    class _Layered(alt.LayerChart):
        """A LayerChart made from its properties as they are (see `_layer`). Also when
        copied: a copy, as `to_dict` makes, is the class called again with the properties,
        and LayerChart's own `__init__` would copy every layer deeply again."""

        def __init__(self, data: Any = alt.Undefined, layer: Sequence[Any] = (), **kwds: Any):
            # the properties set as given: LayerChart's parent, past LayerChart.__init__
            super(alt.LayerChart, self).__init__(data=data, layer=list(layer), **kwds)

    return _Layered


def _layer(*charts: Any) -> alt.LayerChart:
    """`alt.layer(*charts)` (and `a + b`), the same spec without Altair's copying.

    Altair's LayerChart copies every layer deeply twice when it is made, and again each
    time it is copied (once more in `to_dict`), to give each layer's selection parameters
    a name and move them to the top; a deep copy walks every option of every mark and
    encoding, nearly all of them unset. These layers have no parameters and nothing is
    changed after it is layered, so nothing needs a copy. What the layering does to these
    layers is done here: data that every layer shares (the same object) moves to the top.
    Layers with what else Altair moves (parameters, a size, a view) go to Altair itself.
    The specs are the same, byte for byte and key order included (the example journal;
    30, 150 and 1,000 entries; tests/test_charts.py compares them). Measured (CPU, median
    of 6 runs): the nine specs at 30 entries, the first time in a process, took 0.068 s
    with Altair's layering and 0.023 s with this; at 150 entries the second time (as
    `journal serve` makes them after an edit), 0.063 s and 0.018 s."""
    if any(c._get(name) is not alt.Undefined for c in charts for name in ("params", "width", "height", "view")):
        return alt.layer(*charts)
    layers = list(charts)
    data = layers[0]._get("data")
    if data is not alt.Undefined and all(c._get("data") is data for c in layers):
        layers = [_set(c.copy(deep=False), data=alt.Undefined) for c in layers]
    else:
        data = alt.Undefined
    return _layered_type()(data=data, layer=layers)


def _finish(chart: alt.TopLevelMixin, title: str) -> dict[str, Any]:
    # Not validated here: Altair's check of the inline data against the Vega-Lite schema
    # takes longer than everything else the build does (seconds at a thousand sessions).
    # The specs are the same either way; tests/test_performance.py validates them.
    spec: dict[str, Any] = _set(chart, title=title).to_dict(validate=False)
    spec.pop("$schema", None)  # a URL; the runtime does not need it
    spec["config"] = _config()
    spec["usermeta"] = {"embedOptions": {"actions": False}}
    return spec


def _day(figure: SessionFigures) -> str:
    return figure.entry.day.isoformat()


def _segment_ids(sessions: Sequence[SessionFigures], gaps: Sequence[Gap]) -> list[int]:
    """Sessions after a treatment gap start a new line segment, so no line bridges a gap."""
    starts = sorted(g.end for g in gaps)
    ids, segment = [], 0
    for figure in sessions:
        while segment < len(starts) and figure.entry.day >= starts[segment]:
            segment += 1
        ids.append(segment)
    return ids


Domain = tuple[dt.date, dt.date]


def _domain_scale(domain: Domain) -> alt.Scale:
    lo, hi = domain
    return alt.Scale(type="utc", domain=[
        alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in (lo, hi)
    ])


def _x_date(domain: Domain) -> alt.X:
    """Session dates on the shared time domain (see time_domain); with the year once the
    domain spans more than a year, so no two ticks read the same."""
    form = "%b %Y" if (domain[1] - domain[0]).days > 370 else "%d %b"
    return alt.X("date:T", title="Session date", scale=_domain_scale(domain),
                 axis=alt.Axis(format=form, labelAngle=0, labelOverlap="greedy", tickCount=8))


def _date_tooltip(title: str) -> alt.Tooltip:
    """A session's day in a tooltip. The dates are calendar days, read by Vega as midnight
    UTC: formatted in UTC, as the axis on its utc scale is, so a browser or a build west of
    UTC does not show the day before."""
    return alt.Tooltip("utcyearmonthdate(date):T", format="%d %b %Y", title=title)


_UNITS = ("month", "quarter", "year")


def _period_key(day: dt.date, unit: str) -> tuple[int, int]:
    if unit == "month":
        return day.year, day.month
    if unit == "quarter":
        return day.year, (day.month - 1) // 3
    return day.year, 0


def _period_start(key: tuple[int, int], unit: str) -> dt.date:
    year, part = key
    return dt.date(year, part, 1) if unit == "month" else dt.date(year, 3 * part + 1, 1) if unit == "quarter" else dt.date(year, 1, 1)


def _period_label(key: tuple[int, int], unit: str) -> str:
    return period_text(key[0], key[1], unit)


def _periods_spanned(first: dt.date, last: dt.date, unit: str) -> int:
    months = (last.year - first.year) * 12 + last.month - first.month
    if unit == "month":
        return months + 1
    if unit == "quarter":
        return (last.year - first.year) * 4 + (last.month - 1) // 3 - (first.month - 1) // 3 + 1
    return last.year - first.year + 1


def period_unit(days: Sequence[dt.date]) -> str | None:
    """None (one mark each) for up to MAX_SESSION_MARKS days; else the shortest of month,
    quarter and year that spans at most MAX_PERIODS periods (a year, whatever the span)."""
    if len(days) <= MAX_SESSION_MARKS:
        return None
    first, last = min(days), max(days)
    return next((u for u in _UNITS[:-1] if _periods_spanned(first, last, u) <= MAX_PERIODS), "year")


def group_by_period(sessions: Sequence[SessionFigures], unit: str) -> list[Period]:
    """Sessions in calendar periods, oldest first; periods without a session are left out."""
    periods: dict[tuple[int, int], list[SessionFigures]] = {}
    for figure in sessions:
        periods.setdefault(_period_key(figure.entry.day, unit), []).append(figure)
    return [Period(_period_start(k, unit), _period_label(k, unit), periods[k]) for k in sorted(periods)]


def chart_grouping(trends: Trends) -> Grouping | None:
    """How the charts over time group sessions: None while each session is its own mark."""
    unit = period_unit([f.entry.day for f in trends.sessions])
    if unit is None:
        return None
    return Grouping(unit, group_by_period(trends.sessions, unit), len(trends.sessions))


def _period_segments(periods: Sequence[Period], unit: str) -> list[int]:
    """A period after one without sessions starts a new line segment, so no line bridges it."""
    ids, segment = [], 0
    for index, period in enumerate(periods):
        if index and _periods_spanned(periods[index - 1].start, period.start, unit) > 2:
            segment += 1
        ids.append(segment)
    return ids


def _mean(values: Sequence[float | int | None]) -> float | None:
    """The mean of the known values, as a chart shows it (two decimals)."""
    mean, _ = mean_and_count(values)
    return None if mean is None else round(mean, 2)


def _x_period(unit: str, domain: Domain) -> alt.X:
    title = {"month": "Month", "quarter": "Quarter", "year": "Year"}[unit]
    form = "%Y" if unit == "year" else "%b %Y"
    return alt.X("date:T", title=title, scale=_domain_scale(domain), axis=alt.Axis(format=form, labelAngle=0, labelOverlap="greedy", tickCount=8))


_HALF_PERIOD_DAYS = {"month": 15, "quarter": 45, "year": 182}


def time_domain(trends: Trends) -> Domain:
    """The one x domain of every chart over time, so they line up on the page: from the
    first mark (a session's day, or the start of its month, quarter or year when drawn one
    point per period) to the last, with room on both sides so no mark at an end is cut
    off: a few days, a fiftieth of the span, or half a period when grouped."""
    days = [f.entry.day for f in trends.sessions]
    days += [p.day for q in (trends.phq9, trends.gad7) for p in q.points]
    lo, hi = min(days), max(days)
    found = [period_unit([f.entry.day for f in trends.sessions])]
    found += [period_unit([p.day for p in q.points]) for q in (trends.phq9, trends.gad7) if q.points]
    units = {unit for unit in found if unit is not None}
    for unit in units:
        lo = min(lo, _period_start(_period_key(lo, unit), unit))
    pad = max([3, round((hi - lo).days / 50)] + [_HALF_PERIOD_DAYS[u] for u in units])
    return lo - dt.timedelta(days=pad), hi + dt.timedelta(days=pad)


def _dot_size(n: int) -> int:
    """Area of the dot on each recorded value: as large as fits between n marks."""
    return int(max(6, min(40, (WIDTH / max(n, 1) * 0.7) ** 2)))


def _count_values(top: int) -> list[int]:
    """The counts a size legend shows: 1, a few round numbers, and the largest; never 0."""
    if top <= 4:
        return list(range(1, top + 1))
    nice = [n for n in (2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if n * 1.6 <= top]
    return [1] + nice[-2:] + [top]


def _size_by_count(field_name: str, top: int, range_: list[int]) -> alt.Size:
    """Size by a count of sessions: the scale and legend start at 1, the smallest real count."""
    return alt.Size(field_name, title="Sessions", scale=alt.Scale(domain=[1, max(top, 5)], range=range_, zero=False),
                    legend=alt.Legend(values=_count_values(top)))


def _doses_text(sessions: Sequence[SessionFigures]) -> str:
    return dose_range_text(f.entry.dose_mg for f in sessions)


def _whole_point_axis(values: Sequence[float | int | None]) -> alt.Axis:
    """Lifts are whole points: over a small range, a tick at each whole point from 0 (where
    bars start) to the highest, rather than the renderer's 0.5 steps."""
    known = [v for v in values if v is not None]
    low, high = min([0, *known]), max([0, *known])
    if high - low <= 12:
        return alt.Axis(values=list(range(math.floor(low), math.ceil(high) + 1)), format="d")
    return alt.Axis(tickMinStep=1, format="d")


def _bars_with_dots(base: alt.Chart, n: int, **colour: str) -> alt.LayerChart:
    """A bar and a dot for each of n values: a value of 0 (no bar) still shows as a dot on the
    zero line, while a missing one (filtered out of `base`) has neither."""
    return _layer(base.mark_bar(width=_bar_width(n), **colour), base.mark_circle(opacity=1, size=_dot_size(n), **colour))


def _bar_width(n: int) -> int:
    """Bars as wide as fits side by side: 6 pixels for a few, down to 1 for many."""
    return max(1, min(6, int(WIDTH / max(n, 1) * 0.6)))


# The mood chart's lines in the order they are drawn (Vega draws the lines of a mark in the
# order their data first appears): 'before' last, so the line every other is read against
# stays in sight where a later mood equals it, dashed so that the line under it shows too.
_MOOD_DRAWN = [*MOOD_SERIES[1:], MOOD_SERIES[0]]
_BEFORE_DASH, _SOLID = [5, 3], [1, 0]


def _mood_series_encoding() -> dict[str, Any]:
    """Colour and dash by series, in the legend's order (before, 2 hours, days 1, 3, 7)."""
    labels = [label for _, label, _ in MOOD_SERIES]
    dashes = [_BEFORE_DASH] + [_SOLID] * (len(labels) - 1)
    return {
        "color": alt.Color("series:N", title=None, sort=labels, scale=alt.Scale(domain=labels, range=[c for _, _, c in MOOD_SERIES]),
                           legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=2.5)),  # the legend shows the dash
        "strokeDash": alt.StrokeDash("series:N", title=None, sort=labels, scale=alt.Scale(domain=labels, range=dashes)),
        "detail": alt.Detail("segment:N"),
    }


def mood_chart(trends: Trends) -> Chart:
    segments = _segment_ids(trends.sessions, trends.gaps)
    rows = []
    values = []
    for figure, segment in zip(trends.sessions, segments):
        e = figure.entry
        moods = {"pre": e.pre_mood, "2h": e.post_mood_2h, "day1": e.mood_day1, "day3": e.mood_day3, "day7": e.mood_day7}
        rows.append([_day(figure), format_dose(e.dose_mg)] + [table_number(moods[k]) + _after_next(figure, k) for k, _, _ in MOOD_SERIES])
        for key, label, _ in _MOOD_DRAWN:
            values.append({"date": _day(figure), "series": label, "mood": moods[key], "segment": segment})
    base = alt.Chart(_Values(values)).encode(
        x=_x_date(time_domain(trends)),
        y=alt.Y("mood:Q", title="Mood (1-10)", scale=alt.Scale(domain=[1, 10])),
        **_mood_series_encoding(),
    )
    tooltip = [_date_tooltip(title="Session"), alt.Tooltip("series:N", title="When"),
               alt.Tooltip("mood:Q", title="Mood (1-10)")]
    # The tooltip on the points only: a line's tooltip shows one point's values wherever it is hovered.
    chart = _set(_layer(base.mark_line(strokeWidth=1.5), base.mark_point(filled=True, size=28).encode(tooltip=tooltip)), width=WIDTH, height=HEIGHT)
    return Chart(
        "mood",
        "Mood before and after each session",
        "Each line is one moment around the session: before, two hours after, and days 1, 3 and 7. "
        "Where the later lines sink towards the grey dashed 'before' line, the effect is fading sooner. "
        "Missing follow-ups and treatment gaps leave breaks in the lines.",
        _finish(chart, "Mood before and after each session"),
        ["Session", "Dose", "Before", "2 hours", "Day 1", "Day 3", "Day 7"],
        rows,
    )


_MOOD_FIELD = {"2h": "post_mood_2h", "day1": "mood_day1", "day3": "mood_day3", "day7": "mood_day7"}


def _after_next(figure: SessionFigures, key: str) -> str:
    """' (after the next session, 1 Oct)' for a follow-up dated after the next session."""
    if _MOOD_FIELD.get(key) not in figure.after_next or figure.next_day is None:
        return ""
    return f" ({after_next_words(figure, with_year=False)})"


def _dose_steps(trends: Trends) -> list[dict[str, Any]]:
    """A marker where a run at one dose and route starts (a route change is a change of
    exposure too); labelled with the route when the journal has more than one."""
    routes = trends.routes_by_session
    steps, previous = [], None
    for figure in trends.sessions:
        regimen = (figure.entry.dose_mg, routes.get(id(figure)))
        if previous is not None and regimen != previous:
            steps.append({"date": _day(figure), "label": dose_text(*regimen, trends.several_routes)})
        previous = regimen
    return steps


def _rolling_mean(values: Sequence[float | None], size: int) -> list[float | None]:
    means: list[float | None] = []
    for i in range(len(values)):
        window = [v for v in values[max(0, i - size + 1): i + 1] if v is not None]
        means.append(round(sum(window) / len(window), 2) if len(window) >= min(size, 2) else None)
    return means


def lift_chart(trends: Trends) -> Chart:
    size = max(2, min(3, trends.settings.window))
    lifts = [f.lift for f in trends.sessions]
    means = _rolling_mean(lifts, size)
    segments = _segment_ids(trends.sessions, trends.gaps)
    values: list[Datum] = [
        {"date": _day(f), "lift": f.lift, "mean": m, "dose": format_dose(f.entry.dose_mg), "segment": s}
        for f, m, s in zip(trends.sessions, means, segments)
    ]
    steps = _dose_steps(trends)
    data = _Values(values)
    x = _x_date(time_domain(trends))
    tooltip = [_date_tooltip(title="Session"), alt.Tooltip("dose:N", title="Dose"),
               alt.Tooltip("lift:Q", title="Lift")]
    y = alt.Y("lift:Q", title="Change in mood after 2 hours", axis=_whole_point_axis([v["lift"] for v in values]))
    bars = alt.Chart(data).mark_bar(width=_bar_width(len(values)), color=PALETTE["blue"]).encode(x=x, y=y, tooltip=tooltip)
    # A dot on every recorded lift, so a lift of 0 (no bar) shows; a missing lift has neither.
    dots = alt.Chart(data).transform_filter("datum.lift != null").mark_circle(
        color=PALETTE["blue"], opacity=1, size=_dot_size(len(values))
    ).encode(x=x, y=y, tooltip=tooltip)
    mean_line = alt.Chart(data).mark_line(color=PALETTE["orange"], strokeWidth=2).encode(
        x=x, y=alt.Y("mean:Q", axis=_whole_point_axis([v["lift"] for v in values])), detail=alt.Detail("segment:N")
    )
    layers = [bars, dots, mean_line]
    if steps:
        step_data = _Values(steps)
        step_tooltip = [_date_tooltip(title="Dose changed"), alt.Tooltip("label:N", title="New dose")]
        layers.append(alt.Chart(step_data).mark_rule(strokeDash=[4, 3], color=PALETTE["grey"]).encode(x=x, tooltip=step_tooltip))
        layers.append(
            # Above the plot, clear of the bars; written upwards, so steps close together do not overlap.
            alt.Chart(step_data).mark_text(angle=270, align="left", baseline="middle", color="#333333", fontSize=12)
            .encode(x=x, y=alt.YValue(-4), text=alt.Text("label:N"), tooltip=step_tooltip)
        )
    chart = _set(_layer(*layers), width=WIDTH, height=HEIGHT)
    return Chart(
        "lift",
        "Lift after each session",
        f"Bars show how many points mood rose from before the session to two hours after; a dot on the zero "
        f"line with no bar is a lift of 0. A session with no dot has no lift: its mood before or two hours after "
        f"was not written down. The orange line is a rolling average: each session and the "
        f"{'one' if size == 2 else 'two'} before it; dashed lines mark a change of dose"
        f"{' or of route (the same mg by another route is not the same exposure)' if trends.several_routes else ''}"
        ", named above the chart.",
        _finish(chart, "Lift after each session (2 hours after minus before)"),
        ["Session", "Dose", "Lift", f"Average of last {size}"],
        [[v["date"], v["dose"], table_number(v["lift"]), table_number(v["mean"])] for v in values],
    )


def duration_chart(trends: Trends) -> Chart:
    values, rows = [], []
    for figure in trends.sessions:
        d = figure.duration
        shown = 7 if d.beyond_day7 else d.days
        kind = ("lasted past day 7" if d.beyond_day7 else "still above at the next session" if d.at_next
                else "faded" if d.days is not None else "unknown")
        values.append({"date": _day(figure), "days": shown, "kind": kind, "text": duration_text(d)})
        rows.append([_day(figure), format_dose(figure.entry.dose_mg), duration_text(d)])
    kinds = ["faded", "lasted past day 7", "still above at the next session"]
    base = alt.Chart(_Values(values)).transform_filter("datum.days != null").encode(
        x=_x_date(time_domain(trends)),
        y=alt.Y("days:Q", title="Days until mood was back to 'before'", scale=alt.Scale(domain=[0, 7])),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=[PALETTE["blue"], PALETTE["green"], PALETTE["sky"]])),
        tooltip=[_date_tooltip(title="Session"), alt.Tooltip("text:N", title="Effect lasted")],
    )
    chart = _set(_bars_with_dots(base, len(values)), width=WIDTH, height=HEIGHT)
    return Chart(
        "duration",
        "How long the effect lasted",
        "For each session, the number of days until mood fell back to its level before the session, read "
        "from the follow-ups and only up to the next session (green: still above it on day 7; light blue: "
        "still above it at the next session, so at least that long). A dot on the zero line with no bar is 0 days: "
        "mood was no higher two hours after than before. A session with no dot has no estimate: a follow-up "
        "it needs is missing or still to come.",
        _finish(chart, "How long the effect lasted (days)"),
        ["Session", "Dose", "Effect lasted"],
        rows,
    )


def dose_chart(trends: Trends) -> Chart:
    segments = _segment_ids(trends.sessions, trends.gaps)
    values: list[Datum] = [{"date": _day(f), "dose": f.entry.dose_mg, "segment": s} for f, s in zip(trends.sessions, segments)]
    base = alt.Chart(_Values(values)).encode(
        x=_x_date(time_domain(trends)), y=alt.Y("dose:Q", title="Dose (mg)", scale=alt.Scale(zero=True)), detail=alt.Detail("segment:N"),
    )
    tooltip = [_date_tooltip(title="Session"), alt.Tooltip("dose:Q", title="Dose (mg)")]
    chart = _set(_layer(
        base.mark_line(interpolate="step-after", color=PALETTE["blue"]),
        base.mark_point(filled=True, color=PALETTE["blue"], size=24).encode(tooltip=tooltip),
    ), width=WIDTH, height=180)
    return Chart(
        "dose",
        "Dose over time",
        "The dose of each session in mg; each step is a change of dose.",
        _finish(chart, "Dose over time (mg)"),
        ["Session", "Dose"],
        [[v["date"], format_dose(v["dose"])] for v in values],
    )


def dose_lift_chart(trends: Trends) -> Chart:
    sessions = [f for f in trends.sessions if f.lift is not None]
    # Sessions with the same dose, lift and dissociation share one dot, sized by their number.
    groups: dict[tuple[float, int | None, str], list[str]] = {}  # the lift is never None here
    for f in sessions:
        key = (f.entry.dose_mg, f.lift, f.entry.dissociation or "not recorded")
        groups.setdefault(key, []).append(_day(f))
    values: list[Datum] = [
        {"dose": dose, "lift": lift, "dissociation": level, "sessions": len(days)}
        for (dose, lift, level), days in sorted(groups.items())
    ]
    levels = list(DISSOCIATION_LEVELS) + ["not recorded"]
    top = max((v["sessions"] for v in values), default=1)
    # Filled with the level's colour and outlined in dark grey; "not recorded" hollow, outlined
    # in mid grey. Fill and outline share the field and title, so they make one legend.
    chart = _set(alt.Chart(_Values(values)).mark_point(filled=True, shape="circle", opacity=0.9, strokeWidth=1).encode(
        x=alt.X("dose:Q", title="Dose (mg)", scale=alt.Scale(zero=False, padding=20)),
        y=alt.Y("lift:Q", title="Lift (points)", axis=_whole_point_axis([v["lift"] for v in values])),
        size=_size_by_count("sessions:Q", top, [50, 600]),
        fill=alt.Fill("dissociation:N", title="Dissociation", sort=levels,
                      scale=alt.Scale(domain=levels, range=DISSOCIATION_COLOURS + [NOT_RECORDED_FILL])),
        stroke=alt.Stroke("dissociation:N", title="Dissociation", sort=levels,
                          scale=alt.Scale(domain=levels, range=["#333333"] * len(DISSOCIATION_LEVELS) + [NOT_RECORDED_STROKE])),
        order=alt.Order("sessions:Q", sort="descending"),  # small dots drawn over big ones
        tooltip=[alt.Tooltip("dose:Q", title="Dose (mg)"), alt.Tooltip("lift:Q", title="Lift (points)"),
                 alt.Tooltip("dissociation:N", title="Dissociation"), alt.Tooltip("sessions:Q", title="Sessions")],
    ), width=WIDTH, height=HEIGHT)
    return Chart(
        "dose_lift",
        "Dose against lift",
        "Each dot stands for sessions with the same dose, lift (how much mood rose two hours after) "
        "and dissociation; bigger dots are more sessions. Stronger dissociation is not the same as more benefit.",
        _finish(chart, "Dose against lift, coloured by dissociation"),
        ["Session", "Dose", "Lift", "Dissociation"],
        [[_day(f), format_dose(f.entry.dose_mg), table_number(f.lift), f.entry.dissociation or "not recorded"] for f in sessions],
    )


def dissociation_chart(trends: Trends) -> Chart:
    values, rows = [], []
    for level in trends.dose_levels:
        counts = level.dissociation
        rows.append([format_dose(level.dose_mg)] + [table_number(counts.get(name, 0)) for name in DISSOCIATION_LEVELS])
        for name in DISSOCIATION_LEVELS:
            if counts.get(name):
                values.append({"dose": format_dose(level.dose_mg), "dose_mg": level.dose_mg, "level": name, "sessions": counts[name]})
    order = [format_dose(level.dose_mg) for level in sorted(trends.dose_levels, key=lambda level: level.dose_mg)]
    chart = _set(alt.Chart(_Values(values)).mark_bar(stroke="#ffffff", strokeWidth=0.5).encode(
        x=alt.X("dose:N", title="Dose", sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sessions:Q", title="Sessions"),
        color=alt.Color("level:N", title="Dissociation", sort=list(DISSOCIATION_LEVELS),
                        scale=alt.Scale(domain=list(DISSOCIATION_LEVELS), range=DISSOCIATION_COLOURS)),
        order=alt.Order("level_order:Q"),
        tooltip=[alt.Tooltip("dose:N", title="Dose"), alt.Tooltip("level:N", title="Dissociation"),
                 alt.Tooltip("sessions:Q", title="Sessions")],
    ).transform_calculate(
        level_order=" + ".join(f"(datum.level == '{n}' ? {i} : 0)" for i, n in enumerate(DISSOCIATION_LEVELS))
    ), width=min(WIDTH, 120 * max(1, len(order))), height=HEIGHT)
    return Chart(
        "dissociation",
        "Dissociation at each dose",
        "How many sessions at each dose felt like no, mild, moderate or strong dissociation.",
        _finish(chart, "Dissociation at each dose"),
        ["Dose"] + [n.capitalize() for n in DISSOCIATION_LEVELS],
        rows,
    )


def short_label(text: str, limit: int = MAX_LABEL) -> str:
    """Text as a chart label: at most `limit` characters, cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


@dataclass
class Categories:
    """What each side effect is called in the charts: the MAX_CATEGORIES most frequent by
    their (shortened) names, the others together in one row; `order` is the rows' order."""

    label: dict[str, str]
    order: list[str] | None  # None: Vega's own order (by name), as when nothing is grouped
    others: int = 0  # how many kinds share the "other" row

    @property
    def sentence(self) -> str:
        """What the chart does with the names, for its description ("" when nothing)."""
        if self.order is None:
            return ""
        text = " Long names are cut short; the chart's table lists every side effect in full."
        if self.others:
            text = (f" The {MAX_CATEGORIES} most frequent side effects have a row each; the other {self.others:,} "
                    "kinds share the last row." + text)
        return text


def side_effect_categories(sessions: Sequence[SessionFigures]) -> Categories:
    counts: dict[str, int] = {}
    for figure in sessions:
        for effect in dict.fromkeys(figure.entry.side_effects or []):
            counts[effect] = counts.get(effect, 0) + 1
    ranked = sorted(counts, key=lambda e: (-counts[e], e))
    # One row for a single other kind would hide its name and save nothing.
    named = ranked if len(ranked) <= MAX_CATEGORIES + 1 else ranked[:MAX_CATEGORIES]
    label: dict[str, str] = {}
    taken: set[str] = set()
    for effect in named:
        text, number = short_label(effect), 1
        while text in taken:  # two long names that start alike stay two rows
            number += 1
            text = short_label(effect, MAX_LABEL - len(f" ({number})")) + f" ({number})"
        label[effect] = text
        taken.add(text)
    rest = ranked[len(named):]
    if not rest and all(label[e] == e for e in named):
        return Categories(label, None)
    other = f"other ({len(rest):,} kinds)"
    label.update(dict.fromkeys(rest, other))
    order = sorted(label[e] for e in named) + ([other] if rest else [])
    return Categories(label, order, len(rest))


def side_effects_chart(trends: Trends) -> Chart:
    values, rows = [], []
    categories = side_effect_categories(trends.sessions)
    for figure in trends.sessions:
        effects = figure.entry.side_effects
        rows.append([_day(figure), "not recorded" if effects is None else (", ".join(effects) or "none")])
        for category in dict.fromkeys(categories.label[e] for e in effects or []):
            values.append({"date": _day(figure), "effect": category})
    y = alt.Y("effect:N", title=None) if categories.order is None else alt.Y("effect:N", title=None, sort=categories.order)
    chart = _set(alt.Chart(_Values(values)).mark_square(size=60, color=PALETTE["vermillion"]).encode(
        x=_x_date(time_domain(trends)), y=y,
        tooltip=[_date_tooltip(title="Session"), alt.Tooltip("effect:N", title="Side effect")],
    ), width=WIDTH, height=max(60, 24 * len({v["effect"] for v in values})))
    return Chart(
        "side_effects",
        "Side effects by session",
        "Each square is a side effect written down for a session. Rows that fill up over time show a side "
        "effect becoming more frequent." + categories.sentence,
        _finish(chart, "Side effects by session"),
        ["Session", "Side effects"],
        rows,
    )


def questionnaire_chart(questionnaire: Questionnaire, key: str, domain: Domain | None = None) -> Chart:
    """Every score as written; a long series (more than MAX_SESSION_MARKS scores) one point
    per period, the average total. `domain`: the x domain shared with the other charts over
    time (time_domain); without it, the questionnaire's own dates with a few days' room."""
    unit = period_unit([p.day for p in questionnaire.points])
    if domain is None:
        days = [p.day for p in questionnaire.points]
        lo = min(days) if unit is None else _period_start(_period_key(min(days), unit), unit)
        pad = dt.timedelta(days=3 if unit is None else _HALF_PERIOD_DAYS[unit])
        domain = (lo - pad, max(days) + pad)
    if unit is None:
        values: list[Datum] = [{"date": p.day.isoformat(), "total": p.total, "band": p.band} for p in questionnaire.points]
        rows = [[v["date"], table_number(v["total"]), v["band"]] for v in values]
        columns = ["Date", "Total", "Severity"]
        x = _x_date(domain)
        tooltip = [_date_tooltip(title="Date"), alt.Tooltip("total:Q", title="Total"),
                   alt.Tooltip("band:N", title="Severity")]
        title, spec_title = f"{questionnaire.name} over time", f"{questionnaire.name} total over time"
        description = f"{questionnaire.name} totals as written in the journal, over the standard severity bands (lower is better)."
    else:
        groups: dict[tuple[int, int], list[int]] = {}
        for point in questionnaire.points:
            groups.setdefault(_period_key(point.day, unit), []).append(point.total)
        values, rows = [], []
        for k in sorted(groups):
            totals, label = groups[k], _period_label(k, unit)
            values.append({"date": _period_start(k, unit).isoformat(), "period": label, "total": _mean(totals)})
            rows.append([label, table_number(len(totals)), table_number(_mean(totals)), totals_range(min(totals), max(totals))])
        columns = [unit.capitalize(), "Scores", "Average total", "Lowest to highest"]
        x, tooltip = _x_period(unit, domain), [alt.Tooltip("period:N", title=unit.capitalize()), alt.Tooltip("total:Q", title="Average total")]
        title = f"{questionnaire.name} over time, {unit} by {unit}"
        spec_title = f"{questionnaire.name} total over time, {unit} by {unit} (average)"
        description = (
            f"The average of each {unit}'s {questionnaire.name} totals as written in the journal, over the "
            "standard severity bands (lower is better)."
        )
    top = questionnaire.bands[-1][1]
    # Totals are whole numbers: a band from 10 to 14 is drawn from 9.5 to 14.5, so a total on
    # a band's first or last value sits inside it, not on the line between two bands.
    bands = [
        {"from": max(0, lo - 0.5), "to": min(top, hi + 0.5), "middle": (max(0, lo - 0.5) + min(top, hi + 0.5)) / 2,
         "band": name, "range": band_range(lo, hi)}
        for lo, hi, name in questionnaire.bands
    ]
    shades = ["#f4f4f4", "#e8e8e8", "#dcdcdc", "#d0d0d0", "#c4c4c4"][: len(bands)]
    band_tooltip = [alt.Tooltip("band:N", title="Severity"), alt.Tooltip("range:N", title="Totals")]
    band_layer = alt.Chart(_Values(bands)).mark_rect(opacity=0.9).encode(
        y=alt.Y("from:Q", title=f"{questionnaire.name} total", scale=alt.Scale(domain=[0, top], nice=False)), y2=alt.Y2("to:Q"),
        color=alt.Color("band:N", legend=None, scale=alt.Scale(domain=[b["band"] for b in bands], range=shades)),
        tooltip=band_tooltip,
    )
    # Each band's name in the middle of its band, to the right of the plot, clear of the scores.
    labels = alt.Chart(_Values(bands)).mark_text(align="left", baseline="middle", dx=6, color="#444444", fontSize=12).encode(
        y=alt.Y("middle:Q"), x=alt.XValue(WIDTH), text=alt.Text("band:N"), tooltip=band_tooltip,
    )
    base = alt.Chart(_Values(values)).encode(x=x, y=alt.Y("total:Q"))
    size = 40 if unit is None else 20
    line = _layer(base.mark_line(color=PALETTE["blue"]), base.mark_point(filled=True, color=PALETTE["blue"], size=size).encode(tooltip=tooltip))
    chart = _set(_layer(band_layer, labels, line), resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="independent")), width=WIDTH, height=HEIGHT)
    return Chart(key, title, description, _finish(chart, spec_title), columns, rows, period=unit)


# --- a long journal: one point per period ---------------------------------------------


def _per(grouping: Grouping) -> str:
    return f"{grouping.unit}'s sessions"


def grouped_mood_chart(trends: Trends, grouping: Grouping) -> Chart:
    periods, unit = grouping.periods, grouping.unit
    rows, values = [], []
    for period, segment in zip(periods, _period_segments(periods, unit)):
        e = [f.entry for f in period.sessions]
        moods = {
            "pre": _mean([x.pre_mood for x in e]), "2h": _mean([x.post_mood_2h for x in e]),
            "day1": _mean([x.mood_day1 for x in e]), "day3": _mean([x.mood_day3 for x in e]), "day7": _mean([x.mood_day7 for x in e]),
        }
        rows.append([period.label, table_number(len(e)), _doses_text(period.sessions)] + [table_number(moods[k]) for k, _, _ in MOOD_SERIES])
        for key, label, _ in _MOOD_DRAWN:
            values.append({"date": period.start.isoformat(), "period": period.label, "series": label, "mood": moods[key], "segment": segment})
    base = alt.Chart(_Values(values)).encode(
        x=_x_period(unit, time_domain(trends)),
        y=alt.Y("mood:Q", title=f"Mood (1-10), average per {unit}", scale=alt.Scale(domain=[1, 10])),
        **_mood_series_encoding(),
    )
    tooltip = [alt.Tooltip("period:N", title=unit.capitalize()), alt.Tooltip("series:N", title="When"),
               alt.Tooltip("mood:Q", title="Average mood")]
    chart = _set(_layer(base.mark_line(strokeWidth=1.5), base.mark_point(filled=True, size=20).encode(tooltip=tooltip)), width=WIDTH, height=HEIGHT)
    title = f"Mood before and after the sessions, {unit} by {unit}"
    return Chart(
        "mood", title,
        f"Each point is the average mood of one {_per(grouping)}: before, two hours after, and days 1, 3 and 7 "
        "(each average uses the sessions that have that value). Where the later lines sink towards the grey "
        f"dashed 'before' line, the effect is fading sooner. {unit.capitalize()}s without a session leave breaks in the lines.",
        _finish(chart, title),
        [unit.capitalize(), "Sessions", "Dose", "Before", "2 hours", "Day 1", "Day 3", "Day 7"],
        rows, period=unit,
    )


def grouped_lift_chart(trends: Trends, grouping: Grouping) -> Chart:
    unit, values, rows = grouping.unit, [], []
    for period in grouping.periods:
        lifts = [f.lift for f in period.sessions if f.lift is not None]
        mean = _mean(lifts)
        values.append({"date": period.start.isoformat(), "period": period.label, "lift": mean, "sessions": len(lifts)})
        rows.append([period.label, table_number(len(period.sessions)), _doses_text(period.sessions), table_number(mean), table_number(len(lifts))])
    base = alt.Chart(_Values(values)).transform_filter("datum.lift != null").encode(
        x=_x_period(unit, time_domain(trends)), y=alt.Y("lift:Q", title=f"Change in mood after 2 hours, average per {unit}"),
        tooltip=[alt.Tooltip("period:N", title=unit.capitalize()), alt.Tooltip("lift:Q", title="Average lift"),
                 alt.Tooltip("sessions:Q", title="Sessions with a lift")],
    )
    chart = _set(_bars_with_dots(base, len(values), color=PALETTE["blue"]), width=WIDTH, height=HEIGHT)
    title = f"Lift, {unit} by {unit}"
    return Chart(
        "lift", title,
        f"Each bar is the average lift of one {_per(grouping)}: how many points mood rose from before the "
        f"session to two hours after; a dot on the zero line with no bar is an average of 0. A {unit} with no "
        "dot has no session with both moods written down. The dose chart shows when the dose changed.",
        _finish(chart, f"{title} (average of 2 hours after minus before)"),
        [unit.capitalize(), "Sessions", "Dose", "Average lift", "Sessions with a lift"],
        rows, period=unit,
    )


def grouped_duration_chart(trends: Trends, grouping: Grouping) -> Chart:
    unit, values, rows = grouping.unit, [], []
    for period in grouping.periods:
        known = [f.duration for f in period.sessions if f.duration.days is not None]
        mean = _mean([d.days for d in known])
        beyond = sum(1 for d in known if d.beyond_day7)
        summary = summarize_window(period.sessions)
        text = "unknown" if summary.mean_duration is None else duration_mean_text(summary)
        values.append({"date": period.start.isoformat(), "period": period.label, "days": mean, "text": text})
        rows.append([period.label, table_number(len(period.sessions)), text, table_number(len(known)), table_number(beyond)])
    base = alt.Chart(_Values(values)).transform_filter("datum.days != null").encode(
        x=_x_period(unit, time_domain(trends)),
        y=alt.Y("days:Q", title="Days until mood was back to 'before'", scale=alt.Scale(domain=[0, 7])),
        tooltip=[alt.Tooltip("period:N", title=unit.capitalize()), alt.Tooltip("text:N", title="Effect lasted (average)")],
    )
    chart = _set(_bars_with_dots(base, len(values), color=PALETTE["blue"]), width=WIDTH, height=HEIGHT)
    title = f"How long the effect lasted, {unit} by {unit}"
    return Chart(
        "duration", title,
        f"Each bar is the average number of days until mood fell back to its level before the session, over one "
        f"{_per(grouping)} whose follow-ups show it; a dot on the zero line with no bar is an average of 0 days. "
        f"A {unit} with no dot has no session with an estimate (a follow-up it needs is missing or still to come). "
        "A session still above that level on day 7 counts as 7, so such an average is a lower bound.",
        _finish(chart, f"{title} (days, average)"),
        [unit.capitalize(), "Sessions", "Effect lasted (average)", "Sessions it rests on", "Of them past day 7"],
        rows, period=unit,
    )


def grouped_dose_chart(trends: Trends, grouping: Grouping) -> Chart:
    unit = grouping.unit
    values: list[Datum] = []
    for period in grouping.periods:
        doses = [f.entry.dose_mg for f in period.sessions]
        values.append({"date": period.start.isoformat(), "period": period.label, "lowest": min(doses), "highest": max(doses),
                       "doses": _doses_text(period.sessions)})
    base = alt.Chart(_Values(values)).encode(
        x=_x_period(unit, time_domain(trends)),
        tooltip=[alt.Tooltip("period:N", title=unit.capitalize()), alt.Tooltip("doses:N", title="Doses")],
    )
    y = alt.Y("lowest:Q", title="Dose (mg)", scale=alt.Scale(zero=True))
    chart = _set(_layer(
        base.mark_rule(color=PALETTE["blue"], strokeWidth=2).encode(y=y, y2=alt.Y2("highest:Q")),
        base.mark_point(filled=True, color=PALETTE["blue"], size=16).encode(y=y),
        base.mark_point(filled=True, color=PALETTE["blue"], size=16).encode(y=alt.Y("highest:Q")),
    ), width=WIDTH, height=180)
    title = f"Dose over time, {unit} by {unit}"
    return Chart(
        "dose", title,
        f"For each {unit}, the doses given in mg: a line from the lowest to the highest, or a single dot when "
        f"every session of the {unit} had the same dose.",
        _finish(chart, f"{title} (mg, lowest to highest)"),
        [unit.capitalize(), "Sessions", "Dose"],
        [[v["period"], table_number(len(p.sessions)), v["doses"]] for v, p in zip(values, grouping.periods)],
        period=unit,
    )


def grouped_side_effects_chart(trends: Trends, grouping: Grouping) -> Chart:
    unit, rows = grouping.unit, []
    values: list[Datum] = []
    categories = side_effect_categories(trends.sessions)
    for period in grouping.periods:
        counts: dict[str, int] = {}
        shown: dict[str, int] = {}  # sessions per row of the chart
        recorded = 0
        for figure in period.sessions:
            effects = figure.entry.side_effects
            recorded += effects is not None
            for effect in dict.fromkeys(effects or []):
                counts[effect] = counts.get(effect, 0) + 1
            for category in dict.fromkeys(categories.label[e] for e in effects or []):
                shown[category] = shown.get(category, 0) + 1
        for category, count in shown.items():
            values.append({"date": period.start.isoformat(), "period": period.label, "effect": category, "sessions": count})
        listed = ", ".join(f"{name} {count}" for name, count in sorted(counts.items(), key=lambda c: (-c[1], c[0])))
        rows.append([period.label, table_number(len(period.sessions)), table_number(recorded), listed or ("none" if recorded else "not recorded")])
    top = max((v["sessions"] for v in values), default=1)
    y = alt.Y("effect:N", title=None) if categories.order is None else alt.Y("effect:N", title=None, sort=categories.order)
    chart = _set(alt.Chart(_Values(values)).mark_square(color=PALETTE["vermillion"]).encode(
        x=_x_period(unit, time_domain(trends)), y=y,
        size=_size_by_count("sessions:Q", top, [12, 80]),
        tooltip=[alt.Tooltip("period:N", title=unit.capitalize()), alt.Tooltip("effect:N", title="Side effect"),
                 alt.Tooltip("sessions:Q", title="Sessions")],
    ), width=WIDTH, height=max(60, 24 * len({v["effect"] for v in values})))
    title = f"Side effects, {unit} by {unit}"
    return Chart(
        "side_effects", title,
        f"Each square is a side effect written down in one {unit}; bigger squares are more sessions with it. Rows "
        "that fill up over time show a side effect becoming more frequent." + categories.sentence,
        _finish(chart, title),
        [unit.capitalize(), "Sessions", "With side effects recorded", "Side effects (sessions)"],
        rows, period=unit,
    )


def grouped_dose_lift_chart(trends: Trends, grouping: Grouping) -> Chart:
    """The dose-against-lift dots already group sessions; the table lists the groups."""
    chart = dose_lift_chart(trends)
    values = chart.spec["data"]["values"]
    chart.rows = [[format_dose(v["dose"]), table_number(v["lift"]), v["dissociation"], table_number(v["sessions"])] for v in values]
    chart.columns = ["Dose", "Lift", "Dissociation", "Sessions"]
    return chart


def build_charts(trends: Trends, cache: DrawingCache | None = None, *, pictures: bool = False) -> list[Chart]:
    """Every chart the journal has data for, in the order the trends page shows them.

    The report's site draws each chart in the page, with the Vega runtime, from its spec:
    it needs no picture, so by default none is drawn and vl-convert's JavaScript engine is
    never started (0.7 s, then 0.06 s a chart, and 100 MiB). With `pictures`, each chart
    also gets its static SVG, for what is read where no script runs (the export's
    summary): drawn, or taken from `cache` (the journal's own) when drawn before."""
    if not trends.sessions:
        return []
    # The charts depend only on the trends and this code: when both are as in an earlier
    # build, the charts are taken whole, with no spec made (and Altair never imported).
    set_key = DrawingCache.key("charts", source_digest() + repr(trends)) if cache is not None else ""
    charts = _kept_charts(cache, set_key) if cache is not None else None
    if charts is None:
        charts = _make_charts(trends)
        if cache is not None:
            cache.put(set_key, json.dumps([{**asdict(c), "svg": ""} for c in charts], ensure_ascii=False))
    if pictures:
        for chart in charts:
            chart.svg = render_svg(chart.spec, cache)
    if cache is not None:
        cache.trim()
    return charts


def _kept_charts(cache: DrawingCache, key: str) -> list[Chart] | None:
    """The charts kept under `key` (without their pictures), or None if there are none."""
    text = cache.get(key)
    if text is None:
        return None
    try:
        return [Chart(**fields) for fields in json.loads(text)]
    except (ValueError, TypeError):
        return None


def _make_charts(trends: Trends) -> list[Chart]:
    grouping = chart_grouping(trends)
    with alt.utils.schemapi.debug_mode(False):  # no validation of every part as it is made (see _finish)
        if grouping is None:
            charts = [
                mood_chart(trends),
                lift_chart(trends),
                duration_chart(trends),
                dose_chart(trends),
                dose_lift_chart(trends),
                dissociation_chart(trends),
                side_effects_chart(trends),
            ]
        else:
            charts = [
                grouped_mood_chart(trends, grouping),
                grouped_lift_chart(trends, grouping),
                grouped_duration_chart(trends, grouping),
                grouped_dose_chart(trends, grouping),
                grouped_dose_lift_chart(trends, grouping),
                dissociation_chart(trends),
                grouped_side_effects_chart(trends, grouping),
            ]
        if trends.phq9.points:
            charts.append(questionnaire_chart(trends.phq9, "phq9", time_domain(trends)))
        if trends.gad7.points:
            charts.append(questionnaire_chart(trends.gad7, "gad7", time_domain(trends)))
    return charts


def spec_json(spec: dict[str, Any]) -> str:
    """The spec as text that is safe inside <script type="application/json">."""
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_svg_cache: OrderedDict[str, str] = OrderedDict()
SVG_CACHE_CHARACTERS = 64 * 1024 * 1024  # a few builds' charts; `journal serve` must not grow without end


# Characters XML cannot hold: vl-convert panics on one in a label and aborts the whole
# process (a side effect typed with a control character in it, say).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(value: Any) -> Any:
    """The spec with each character XML cannot hold shown as \ufffd, for the static picture."""
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value) if not value.isprintable() else value
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_xml_safe(item) for item in value]
    return value


def _svg_key(spec: dict[str, Any]) -> str:
    return DrawingCache.key("chart", json.dumps(spec, sort_keys=True, default=str))


def render_svg(spec: dict[str, Any], cache: DrawingCache | None = None) -> str:
    """The static picture of a spec. Cached by content, in this process and in `cache`:
    a chart whose data did not change is not drawn again, in a rebuild or a new build."""
    key = _svg_key(spec)
    svg = _svg_cache.get(key)
    if svg is not None:
        _svg_cache.move_to_end(key)
        return svg
    svg = cache.get(key) if cache is not None else None
    if svg is None:
        import vl_convert  # here: a build whose charts are all cached never loads it

        svg = vl_convert.vegalite_to_svg(_xml_safe(spec), allowed_base_urls=[])
        svg = svg.replace('<?xml version="1.0" encoding="utf-8"?>', "", 1).strip()
        if cache is not None:
            cache.put(key, svg)
    _svg_cache[key] = svg
    size = sum(len(s) for s in _svg_cache.values())
    while size > SVG_CACHE_CHARACTERS and len(_svg_cache) > 1:  # the least recently used go first
        size -= len(_svg_cache.popitem(last=False)[1])
    return svg


_runtime: str | None = None
_runtime_maker: subprocess.Popen[bytes] | None = None
_runtime_lock = threading.Lock()
_MAKE_BUNDLE = "import sys, vl_convert; sys.stdout.buffer.write(vl_convert.javascript_bundle().encode('utf-8'))"


def _runtime_key() -> str:
    return DrawingCache.key("vega-runtime")


def _runtime_made_before(cache: DrawingCache | None) -> str | None:
    """The runtime shipped in the package (if the installed vl-convert made it), else the
    one kept in the journal's `cache`, else None."""
    runtime = vega_bundle.shipped()
    if runtime is None and cache is not None:
        runtime = cache.get(_runtime_key())
    return runtime


def start_vega_runtime(cache: DrawingCache | None = None) -> None:
    """Take the runtime shipped in the package (made when it was built, see
    generator/vega_bundle.py), or else from `cache`, or start making it, if it is not made yet, in another
    process: it takes over a second, and vl-convert holds the GIL all that time, so a thread
    would not help; another process makes it on another core while this one goes on. Only
    a journal's first build makes it, when the package did not ship one its vl-convert made
    (it is then kept in the cache). Measured in session 3, when the build also drew every
    chart (benchmarks/RESULTS.md, "Speed tricks"): made in this process instead, the peak
    memory rose by 75 MiB, as its JavaScript engine came on top of the drawing one."""
    global _runtime, _runtime_maker
    with _runtime_lock:
        if _runtime is not None or _runtime_maker is not None:
            return
        _runtime = _runtime_made_before(cache)
        if _runtime is not None:
            return
        try:
            _runtime_maker = subprocess.Popen(
                [sys.executable, "-c", _MAKE_BUNDLE],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except (OSError, ValueError):  # no interpreter to start: it is made here when needed
            _runtime_maker = None


def _bundle_made_elsewhere(maker: subprocess.Popen[bytes]) -> str | None:
    try:
        out, _ = maker.communicate(timeout=300)
        return out.decode("utf-8") if maker.returncode == 0 and out else None
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        maker.kill()
        return None


def vega_runtime_js(cache: DrawingCache | None = None) -> str:
    """Vega, Vega-Lite and vega-embed in one classic script: the one shipped in the package
    when the installed vl-convert made it; else made once per process (by the process
    `start_vega_runtime` started, if any, else here) and kept in `cache`. It sets
    window.vegaEmbed; wrapped so its internal names stay private."""
    global _runtime, _runtime_maker
    with _runtime_lock:
        if _runtime is None and _runtime_maker is None:
            _runtime = _runtime_made_before(cache)
        if _runtime is None:
            maker, _runtime_maker = _runtime_maker, None
            bundle = _bundle_made_elsewhere(maker) if maker is not None else None
            # here, if not made elsewhere: vl-convert is not loaded at all when the runtime is shipped or cached
            _runtime = vega_bundle.wrap(bundle) if bundle is not None else vega_bundle.make()
            if cache is not None:
                cache.put(_runtime_key(), _runtime)
        return _runtime
