"""Charts: Vega-Lite specs built with Altair from the trends, and their static SVG.

Everything is rendered on this machine: the specs carry their data inline, the
SVG comes from vl-convert, and the interactive runtime is a local file
(`vega_runtime_js`). No chart refers to any other host.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Sequence

import altair as alt
import vl_convert

from .entries import DISSOCIATION_LEVELS
from .trends import Gap, Questionnaire, SessionFigures, Trends, format_dose

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
MOOD_SERIES = [
    ("pre", "Before", PALETTE["grey"]),
    ("2h", "2 hours after", PALETTE["blue"]),
    ("day1", "Day 1", PALETTE["green"]),
    ("day3", "Day 3", PALETTE["orange"]),
    ("day7", "Day 7", PALETTE["purple"]),
]
DISSOCIATION_COLOURS = ["#B0B0B0", PALETTE["sky"], PALETTE["blue"], PALETTE["vermillion"]]
WIDTH = 640
HEIGHT = 240


@dataclass
class Chart:
    """One chart: what it is called, a sentence saying what it shows, the Vega-Lite
    spec, its static SVG, and its data as a table for reading without the picture."""

    key: str
    title: str
    description: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[str]]
    svg: str = field(default="", repr=False)


class _Values(alt.Data):
    """Inline data, put into the spec as it is. Altair's own conversion looks at every
    value of every row (tens of thousands in a long journal), which took longer than
    drawing the chart; the rows here hold only text, numbers and None, which it leaves
    unchanged, so the spec is the same."""

    def __init__(self, values: list[dict[str, Any]], **kwds: Any):
        super().__init__(values=values, **kwds)

    def to_dict(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"values": self._kwds["values"]}

    def __deepcopy__(self, memo: Any = None) -> _Values:
        return self  # never changed once made, so Altair's copies of a chart can share it


def _config() -> dict[str, Any]:
    return {
        "background": "#ffffff",
        "font": "sans-serif",
        "view": {"stroke": None},
        "axis": {"labelColor": "#333333", "titleColor": "#333333", "gridColor": "#e6e6e6", "labelFontSize": 11, "titleFontSize": 12},
        "legend": {"labelColor": "#333333", "titleColor": "#333333", "orient": "bottom"},
        "title": {"color": "#111111", "fontSize": 14, "anchor": "start"},
    }


def _finish(chart: alt.TopLevelMixin, title: str) -> dict[str, Any]:
    # Not validated here: Altair's check of the inline data against the Vega-Lite schema
    # takes longer than everything else the build does (seconds at a thousand sessions).
    # The specs are the same either way; tests/test_performance.py validates them.
    spec = chart.properties(title=title).to_dict(validate=False)
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


def _x_date() -> alt.X:
    return alt.X("date:T", title="Session date", scale=alt.Scale(type="utc"), axis=alt.Axis(format="%d %b", labelAngle=0, labelOverlap="greedy", tickCount=8))


def _number(value: float | int | None) -> str:
    if value is None:
        return "missing"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def mood_chart(trends: Trends) -> Chart:
    segments = _segment_ids(trends.sessions, trends.gaps)
    rows = []
    values = []
    for figure, segment in zip(trends.sessions, segments):
        e = figure.entry
        moods = {"pre": e.pre_mood, "2h": e.post_mood_2h, "day1": e.mood_day1, "day3": e.mood_day3, "day7": e.mood_day7}
        rows.append([_day(figure), format_dose(e.dose_mg)] + [_number(moods[k]) for k, _, _ in MOOD_SERIES])
        for key, label, _ in MOOD_SERIES:
            values.append({"date": _day(figure), "series": label, "mood": moods[key], "segment": segment})
    labels = [label for _, label, _ in MOOD_SERIES]
    colours = [colour for _, _, colour in MOOD_SERIES]
    base = alt.Chart(_Values(values)).encode(
        x=_x_date(),
        y=alt.Y("mood:Q", title="Mood (1-10)", scale=alt.Scale(domain=[1, 10])),
        color=alt.Color("series:N", title=None, sort=labels, scale=alt.Scale(domain=labels, range=colours)),
        detail="segment:N",
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="Session"), "series:N", "mood:Q"],
    )
    chart = (base.mark_line(strokeWidth=1.5) + base.mark_point(filled=True, size=28)).properties(width=WIDTH, height=HEIGHT)
    return Chart(
        "mood",
        "Mood before and after each session",
        "Each line is one moment around the session: before, two hours after, and days 1, 3 and 7. "
        "Where the later lines sink towards the grey 'before' line, the effect is fading sooner. "
        "Missing follow-ups and treatment gaps leave breaks in the lines.",
        _finish(chart, "Mood before and after each session"),
        ["Session", "Dose", "Before", "2 hours", "Day 1", "Day 3", "Day 7"],
        rows,
    )


def _dose_steps(trends: Trends) -> list[dict[str, Any]]:
    steps, previous = [], None
    for figure in trends.sessions:
        dose = figure.entry.dose_mg
        if previous is not None and dose != previous:
            steps.append({"date": _day(figure), "label": format_dose(dose)})
        previous = dose
    return steps


def _rolling_mean(values: list[float | None], size: int) -> list[float | None]:
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
    values = [
        {"date": _day(f), "lift": f.lift, "mean": m, "dose": format_dose(f.entry.dose_mg), "segment": s}
        for f, m, s in zip(trends.sessions, means, segments)
    ]
    steps = _dose_steps(trends)
    data = _Values(values)
    x = _x_date()
    bars = alt.Chart(data).mark_bar(width=6, color=PALETTE["blue"]).encode(
        x=x, y=alt.Y("lift:Q", title="Change in mood after 2 hours"),
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="Session"), "dose:N", alt.Tooltip("lift:Q", title="Lift")],
    )
    mean_line = alt.Chart(data).mark_line(color=PALETTE["orange"], strokeWidth=2).encode(x=x, y="mean:Q", detail="segment:N")
    layers = [bars, mean_line]
    if steps:
        step_data = _Values(steps)
        layers.append(alt.Chart(step_data).mark_rule(strokeDash=[4, 3], color=PALETTE["grey"]).encode(x=alt.X("date:T")))
        layers.append(
            # Written along the rule, so steps close together do not overlap.
            alt.Chart(step_data).mark_text(angle=270, align="right", baseline="bottom", dx=-2, dy=-2, color="#333333", fontSize=10)
            .encode(x=alt.X("date:T"), y=alt.value(0), text="label:N")
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)
    return Chart(
        "lift",
        "Lift after each session",
        f"Bars show how many points mood rose from before the session to two hours after. The orange line "
        f"is a rolling average: each session and the {'one' if size == 2 else 'two'} before it; "
        f"dashed lines mark a change of dose.",
        _finish(chart, "Lift after each session (2 hours after minus before)"),
        ["Session", "Dose", "Lift", f"Average of last {size}"],
        [[v["date"], v["dose"], _number(v["lift"]), _number(v["mean"])] for v in values],
    )


def duration_chart(trends: Trends) -> Chart:
    values, rows = [], []
    for figure in trends.sessions:
        d = figure.duration
        shown = 7 if d.beyond_day7 else d.days
        kind = "lasted past day 7" if d.beyond_day7 else ("faded" if d.days is not None else "unknown")
        values.append({"date": _day(figure), "days": shown, "kind": kind, "text": d.text()})
        rows.append([_day(figure), format_dose(figure.entry.dose_mg), d.text()])
    kinds = ["faded", "lasted past day 7"]
    chart = alt.Chart(_Values(values)).transform_filter("datum.days != null").mark_bar(width=6).encode(
        x=_x_date(),
        y=alt.Y("days:Q", title="Days until mood was back to 'before'", scale=alt.Scale(domain=[0, 7])),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=[PALETTE["blue"], PALETTE["green"]])),
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="Session"), alt.Tooltip("text:N", title="Effect lasted")],
    ).properties(width=WIDTH, height=HEIGHT)
    return Chart(
        "duration",
        "How long the effect lasted",
        "For each session, the number of days until mood fell back to its level before the session, read "
        "from the follow-ups (green: still above it on day 7). Sessions with missing follow-ups have no bar.",
        _finish(chart, "How long the effect lasted (days)"),
        ["Session", "Dose", "Effect lasted"],
        rows,
    )


def dose_chart(trends: Trends) -> Chart:
    segments = _segment_ids(trends.sessions, trends.gaps)
    values = [{"date": _day(f), "dose": f.entry.dose_mg, "segment": s} for f, s in zip(trends.sessions, segments)]
    base = alt.Chart(_Values(values)).encode(
        x=_x_date(), y=alt.Y("dose:Q", title="Dose (mg)", scale=alt.Scale(zero=True)), detail="segment:N",
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="Session"), alt.Tooltip("dose:Q", title="Dose (mg)")],
    )
    chart = (base.mark_line(interpolate="step-after", color=PALETTE["blue"]) + base.mark_point(filled=True, color=PALETTE["blue"], size=24)).properties(width=WIDTH, height=180)
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
    groups: dict[tuple[float, int, str], list[str]] = {}
    for f in sessions:
        key = (f.entry.dose_mg, f.lift, f.entry.dissociation or "not recorded")
        groups.setdefault(key, []).append(_day(f))
    values = [
        {"dose": dose, "lift": lift, "dissociation": level, "sessions": len(days)}
        for (dose, lift, level), days in sorted(groups.items())
    ]
    levels = list(DISSOCIATION_LEVELS) + ["not recorded"]
    chart = alt.Chart(_Values(values)).mark_circle(opacity=0.85, stroke="#333333", strokeWidth=0.5).encode(
        x=alt.X("dose:Q", title="Dose (mg)", scale=alt.Scale(zero=False, padding=20)),
        y=alt.Y("lift:Q", title="Lift (points)"),
        size=alt.Size("sessions:Q", title="Sessions", scale=alt.Scale(range=[60, 600])),
        color=alt.Color("dissociation:N", title="Dissociation", sort=levels,
                        scale=alt.Scale(domain=levels, range=DISSOCIATION_COLOURS + ["#E0E0E0"])),
        order=alt.Order("sessions:Q", sort="descending"),  # small dots drawn over big ones
        tooltip=["dose:Q", "lift:Q", "dissociation:N", "sessions:Q"],
    ).properties(width=WIDTH, height=HEIGHT)
    return Chart(
        "dose_lift",
        "Dose against lift",
        "Each dot stands for sessions with the same dose, lift (how much mood rose two hours after) "
        "and dissociation; bigger dots are more sessions. Stronger dissociation is not the same as more benefit.",
        _finish(chart, "Dose against lift, coloured by dissociation"),
        ["Session", "Dose", "Lift", "Dissociation"],
        [[_day(f), format_dose(f.entry.dose_mg), _number(f.lift), f.entry.dissociation or "not recorded"] for f in sessions],
    )


def dissociation_chart(trends: Trends) -> Chart:
    values, rows = [], []
    for level in trends.dose_levels:
        counts = level.dissociation
        rows.append([format_dose(level.dose_mg)] + [str(counts.get(name, 0)) for name in DISSOCIATION_LEVELS])
        for name in DISSOCIATION_LEVELS:
            if counts.get(name):
                values.append({"dose": format_dose(level.dose_mg), "dose_mg": level.dose_mg, "level": name, "sessions": counts[name]})
    order = [format_dose(level.dose_mg) for level in sorted(trends.dose_levels, key=lambda l: l.dose_mg)]
    chart = alt.Chart(_Values(values)).mark_bar().encode(
        x=alt.X("dose:N", title="Dose", sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sessions:Q", title="Sessions"),
        color=alt.Color("level:N", title="Dissociation", sort=list(DISSOCIATION_LEVELS),
                        scale=alt.Scale(domain=list(DISSOCIATION_LEVELS), range=DISSOCIATION_COLOURS)),
        order=alt.Order("level_order:Q"),
        tooltip=["dose:N", "level:N", "sessions:Q"],
    ).transform_calculate(
        level_order=" + ".join(f"(datum.level == '{n}' ? {i} : 0)" for i, n in enumerate(DISSOCIATION_LEVELS))
    ).properties(width=min(WIDTH, 120 * max(1, len(order))), height=HEIGHT)
    return Chart(
        "dissociation",
        "Dissociation at each dose",
        "How many sessions at each dose felt like no, mild, moderate or strong dissociation.",
        _finish(chart, "Dissociation at each dose"),
        ["Dose"] + [n.capitalize() for n in DISSOCIATION_LEVELS],
        rows,
    )


def side_effects_chart(trends: Trends) -> Chart:
    values, rows = [], []
    for figure in trends.sessions:
        effects = figure.entry.side_effects
        rows.append([_day(figure), "not recorded" if effects is None else (", ".join(effects) or "none")])
        for effect in effects or []:
            values.append({"date": _day(figure), "effect": effect})
    chart = alt.Chart(_Values(values)).mark_square(size=60, color=PALETTE["vermillion"]).encode(
        x=_x_date(), y=alt.Y("effect:N", title=None),
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="Session"), alt.Tooltip("effect:N", title="Side effect")],
    ).properties(width=WIDTH, height=max(60, 24 * len({v["effect"] for v in values})))
    return Chart(
        "side_effects",
        "Side effects by session",
        "Each square is a side effect written down for a session. Rows that fill up over time show a side "
        "effect becoming more frequent.",
        _finish(chart, "Side effects by session"),
        ["Session", "Side effects"],
        rows,
    )


def questionnaire_chart(questionnaire: Questionnaire, key: str) -> Chart:
    values = [{"date": p.day.isoformat(), "total": p.total, "band": p.band} for p in questionnaire.points]
    top = questionnaire.bands[-1][1]
    bands = [{"from": lo, "to": hi + (1 if hi < top else 0), "band": name} for lo, hi, name in questionnaire.bands]
    shades = ["#f4f4f4", "#e8e8e8", "#dcdcdc", "#d0d0d0", "#c4c4c4"][: len(bands)]
    band_layer = alt.Chart(_Values(bands)).mark_rect(opacity=0.9).encode(
        y=alt.Y("from:Q", title=f"{questionnaire.name} total", scale=alt.Scale(domain=[0, top])), y2="to:Q",
        color=alt.Color("band:N", legend=None, scale=alt.Scale(domain=[b["band"] for b in bands], range=shades)),
    )
    labels = alt.Chart(_Values(bands)).mark_text(align="right", baseline="top", dx=-4, dy=3, color="#444444", fontSize=10).encode(
        y="to:Q", x=alt.value(WIDTH), text="band:N"
    )
    base = alt.Chart(_Values(values)).encode(
        x=_x_date(), y=alt.Y("total:Q"),
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="Date"), "total:Q", "band:N"],
    )
    line = base.mark_line(color=PALETTE["blue"]) + base.mark_point(filled=True, color=PALETTE["blue"], size=40)
    chart = alt.layer(band_layer, labels, line).resolve_scale(color="independent").properties(width=WIDTH, height=HEIGHT)
    return Chart(
        key,
        f"{questionnaire.name} over time",
        f"{questionnaire.name} totals as written in the journal, over the standard severity bands (lower is better).",
        _finish(chart, f"{questionnaire.name} total over time"),
        ["Date", "Total", "Severity"],
        [[v["date"], str(v["total"]), v["band"]] for v in values],
    )


def build_charts(trends: Trends) -> list[Chart]:
    """Every chart the journal has data for, in the order the trends page shows them."""
    if not trends.sessions:
        return []
    with alt.utils.schemapi.debug_mode(False):  # no validation of every part as it is made (see _finish)
        charts = [
            mood_chart(trends),
            lift_chart(trends),
            duration_chart(trends),
            dose_chart(trends),
            dose_lift_chart(trends),
            dissociation_chart(trends),
            side_effects_chart(trends),
        ]
        if trends.phq9.points:
            charts.append(questionnaire_chart(trends.phq9, "phq9"))
        if trends.gad7.points:
            charts.append(questionnaire_chart(trends.gad7, "gad7"))
    for chart in charts:
        chart.svg = render_svg(chart.spec)
    return charts


def spec_json(spec: dict[str, Any]) -> str:
    """The spec as text that is safe inside <script type="application/json">."""
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_svg_cache: OrderedDict[str, str] = OrderedDict()
SVG_CACHE_CHARACTERS = 64 * 1024 * 1024  # a few builds' charts; `journal serve` must not grow without end


def render_svg(spec: dict[str, Any]) -> str:
    """The static picture of a spec. Cached by content: a chart whose data did not
    change is not drawn again when the site is rebuilt."""
    key = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    svg = _svg_cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
        svg = _svg_cache[key] = svg.replace('<?xml version="1.0" encoding="utf-8"?>', "", 1).strip()
        size = sum(len(s) for s in _svg_cache.values())
        while size > SVG_CACHE_CHARACTERS and len(_svg_cache) > 1:  # the least recently used go first
            size -= len(_svg_cache.popitem(last=False)[1])
    else:
        _svg_cache.move_to_end(key)
    return svg


_runtime: str | None = None
_runtime_maker: subprocess.Popen[bytes] | None = None
_runtime_lock = threading.Lock()
_MAKE_BUNDLE = "import sys, vl_convert; sys.stdout.buffer.write(vl_convert.javascript_bundle().encode('utf-8'))"


def start_vega_runtime() -> None:
    """Start making the runtime, if it is not made yet, in another process: it takes over a
    second, and vl-convert holds the GIL all that time, so a thread would not help; another
    process makes it on another core while this one goes on with the build."""
    global _runtime_maker
    with _runtime_lock:
        if _runtime is not None or _runtime_maker is not None:
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


def vega_runtime_js() -> str:
    """Vega, Vega-Lite and vega-embed in one classic script, made once per process (by the
    process `start_vega_runtime` started, if any, else here). It sets window.vegaEmbed;
    wrapped so its internal names stay private."""
    global _runtime, _runtime_maker
    with _runtime_lock:
        if _runtime is None:
            maker, _runtime_maker = _runtime_maker, None
            bundle = _bundle_made_elsewhere(maker) if maker is not None else None
            if bundle is None:
                bundle = vl_convert.javascript_bundle()
            _runtime = "/* Vega runtime for offline charts, from vl-convert " + "*/\n(function(){\n" + bundle + "\n})();\n"
        return _runtime
