"""The package's build steps beyond setuptools' own: the Vega runtime and the compiled
templates, made at build time and shipped in the package.

Everything else about the package is declared in pyproject.toml. The report's pages draw
their charts with the Vega runtime (Vega, Vega-Lite and vega-embed in one script), which
vl-convert makes in about 1.8 s of CPU and 150 MiB. Made here, once, it is shipped inside
the package, so no `journal build` has to make it (generator/vega_bundle.py).

Likewise, a journal's first build compiled Material's templates and the report's (0.2 s):
here a real build of a new, empty journal runs in a new process with the package (as it is installed)
on its path and records every template it compiled (generator/template_bundle.py), into
`TEMPLATES_FILE`. A build takes them from there only for the same source, environment and
Jinja version (generator/rebuilding.py); otherwise it compiles, as before. That build needs
the package's dependencies, which pyproject.toml's [build-system] requires; in a build
environment without them (`pip install --no-build-isolation`), this step says so and ships
none, and the package works all the same.

For a wheel they are written into the build folder, beside the package's modules; for an
editable install (`pip install -e .`), where setuptools runs this step with editable_mode
set, into the package's source folder (gitignored), as setuptools' documentation of build
subcommands asks of a step whose files sit beside the Python files.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE = "generator"
TEMPLATES_FILE = "compiled-templates.bin"  # generator.rebuilding.SHIPPED_TEMPLATES
# Runs generator/template_bundle.py from the package being built.
RECORD_TEMPLATES = "import sys; from generator.template_bundle import main; sys.exit(main(sys.argv[1:]))"
TEMPLATES_SKIPPED = 3  # generator.template_bundle.SKIPPED


def _vega_bundle():
    # Loaded by its path: importing the package would need its dependencies, which the
    # build environment does not have.
    spec = importlib.util.spec_from_file_location("_vega_bundle", HERE / PACKAGE / "vega_bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class build_py_with_made_files(build_py):
    """build_py, then the Vega runtime and the compiled templates written into the package."""

    def _made_names(self) -> list[str]:
        bundle = _vega_bundle()
        names = [bundle.RUNTIME_FILE, bundle.VERSION_FILE]
        if (self._made_folder() / TEMPLATES_FILE).is_file():  # none when the step was skipped
            names.append(TEMPLATES_FILE)
        return names

    def _made_folder(self) -> Path:
        return self._made_root() / PACKAGE

    def _made_root(self) -> Path:
        return HERE if self.editable_mode else Path(self.build_lib).resolve()

    def run(self) -> None:
        super().run()
        written = _vega_bundle().write(self._made_folder())
        for path in written:
            self.announce(f"writing {path}", level=2)
        self._record_templates(self._made_folder() / TEMPLATES_FILE)

    def _record_templates(self, path: Path) -> None:
        path.unlink(missing_ok=True)  # none from an earlier build is left, whatever happens here
        # A new process, with the package first on its path (before any installed copy) and the
        # build environment's own path after them: for a wheel, the package as it is installed,
        # the Vega runtime included (else the build would make one); it writes no .pyc there.
        root = self._made_root()
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
        done = subprocess.run([sys.executable, "-c", RECORD_TEMPLATES, str(path)], env=env, cwd=root,
                              capture_output=True, text=True)
        if done.returncode == TEMPLATES_SKIPPED:
            self.warn(done.stderr.strip())
        elif done.returncode != 0:
            # Only a speed-up: a package without it compiles the templates at a journal's first
            # build. The tests fail when an editable install or a wheel lacks it.
            path.unlink(missing_ok=True)
            self.warn(f"compiled templates not shipped: recording them failed:\n{done.stdout}{done.stderr}")
        else:
            self.announce(done.stdout.strip(), level=2)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        folder = Path(self.build_lib) / PACKAGE
        return [*super().get_outputs(include_bytecode), *(str(folder / name) for name in self._made_names())]

    def get_output_mapping(self) -> dict[str, str]:
        mapping = dict(super().get_output_mapping())
        for name in self._made_names():
            # in an editable install the file is made in place: its "source" is itself
            mapping[str(Path(self.build_lib) / PACKAGE / name)] = str(HERE / PACKAGE / name)
        return mapping


setup(cmdclass={"build_py": build_py_with_made_files})
