"""What the speed-ups change, checked for being exact: the rebuild cache gives fresh
results after an edit, unchanged charts are not drawn again, the Vega runtime is made
once, and the chart specs (no longer validated while building) are valid Vega-Lite.

No test here measures time: see benchmarks/ for that."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import vl_convert
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema

import generator.journal as journal_module
from conftest import EXAMPLE_TODAY, REPO, write_project
from generator.charts import build_charts
from generator.journal import EntryCache, load_journal
from generator.trends import compute_trends

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
ENTRY = "date: {day}\ndose_mg: {dose}\npre_mood: 3\npost_mood_2h: {post}\nmood_day1: 5\nmood_day3: 4\nmood_day7: 3\nnotes: {note}\n"


def entry(day: str, dose: int = 100, post: int = 6, note: str = "fine") -> str:
    return ENTRY.format(day=day, dose=dose, post=post, note=note)


def snapshot(journal) -> tuple:
    """Everything a load gives, to compare loads with and without the cache."""
    return (
        journal.files_read,
        [str(p) for p in journal.problems],
        [(e.source, e.slug, e.model_dump()) for e in journal.entries],
    )


def test_the_entry_cache_gives_the_same_and_fresh_results(tmp_path: Path, monkeypatch):
    folder = tmp_path / "entries"
    folder.mkdir()
    (folder / "2026-06-01.yaml").write_text(entry("2026-06-01"), encoding="utf-8")
    (folder / "2026-06-08.yaml").write_text(entry("2026-06-08", post=7), encoding="utf-8")
    (folder / "2026-06-15.yaml").write_text("date: 2026-06-15\ndose_mg: lots\n", encoding="utf-8")
    cache = EntryCache()
    read = []
    original = journal_module.read_entry
    monkeypatch.setattr(journal_module, "read_entry", lambda raw, source: read.append(source) or original(raw, source))

    first = load_journal(folder, TODAY, base=tmp_path, cache=cache)
    assert snapshot(first) == snapshot(load_journal(folder, TODAY, base=tmp_path))
    assert sorted(read) == ["entries/2026-06-01.yaml", "entries/2026-06-08.yaml", "entries/2026-06-15.yaml"]

    # nothing changed: nothing is read and checked again, and the answer is the same
    read.clear()
    assert snapshot(load_journal(folder, TODAY, base=tmp_path, cache=cache)) == snapshot(first)
    assert read == []

    # one entry edited, one fixed, one new: only those are read again, and the results are fresh
    (folder / "2026-06-08.yaml").write_text(entry("2026-06-08", post=9), encoding="utf-8")
    (folder / "2026-06-15.yaml").write_text(entry("2026-06-15"), encoding="utf-8")
    (folder / "2026-06-22.yaml").write_text(entry("2026-06-22", post=2), encoding="utf-8")
    read.clear()
    again = load_journal(folder, TODAY, base=tmp_path, cache=cache)
    assert sorted(read) == ["entries/2026-06-08.yaml", "entries/2026-06-15.yaml", "entries/2026-06-22.yaml"]
    assert snapshot(again) == snapshot(load_journal(folder, TODAY, base=tmp_path))
    assert [e.post_mood_2h for e in again.entries] == [6, 9, 6, 2]
    assert again.errors == []

    # warnings that depend on today are worked out anew, not taken from the cache
    earlier = load_journal(folder, dt.date(2026, 6, 23), base=tmp_path, cache=cache)
    assert snapshot(earlier) == snapshot(load_journal(folder, dt.date(2026, 6, 23), base=tmp_path))
    assert any("has not come yet" in str(p) for p in earlier.warnings)


def test_chart_specs_are_valid_vega_lite():
    """Building skips Altair's validation (slow on inline data): the specs are checked here."""
    schema = load_schema()
    charts = build_charts(compute_trends(load_journal(REPO / "entries", TODAY).entries, TODAY))
    assert len(charts) == 9
    for chart in charts:
        validate_jsonschema(chart.spec, schema)


def test_the_vega_runtime_made_in_another_process_is_the_same(monkeypatch):
    """The build starts making the runtime in another process (vl-convert holds the GIL);
    what comes back is what vl-convert makes here, and it is made once."""
    import generator.charts as charts

    here = charts.vega_runtime_js()
    monkeypatch.setattr(charts, "_runtime", None)
    bundles = []
    monkeypatch.setattr(vl_convert, "javascript_bundle", lambda *a, **kw: bundles.append(1) or "")
    charts.start_vega_runtime()
    assert charts._runtime_maker is not None
    assert charts.vega_runtime_js() == here
    assert charts.vega_runtime_js() is charts.vega_runtime_js()
    assert bundles == [] and charts._runtime_maker is None


def test_a_rebuild_while_serving_redraws_only_changed_charts(tmp_path: Path, monkeypatch):
    """What `journal serve` does on an edit: mkdocs.yml loaded again and the site built
    again in the same process, by the same plugin instance."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    entries = {f"2026-06-{day:02d}.yaml": entry(f"2026-06-{day:02d}", dose=50 + day) for day in (1, 4, 8, 11, 15)}
    project = write_project(tmp_path / "journal", entries)
    site = tmp_path / "site"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)

    def rebuild():
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        build(config, serve_url="http://127.0.0.1:8000/")
        return config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
        plugin = config.plugins["journal"]
        drawn, bundles = [], []
        svg, bundle = vl_convert.vegalite_to_svg, vl_convert.javascript_bundle
        monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec, **kw: drawn.append(spec["title"]) or svg(spec, **kw))
        monkeypatch.setattr(vl_convert, "javascript_bundle", lambda *a, **kw: bundles.append(1) or bundle(*a, **kw))
        read = []
        original = journal_module.read_entry
        monkeypatch.setattr(journal_module, "read_entry", lambda raw, source: read.append(source) or original(raw, source))

        # only a note changes: no chart's data changes, only that file is read again
        (project / "entries" / "2026-06-08.yaml").write_text(entry("2026-06-08", dose=58, note="a new note"), encoding="utf-8")
        config = rebuild()
        assert config.plugins["journal"] is plugin
        assert read == ["entries/2026-06-08.yaml"]
        assert drawn == [] and bundles == []
        assert "a new note" in (site / "sessions" / "2026-06-08.html").read_text(encoding="utf-8")

        # the mood two hours after changes: the charts that show it are drawn again, no other
        (project / "entries" / "2026-06-08.yaml").write_text(entry("2026-06-08", dose=58, post=9, note="a new note"), encoding="utf-8")
        rebuild()
        assert drawn == [
            "Mood before and after each session",
            "Lift after each session (2 hours after minus before)",
            "Dose against lift, coloured by dissociation",
        ]
        assert bundles == []
        assert "<td>9</td>" in (site / "sessions" / "2026-06-08.html").read_text(encoding="utf-8")
    finally:
        config.plugins.on_shutdown()
