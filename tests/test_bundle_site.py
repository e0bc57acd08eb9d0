"""What a provider's bundle leaves out of the built site: only files no page uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.hygiene import unused_site_files

LUNR = "assets/javascripts/lunr"
ALL = ["tinyseg.js", "wordcut.js", "min/lunr.de.min.js", "min/lunr.ja.min.js", "min/lunr.fr.min.js",
       "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js"]


def fake_site(root: Path, languages: list[str]) -> Path:
    for name in ALL:
        (root / LUNR / name).parent.mkdir(parents=True, exist_ok=True)
        (root / LUNR / name).write_text("//")
    (root / "search").mkdir()
    (root / "search" / "search_index.json").write_text(json.dumps({"config": {"lang": languages}, "docs": []}))
    (root / "assets" / "javascripts" / "bundle.min.js").write_text("//")
    (root / "assets" / "javascripts" / "bundle.min.js.map").write_text("{}")
    return root


@pytest.mark.parametrize("languages, kept", [
    (["en"], []),
    (["de"], ["min/lunr.de.min.js", "min/lunr.stemmer.support.min.js"]),
    (["en", "ja"], ["min/lunr.ja.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js", "tinyseg.js"]),
])
def test_only_the_search_files_of_the_sites_languages_and_no_source_maps(tmp_path, languages, kept):
    site = fake_site(tmp_path, languages)
    unused = unused_site_files(site)
    assert "assets/javascripts/bundle.min.js.map" in unused
    assert "assets/javascripts/bundle.min.js" not in unused and "search/search_index.json" not in unused
    assert sorted(name for name in ALL if f"{LUNR}/{name}" not in unused) == sorted(kept)
