"""The installed packages are the ones pyproject.toml declares.

A package installed by hand (or left over from an older install) could otherwise hide a wrong
range: CI would pass with versions a fresh install never gets.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def declared_requirements(runtime_only: bool = False) -> list[Requirement]:
    """The runtime dependencies and the test extras, as pyproject.toml writes them."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + ([] if runtime_only else project["optional-dependencies"]["test"])
    return [Requirement(line) for line in lines]


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def out_of_range(requirements: list[Requirement], version_of: Callable[[str], str | None]) -> list[str]:
    """One sentence per declared package whose installed version is missing or outside its range."""
    problems = []
    for requirement in requirements:
        version = version_of(requirement.name)
        if version is None:
            problems.append(f"{requirement.name} is not installed; pyproject.toml asks for {requirement.specifier}")
        elif not requirement.specifier.contains(Version(version), prereleases=True):
            problems.append(f"{requirement.name} {version} is installed; pyproject.toml asks for {requirement.specifier}")
    return problems


def test_every_installed_dependency_is_inside_its_declared_range():
    assert out_of_range(declared_requirements(), installed_version) == []


def test_a_package_outside_its_range_is_named(monkeypatch):
    real = installed_version
    forced = {"mkdocs-material": "9.5.31", "altair": "7.0.0", "vl-convert-python": None}

    def lookup(name: str) -> str | None:
        return forced[name] if name in forced else real(name)

    assert out_of_range(declared_requirements(), lookup) == [
        "mkdocs-material 9.5.31 is installed; pyproject.toml asks for <10,>=9.7.7",
        "altair 7.0.0 is installed; pyproject.toml asks for <7,>=5.4",
        "vl-convert-python is not installed; pyproject.toml asks for <1.10,>=1.9",
    ]


def test_metadata_lookup_is_what_the_range_check_reads(monkeypatch):
    """The check reads the installed distribution's own metadata: a stub distribution with a
    version outside the range is caught through the same lookup the first test uses."""

    class Stub(metadata.Distribution):
        def read_text(self, filename: str) -> str | None:
            return "Metadata-Version: 2.1\nName: jinja2\nVersion: 3.1.4\n" if filename == "METADATA" else None

        def locate_file(self, path):  # pragma: no cover - not needed for the version
            return Path(path)

    real_distribution = metadata.distribution
    monkeypatch.setattr(metadata, "distribution", lambda name: Stub() if name.lower() == "jinja2" else real_distribution(name))
    assert out_of_range(declared_requirements(), installed_version) == [
        "jinja2 3.1.4 is installed; pyproject.toml asks for <4,>=3.1.6",
    ]


# Capped below the next minor, not major, and why (pyproject.toml says so beside the range).
MINOR_CAPS = {"vl-convert-python": "the Vega runtime's licence notices list what one minor line bundles"}


@pytest.mark.parametrize("requirement", declared_requirements(runtime_only=True), ids=lambda r: r.name)
def test_every_runtime_dependency_has_a_floor_and_a_cap_below_the_next_major(requirement):
    operators = {spec.operator for spec in requirement.specifier}
    assert ">=" in operators, f"{requirement.name}: no floor"
    (cap,) = [spec for spec in requirement.specifier if spec.operator == "<"]
    (floor,) = [spec for spec in requirement.specifier if spec.operator == ">="]
    if requirement.name in MINOR_CAPS:
        assert Version(cap.version).release[:2] == (Version(floor.version).major, Version(floor.version).minor + 1), (
            f"{requirement.name}: cap {cap} is not the floor's next minor ({MINOR_CAPS[requirement.name]})")
    else:
        assert Version(cap.version).release[1:] in ((), (0,), (0, 0)), f"{requirement.name}: cap {cap} is not a major version"


def test_version_names_what_the_report_is_built_on(capsys):
    from generator.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("journal ")
    for package, name in (("mkdocs", "MkDocs"), ("mkdocs-material", "Material for MkDocs"), ("altair", "Altair")):
        assert f"{name} {metadata.version(package)}" in lines[1]
    assert "end of life on 5 May 2027" in lines[2]


def test_the_build_makes_what_it_ships_with_the_versions_the_package_runs_with():
    """setup.py makes the Vega runtime shipped in the package with the vl-convert of the build
    environment, and records the compiled templates with a real build (Jinja, MkDocs, Material
    and what the build imports); the package takes each only from the same versions, so every
    range is the same in both lists, and the build needs everything the recording imports."""
    from generator.template_bundle import NEEDED, PLUGIN_ENTRY_POINT

    pyproject = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    build = {r.name: r.specifier for r in map(Requirement, pyproject["build-system"]["requires"])}
    runtime = {r.name: r.specifier for r in declared_requirements(runtime_only=True)}
    assert set(build) - set(runtime) == {"setuptools"}
    assert {name: build[name] for name in build if name != "setuptools"} == {name: runtime[name] for name in build if name != "setuptools"}
    assert set(NEEDED.values()) | {"vl-convert-python"} == set(build) - {"setuptools"}
    # the recording declares the plugin to MkDocs as the installed package will
    declared = pyproject["project"]["entry-points"]["mkdocs.plugins"]["journal"]
    assert PLUGIN_ENTRY_POINT.split(" = ") == ["journal", declared]
