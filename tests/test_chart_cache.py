"""The journal's cache of drawn charts (.journal-cache/ beside mkdocs.yml): a second build
draws nothing, a damaged file is drawn again, builds at once leave it whole, and nothing
of it leaves the journal's folder (not to the home folder, the site or an export).

No test here measures time: see benchmarks/ for that."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path

import generator.cache as cache_module
import generator.charts as charts_module
from conftest import EXAMPLE_TODAY, REPO, write_project
from generator.cache import FOLDER_NAME, DrawingCache
from generator.charts import build_charts
from generator.trends import compute_trends
from generator.vega_bundle import NOTICES_FILE
from test_performance import entry

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
ENTRIES = {f"2026-06-{day:02d}.yaml": entry(f"2026-06-{day:02d}", dose=50 + day) for day in (1, 4, 8, 11, 15)}
# A command run in a new process, then the heavy libraries it loaded, on the last line; the
# line before: how many templates of files Jinja compiled (the rest were taken from the cache
# or the package; templates made from strings, as Altair makes some at its import, are never kept).
LOADED = (
    "import sys\nimport jinja2\ncompiled = []\ncompile = jinja2.Environment.compile\n"
    "named = lambda a, kw: (a[2] if len(a) > 2 else kw.get('name')) is not None\n"
    "jinja2.Environment.compile = lambda *a, **kw: (named(a, kw) and compiled.append(1)) or compile(*a, **kw)\n"
    "from generator.cli import main\nstatus = main(sys.argv[1:])\n"
    "print(len(compiled))\n"
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'altair', 'mkdocs', 'vl_convert'}))\n"
    "sys.exit(status)\n"
)
COMPILED: list[int] = []  # templates compiled by each run_journal_process, in order


def run_journal_process(project: Path, home: Path, *args: str) -> list[str]:
    """`journal ARGS` in a new process in `project`, with an empty home folder; returns
    which of Altair, MkDocs and vl-convert it imported."""
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CONFIG_HOME": str(home / ".config")}
    env.pop("JOURNAL_TODAY", None)
    done = subprocess.run([sys.executable, "-c", LOADED, *args, "--today", EXAMPLE_TODAY],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    *_, compiled, loaded = done.stdout.strip().splitlines()
    COMPILED.append(int(compiled))
    return eval(loaded)  # the list printed by LOADED


def fresh_process_memory(monkeypatch) -> None:
    """Forget what this process drew, as a new process would."""
    monkeypatch.setattr(charts_module, "_svg_cache", OrderedDict())


def counted_drawing(monkeypatch) -> list[str]:
    import vl_convert

    drawn: list[str] = []
    draw = vl_convert.vegalite_to_svg
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec, **kw: drawn.append(spec["title"]) or draw(spec, **kw))
    return drawn


def test_a_second_build_in_a_new_process_draws_nothing_and_writes_only_in_the_journal(tmp_path):
    project = write_project(tmp_path / "journal", ENTRIES)
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "journal" / "extra" / "mine.md").write_text("# Mine\n", encoding="utf-8")

    COMPILED.clear()
    # the pages draw the charts: the build makes their specs (Altair) and draws no picture,
    # so vl-convert is never loaded, not even on a journal's first build
    assert run_journal_process(project, home, "build") == ["altair", "mkdocs"]
    # Material's templates and the report's are shipped compiled in the package (setup.py), so
    # not even a first build compiles them or keeps them
    assert COMPILED[0] == 0
    cache = project / FOLDER_NAME
    kept = sorted(p.name for p in cache.iterdir())
    assert not any(name.startswith("template-") for name in kept)
    assert any(name.startswith("charts-") for name in kept)  # the chart list, specs and tables
    assert not any(name.startswith("chart-") for name in kept)  # no picture drawn
    assert not any(name.startswith("vega-runtime-") for name in kept)  # shipped in the package: not made, not kept
    first = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*.html")}

    # unchanged: every chart and the Vega runtime come from the cache, so neither the
    # JavaScript engine nor Altair is even loaded; no template is compiled again (Material's
    # or the report's); the pages are the same
    COMPILED.clear()
    assert run_journal_process(project, home, "build") == ["mkdocs"]
    assert COMPILED == [0]
    assert {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*.html")} == first
    assert sorted(p.name for p in cache.iterdir()) == kept

    # nothing made from the entries went anywhere else: not to the home folder or a
    # user-wide cache, not into entries/, the site or one's own pages
    assert list(home.rglob("*")) == []
    assert sorted(p.name for p in (project / "entries").iterdir()) == sorted(ENTRIES)
    assert not [p for p in (project / "site").rglob("*") if FOLDER_NAME in p.parts or p.name.startswith("chart-")]
    assert sorted(p.name for p in (project / "extra").iterdir()) == ["mine.md"]


def test_a_second_export_draws_nothing_and_leaves_the_cache_out_of_the_zip(tmp_path):
    project = write_project(tmp_path / "journal", ENTRIES)
    home = tmp_path / "home"
    home.mkdir()
    # the summary forbids scripts: its charts are pictures, drawn by vl-convert the first time
    assert "vl_convert" in run_journal_process(project, home, "export", "--out", "first.zip")
    # and taken from the cache the next time, as is everything else
    assert run_journal_process(project, home, "export", "--out", "second.zip") == ["mkdocs"]
    assert (project / "first.zip").read_bytes() == (project / "second.zip").read_bytes()
    with zipfile.ZipFile(project / "second.zip") as bundle:
        assert not [n for n in bundle.namelist() if FOLDER_NAME in n]
    assert list(home.rglob("*")) == []


def test_journal_check_loads_no_altair_mkdocs_or_vl_convert(tmp_path):
    project = write_project(tmp_path / "journal", ENTRIES)
    home = tmp_path / "home"
    home.mkdir()
    assert run_journal_process(project, home, "check") == []
    assert not (project / FOLDER_NAME).exists()


def test_a_damaged_cache_file_is_ignored_and_drawn_again(tmp_path, monkeypatch):
    from generator.journal import load_journal

    trends = compute_trends(load_journal(REPO / "entries", TODAY).entries, TODAY)
    cache = DrawingCache(tmp_path / FOLDER_NAME)
    fresh_process_memory(monkeypatch)
    first = build_charts(trends, cache, pictures=True)

    files = sorted((tmp_path / FOLDER_NAME).iterdir())
    charts_files = [p for p in files if p.name.startswith("chart-")]
    assert len(charts_files) == len(first)
    for index, path in enumerate(files):  # cut short, one byte changed, or emptied
        data = path.read_bytes()
        damaged = [data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]), b""][index % 3]
        path.write_bytes(damaged)

    fresh_process_memory(monkeypatch)
    drawn = counted_drawing(monkeypatch)
    again = build_charts(trends, cache, pictures=True)
    assert again == first
    assert sorted(drawn) == sorted(c.spec["title"] for c in first)
    # and written again whole: the next build draws nothing
    fresh_process_memory(monkeypatch)
    drawn.clear()
    assert build_charts(trends, cache, pictures=True) == first
    assert drawn == []


def test_changing_a_charts_data_redraws_only_that_chart(tmp_path, monkeypatch):
    from generator.journal import load_journal

    project = write_project(tmp_path / "journal", ENTRIES)
    cache = DrawingCache(project / FOLDER_NAME)
    fresh_process_memory(monkeypatch)
    before = build_charts(compute_trends(load_journal(project / "entries", TODAY).entries, TODAY), cache, pictures=True)

    (project / "entries" / "2026-06-08.yaml").write_text(entry("2026-06-08", dose=58, post=9), encoding="utf-8")
    fresh_process_memory(monkeypatch)
    drawn = counted_drawing(monkeypatch)
    after = build_charts(compute_trends(load_journal(project / "entries", TODAY).entries, TODAY), cache, pictures=True)
    assert drawn == [
        "Mood before and after each session",
        "Lift after each session (2 hours after minus before)",
        "Dose against lift, coloured by dissociation",
    ]
    changed = [b.key for b, a in zip(before, after) if b.svg != a.svg]
    assert changed == ["mood", "lift", "dose_lift"]

    # another version of Altair or vl-convert may draw differently: nothing is taken then
    monkeypatch.setattr(cache_module, "library_versions", lambda: "altair 0, vl-convert-python 0")
    fresh_process_memory(monkeypatch)
    drawn.clear()
    build_charts(compute_trends(load_journal(project / "entries", TODAY).entries, TODAY), cache, pictures=True)
    assert len(drawn) == len(after)


def test_builds_writing_at_once_leave_a_whole_file(tmp_path):
    cache = DrawingCache(tmp_path / FOLDER_NAME)
    texts = [f"<svg>{n}" + "x" * (200_000 + 1000 * n) + "</svg>" for n in range(4)]
    seen: set[str | None] = set()
    stop = threading.Event()

    def write(text: str) -> None:
        for _ in range(30):
            cache.put("chart-same", text)

    def read() -> None:
        while not stop.is_set():
            seen.add(cache.get("chart-same"))

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(text,)) for text in texts]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()
    assert seen <= {None, *texts}  # whole or nothing, never a mix or a part
    assert cache.get("chart-same") in texts
    assert [p.name for p in (tmp_path / FOLDER_NAME).iterdir()] == ["chart-same"]  # no temporary file left


def test_the_oldest_files_go_when_the_cache_is_full(tmp_path):
    cache = DrawingCache(tmp_path / FOLDER_NAME, limit=25_000)
    for n in range(5):
        cache.put(f"chart-{n}", "x" * 10_000)
        os.utime(tmp_path / FOLDER_NAME / f"chart-{n}", (1_000_000 + n, 1_000_000 + n))
    # what a build killed while writing left, long ago; and one being written now
    (tmp_path / FOLDER_NAME / ".writing-old").write_text("x")
    os.utime(tmp_path / FOLDER_NAME / ".writing-old", (1_000_000, 1_000_000))
    (tmp_path / FOLDER_NAME / ".writing-now").write_text("x")
    cache.trim()
    assert sorted(p.name for p in (tmp_path / FOLDER_NAME).iterdir()) == [".writing-now", "chart-3", "chart-4"]
    assert cache.get("chart-4") == "x" * 10_000


def test_the_cache_is_in_no_site_or_export(example_site, example_export):
    assert (REPO / FOLDER_NAME).is_dir()  # the example journal's cache, beside its mkdocs.yml
    # (the runtime's licence notices, vega-runtime-licenses.txt, are a file of the package, not of the cache)
    assert not [p for p in example_site.rglob("*") if FOLDER_NAME in p.parts
                or (p.name.startswith(("chart-", "vega-runtime-")) and p.name != NOTICES_FILE)]
    with zipfile.ZipFile(example_export) as bundle:
        names = bundle.namelist()
    assert not [n for n in names if FOLDER_NAME in n or "/chart-" in n
                or ("vega-runtime-" in n and not n.endswith("/" + NOTICES_FILE))]
