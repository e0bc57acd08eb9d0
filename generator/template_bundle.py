"""The compiled templates shipped in the package: recorded when the package is built.

A journal's first build has no `.journal-cache/` to take compiled templates from, and
compiling Material's templates and the report's took a sixth of it (0.2 s of a 30-session
journal's 1.4 s). setup.py's build step runs `main` in a new process, which builds a new,
empty journal for real (`journal init`, then `journal build`) in a temporary folder while
generator.rebuilding records every template the build compiled, as MkDocs' environments for
Material's theme with the report's theme folder make them and as the report's own page
environment makes them (every template of site_templates/pages/, the export's summary
included, which a build does not render). Those are written into the package as
`rebuilding.SHIPPED_TEMPLATES`, which a journal's first build then takes them from.

Nothing here decides whether shipped code is used: generator.rebuilding does, by the
template's source, the environment and the Jinja version (see `KeptTemplateCode`). A
journal with its own templates or another Material compiles what differs, as before.

This module imports only the standard library until `main` runs: setup.py runs it with the
package's source folder on the path, in a build environment that may lack the package's
dependencies (a build without isolation); then it says so and writes nothing (`SKIPPED`),
and the package compiles templates at a journal's first build, as it did before.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

# What a build imports (pyproject.toml's [build-system] requires each, with the ranges of
# [project] dependencies); an empty journal's build draws no chart, so it needs no Altair.
NEEDED = {"jinja2": "jinja2", "yaml": "pyyaml", "pydantic": "pydantic", "mkdocs": "mkdocs",
          "material": "mkdocs-material", "icalendar": "icalendar"}
# The plugin as pyproject.toml declares it: MkDocs finds plugins by their entry point, which
# a package not yet installed has not got (tests/test_dependencies.py checks the two agree).
PLUGIN_ENTRY_POINT = "journal = generator.plugin:JournalPlugin"
SKIPPED = 3  # the exit status when the build environment lacks a dependency
TODAY = "2026-01-05"


def record(path: Path) -> int:
    """Build a new journal for real and write every template it compiled to `path`; the
    number of templates written."""
    from .cli import main
    from .pages import _environment
    from .rebuilding import recording_shipped_code, write_shipped_code

    with tempfile.TemporaryDirectory(prefix="journal-templates-") as work, recording_shipped_code() as code:
        _declare_plugin(Path(work) / "entry-points")
        journal = Path(work) / "journal"
        said = io.StringIO()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            status = main(["init", str(journal), "--today", TODAY])
            for entry in (journal / "entries").glob("*.yaml"):
                entry.unlink()  # left empty, it is an error; an empty journal builds all the same
            before = os.getcwd()
            os.chdir(journal)
            try:
                status = status or main(["build", "--today", TODAY])
            finally:
                os.chdir(before)
        if status != 0:
            raise RuntimeError(f"the build of a new journal failed:\n{said.getvalue()}")
        pages = _environment(None)  # the report's own templates, each as its pages compile them
        for name in pages.list_templates():
            pages.get_template(name)
        write_shipped_code(path, code)
        return len(code)


def _declare_plugin(folder: Path) -> None:
    """Make MkDocs find the plugin by its entry point, as an installed package declares it."""
    if metadata.entry_points(group="mkdocs.plugins", name="journal"):
        return
    info = folder / "ketamine_journal_build-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ketamine-journal-build\nVersion: 0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[mkdocs.plugins]\n{PLUGIN_ENTRY_POINT}\n", encoding="utf-8")
    sys.path.append(str(folder))


def main(argv: list[str]) -> int:
    """`python -c '...main(sys.argv[1:])' PATH`, as setup.py runs it."""
    (path,) = argv
    missing = [package for module, package in NEEDED.items() if find_spec(module) is None]
    if missing:
        print(f"compiled templates not shipped: the build environment lacks {', '.join(missing)}; "
              "a journal's first build will compile them instead (a fifth of a second)", file=sys.stderr)
        return SKIPPED
    here = Path(__file__).resolve().parent
    if Path(path).resolve().parent != here:  # another copy of the package came first on the path
        raise RuntimeError(f"{path} is not in the package being recorded, {here}")
    count = record(Path(path).resolve())
    print(f"{count} compiled templates written to {path}")
    return 0
