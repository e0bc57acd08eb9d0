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
