"""The package's one build step beyond setuptools' own: the Vega runtime, made at build time.

Everything else about the package is declared in pyproject.toml. The report's pages draw
their charts with the Vega runtime (Vega, Vega-Lite and vega-embed in one script), which
vl-convert makes in about 1.8 s of CPU and 150 MiB. Made here, once, it is shipped inside
the package, so no `journal build` has to make it (generator/vega_bundle.py).

For a wheel it is written into the build folder, beside the package's modules; for an
editable install (`pip install -e .`), where setuptools runs this step with editable_mode
set, into the package's source folder (gitignored), as setuptools' documentation of build
subcommands asks of a step whose files sit beside the Python files.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE = "generator"


def _vega_bundle():
    # Loaded by its path: importing the package would need its dependencies, which the
    # build environment does not have.
    spec = importlib.util.spec_from_file_location("_vega_bundle", HERE / PACKAGE / "vega_bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class build_py_with_vega_runtime(build_py):
    """build_py, then the Vega runtime written into the package."""

    def _runtime_names(self) -> list[str]:
        bundle = _vega_bundle()
        return [bundle.RUNTIME_FILE, bundle.VERSION_FILE]

    def _runtime_folder(self) -> Path:
        return HERE / PACKAGE if self.editable_mode else Path(self.build_lib) / PACKAGE

    def run(self) -> None:
        super().run()
        written = _vega_bundle().write(self._runtime_folder())
        for path in written:
            self.announce(f"writing {path}", level=2)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        folder = Path(self.build_lib) / PACKAGE
        return [*super().get_outputs(include_bytecode), *(str(folder / name) for name in self._runtime_names())]

    def get_output_mapping(self) -> dict[str, str]:
        mapping = dict(super().get_output_mapping())
        for name in self._runtime_names():
            # in an editable install the file is made in place: its "source" is itself
            mapping[str(Path(self.build_lib) / PACKAGE / name)] = str(HERE / PACKAGE / name)
        return mapping


setup(cmdclass={"build_py": build_py_with_vega_runtime})
