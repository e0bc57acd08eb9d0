"""Private by construction: no page of a journal report loads anything from another host,
whatever mkdocs.yml says.

The plugin turns off what would (web fonts, the "made with" link) and then reads what the
build wrote: any URL of another host where a page, a style sheet or a script would load or
link it fails the build, named with its file. The search index is data (the text of the
pages), never loaded from, so it is not read.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

# A URL of another host (http, https or protocol-relative) where code or markup uses it:
# right after a quote, a backquote, `(` (CSS url(); in scripts only comments have it), or
# `=` (an unquoted attribute).
_OUTSIDE = re.compile(
    r"""(["'`(=])\s*((?:https?:)?//(?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*(?::\d+)?(?:[/?#][^\s"'`<>)\\]*)?)""",
    re.IGNORECASE,
)

# Names that look like URLs but are never fetched: XML namespaces, and the Vega-Lite
# schema's name in each chart's spec.
IDENTIFIERS = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/1998/Math/MathML",
)
IDENTIFIER_PREFIXES = ("https://vega.github.io/schema/",)

# URLs inside the scripts Material and Vega ship, each loaded only under a condition a
# journal report does not meet (checked below where the report could meet it). Even then
# the pages' Content-Security-Policy (script-src 'self', connect-src 'self', in
# site_templates/theme/main.html) keeps the browser from fetching any of them.
SCRIPT_ONLY = {
    # Material: a page with a Mermaid diagram (none in a report; checked in the pages)
    "https://unpkg.com/mermaid@": "mermaid",
    # Material: browsers without ResizeObserver (none since 2020)
    "https://unpkg.com/resize-observer-polyfill": "",
    # Material: the repository's stars, only with repo_url (its link fails in the pages)
    "https://api.github.com/": "",
    # vega-embed's "open in the editor" action; the report's charts have no actions
    "https://vega.github.io/editor": "",
}
_MERMAID = re.compile(r"""class\s*=\s*["'][^"']*\bmermaid\b""", re.IGNORECASE)

# What a browser reads when it opens a page (the sitemap and the search index it does not).
SCANNED_SUFFIXES = (".html", ".htm", ".css", ".js", ".mjs", ".svg")
# Search index: the pages' own text, data that no page loads anything from.
NOT_SCANNED = ("search/search_index.json", "search/search_index.js")


@dataclass(frozen=True)
class OutsideUrl:
    file: str  # path inside the site
    url: str

    def __str__(self) -> str:
        return f"{self.file}: {self.url}"


def _is_identifier(url: str) -> bool:
    return url.rstrip("/") in (u.rstrip("/") for u in IDENTIFIERS) or url.startswith(IDENTIFIER_PREFIXES)


def outside_urls(text: str, name: str) -> list[OutsideUrl]:
    """The URLs of other hosts in one file of the site (`name`, its path in the site)."""
    script = name.endswith((".js", ".mjs"))
    found: list[OutsideUrl] = []
    for match in _OUTSIDE.finditer(text):
        url = match.group(2)
        if script and match.group(1) == "(":  # a comment: (see https://...)
            continue
        if _is_identifier(url):
            continue
        if script and url.startswith(tuple(SCRIPT_ONLY)):
            continue
        found.append(OutsideUrl(name, url))
    if not script and _MERMAID.search(text):
        found.append(OutsideUrl(name, "a Mermaid diagram, which Material loads from unpkg.com"))
    return found


def scan_site(site: Path, skip: Collection[str] = frozenset()) -> list[OutsideUrl]:
    """Every outside URL in the files of a built site, except those named in `skip`."""
    found: list[OutsideUrl] = []
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if name in skip or name in NOT_SCANNED or not name.lower().endswith(SCANNED_SUFFIXES) or not path.is_file():
            continue
        found.extend(outside_urls(path.read_text(encoding="utf-8", errors="replace"), name))
    return found


def failure_message(found: list[OutsideUrl], limit: int = 20, files_shown: int = 3) -> str:
    """One line per outside URL, with the files it is in (the first few)."""
    files_of: dict[str, list[str]] = {}
    for item in found:
        files = files_of.setdefault(item.url, [])
        if item.file not in files:
            files.append(item.file)
    lines = []
    for url, files in list(files_of.items())[:limit]:
        more = f" and {len(files) - files_shown} more" if len(files) > files_shown else ""
        lines.append(f"{url} (in {', '.join(files[:files_shown])}{more})")
    if len(files_of) > limit:
        lines.append(f"... and {len(files_of) - limit} more addresses")
    return (
        "the report would load or link something from another website, which a journal report "
        "never does; remove it from mkdocs.yml or from your own pages or templates:\n" + "\n".join(lines)
    )
