"""What a provider's bundle leaves out of the built site: files no page of it uses.

Source maps (*.map) serve only a developer's browser tools. Material copies the search's
word rules for every language it knows; the search loads only those of the site's languages
(its worker: lunr.LANG.min.js for each language but English, the stemmer support with any
of those, lunr.multi with several, tinyseg for Japanese, wordcut for Hindi and Thai).
"""

from __future__ import annotations

import json
from pathlib import Path

LUNR = "assets/javascripts/lunr/"
SEARCH_INDEX = "search/search_index.json"


def search_languages(site: Path) -> list[str]:
    """The languages the site's search is built for (its index says); English by default."""
    try:
        config = json.loads((site / SEARCH_INDEX).read_text(encoding="utf-8")).get("config", {})
    except (OSError, ValueError):
        return ["en"]
    languages = config.get("lang") or ["en"]
    return [languages] if isinstance(languages, str) else list(languages)


def needed_search_files(languages: list[str]) -> set[str]:
    """The files under assets/javascripts/lunr/ that the search loads for `languages`."""
    needed = set()
    for language in languages:
        if language == "ja":
            needed.add("tinyseg.js")
        if language in ("hi", "th"):
            needed.add("wordcut.js")
        if language != "en":
            needed.add(f"min/lunr.{language}.min.js")
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


def unused_site_files(site: Path) -> set[str]:
    """The paths (inside the site) of the files a bundle leaves out."""
    needed = needed_search_files(search_languages(site))
    unused = set()
    for path in site.rglob("*"):
        name = path.relative_to(site).as_posix()
        if not path.is_file():
            continue
        if name.endswith(".map") or (name.startswith(LUNR) and name.removeprefix(LUNR) not in needed):
            unused.add(name)
    return unused
