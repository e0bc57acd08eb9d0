"""The layers import one way: each module of `generator` imports only from its own layer
and the layers below it (see /README "For developers" and the design notes).

Two checks, for every module: imported alone in a fresh interpreter, it brings in no module of
a layer above it (what Python really loads, imports inside functions that run at import
included); and none of its `import` / `from` statements, anywhere in the file (inside
functions too, where a cycle likes to hide), names a module of a layer above it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# The one table of layers, lowest first. A module may import its own layer and the layers
# before it, never one after it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # Entries: the model, reading and checking the YAML, loading a journal, the settings; with
    # the small tools that know nothing of figures or words (names, problems, files written
    # whole, the chart cache, the privacy scan, the serve guard, defaults of the site, what serve
    # keeps between rebuilds).
    ("entries", (
        "generator", "names", "problems", "providers", "settings", "defaults", "entries", "reading",
        "validation", "journal", "hygiene", "output", "cache", "privacy", "serving", "sealed", "rebuilding",
    )),
    # Figures: numbers from the entries, no text.
    ("figures", ("trends",)),
    # Signals: which findings fire, with their level, evidence sessions and numbers.
    ("signals", ("signals",)),
    # Words: every figure, day, band, plural and label turned into text, once.
    ("words", ("words",)),
    # Charts: drawn from the figures, captioned and labelled with the words; the Vega runtime
    # the pages draw them with (made when the package is built, see setup.py).
    ("charts", ("charts", "vega_bundle")),
    # The report and what is made from it: the chain run once, pages, the export bundle, the
    # FHIR file, the reminders calendar, a new journal's folder.
    ("report", ("analysis", "views", "report", "pages", "export", "fhir", "reminders", "init")),
    # The adapters on top: the MkDocs plugin and the command; and the recording of the compiled
    # templates shipped in the package, which runs a real build (when the package is built).
    ("top", ("plugin", "cli", "template_bundle")),
]

LAYER_OF = {module: index for index, (_, modules) in enumerate(LAYERS) for module in modules}


def modules_on_disk() -> list[str]:
    names = ["generator"] + sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    names += sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    return names


def short(module: str) -> str:
    """'generator.words.signals' -> 'words'; 'generator' -> 'generator'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def above(module: str, imported: set[str]) -> list[str]:
    own = LAYER_OF[short(module)]
    return sorted(
        f"{name} ({LAYERS[LAYER_OF[short(name)]][0]})"
        for name in imported
        if short(name) in LAYER_OF and LAYER_OF[short(name)] > own
    )


def test_every_module_has_a_layer():
    unplaced = [m for m in modules_on_disk() if m not in LAYER_OF]
    assert not unplaced, f"put these modules in a layer of LAYERS: {unplaced}"


def loaded_alone(module: str) -> set[str]:
    name = module if module == "generator" else f"generator.{module}"
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({name!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'generator' or m.startswith('generator.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, check=False)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def present(module: str) -> bool:
    return module == "generator" or (PACKAGE / f"{module}.py").exists() or (PACKAGE / module / "__init__.py").exists()


# The top layer has nothing above it: its modules (the heaviest to import) need no fresh process.
@pytest.mark.parametrize("module", [m for _, modules in LAYERS[:-1] for m in modules if present(m)])
def test_a_module_imported_alone_loads_nothing_above_it(module):
    name = module if module == "generator" else f"generator.{module}"
    assert above(name, loaded_alone(module)) == []


def imported_names(path: Path, package: str) -> set[str]:
    """Every generator module the file's import statements name, wherever they stand."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    base = package.split(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.split(".")[0] == "generator"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                origin = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            if origin.split(".")[0] != "generator":
                continue
            names.add(origin)
            # `from . import words` names a module; `from . import __version__` names the package
            names |= {f"{origin}.{alias.name}" for alias in node.names if short(f"{origin}.{alias.name}") in LAYER_OF and origin == "generator"}
    return names


def source_files() -> list[tuple[str, Path]]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        files.append((".".join(parts), path))
    return files


@pytest.mark.parametrize("module, path", source_files(), ids=[m for m, _ in source_files()])
def test_no_import_statement_points_up(module, path):
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    assert above(module, imported_names(path, package)) == []


# The figures' functions that return a str: each returns a key or a name, never wording.
FIGURES_KEYS = {
    "decide_direction": "a direction key ('declining', 'improving', 'stable', 'unknown')",
    "band_of": "a band's name from PHQ9_BANDS / GAD7_BANDS, a key the words look up",
    "prescriber": "a prescriber's name as the person wrote it or set it, not made up here",
    "prescriber_key": "a name folded to compare spellings, never shown",
}


@pytest.mark.parametrize("module", ["trends", "views"])
def test_the_figures_and_the_views_write_no_text(module):
    """trends.py holds numbers only, and views.py groups and counts them for the pages: no
    f-string, no str.format or % formatting, and no function returning a str except those in
    FIGURES_KEYS. Their text is written in generator.words (duration_text, dose_text, ...)."""
    path = PACKAGE / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.append(f"line {node.lineno}: an f-string")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            found.append(f"line {node.lineno}: .format()")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            found.append(f"line {node.lineno}: % formatting")
        elif (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None
              and ast.unparse(node.returns) in ("str", "str | None", "Optional[str]") and node.name not in FIGURES_KEYS):
            found.append(f"line {node.lineno}: {node.name}() returns a str")
    assert not found, f"text made in {module} (move it to generator.words): " + "; ".join(found)
