"""Charts: real Altair specs rendered to SVG by vl-convert, with no network."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import pytest

from generator.charts import MAX_CATEGORIES, MAX_LABEL, build_charts, render_svg, spec_json, vega_runtime_js
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
    charts = build_charts(compute_trends(journal_with_a_gap(), TODAY), pictures=True)
    assert [c.key for c in charts] == ["mood", "lift", "duration", "dose", "dose_lift", "dissociation", "side_effects", "phq9"]
    for chart in charts:
        assert chart.title and chart.description.endswith(".")
        assert chart.columns and chart.rows, chart.key
        assert chart.svg.startswith("<svg") and "</svg>" in chart.svg, chart.key
        assert chart.spec["usermeta"]["embedOptions"]["actions"] is False  # no link to an online editor


def test_the_sites_charts_are_drawn_by_its_pages_so_no_picture_is_drawn_for_them(monkeypatch):
    """The report's site draws each chart from its spec in the page: a build asks for no
    picture, and vl-convert draws none (the export's summary asks for them)."""
    import vl_convert

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: pytest.fail("a static picture was drawn"))
    charts = build_charts(compute_trends(journal_with_a_gap(), TODAY))
    assert len(charts) == 8 and all(c.svg == "" and c.spec for c in charts)


def test_a_treatment_gap_breaks_the_lines():
    trends = compute_trends(journal_with_a_gap(), TODAY)
    assert [(g.start, g.end) for g in trends.gaps] == [(dt.date(2026, 6, 15), dt.date(2026, 8, 24))]
    mood = next(c for c in build_charts(trends, pictures=True) if c.key == "mood")
    pieces = line_pieces(mood.svg, "2 hours after")
    # one piece through the three June sessions, one through the two after the break
    assert [piece.count("L") + 1 for piece in pieces] == [3, 2]


def test_the_before_line_is_drawn_last_and_dashed_so_an_equal_later_mood_never_hides_it():
    """The line every other is read against: where day 3 and day 7 equal the mood before, a
    reader must still see the grey 'before' line (drawn over them, dashed so they show
    through), and the legend says which line is dashed."""
    days = [f"2026-06-{d:02d}" for d in (1, 8, 15, 22)]
    trends = compute_trends([entry(day, 100, 4, 7, 6, 4, 4) for day in days], TODAY)
    mood = next(c for c in build_charts(trends, pictures=True) if c.key == "mood")
    drawn = re.findall(r'<path aria-label="[^"]*series: ([^;"]+);[^"]*" [^>]*aria-roledescription="line mark"([^>]*)>', mood.svg)
    assert [series for series, _ in drawn] == ["2 hours after", "Day 1", "Day 3", "Day 7", "Before"]  # drawn in this order
    assert all(('stroke-dasharray="5,3"' in rest) == (series == "Before") for series, rest in drawn)
    assert "dashed 'before' line" in mood.description
    assert [row[2:] for row in mood.rows] == [["4", "7", "6", "4", "4"]] * 4  # the table keeps the legend's order


def test_missing_values_are_gaps_not_zeros():
    entries = journal_with_a_gap()
    entries[1] = entry("2026-06-08", 50, 3, None, 5, 4, 3)  # no mood 2 hours after
    lift = next(c for c in build_charts(compute_trends(entries, TODAY), pictures=True) if c.key == "lift")
    row = next(r for r in lift.rows if r[0] == "2026-06-08")
    assert row[2] == "missing"
    values = next(layer for layer in lift.spec["layer"] if "data" in layer)["data"]["values"]
    assert next(v for v in values if v["date"] == "2026-06-08")["lift"] is None


def test_charts_and_runtime_need_no_other_host():
    charts = build_charts(compute_trends(journal_with_a_gap(), TODAY), pictures=True)
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
    spec = build_charts(compute_trends(journal_with_a_gap(), TODAY), pictures=True)[0].spec
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
        "generator.trends, generator.signals, generator.charts, generator.report, generator.pages, generator.export; "
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

    charts = build_charts(compute_trends(journal_with_a_gap(), TODAY), pictures=True)
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

    from generator.charts import (
        Grouping,
        grouped_dose_chart,
        grouped_lift_chart,
        grouped_mood_chart,
        grouped_side_effects_chart,
    )

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
    charts = build_charts(trends, pictures=True)
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
    for chart in build_charts(trends, pictures=True):
        assert chart.period is None
    lift = next(c for c in build_charts(trends, pictures=True) if c.key == "lift")
    assert len(lift.rows) == MAX_SESSION_MARKS


# --- what the charts draw: zeros, colours, labels, domains, tooltips ---------------------

from generator.charts import (  # noqa: E402
    DISSOCIATION_COLOURS,
    HEIGHT,
    NOT_RECORDED_FILL,
    NOT_RECORDED_STROKE,
    WIDTH,
    Grouping,
    dose_lift_chart,
    grouped_duration_chart,
    grouped_side_effects_chart,
    time_domain,
)


def marks(svg: str, role: str) -> list[tuple[str, float, float, str]]:
    """(aria label, x, y, the rest of the element) of every drawn mark of one kind
    ("circle", "bar", "text mark", "rect mark", "square", "point"), in plot coordinates."""
    found = re.findall(
        r'<(?:path|text) aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="%s"([^>]*)>' % re.escape(role), svg)
    result = []
    for label, rest in found:
        x, y = "0", "0"
        if "transform=" in rest:
            moved = re.search(r'transform="translate\(([-\d.e]+),([-\d.e]+)\)', rest)
            assert moved, rest
            x, y = moved.groups()
        result.append((label, float(x), float(y), rest))
    return result


def with_a_zero_and_a_missing_value() -> list[Entry]:
    entries = journal_with_a_gap()
    entries[1] = entry("2026-06-08", 50, 4, 4, 5, 4, 4)  # lift 0, all follow-ups: lasted 0 days
    entries[2] = entry("2026-06-15", 75, 3, None, 5, 4, 4)  # no mood 2 hours after: no lift
    entries[3] = entry("2026-08-24", 75, 4, 7, 6, 5, None, scores={"phq9": 12})  # day 7 missing: duration unknown
    return entries


def test_a_recorded_zero_is_drawn_and_a_missing_value_is_not():
    charts = {c.key: c for c in build_charts(compute_trends(with_a_zero_and_a_missing_value(), TODAY), pictures=True)}
    lift = marks(charts["lift"].svg, "circle")
    assert sorted(label.split("Lift: ")[1] for label, *_ in lift) == ["0", "2", "3", "3"]  # one dot per recorded lift
    zero = next(m for m in lift if "08 Jun 2026" in m[0])
    assert zero[2] == HEIGHT  # on the zero line, where no bar is drawn
    assert not any("15 Jun 2026" in label for label, *_ in lift)  # missing: no dot, no bar
    assert not any("15 Jun 2026" in label for label, *_ in marks(charts["lift"].svg, "bar"))

    duration = marks(charts["duration"].svg, "circle")
    assert sorted(label.split("Effect lasted: ")[1] for label, *_ in duration) == [
        "0 days (no rise at 2 hours)", "7 days", "7+ days", "7+ days"]
    assert next(m for m in duration if "08 Jun 2026" in m[0])[2] == HEIGHT
    assert not any("24 Aug 2026" in label for label, *_ in duration)  # unknown: no dot, no bar

    # the captions say what a 0 and a missing value look like, and nothing that is not so
    assert "a dot on the zero line with no bar is a lift of 0" in charts["lift"].description
    assert "A session with no dot has no lift" in charts["lift"].description
    assert "A dot on the zero line with no bar is 0 days" in charts["duration"].description
    assert "A session with no dot has no estimate: a follow-up it needs is missing or still to come" in charts["duration"].description
    assert "missing follow-ups have no bar" not in charts["duration"].description


def test_a_zero_average_is_drawn_in_the_grouped_charts_and_an_empty_period_is_not():
    entries = [
        entry("2026-01-05", 100, 4, 4, 4, 4, 4),  # January: lift 0, lasted 0 days
        entry("2026-01-19", 100, 5, 5, 5, 4, 4),
        entry("2026-02-02", 100, 4, None, 5, 5, None),  # February: no lift, no duration
        entry("2026-03-02", 100, 4, 6, 6, 5, 5),
    ]
    trends = compute_trends(entries, TODAY)
    grouping = Grouping("month", group_by_period(trends.sessions, "month"), len(entries))
    from generator.charts import grouped_lift_chart

    lift = grouped_lift_chart(trends, grouping)
    dots = marks(render_svg(lift.spec), "circle")
    assert [label.split("; ")[-2:] for label, *_ in dots] == [
        ["Average lift: 0", "Sessions with a lift: 2"], ["Average lift: 2", "Sessions with a lift: 1"]]
    assert dots[0][2] == HEIGHT and "a dot on the zero line with no bar is an average of 0" in lift.description
    duration = grouped_duration_chart(trends, grouping)
    dots = marks(render_svg(duration.spec), "circle")
    # worded as every average effect length is (words.duration_mean_text): every session of March
    # lasted past day 7, so its average is no number of days but "7 days or more"
    assert [label.split("Effect lasted (average): ")[1] for label, *_ in dots] == ["about 0 days", "7 days or more"]
    assert [row[2] for row in duration.rows] == ["about 0 days", "unknown", "7 days or more"]
    assert dots[0][2] == HEIGHT and "an average of 0 days" in duration.description
    assert "A month with no dot has no session with an estimate" in duration.description


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i: i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_dissociation_levels_are_told_apart_and_not_recorded_is_hollow():
    none, mild, moderate, strong = DISSOCIATION_COLOURS
    assert len(set(DISSOCIATION_COLOURS)) == 4
    # mild, moderate, strong: each darker than the one before, clearly (also in grey print)
    assert luminance(mild) > 1.4 * luminance(moderate) and luminance(moderate) > 1.4 * luminance(strong)
    # none is a grey, its lightness unlike any of the three colours'
    assert none[1:3] == none[3:5] == none[5:7]
    assert all(abs(luminance(none) - luminance(c)) > 0.05 for c in (mild, moderate, strong))

    entries = [
        entry("2026-06-01", 100, 3, 6, dissociation="mild"),
        entry("2026-06-08", 100, 3, 6, dissociation="moderate"),
        entry("2026-06-15", 100, 3, 6),
        entry("2026-06-22", 100, 3, 6),  # with 15 June: one dot for two sessions
        entry("2026-06-29", 100, 3, 5, dissociation="none"),
    ]
    chart = dose_lift_chart(compute_trends(entries, TODAY))
    dots = {label.split("Dissociation: ")[1].split(";")[0]: rest for label, _, _, rest in marks(render_svg(chart.spec), "point")}
    assert set(dots) == {"mild", "moderate", "not recorded", "none"}
    fill = {level: re.search(r'fill="([^"]+)"', rest).group(1) for level, rest in dots.items()}
    stroke = {level: re.search(r'stroke="([^"]+)"', rest).group(1) for level, rest in dots.items()}
    assert fill == {"mild": mild, "moderate": moderate, "none": none, "not recorded": NOT_RECORDED_FILL}
    assert NOT_RECORDED_FILL == "#ffffff" and stroke["not recorded"] == NOT_RECORDED_STROKE != stroke["mild"]
    # the size legend shows real counts only: 1 and 2 sessions, never 0
    size = chart.spec["encoding"]["size"]
    assert size["legend"]["values"] == [1, 2] and size["scale"]["domain"][0] == 1 and size["scale"]["zero"] is False
    legend = render_svg(chart.spec).split("titled 'Sessions'", 1)[1].split("role-legend-title", 1)[0]
    assert re.findall(r'role-legend-label".*?>([^<]+)</text>', legend, flags=re.S) == ["1", "2"]


def test_the_size_legend_of_grouped_side_effects_starts_at_one():
    trends = compute_trends(long_journal(MAX_SESSION_MARKS + 10), TODAY)
    chart = grouped_side_effects_chart(trends, chart_grouping(trends))
    values = chart.spec["encoding"]["size"]["legend"]["values"]
    assert values[0] == 1 and values[-1] == max(v["sessions"] for v in chart.spec["data"]["values"])


def test_dose_change_labels_sit_above_the_bars():
    chart = next(c for c in build_charts(compute_trends(journal_with_a_gap(), TODAY), pictures=True) if c.key == "lift")
    labels = marks(chart.svg, "text mark")
    assert [label.split("New dose: ")[1] for label, *_ in labels] == ["75 mg"]
    bars = marks(chart.svg, "bar")
    tops = [float(re.search(r'd="M[-\d.e]+,([-\d.e]+)', rest).group(1)) for *_, rest in bars]
    assert min(tops) >= 0  # every bar inside the plot
    for _, _, y, rest in labels:
        assert y < 0 and "rotate(270)" in rest  # drawn upwards from above the plot's top edge


TIME_CHARTS = ("mood", "lift", "duration", "dose", "side_effects", "phq9")


def x_domain(spec: dict) -> list:
    layers = [spec] + spec.get("layer", [])
    for layer in layers:
        for part in [layer] + layer.get("layer", []):
            x = part.get("encoding", {}).get("x", {})
            if x.get("type") == "temporal":
                return x["scale"]["domain"]
    raise AssertionError("no time axis")


def test_the_charts_over_time_share_one_domain_with_room_at_both_ends():
    entries = journal_with_a_gap()
    trends = compute_trends(entries, TODAY)
    charts = {c.key: c for c in build_charts(trends, pictures=True)}
    domains = {key: x_domain(charts[key].spec) for key in TIME_CHARTS}
    assert len({json.dumps(d) for d in domains.values()}) == 1, domains  # they line up
    lo, hi = time_domain(trends)
    assert lo <= dt.date(2026, 6, 1) - dt.timedelta(days=3) and hi >= dt.date(2026, 8, 31) + dt.timedelta(days=3)
    assert domains["mood"][0] == {"year": lo.year, "month": lo.month, "date": lo.day, "utc": True}
    # the squares of the first and the last session are whole, inside the plot
    squares = marks(charts["side_effects"].svg, "square")
    assert squares and all(5 <= x <= WIDTH - 5 for _, x, _, _ in squares)
    for key in ("lift", "duration", "dose"):
        xs = [x for _, x, _, _ in marks(charts[key].svg, "circle" if key != "dose" else "point")]
        assert xs and min(xs) >= 5 and max(xs) <= WIDTH - 5, key


def test_the_grouped_charts_over_time_share_one_domain_too():
    trends = compute_trends(long_journal(MAX_SESSION_MARKS + 60), TODAY)
    charts = {c.key: c for c in build_charts(trends, pictures=True)}
    domains = {key: json.dumps(x_domain(charts[key].spec)) for key in TIME_CHARTS}
    assert len(set(domains.values())) == 1, domains
    lo, hi = time_domain(trends)
    first_month = trends.sessions[0].entry.day.replace(day=1)
    assert lo < first_month and hi > trends.sessions[-1].entry.day


def test_questionnaire_band_labels_sit_inside_their_band():
    from generator.charts import questionnaire_chart
    from generator.trends import GAD7_BANDS, PHQ9_BANDS

    entries = [entry("2026-06-01", 100, 3, 6, scores={"phq9": 10, "gad7": 10}),
               entry("2026-06-15", 100, 3, 6, scores={"phq9": 14, "gad7": 15}),
               entry("2026-06-29", 100, 3, 6, scores={"phq9": 5, "gad7": 21})]
    trends = compute_trends(entries, TODAY)
    for questionnaire, key, bands in ((trends.phq9, "phq9", PHQ9_BANDS), (trends.gad7, "gad7", GAD7_BANDS)):
        svg = render_svg(questionnaire_chart(questionnaire, key).spec)
        # each band's drawn rectangle, from its top to its bottom in pixels
        rects = {}
        for label, _, _, rest in marks(svg, "rect mark"):
            top, height = re.search(r'd="M0,([-\d.e]+)h[-\d.e]+v([-\d.e]+)', rest).groups()
            rects[label.split("Severity: ")[1].split(";")[0]] = (float(top), float(top) + float(height))
        assert list(rects) == [name for _, _, name in bands]
        scale = HEIGHT / bands[-1][1]  # pixels per point: the axis runs from 0 to the top total, no more
        for low, high, name in bands:
            top, bottom = rects[name]
            for total in range(low, high + 1):  # every total of the band is drawn inside it
                assert top < HEIGHT - total * scale < bottom or total in (0, bands[-1][1]), (key, name, total)
        for label, x, y, _ in marks(svg, "text mark"):
            name = label.split("Severity: ")[1].split(";")[0]
            top, bottom = rects[name]
            assert top + 5 <= y <= bottom - 5 and x >= WIDTH, (key, name)  # in the band, beside the plot
        points = {label.split("Total: ")[1].split(";")[0]: label.split("Severity: ")[1] for label, *_ in marks(svg, "point")}
        for total, severity in points.items():  # each score is drawn in the band named in its table row
            y = HEIGHT - int(total) * scale
            assert rects[severity][0] <= y <= rects[severity][1], (key, total, severity)


def tooltips(spec):
    """Every tooltip entry anywhere in a spec."""
    if isinstance(spec, dict):
        for name, value in spec.items():
            if name == "tooltip" and value is not None:
                yield from (value if isinstance(value, list) else [value])
            else:
                yield from tooltips(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from tooltips(item)


def test_every_tooltip_field_has_a_human_title():
    short = build_charts(compute_trends(journal_with_a_gap(), TODAY), pictures=True)
    long = build_charts(compute_trends(long_journal(MAX_SESSION_MARKS + 10), TODAY), pictures=True)
    for chart in short + long:
        entries = list(tooltips(chart.spec))
        assert entries, chart.key
        for item in entries:
            assert isinstance(item, dict) and item.get("title"), (chart.key, item)
            assert item["title"] != item.get("field") and "_" not in item["title"], (chart.key, item)


def test_lift_axes_tick_whole_points_only():
    """Lifts are whole points: a small range gives no 0.5 ticks."""
    entries = [entry(f"2026-06-{day:02d}", 100, 4, 5 + day % 2) for day in (1, 8, 15)]  # lifts 1 and 2
    for chart in build_charts(compute_trends(entries, TODAY), pictures=True):
        if chart.key in ("lift", "dose_lift"):
            labels = re.findall(r'<text[^>]*>(-?\d+(?:\.\d+)?)</text>', chart.svg)
            assert labels and not any("." in label for label in labels), (chart.key, labels)


def long_side_effects(n: int = 1_900) -> list[str]:
    """n distinct side effects of 400 characters that start alike: cut to a label's length,
    they would all read the same."""
    start = "tingling in the left arm that came and went " * 9
    return [f"{start[:395]} {i:04d}" for i in range(n)]


def side_effect_rows(chart) -> set[str]:
    return {v["effect"] for v in chart.spec["data"]["values"]}


def test_many_long_side_effects_are_charted_as_a_few_short_rows():
    """One entry with 1,900 long side effects made a chart of 1,900 rows that took the renderer
    minutes: the 12 most frequent get a row, cut to 40 characters, the rest one row together."""
    many = long_side_effects()
    entries = [entry("2026-06-01", 100, 3, 6, side_effects=["nausea", *many]),
               entry("2026-06-08", 100, 3, 6, side_effects=["nausea", "headache"]),
               entry("2026-06-15", 100, 3, 6, side_effects=["headache"])]
    chart = next(c for c in build_charts(compute_trends(entries, TODAY), pictures=True) if c.key == "side_effects")
    rows = side_effect_rows(chart)
    assert len(rows) == MAX_CATEGORIES + 1 and max(len(r) for r in rows) <= MAX_LABEL
    assert {"nausea", "headache", f"other ({len(many) - 10:,} kinds)"} <= rows  # the most frequent by name
    assert chart.spec["encoding"]["y"]["sort"][-1] == f"other ({len(many) - 10:,} kinds)"
    assert chart.spec["height"] <= 24 * (MAX_CATEGORIES + 1)
    drawn = len(re.findall(r'aria-roledescription="square"', chart.svg))
    assert drawn == len(chart.spec["data"]["values"]) == (MAX_CATEGORIES + 1 - 1) + 2 + 1  # the first session: all rows but headache
    assert chart.rows[0][1] == ", ".join(["nausea", *many])  # the table keeps every name in full
    assert f"the other {len(many) - 10:,} kinds share the last row" in chart.description
    # A few short side effects keep their rows and names, in the renderer's own order.
    few = next(c for c in build_charts(compute_trends(journal_with_a_gap(), TODAY), pictures=True) if c.key == "side_effects")
    assert side_effect_rows(few) == {"nausea"} and "sort" not in few.spec["encoding"]["y"]


def test_many_long_side_effects_are_a_few_short_rows_in_a_long_journal_too():
    entries = long_journal(MAX_SESSION_MARKS + 10)
    entries[5] = entry(entries[5].date.isoformat(), 100, 3, 6, side_effects=long_side_effects())
    trends = compute_trends(entries, TODAY)
    chart = grouped_side_effects_chart(trends, chart_grouping(trends))
    rows = side_effect_rows(chart)
    assert len(rows) == MAX_CATEGORIES + 1 and max(len(r) for r in rows) <= MAX_LABEL
    assert {"nausea", "headache", "dizziness"} <= rows
    assert chart.spec["height"] <= 24 * (MAX_CATEGORIES + 1)
    many = long_side_effects()
    assert any(all(name in row[3] for name in many) for row in chart.rows)  # the table keeps every name


def test_the_layered_charts_are_the_specs_altair_layering_makes(monkeypatch):
    """The charts are layered without Altair's deep copies (charts._layer): the specs are
    the same, key order included, as with alt.layer, in a short journal (a gap, a change of
    dose and route, PHQ-9 and GAD-7) and a long one drawn one point per month."""
    import generator.charts as charts

    short = journal_with_a_gap()
    short[1] = entry("2026-06-08", 50, 3, 6, 5, 4, 3, route="oral", scores={"gad7": 7})
    journals = [compute_trends(short, TODAY), compute_trends(long_journal(MAX_SESSION_MARKS + 50), TODAY)]
    ours = [[json.dumps(c.spec) for c in charts._make_charts(t)] for t in journals]
    layer = charts._layer
    monkeypatch.setattr(charts, "_layer", lambda *layers: charts.alt.layer(*layers))
    assert ours == [[json.dumps(c.spec) for c in charts._make_charts(t)] for t in journals]
    assert [len(specs) for specs in ours] == [9, 8]

    # a layer with what else Altair's layering moves (a parameter, a size) is layered by Altair
    point = charts.alt.Chart(charts._Values([{"a": 1}])).mark_point()
    assert type(layer(point, point)) is charts._layered_type()
    assert type(layer(point.add_params(charts.alt.selection_point()), point)) is charts.alt.LayerChart
    assert type(layer(point.properties(width=100), point)) is charts.alt.LayerChart
