"""Charts: real Altair specs rendered to SVG by vl-convert, with no network."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

from generator.charts import build_charts, render_svg, spec_json, vega_runtime_js
from generator.entries import Entry
from generator.trends import compute_trends

TODAY = dt.date(2026, 11, 25)


def entry(day: str, dose: float, pre=None, post=None, d1=None, d3=None, d7=None, **more) -> Entry:
    return Entry.model_validate({
        "date": dt.date.fromisoformat(day), "dose_mg": dose, "pre_mood": pre, "post_mood_2h": post,
        "mood_day1": d1, "mood_day3": d3, "mood_day7": d7, **more,
    })


def journal_with_a_gap() -> list[Entry]:
    return [
        entry("2026-06-01", 50, 3, 5, 4, 4, 3, side_effects=["nausea"]),
        entry("2026-06-08", 50, 3, 6, 5, 4, 3),
        entry("2026-06-15", 75, 3, 6, 5, 4, 4, dissociation="mild"),
        # ten weeks without a session: a break in treatment (gap_weeks is 3)
        entry("2026-08-24", 75, 4, 7, 6, 5, 4, scores={"phq9": 12}),
        entry("2026-08-31", 75, 4, 7, 6, 5, 5, scores={"phq9": 9}),
    ]


def line_pieces(svg: str, series: str) -> list[str]:
    """The drawn line pieces of one series, from the SVG's accessible labels."""
    return re.findall(r'<path aria-label="[^"]*series: %s;[^"]*" [^>]*aria-roledescription="line mark" d="([^"]+)"' % series, svg)


def test_every_chart_has_a_title_a_description_a_table_and_a_picture():
    charts = build_charts(compute_trends(journal_with_a_gap(), TODAY))
    assert [c.key for c in charts] == ["mood", "lift", "duration", "dose", "dose_lift", "dissociation", "side_effects", "phq9"]
    for chart in charts:
        assert chart.title and chart.description.endswith(".")
        assert chart.columns and chart.rows, chart.key
        assert chart.svg.startswith("<svg") and "</svg>" in chart.svg, chart.key
        assert chart.spec["usermeta"]["embedOptions"]["actions"] is False  # no link to an online editor


def test_a_treatment_gap_breaks_the_lines():
    trends = compute_trends(journal_with_a_gap(), TODAY)
    assert [(g.start, g.end) for g in trends.gaps] == [(dt.date(2026, 6, 15), dt.date(2026, 8, 24))]
    mood = next(c for c in build_charts(trends) if c.key == "mood")
    pieces = line_pieces(mood.svg, "2 hours after")
    # one piece through the three June sessions, one through the two after the break
    assert [piece.count("L") + 1 for piece in pieces] == [3, 2]


def test_missing_values_are_gaps_not_zeros():
    entries = journal_with_a_gap()
    entries[1] = entry("2026-06-08", 50, 3, None, 5, 4, 3)  # no mood 2 hours after
    lift = next(c for c in build_charts(compute_trends(entries, TODAY)) if c.key == "lift")
    row = next(r for r in lift.rows if r[0] == "2026-06-08")
    assert row[2] == "missing"
    values = next(layer for layer in lift.spec["layer"] if "data" in layer)["data"]["values"]
    assert next(v for v in values if v["date"] == "2026-06-08")["lift"] is None


def test_charts_and_runtime_need_no_other_host():
    charts = build_charts(compute_trends(journal_with_a_gap(), TODAY))
    for chart in charts:
        text = json.dumps(chart.spec)
        assert "http" not in text and '"url"' not in text, chart.key
        urls = set(re.findall(r"https?://[^\s\"'<>)]+", chart.svg))
        assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, chart.key
    runtime = vega_runtime_js()
    assert "window.vegaEmbed" in runtime and runtime.startswith("/*")


def test_typed_text_in_chart_data_cannot_close_the_script_element():
    text = spec_json({"data": {"values": [{"effect": "</script><script>alert(1)</script>&"}]}})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["data"]["values"][0]["effect"] == "</script><script>alert(1)</script>&"


def test_an_unchanged_chart_is_not_drawn_again(monkeypatch):
    spec = build_charts(compute_trends(journal_with_a_gap(), TODAY))[0].spec
    calls = []
    import vl_convert

    original = vl_convert.vegalite_to_svg
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: calls.append(1) or original(*a, **k))
    render_svg(spec)
    assert calls == []


def test_an_empty_journal_has_no_charts():
    assert build_charts(compute_trends([], TODAY)) == []


def test_the_core_never_imports_mkdocs():
    code = (
        "import sys, generator.entries, generator.reading, generator.validation, generator.journal, "
        "generator.trends, generator.signals, generator.charts, generator.pages; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_chart_colours_come_from_a_colour_blind_safe_palette_on_a_light_card():
    """Okabe-Ito colours (told apart with the common colour-vision deficiencies) and greys;
    every chart has its own white background, so it reads the same in the dark theme."""
    from generator.charts import DISSOCIATION_COLOURS, PALETTE

    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}

    def is_grey(colour: str) -> bool:
        red, green, blue = colour[1:3], colour[3:5], colour[5:7]
        return red == green == blue

    charts = build_charts(compute_trends(journal_with_a_gap(), TODAY))
    for chart in charts:
        colours = set(re.findall(r'"(#[0-9A-Fa-f]{6})"', json.dumps(chart.spec)))
        strange = {c for c in colours if c.upper() not in okabe_ito and not is_grey(c.lower())}
        assert strange == set(), (chart.key, strange)
        assert chart.spec["config"]["background"] == "#ffffff"
    assert set(PALETTE.values()) - {"#767676"} <= okabe_ito
    assert all(c.upper() in okabe_ito or is_grey(c.lower()) for c in DISSOCIATION_COLOURS)


# --- a long journal: one point per month, quarter or year ---------------------------------

from generator.charts import MAX_PERIODS, MAX_SESSION_MARKS, chart_grouping, group_by_period, period_unit  # noqa: E402


def every_few_days(n: int, start: dt.date, step_days: int) -> list[dt.date]:
    return [start + dt.timedelta(days=step_days * i) for i in range(n)]


def test_each_session_is_its_own_mark_up_to_the_limit_then_one_point_per_period():
    start = dt.date(2020, 1, 1)
    assert period_unit(every_few_days(MAX_SESSION_MARKS, start, 1)) is None
    # one more session: grouped, by the shortest period that keeps the chart readable
    assert period_unit(every_few_days(MAX_SESSION_MARKS + 1, start, 1)) == "month"
    assert period_unit(every_few_days(520, start, 7)) == "month"  # ten years of weekly sessions: 120 months
    assert period_unit(every_few_days(1_500, start, 7)) == "quarter"  # 29 years: 345 months, 116 quarters
    assert period_unit(every_few_days(2_000, start, 7)) == "year"  # 38 years: 154 quarters
    assert period_unit(every_few_days(10_000, start, 7)) == "year"  # 192 years: more than 150 of anything else


def test_a_period_is_the_average_of_its_sessions_and_every_session_is_in_one():
    days = ["2026-01-05", "2026-01-19", "2026-03-02", "2026-03-16", "2026-03-30"]
    entries = [
        entry(days[0], 100, 4, 6, 5, 5, 4, side_effects=["nausea"]),
        entry(days[1], 100, 4, 8, 6, None, None, side_effects=["nausea", "dizzy"]),
        entry(days[2], 125, 3, 4, 3, 3, 3),
        entry(days[3], 150, 3, None, 4, 4, 3, side_effects=[]),
        entry(days[4], 150, 4, 7, 6, 5, 5, dissociation="mild"),
    ]
    trends = compute_trends(entries, TODAY)
    periods = group_by_period(trends.sessions, "month")
    assert [(p.label, len(p.sessions)) for p in periods] == [("Jan 2026", 2), ("Mar 2026", 3)]  # no February

    from generator.charts import Grouping, grouped_dose_chart, grouped_lift_chart, grouped_mood_chart, grouped_side_effects_chart

    grouping = Grouping("month", periods, len(entries))
    lift = grouped_lift_chart(trends, grouping)
    # January: lifts 2 and 4 -> 3; March: 1, missing, 3 -> 2 (a missing value is left out, not 0)
    assert lift.rows == [["Jan 2026", "2", "100 mg", "3", "2"], ["Mar 2026", "3", "125 mg to 150 mg", "2", "2"]]
    mood = grouped_mood_chart(trends, grouping)
    assert mood.rows[0] == ["Jan 2026", "2", "100 mg", "4", "7", "5.5", "5", "4"]
    # February has no session: the lines break there rather than bridging it
    two_hours = [v for v in mood.spec["data"]["values"] if v["series"] == "2 hours after"]
    assert len({v["segment"] for v in two_hours}) == 2
    assert len(line_pieces(render_svg(mood.spec), "2 hours after")) == 2
    dose = grouped_dose_chart(trends, grouping)
    assert dose.rows == [["Jan 2026", "2", "100 mg"], ["Mar 2026", "3", "125 mg to 150 mg"]]
    effects = grouped_side_effects_chart(trends, grouping)
    assert effects.rows == [["Jan 2026", "2", "2", "nausea 2, dizziness 1"], ["Mar 2026", "3", "1", "none"]]


def long_journal(n: int) -> list[Entry]:
    """n weekly sessions with doses stepping up and down and every kind of value."""
    start = dt.date(2026, 11, 1) - dt.timedelta(weeks=n)
    result = []
    for i in range(n):
        lift = i % 5
        result.append(entry(
            (start + dt.timedelta(weeks=i)).isoformat(), 50 + 25 * (i // 7 % 5), 4, 4 + lift, 4 + lift // 2, 4, 4,
            side_effects=[["nausea"], [], ["dizzy", "headache"]][i % 3], dissociation=["none", "mild", "moderate"][i % 3],
            **({"scores": {"phq9": 5 + i % 15}} if i % 2 else {}),
        ))
    return result


def test_the_charts_of_a_long_journal_stay_small_and_account_for_every_session():
    n = 1_200  # 23 years of weekly sessions: 92 quarters
    trends = compute_trends(long_journal(n), TODAY)
    grouping = chart_grouping(trends)
    assert grouping is not None and grouping.unit == "quarter" and len(grouping.periods) <= MAX_PERIODS
    charts = build_charts(trends)
    assert [c.key for c in charts] == ["mood", "lift", "duration", "dose", "dose_lift", "dissociation", "side_effects", "phq9"]
    for chart in charts:
        if chart.key in ("dose_lift", "dissociation"):
            continue  # grouped by dose already
        assert chart.period == "quarter", chart.key
        assert "quarter" in chart.title and "quarter" in chart.description, chart.key
        assert len(chart.rows) <= MAX_PERIODS, chart.key
        assert len(chart.svg) < 400_000, chart.key  # a page, not megabytes per chart
    by_key = {c.key: c for c in charts}
    for key in ("mood", "lift", "duration", "dose", "side_effects"):
        assert sum(int(row[1]) for row in by_key[key].rows) == n, key  # no session left out
    assert sum(int(row[1]) for row in by_key["phq9"].rows) == n // 2
    assert sum(int(row[3]) for row in by_key["dose_lift"].rows) == n  # each group's sessions
    assert "1,200 sessions" in grouping.sentence and "one point per quarter" in grouping.sentence


def test_a_journal_under_the_limit_draws_every_session():
    trends = compute_trends(long_journal(MAX_SESSION_MARKS), TODAY)
    assert chart_grouping(trends) is None
    for chart in build_charts(trends):
        assert chart.period is None
    lift = next(c for c in build_charts(trends) if c.key == "lift")
    assert len(lift.rows) == MAX_SESSION_MARKS
