"""What the speed-ups change, checked for being exact: the rebuild cache gives fresh
results after an edit, unchanged charts are not drawn again, the Vega runtime is made
once, and the chart specs (no longer validated while building) are valid Vega-Lite.

No test here measures time: see benchmarks/ for that."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import pytest
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
    assert sorted(read) == ["entries/2026-06-01.yaml", "entries/2026-06-08.yaml", "entries/2026-06-15.yaml"]
    assert snapshot(first) == snapshot(load_journal(folder, TODAY, base=tmp_path))  # which reads them all again

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


def test_the_vega_runtime_shipped_in_the_package_is_taken_and_no_helper_started(monkeypatch, tmp_path):
    """The package's build step (setup.py) made the runtime; a build takes it as it is, with
    no process started to make it and nothing put in the journal's cache. It is what
    vl-convert makes, and taken only from the vl-convert version that made it."""
    import generator.charts as charts
    from generator import vega_bundle
    from generator.cache import DrawingCache

    shipped = vega_bundle.shipped()
    assert shipped is not None, "no Vega runtime in the package: install it again (pip install -e .)"
    assert shipped == vega_bundle.wrap(vl_convert.javascript_bundle()), (
        "the runtime in the package is not what vega_bundle makes now: install it again (pip install -e .)")
    monkeypatch.setattr(charts, "_runtime", None)
    started = []
    monkeypatch.setattr(charts.subprocess, "Popen", lambda *a, **kw: started.append(a))
    cache = DrawingCache(tmp_path / "cache")
    charts.start_vega_runtime(cache)
    assert charts.vega_runtime_js(cache) == shipped
    assert started == [] and not (tmp_path / "cache").exists()

    # made by another vl-convert: not taken
    (tmp_path / "package").mkdir(parents=True)
    (tmp_path / "package" / vega_bundle.RUNTIME_FILE).write_text(shipped, encoding="utf-8")
    (tmp_path / "package" / vega_bundle.VERSION_FILE).write_text("1.0.0\n", encoding="utf-8")
    assert vega_bundle.shipped(tmp_path / "package") is None
    (tmp_path / "package" / vega_bundle.VERSION_FILE).write_text(vega_bundle.vl_convert_version() + "\n", encoding="utf-8")
    assert vega_bundle.shipped(tmp_path / "package") == shipped


def test_the_vega_runtime_made_in_another_process_is_the_same(monkeypatch):
    """Without a runtime shipped in the package (made by another vl-convert, say), the build
    starts making it in another process (vl-convert holds the GIL); what comes back is what
    vl-convert makes here, and it is made once."""
    import generator.charts as charts

    monkeypatch.setattr(charts.vega_bundle, "shipped", lambda *a: None)
    monkeypatch.setattr(charts, "_runtime", None)
    here = charts.vega_runtime_js()
    monkeypatch.setattr(charts, "_runtime", None)
    bundles = []
    monkeypatch.setattr(vl_convert, "javascript_bundle", lambda *a, **kw: bundles.append(1) or "")
    charts.start_vega_runtime()
    assert charts._runtime_maker is not None
    assert charts.vega_runtime_js() == here
    assert charts.vega_runtime_js() is charts.vega_runtime_js()
    assert bundles == [] and charts._runtime_maker is None


def test_a_rebuild_while_serving_reads_only_changed_entries_and_draws_no_picture(tmp_path: Path, monkeypatch):
    """What `journal serve` does on an edit: mkdocs.yml loaded again and the site built
    again in the same process, by the same plugin instance."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.plugin import BuildRequest, requested

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
    # what `journal serve --today` asks of every build (plugin.serve_site)
    with requested(config.config_file_path, BuildRequest(today=dt.date.fromisoformat(EXAMPLE_TODAY))):
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

            # the mood two hours after changes: the charts' specs change, and the page draws
            # them; no picture is drawn in the build
            trends_before = (site / "trends.html").read_text(encoding="utf-8")
            (project / "entries" / "2026-06-08.yaml").write_text(entry("2026-06-08", dose=58, post=9, note="a new note"), encoding="utf-8")
            rebuild()
            assert drawn == [] and bundles == []
            assert (site / "trends.html").read_text(encoding="utf-8") != trends_before
            assert "<td>9</td>" in (site / "sessions" / "2026-06-08.html").read_text(encoding="utf-8")
        finally:
            config.plugins.on_shutdown()


# --- `journal check` on thousands of entries: each shortcut gives what the longer way gives --

def _find_entry_files_with_os_walk(folder: Path, base: Path) -> tuple[list[Path], list]:
    """How the entry files were found before `_find_entry_names` (os.walk, a Path and an
    lstat per file), kept here as the reference it must agree with."""
    from generator.journal import ENTRY_SUFFIXES, Problem, _is_ignored_name, _is_inside, display_path

    files, problems = [], []
    root = folder.resolve()

    def say(path, message, severity="error"):
        problems.append(Problem(display_path(path, base), 1, 1, None, message, severity))

    for current, dirs, names in os.walk(folder, onerror=lambda e: say(Path(e.filename or folder), f"cannot be opened ({(e.strerror or str(e)).lower()})")):
        here = Path(current)
        for name in sorted(dirs):
            path = here / name
            if name.startswith("."):
                dirs.remove(name)
            elif path.is_symlink():
                say(path, "is a link to a folder, which is not followed; move the entries into entries/ itself", "warning")
            elif name.lower().endswith(ENTRY_SUFFIXES):
                say(path, "is a folder, not an entry file, although its name ends in .yaml; the files inside it are read as entries", "warning")
        dirs.sort()
        for name in sorted(names):
            path = here / name
            if _is_ignored_name(name):
                continue
            if not name.lower().endswith(ENTRY_SUFFIXES):
                say(path, "is not a .yaml or .yml file, so it is not read as an entry", "warning")
                continue
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    say(path, "is a link that leads nowhere (its target is missing, or links loop); remove it or copy the entry here")
                    continue
                if not _is_inside(target, root):
                    say(path, f"is a link to a file outside the entries folder ({target}); copy the entry into the folder instead")
                    continue
                if not target.is_file():
                    say(path, "is a link to something that is not a file")
                    continue
            files.append(path)
    return files, problems


def _awkward_folder(root: Path) -> Path:
    folder = root / "entries"
    names = ["b.yaml", "a.yml", "A.YAML", "notes.txt", "x.yaml~", ".hidden.yaml", "#x.yaml#", "séance 2.yaml",
             "sub/c.yaml", "sub/z/d.yaml", "sub/z/e.txt", "sub-2/f.yaml", "old.yaml/g.yaml", ".git/h.yaml",
             "deep/" + "/".join(f"level{i}" for i in range(30)) + "/i.yaml"]
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(entry("2026-06-01"), encoding="utf-8")
    (root / "outside.yaml").write_text(entry("2026-06-02"), encoding="utf-8")
    if hasattr(os, "symlink"):
        try:
            os.symlink(folder / "b.yaml", folder / "link.yaml")
            os.symlink(root / "outside.yaml", folder / "out.yaml")
            os.symlink(folder / "missing.yaml", folder / "nowhere.yaml")
            os.symlink(folder / "sub", folder / "to-sub")
            os.symlink(folder / "sub", folder / "to-sub.yaml")
            os.symlink(folder / "sub", folder / "sub" / "z" / "loop")
        except OSError:  # Windows without the right to make links
            pass
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.yaml")
    return folder


def test_entry_files_are_found_as_with_os_walk(tmp_path: Path, monkeypatch):
    from generator.journal import find_entry_files

    folder = _awkward_folder(tmp_path)
    for base in (tmp_path, folder, tmp_path / "elsewhere"):
        found = find_entry_files(folder, base)
        assert found == _find_entry_files_with_os_walk(folder, base)
        assert len(found[0]) == 11 and len(found[1]) >= 4  # the files and the messages, in the same order
    monkeypatch.chdir(folder)  # `journal check --entries .`
    assert find_entry_files(Path("."), folder) == _find_entry_files_with_os_walk(Path("."), folder)


def test_a_short_read_is_read_on_to_the_end(tmp_path: Path, monkeypatch):
    """os.read may give fewer bytes than asked before the end of a file: the reading goes
    on, as a file object's read() does."""
    folder = _awkward_folder(tmp_path)
    (folder / "long.yaml").write_text(entry("2026-06-03", note="a long note " * 500), encoding="utf-8")
    whole = snapshot(load_journal(folder, TODAY, base=tmp_path))
    read = os.read
    monkeypatch.setattr(os, "read", lambda descriptor, size: read(descriptor, min(size, 7)))
    assert snapshot(load_journal(folder, TODAY, base=tmp_path)) == whole


def test_a_file_that_grows_while_it_is_read_is_read_whole_up_to_the_limit(tmp_path: Path, monkeypatch):
    from generator.reading import MAX_FILE_BYTES

    folder = tmp_path / "entries"
    folder.mkdir()
    (folder / "2026-06-01.yaml").write_text(entry("2026-06-01", note="grown " * 100), encoding="utf-8")
    (folder / "2026-06-02.yaml").write_text(entry("2026-06-02", note="x" * MAX_FILE_BYTES), encoding="utf-8")
    fstat = os.fstat

    def smaller(descriptor):  # the size as it was a moment before: 10 bytes
        status = fstat(descriptor)
        return os.stat_result((*status[:6], 10, *status[7:]))

    monkeypatch.setattr(os, "fstat", smaller)
    journal = load_journal(folder, TODAY, base=tmp_path)
    assert [e.notes for e in journal.entries] == [("grown " * 100).strip()]
    assert [str(p) for p in journal.errors] == [
        "entries/2026-06-02.yaml:1:1: the file is 1.0 MiB; an entry is a few lines, so files over 1 MiB "
        "are not read (is this the right file?)"
    ]


def test_the_places_kept_for_the_checks_across_entries_give_the_same_messages(tmp_path: Path, monkeypatch):
    """Once a file is checked, only the places `cross_entry_problems` points at are kept."""
    folder = tmp_path / "entries"
    folder.mkdir()
    texts = {
        "a.yaml": entry("2026-06-01"), "b.yaml": "dose_mg: 5\ndate: 2026-06-01\n",
        "c.yaml": "date:   2026-06-01 09:00\ndose_mg: 5\n", "d.yaml": "date: '2026-06-01 09:00'\ndose_mg: 5\n",
        "e.yaml": "{date: 2027-01-01, dose_mg: 5}\n", "f.yaml": "\n\n  date: 2027-01-02\n  dose_mg: 5\n",
        "g.yaml": "---\ndate: &d 2026-06-05\ndose_mg: 5\n", "h.yaml": "dose_mg: 5\ndate: 2026-06-05\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    kept = load_journal(folder, TODAY, base=tmp_path)
    monkeypatch.setattr(journal_module, "cross_entry_places", lambda read: read)  # every place kept
    assert snapshot(kept) == snapshot(load_journal(folder, TODAY, base=tmp_path))
    assert len([p for p in kept.errors if "is also the date of" in p.message]) == 6
    assert len([p for p in kept.errors if "is after today" in p.message]) == 2


@pytest.mark.parametrize("source", [
    "entries/2026-04-02.yaml", "2026-04-02.yml", "a/b/c.d.yaml", "x.yaml", ".yaml", "a/.yaml", "a.", "a/b.",
    "..", "a/..", ".", "a/.", "a/b.yaml/", "a/b.yaml/.", "", "/", "//x.yaml", "a\\b.yaml", "é/ü.YAML", "x..yaml",
    "..yaml", "a.b", "caf\udce9.yaml",
])
def test_the_quick_stem_is_paths_stem(source):
    from generator.entries import _stem

    assert _stem(source) == Path(source).stem
