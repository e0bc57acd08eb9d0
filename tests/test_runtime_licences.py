"""The licence notices of the Vega runtime's parts (generator/vega-runtime-licenses.txt).

vl-convert's bundle joins Vega, Vega-Lite, vega-embed and the packages they use into one
minified script and leaves out every licence comment; the notices file gives them back. It is
written by hand for one vl-convert version line: these tests say when the installed vl-convert
is no longer the one it was written for, so an upgrade brings a look at what the runtime holds.
Where it goes (the site, the export bundle, the wheel) is checked in test_site.py,
test_export.py and test_wheel.py.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest
import vl_convert

from generator import vega_bundle

# What the runtime of vl-convert-python 1.9 holds, found by following the imports of its
# bundle through vl-convert 1.9.0's vendored modules (fast-json-patch and semver are part of
# vega-embed's own build; lodash.debounce is imported but unused, and none of it is kept).
PACKAGES_LISTED = """
d3-array@3.2.4 d3-color@3.1.0 d3-delaunay@6.0.4 d3-dispatch@3.0.1 d3-dsv@3.0.1 d3-force@3.0.0
d3-format@3.1.0 d3-geo@3.1.1 d3-geo-projection@4.0.0 d3-hierarchy@3.1.2 d3-interpolate@3.0.1
d3-path@3.1.0 d3-quadtree@3.0.1 d3-scale@4.0.2 d3-scale-chromatic@3.1.0 d3-shape@3.2.0
d3-time@3.1.0 d3-time-format@4.1.0 d3-timer@3.0.1 delaunator@5.0.0 fast-json-patch@3.1.1
internmap@2.0.3 json-stringify-pretty-compact@4.0.0 robust-predicates@3.0.0 semver@7.x
topojson-client@3.1.0 vega@6.2.0 vega-canvas@2.0.0 vega-crossfilter@5.1.0 vega-dataflow@6.1.0
vega-embed@7.0.2 vega-encode@5.1.0 vega-event-selector@4.0.0 vega-expression@6.1.0 vega-force@5.1.0
vega-format@2.1.0 vega-functions@6.1.0 vega-geo@5.1.0 vega-hierarchy@5.1.0 vega-interpreter@2.0.0
vega-label@2.1.0 vega-lite@6.4.1 vega-loader@5.1.0 vega-parser@7.1.0 vega-projection@2.1.0
vega-regression@2.1.0 vega-runtime@7.1.0 vega-scale@8.1.0 vega-scenegraph@5.1.0
vega-schema-url-parser@3.0.2 vega-selections@6.1.0 vega-statistics@2.0.0 vega-themes@3.0.0
vega-time@3.1.0 vega-tooltip@1.0.0 vega-transforms@5.1.0 vega-util@2.1.0 vega-view@6.1.0
vega-view-transforms@5.1.0 vega-voronoi@5.1.0 vega-wordcloud@5.1.0
"""
LICENCES = {"BSD-3-Clause", "ISC", "MIT", "Unlicense"}


@pytest.fixture(scope="module")
def notices() -> str:
    return vega_bundle.NOTICES.read_text(encoding="utf-8")


def listed(notices: str) -> dict[str, tuple[str, str]]:
    """The header's table of packages: name -> (version, licence)."""
    table = notices.split("Packages in the runtime (npm name, version, licence):\n\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.split() for line in table.splitlines()]
    assert all(len(row) == 3 for row in rows), table
    return {name: (number, licence) for name, number, licence in rows}


def written_for(notices: str) -> str:
    found = re.search(r"^Written for vl-convert-python (\d+\.\d+) ", notices, re.M)
    assert found, "the header names the vl-convert version line it was written for"
    return found.group(1)


def test_the_notices_were_written_for_the_installed_vl_convert(notices):
    """A runtime made by another vl-convert may hold other packages or versions: the notices
    then need looking at again (follow the bundle's imports as the header says), and the
    header's version line moved on with them."""
    installed = version("vl-convert-python")
    line = ".".join(installed.split(".")[:2])
    assert written_for(notices) == line, (
        f"vega-runtime-licenses.txt was written for vl-convert-python {written_for(notices)}, and "
        f"{installed} is installed: check which packages its runtime holds and bring the file up to date")


def test_the_header_names_the_versions_the_installed_vl_convert_bundles(notices):
    packages = listed(notices)
    assert packages["vega"][0] == vl_convert.get_vega_version()
    assert packages["vega-embed"][0] == vl_convert.get_vega_embed_version()
    assert packages["vega-themes"][0] == vl_convert.get_vega_themes_version()
    # the Vega-Lite a runtime made without naming one holds: vl-convert's newest
    newest = max(vl_convert.get_vegalite_versions(), key=lambda v: tuple(int(p) for p in v.split(".")))
    assert packages["vega-lite"][0].startswith(newest + ".")


def test_every_package_of_the_runtime_is_listed_with_its_licence_text(notices):
    packages = listed(notices)
    assert sorted(f"{name}@{number}" for name, (number, _) in packages.items()) == sorted(PACKAGES_LISTED.split())
    assert {licence for _, licence in packages.values()} <= LICENCES
    # each section: its title (the licence, then the packages or their number) between two rules
    parts = re.split(r"^={79}\n(.*)\n={79}\n", notices, flags=re.M)
    sections = [(title, title + "\n" + body) for title, body in zip(parts[1::2], parts[2::2])
                if title.split(":")[0] in LICENCES]  # not the notices inside the packages' code, after them
    for name, (number, licence) in packages.items():
        named = re.compile(rf"(?<![\w-]){re.escape(name)} {re.escape(number)}(?![\w.-])")
        holding = [title for title, text in sections if named.search(text)]
        assert len(holding) == 1, f"{name} {number} is in {len(holding)} licence sections, not one"
        assert holding[0].startswith(f"{licence}: "), f"{name}: its section is not {licence}"
    for words in ("Permission to use, copy, modify, and/or distribute this software",  # ISC
                  "Redistributions in binary form must reproduce the above copyright notice",  # BSD
                  "Permission is hereby granted, free of charge",  # MIT
                  "This is free and unencumbered software released into the public domain"):  # Unlicense
        assert words in notices, words


def test_the_runtime_names_the_vl_convert_that_made_it_and_its_notices_file():
    first, rest = vega_bundle.wrap("window.vegaEmbed = 1;").split("\n", 1)
    assert first == (f"/* Vega runtime for offline charts, made by vl-convert-python {version('vl-convert-python')}; "
                     "licences of its parts: vega-runtime-licenses.txt */")
    assert rest == "(function(){\nwindow.vegaEmbed = 1;\n})();\n"


def test_the_shipped_runtime_holds_the_versions_listed(notices):
    """A check of the list against the runtime's own text, where the versions survive the
    minifying (Vega and Vega-Lite keep theirs as strings)."""
    runtime = vega_bundle.shipped()
    if runtime is None:
        pytest.skip("no runtime shipped in the package for the installed vl-convert (pip install -e .)")
    packages = listed(notices)
    for name in ("vega", "vega-lite"):
        assert f'"{packages[name][0]}"' in runtime, name
    # vega-embed's build carries semver and fast-json-patch in it
    assert "Invalid comparator" in runtime and "JsonPatchError" in runtime
