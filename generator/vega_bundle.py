"""The Vega runtime the report's pages draw their charts with: made once, when the package
is built, and shipped inside it.

vl-convert makes the runtime (Vega, Vega-Lite and vega-embed in one script) in 1.8 s of
CPU and 150 MiB, and it depends on vl-convert's version alone. setup.py's build step
writes it into the package (`RUNTIME_FILE`, with the vl-convert version that made it in
`VERSION_FILE` beside it), for a wheel and for an editable install alike, so a journal's
first build finds it made. `shipped` gives it only when the installed vl-convert is the
one that made it; otherwise generator.charts makes it as before and keeps it in the
journal's cache.

This module imports nothing from the package and nothing outside the standard library
until `make` is called: setup.py loads it by its path, in a build environment where only
setuptools and vl-convert are installed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

RUNTIME_FILE = "vega-runtime.js"
VERSION_FILE = "vega-runtime.version"
HERE = Path(__file__).resolve().parent
# The copyright and licence notices of the packages in the runtime, which vl-convert's bundle
# leaves out: written by hand for one vl-convert version line (named in its header), kept in
# the repository and shipped wherever the runtime goes.
NOTICES_FILE = "vega-runtime-licenses.txt"
NOTICES = HERE / NOTICES_FILE


def vl_convert_version() -> str | None:
    """The installed vl-convert's version, read without importing it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vl-convert-python")
    except PackageNotFoundError:
        return None


def wrap(bundle: str) -> str:
    """vl-convert's bundle as the classic script the pages load: it sets window.vegaEmbed,
    and its internal names stay private. Its first line names the vl-convert that made it and
    the notices file beside it, whose header names the vl-convert it was written for."""
    made_by = vl_convert_version() or "(version unknown)"
    return (f"/* Vega runtime for offline charts, made by vl-convert-python {made_by}; "
            f"licences of its parts: {NOTICES_FILE} */\n(function(){{\n" + bundle + "\n})();\n")


def make() -> str:
    """The runtime, made now by vl-convert (over a second of CPU)."""
    import vl_convert

    # Its stub asks for a snippet; left out, the default one sets window.vegaEmbed.
    return wrap(vl_convert.javascript_bundle())  # type: ignore[call-arg]  # vl-convert's stub wrongly requires it


def _write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".writing-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, 0o644)  # as any installed file: mkstemp makes it readable by its owner alone
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write(folder: Path) -> list[Path]:
    """Make the runtime and write it, and the version that made it, into `folder` (the
    runtime first and the version last, so a version file always names a whole runtime)."""
    version = vl_convert_version()
    if version is None:
        raise RuntimeError("vl-convert-python is not installed in the build environment (pyproject.toml, build-system)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / VERSION_FILE).unlink(missing_ok=True)
    _write(folder / RUNTIME_FILE, make())
    _write(folder / VERSION_FILE, version + "\n")
    return [folder / RUNTIME_FILE, folder / VERSION_FILE]


def shipped(folder: Path = HERE) -> str | None:
    """The runtime shipped in the package, if the installed vl-convert made it; else None."""
    try:
        made_by = (folder / VERSION_FILE).read_text(encoding="utf-8").strip()
        if not made_by or made_by != vl_convert_version():
            return None
        return (folder / RUNTIME_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
