"""The benchmark: how fast a journal of N entries checks, builds and rebuilds.

    pip install -e .                       # once, in the environment you benchmark
    python benchmarks/run.py               # N = 100, 1,000 and 10,000 (about 10 minutes)
    python benchmarks/run.py --quick       # N = 100 and 1,000, fewer runs (1-2 minutes)
    python benchmarks/run.py --sizes 500 --repeat 3 --output results.md
    python benchmarks/run.py --serve       # `journal serve`: save -> browser, at 150 entries

For each N it writes a synthetic journal (benchmarks/make_journal.py, seeded, so every run
measures the same files) and measures, side by side in one run:

- check: `journal check` on the entries, as a command (a new process, imports included);
- floor: the same files parsed by libyaml's C loader alone (read every file's bytes, then
  yaml.load with CSafeLoader), also as a new process;
- trends: compute_trends on the loaded journal (in one process, after loading);
- build: `journal build`, as a command, three ways: first (no .journal-cache/, so every
  chart's spec is made; the pages draw the charts, so none is drawn, and the Vega runtime
  is the one shipped in the package), after a new session (a session added since the
  previous build: most charts change and their specs are made again) and unchanged
  (everything in the cache: no spec made, neither Altair nor vl-convert imported);
- bare: `mkdocs build` of the same pages without the plugin: the Markdown stub and HTML
  of every page the plugin makes, and its assets, written into a plain docs folder with
  the same theme, theme overrides, nav and plugins (search, privacy); the engine's own
  cost for the same pages;
- rebuild: what `mkdocs serve` does after one entry is edited (a follow-up mood changed):
  mkdocs.yml loaded again and the site built again, in the same process, so the plugin
  instance and its caches live on; compared with a bare rebuild of the bare pages in the
  same way (one page edited);
- peak memory of the check and build commands (the process's maximum resident set size),
  and the size of the built site.

With --serve, only `journal serve` at 150 entries: from saving an edit of an entry to the
page open in Chromium (Playwright) showing it after MkDocs' live reload, beside the
in-process rebuilds of the journal and of the bare pages. Also, from the same edits: the
rebuild inside the serve process by MkDocs' own count (its log), and the serve process's
CPU time from the save to the browser showing it (steadier than wall time on a busy
machine; Linux only).

Every time is the median of --repeat runs (default 5), except that above 2,000 entries
the builds, bare builds and rebuilds run once each (at 10,000 entries each takes a minute
or more). Ratios are taken between medians. Each measurement runs in a process of its own.
Nothing here is a test: no time is asserted; the targets are only reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = "2026-11-25"
sys.path.insert(0, str(HERE))

# the session added before the "build, new session" measurement
NEW_ENTRY = f"date: {TODAY}\ndose_mg: 100\npre_mood: 4\npost_mood_2h: 7\nside_effects: [dizzy]\nnotes: a session added since the last build\n"

FLOOR_CODE = """\
import os, sys, yaml
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), "rb") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def project_config(journal: bool = True, custom_dir: str | None = None) -> str:
    """mkdocs.yml for a benchmark journal; without the journal plugin for the bare build."""
    theme_dir = f"  custom_dir: {json.dumps(custom_dir)}\n" if custom_dir else ""
    plugin = "  - journal:\n      entries: entries\n" if journal else ""
    return (
        f"site_name: Benchmark journal\ndocs_dir: {'extra' if journal else 'docs'}\nuse_directory_urls: false\n"
        f"theme:\n  name: material\n{theme_dir}  font: false\n  language: en\n"
        "  features:\n    - navigation.sections\n    - content.tooltips\n"
        "extra:\n  generator: false\n"
        f"plugins:\n{plugin}  - search\n"
        "  - privacy:\n      assets_fetch: false\n      assets_exclude:\n        - unpkg.com/mermaid@11/*\n"
        # the plugin's Vega runtime is a generated file, which the privacy plugin does not
        # read; in the bare build it is a plain file that names its schema's URL
        + ("" if journal else "        - vega.github.io/*\n")
    )


# --- measuring ------------------------------------------------------------------------

def run_command(args: list[str], cwd: Path) -> tuple[float, float | None]:
    """Run a command to completion; its wall time in seconds and its peak memory in MiB."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(args, cwd=cwd, stdout=sink, stderr=subprocess.PIPE)
        peak = None
        if hasattr(os, "wait4"):
            stderr = process.stderr.read()  # type: ignore[union-attr]
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss / 1024  # KiB on Linux
        else:  # pragma: no cover - Windows
            _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({process.returncode}):\n{stderr.decode()[-3000:]}")
    return elapsed, peak


def journal_command() -> list[str]:
    script = Path(sys.executable).with_name("journal")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "generator.cli"]


def median(values: list[float]) -> float:
    return statistics.median(values)


def folder_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for root, _, names in os.walk(folder):
        for name in names:
            total += os.path.getsize(os.path.join(root, name))
            count += 1
    return total, count


def worker(kind: str, *args: str) -> dict:
    """Run a measurement in a fresh process and print its result as JSON."""
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import run; run._{kind}(*sys.argv[1:])"
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"worker {kind} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- what the workers do, each in a process of its own ------------------------------------

def _trends(entries: str, repeat: str) -> None:
    from generator.journal import load_journal
    from generator.trends import compute_trends

    journal = load_journal(entries, TODAY)
    times = []
    for _ in range(int(repeat)):
        start = time.perf_counter()
        compute_trends(journal.entries, journal.today)
        times.append(time.perf_counter() - start)
    print(json.dumps({"trends": median(times), "entries": len(journal.entries)}))


def _quiet_mkdocs() -> None:
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)


def _write_bare(plugin, site: Path, bare_dir: Path) -> int:
    """The pages the plugin produced (Markdown stub and HTML), its assets and an equivalent
    mkdocs.yml without the plugin, written into `bare_dir` for the bare MkDocs builds."""
    from generator.pages import NAV_PAGES, builtin_templates_dir
    from generator.plugin import ASSETS, _stub

    shutil.rmtree(bare_dir, ignore_errors=True)
    docs = bare_dir / "docs"
    for page in plugin.pages.values():
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_stub(page) + "\n" + page.html + "\n", encoding="utf-8")
    for asset in ASSETS:
        target = docs / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / asset, target)
    nav = "".join(f"  - {json.dumps(title)}: {path}\n" for path, title, _ in NAV_PAGES)
    css = "".join(f"  - {a}\n" for a in ASSETS if a.endswith(".css"))
    js = "".join(f"  - {a}\n" for a in ASSETS if a.endswith(".js"))
    config_text = project_config(journal=False, custom_dir=str(builtin_templates_dir() / "theme"))
    config_text += f"nav:\n{nav}extra_css:\n{css}extra_javascript:\n{js}"
    (bare_dir / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    return len(plugin.pages)


def _rebuild(kind: str, project: str, repeat: str, bare: str = "") -> None:
    """What `mkdocs serve` does on a change: mkdocs.yml loaded again and the site built again,
    in the same process. The first build is the one `serve` makes on start (not timed); for
    the journal, the pages it makes are also written out for the bare builds (into `bare`)."""
    import vl_convert
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _quiet_mkdocs()
    import generator.charts as charts

    counts = {"svg": 0}
    svg = vl_convert.vegalite_to_svg

    def counting_svg(*args, **kwargs):
        counts["svg"] += 1
        return svg(*args, **kwargs)

    vl_convert.vegalite_to_svg = counting_svg
    runtimes: set[int] = set()  # the Vega runtime each build used: one is the goal
    project_dir = Path(project)
    serve_url = "http://127.0.0.1:8000/"
    if kind == "journal":
        entries = sorted((project_dir / "entries").glob("*.yaml"))
        # the newest entry with a day-3 mood: the kind of edit made while serving
        edited = next(p for p in reversed(entries) if "\nmood_day3: " in p.read_text(encoding="utf-8"))
    else:
        edited = next(p for p in sorted((project_dir / "docs" / "sessions").glob("*.md")) if p.name != "index.md")
    original = edited.read_text(encoding="utf-8")
    times, redrawn, result = [], [], {}
    # what `journal serve --today TODAY` asks of every build (generator.plugin.serve_site)
    from generator.plugin import BuildRequest, requested

    request = requested(str(project_dir / "mkdocs.yml"), BuildRequest(today=dt.date.fromisoformat(TODAY)))
    with tempfile.TemporaryDirectory() as site, request:
        def get_config():
            config = load_config(str(project_dir / "mkdocs.yml"), site_dir=site)
            config.site_url = serve_url
            return config

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=serve_url)
        runtimes.add(id(charts._runtime))
        result["charts"] = counts["svg"]  # the first build draws every chart
        if bare:
            result["pages"] = _write_bare(config.plugins["journal"], Path(site), Path(bare))
        try:
            for run in range(int(repeat)):
                if kind == "journal":  # day-3 mood: the original value and another, in turn
                    head, _, tail = original.partition("\nmood_day3: ")
                    value, rest = tail.split("\n", 1)
                    new = value if run % 2 else str(int(value) % 10 + 1)
                    edited.write_text(f"{head}\nmood_day3: {new}\n{rest}", encoding="utf-8")
                else:
                    edited.write_text(original + f"\n<!-- edit {run} -->\n", encoding="utf-8")
                svg_before = counts["svg"]
                start = time.perf_counter()
                config = get_config()
                build(config, serve_url=serve_url)
                times.append(time.perf_counter() - start)
                redrawn.append(counts["svg"] - svg_before)
                runtimes.add(id(charts._runtime))
                if kind == "journal":
                    page = (Path(site) / "sessions" / f"{edited.stem}.html").read_text(encoding="utf-8")
                    # the mood, alone or marked as rated after the next session (sessions a day or two apart)
                    assert f"<td>{new}</td>" in page or f'<td>{new} <span class="kj-after-next">' in page, \
                        "the edit is not in the rebuilt page"
        finally:
            edited.write_text(original, encoding="utf-8")
        config.plugins.on_shutdown()
    result.update(rebuild=median(times), redrawn=max(redrawn), bundles=len(runtimes) if kind == "journal" else 0)
    print(json.dumps(result))


# --- one size -------------------------------------------------------------------------------

def measure(n: int, work: Path, repeat: int, log) -> dict:
    from make_journal import make_journal

    project = work / f"journal-{n}"
    bare = work / f"bare-{n}"
    shutil.rmtree(project, ignore_errors=True)
    (project / "extra").mkdir(parents=True)
    make_journal(project / "entries", n, seed=7, today=dt.date.fromisoformat(TODAY))
    # The entries' schema line names ../generator/entry.schema.json (right in a checkout):
    # the schema is put there, as a journal has its own, or `journal check` warns on every file.
    (project / "generator").mkdir()
    shutil.copy(REPO / "generator" / "entry.schema.json", project / "generator")
    (project / "mkdocs.yml").write_text(project_config(), encoding="utf-8")
    entries = project / "entries"
    # Builds of 10,000 entries take a minute or more each: fewer runs there.
    builds = repeat if n <= 2000 else 1
    result: dict = {"n": n, "runs": repeat, "build_runs": builds}

    log(f"[{n}] journal written; serve-like rebuilds ({builds}), which also write the pages for the bare build")
    rebuild = worker("rebuild", "journal", str(project), str(builds), str(bare))
    result.update({key: rebuild[key] for key in ("pages", "charts", "rebuild", "redrawn", "bundles")})
    log(f"[{n}] bare rebuilds ({builds})")
    result["bare_rebuild"] = worker("rebuild", "bare", str(bare), str(builds))["rebuild"]

    journal = journal_command()
    samples: dict[str, list[float]] = {"floor": [], "check": [], "build": [], "build_new": [], "build_again": [], "bare": []}
    peaks: dict[str, float] = {}
    site, bare_site = project / "site", bare / "site"
    cache = project / ".journal-cache"
    new_entry = entries / f"{TODAY}-new.yaml"
    build_args = [*journal, "build", "--site-dir", str(site), "--today", TODAY]

    def sample(key: str, args: list[str], cwd: Path) -> None:
        seconds, peak = run_command(args, cwd)
        samples[key].append(seconds)
        peaks[key] = max(peaks.get(key, 0), peak or 0)

    for run in range(repeat):
        log(f"[{n}] run {run + 1}/{repeat}: floor, check" + (", builds, bare build" if run < builds else ""))
        # interleaved, so that a slow moment of the machine touches the measurements alike
        sample("floor", [sys.executable, "-c", FLOOR_CODE, str(entries)], project)
        sample("check", [*journal, "check", "--entries", "entries", "--today", TODAY], project)
        if run < builds:
            # the first build of a journal: no chart drawn before, no Vega runtime kept
            shutil.rmtree(cache, ignore_errors=True)
            sample("build", build_args, project)
            # the everyday build: a session added since the last build, so most charts change
            new_entry.write_text(NEW_ENTRY, encoding="utf-8")
            try:
                sample("build_new", build_args, project)
                # nothing changed since the last build: every chart is in the cache
                sample("build_again", build_args, project)
            finally:
                new_entry.unlink()
            sample("bare", [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(bare_site)], bare)
    for key, values in samples.items():
        result[key] = median(values)
    result.update({f"peak_{k}": v for k, v in peaks.items()})
    result["site_bytes"], result["site_files"] = folder_size(site)

    log(f"[{n}] trends")
    result["trends"] = worker("trends", str(entries), str(repeat))["trends"]
    return result


# --- `journal serve`: from saving an entry to the browser showing it ----------------------------

SERVE_SIZE = 150
LOAD_BEFORE = "?"


def serve_latency(n: int, work: Path, repeat: int, log) -> dict:
    """`journal serve` of an N-entry journal, with the page of one session open in Chromium
    (Playwright, Debian's /usr/bin/chromium): the time from writing an edit of that entry
    (its day-3 mood, which changes the mood chart, and a line of its notes) to the open page
    showing the new notes after MkDocs' live reload. Beside it, the in-process rebuilds of
    the journal and of the bare pages (as in the main table)."""
    import socket
    import urllib.request

    from make_journal import make_journal
    from playwright.sync_api import sync_playwright

    project, bare = work / f"serve-{n}", work / f"serve-bare-{n}"
    shutil.rmtree(project, ignore_errors=True)
    (project / "extra").mkdir(parents=True)
    make_journal(project / "entries", n, seed=7, today=dt.date.fromisoformat(TODAY))
    (project / "mkdocs.yml").write_text(project_config(), encoding="utf-8")
    result: dict = {"n": n, "runs": repeat}
    log(f"[serve {n}] in-process rebuilds, journal and bare ({repeat} each)")
    result["rebuild"] = worker("rebuild", "journal", str(project), str(repeat), str(bare))["rebuild"]
    result["bare_rebuild"] = worker("rebuild", "bare", str(bare), str(repeat))["rebuild"]

    edited = next(p for p in sorted((project / "entries").glob("*.yaml"), reverse=True)
                  if "\nmood_day3: " in (t := p.read_text(encoding="utf-8")) and "\nnotes: |\n" in t)
    original = edited.read_text(encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with open(work / "serve.log", "wb") as server_log:
        server = subprocess.Popen([*journal_command(), "serve", "--today", TODAY, "--address", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=server_log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 300
            while True:  # the first build, before the server answers
                try:
                    urllib.request.urlopen(url, timeout=5).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"journal serve did not start; see {work / 'serve.log'}") from None
                    time.sleep(0.1)
            times: list[float] = []
            cpu: list[float] = []  # the serve process's CPU time, from the save to the browser showing it
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                page.goto(f"{url}sessions/{edited.stem}.html", wait_until="load")
                for run in range(repeat):
                    time.sleep(1.0)  # the page's live-reload request is waiting again
                    head, _, tail = original.partition("\nmood_day3: ")
                    value, rest = tail.split("\n", 1)
                    marker = f"Benchmark edit {run + 1} of {repeat}."
                    rest = rest.replace("\nnotes: |\n", f"\nnotes: |\n  {marker}\n", 1)
                    text = f"{head}\nmood_day3: {int(value) % 10 + 1 if run % 2 == 0 else value}\n{rest}"
                    cpu_before = _process_cpu(server.pid)
                    start = time.perf_counter()
                    edited.write_text(text, encoding="utf-8")
                    while True:  # the page reloads itself; its content is read until the edit shows
                        try:
                            if page.evaluate("m => document.body !== null && document.body.innerText.includes(m)", marker):
                                break
                        except Exception:  # the page was between two documents
                            pass
                        if time.perf_counter() - start > 60:
                            raise RuntimeError(f"the edit did not show in the browser; see {work / 'serve.log'}")
                        time.sleep(0.005)
                    times.append(time.perf_counter() - start)
                    cpu.append(_process_cpu(server.pid) - cpu_before)
                    page.wait_for_load_state("load")
                browser.close()
        finally:
            edited.write_text(original, encoding="utf-8")
            server.terminate()
            server.wait(timeout=30)
    result["serve"] = median(times)
    result["serve_all"] = times
    result["serve_cpu"] = median(cpu)
    # MkDocs' own count of each rebuild inside the serve process (the first build left out)
    built = [float(m) for m in re.findall(r"Documentation built in ([0-9.]+) seconds", (work / "serve.log").read_text(errors="replace"))]
    result["serve_rebuild"] = median(built[1:]) if len(built) > 1 else float("nan")
    return result


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of a running process, its threads included (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_report(r: dict) -> str:
    return "\n".join([
        "| entries | save -> browser shows it (`journal serve`) | rebuild inside serve (MkDocs' count) "
        "| serve CPU per edit | journal rebuild | bare rebuild | runs |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['n']:,} | {r['serve']:.2f} s (each: {', '.join(f'{t:.2f}' for t in r['serve_all'])}) "
        f"| {r['serve_rebuild']:.2f} s | {r['serve_cpu']:.2f} s "
        f"| {r['rebuild']:.2f} s | {r['bare_rebuild']:.2f} s | {r['runs']} |",
        "",
        f"| target | met | measured |\n|---|---|---:|\n| `journal serve` at {r['n']} entries: save to browser < 1 s "
        f"| {'yes' if r['serve'] < 1 else 'NO'} | {r['serve']:.2f} s |",
    ])


# --- the report -----------------------------------------------------------------------------

def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("ketamine-journal", "mkdocs", "mkdocs-material", "pyyaml", "pydantic", "altair", "vl-convert-python", "jinja2")
    )
    import yaml

    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory}",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()} ({platform.python_implementation()})",
        f"- libyaml {'present' if getattr(yaml, '__with_libyaml__', False) else 'MISSING (the floor is pure Python)'}; {packages}",
        f"- {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
    ]


def report(results: list[dict], repeat: int) -> str:
    def s(value: float) -> str:
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"

    def x(a: float, b: float) -> str:
        return f"{a / b:.2f}x"

    lines = [
        "| entries | check | floor | check/floor | trends | peak MiB check |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['n']:,} | {s(r['check'])} s | {s(r['floor'])} s | {x(r['check'], r['floor'])} | "
                     f"{r['trends'] * 1000:.0f} ms | {r['peak_check']:.0f} |")
    lines += [
        "",
        "| entries | build: first | new session | unchanged | bare | ratios to bare | rebuild | bare rebuild | rebuild/bare "
        "| charts redrawn | peak MiB first / new / unchanged / bare | site |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']:,} | {s(r['build'])} s | {s(r['build_new'])} s | {s(r['build_again'])} s | {s(r['bare'])} s "
            f"| {x(r['build'], r['bare'])} / {x(r['build_new'], r['bare'])} / {x(r['build_again'], r['bare'])} "
            f"| {s(r['rebuild'])} s | {s(r['bare_rebuild'])} s | {x(r['rebuild'], r['bare_rebuild'])} "
            f"| {r['redrawn']} of {r['charts']} | {r['peak_build']:.0f} / {r['peak_build_new']:.0f} / {r['peak_build_again']:.0f} / {r['peak_bare']:.0f} "
            f"| {r['site_bytes'] / 1024 / 1024:.0f} MiB, {r['site_files']:,} files |"
        )
    runs = ", ".join(f"{r['n']:,}: {r['runs']} (builds and rebuilds {r['build_runs']})" for r in results)
    lines += ["", f"Medians of runs per size: {runs}. Vega runtimes made in the serve-like process, over its "
              "first build and the rebuilds: " + ", ".join(f"{r['bundles']}" for r in results) + " (one each is the goal)."]

    by_n = {r["n"]: r for r in results}
    targets = []
    if 10_000 in by_n:
        r = by_n[10_000]
        targets.append(("`journal check` at 10,000 entries <= 1.3x the libyaml parse", r["check"] / r["floor"] <= 1.3, x(r["check"], r["floor"])))
        targets.append(("10,000 entries build, peak memory < 500 MB", r["peak_build"] * 1.048576 < 500, f"{r['peak_build'] * 1.048576:.0f} MB"))
    for size in (30, 100):
        if size in by_n:
            r = by_n[size]
            for key, what, limit in (("build", "first `journal build`", 1.5), ("build_new", "`journal build` after a new session", 1.5),
                                     ("build_again", "`journal build` of an unchanged journal", 1.2)):
                targets.append((f"{what} at {size} entries <= {limit}x bare MkDocs", r[key] / r["bare"] <= limit, x(r[key], r["bare"])))
                targets.append((f"{what} at {size} entries, peak memory <= 2x bare", r[f"peak_{key}"] <= 2 * r["peak_bare"],
                                x(r[f"peak_{key}"], r["peak_bare"])))
    if 1_000 in by_n:
        r = by_n[1_000]
        targets.append(("`journal build` at 1,000 entries <= 1.5x bare MkDocs", r["build"] / r["bare"] <= 1.5, x(r["build"], r["bare"])))
        targets.append(("rebuild at 1,000 entries <= 1.2x a bare rebuild", r["rebuild"] / r["bare_rebuild"] <= 1.2, x(r["rebuild"], r["bare_rebuild"])))
    sizes = sorted(by_n)
    for small, large in zip(sizes, sizes[1:]):
        a, b = by_n[small], by_n[large]
        growth = (b["build"] / a["build"]) / (large / small)
        check_growth = (b["check"] / a["check"]) / (large / small)
        targets.append((f"growth {small:,} -> {large:,} entries no worse than linear (time per entry: build "
                        f"{growth:.2f}x, check {check_growth:.2f}x)", growth <= 1.1 and check_growth <= 1.1, ""))
    if targets:
        lines += ["", "| target | met | measured |", "|---|---|---:|"]
        lines += [f"| {name} | {'yes' if ok else 'NO'} | {value} |" for name, ok, value in targets]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="See the module docstring (benchmarks/run.py) for what is measured.")
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated journal sizes (default: 100,1000,10000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement, the median is reported (default 5; fewer above 2,000 entries)")
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 1,000, 2 runs each: a 1-2 minute run")
    parser.add_argument("--work", type=Path, help="folder for the generated journals and sites (default: a temporary folder, removed after)")
    parser.add_argument("--output", type=Path, help="also write the results (Markdown) to this file")
    parser.add_argument("--serve", action="store_true", help=f"only the `journal serve` measurement, at {SERVE_SIZE} entries "
                        "(needs Playwright and Chromium); --repeat edits")
    args = parser.parse_args(argv)
    # The package measured as installed: a wheel's install compiles its modules, and MkDocs'
    # and Material's are compiled in site-packages. With PYTHONDONTWRITEBYTECODE set (some
    # shells and containers set it), a checkout's modules would be compiled again in every
    # command, about 0.1 s charged to the journal alone.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sizes = [100, 1000] if args.quick else [int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s.strip()]
    repeat = 2 if args.quick else max(1, args.repeat)

    def log(text: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)

    global LOAD_BEFORE
    LOAD_BEFORE = " ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    work = args.work or Path(tempfile.mkdtemp(prefix="journal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        if args.serve:
            body = serve_report(serve_latency(SERVE_SIZE, work, repeat, log))
        else:
            body = report([measure(n, work, repeat, log) for n in sizes], repeat)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(["## Results", "", *machine(), f"- load average before the run: {LOAD_BEFORE}", "", body, ""])
    print(text)
    log(f"done in {time.perf_counter() - started:.0f} s")
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
