"""Where a first `journal build` goes, step by step, in one process: CPU and wall time of
each step and the resident memory after it (benchmarks/RESULTS.md, "Issue 16: the targets
not met").

    python benchmarks/first_build_steps.py            # a 30-entry journal
    python benchmarks/first_build_steps.py --entries 100

The steps are the plugin's, done one after the other so that each can be timed: imports,
loading, trends, the chart specs, then MkDocs' build with the plugin. No chart is drawn:
the pages draw them (only `journal export` draws pictures, for its summary), and the Vega
runtime is the one shipped in the package; were it not (another vl-convert installed since
the package was built), it is made in a helper process, as in such a first build, and the
last line says what that process took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
_last = [time.perf_counter(), time.process_time()]


def step(name: str) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    rss = int(status.get("VmRSS", "0 kB").split()[0]) // 1024
    print(f"{name:60} {cpu - _last[1]:6.3f} s CPU {wall - _last[0]:6.3f} s wall   {rss:4d} MiB resident", flush=True)
    _last[:] = [wall, cpu]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=30)
    args = parser.parse_args()
    from make_journal import make_journal
    from run import TODAY, project_config

    project = Path(tempfile.mkdtemp(prefix="journal-steps-"))
    (project / "extra").mkdir()
    make_journal(project / "entries", args.entries, seed=7, today=dt.date.fromisoformat(TODAY))
    (project / "mkdocs.yml").write_text(project_config(), encoding="utf-8")
    os.chdir(project)
    _last[:] = [time.perf_counter(), time.process_time()]
    step("(start)")
    import mkdocs.commands.build
    import mkdocs.config
    step("import mkdocs")
    import material.plugins.privacy.plugin  # noqa: F401
    import material.plugins.search.plugin  # noqa: F401
    step("import material (and its search and privacy plugins)")
    import generator.entries  # noqa: F401
    step("import pydantic and the Entry model")
    import generator.plugin  # noqa: F401
    step("import the rest of the package")
    import altair  # noqa: F401
    step("import altair")
    from generator import charts
    from generator.journal import load_journal
    from generator.trends import compute_trends
    journal = load_journal("entries", TODAY)
    trends = compute_trends(journal.entries, journal.today)
    step(f"load the journal ({len(journal.entries)} entries) and compute the trends")
    charts.start_vega_runtime()
    step("the Vega runtime (shipped: read; else its helper started)")
    made = charts._make_charts(trends)
    step(f"make the chart specs ({len(made)})")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    mkdocs.commands.build.build(mkdocs.config.load_config("mkdocs.yml", site_dir=str(project / "site")))
    step("MkDocs' build with the plugin (chart specs made again)")
    print(f"vl_convert imported: {'vl_convert' in sys.modules}")
    helper = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"the Vega runtime's helper process: {helper.ru_utime + helper.ru_stime:.2f} s CPU, "
          f"{helper.ru_maxrss // 1024} MiB at its peak; the project is in {project}")


if __name__ == "__main__":
    main()
