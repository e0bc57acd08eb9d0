"""What one `journal serve` process keeps from one rebuild to the next, in memory only.

MkDocs rebuilds every page on every change. Two of its costs repeat work whose inputs did
not change: compiling the templates (MkDocs makes a new Jinja environment for every
rebuild) and indexing every page for search. Both are kept here for the life of the serve
process, keyed by everything they read, and never written to a file: nothing made from the
entries is kept outside the journal's folder.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class KeptTemplateCode(BytecodeCache):
    """Compiled templates by name and file (Jinja's bytecode cache, in memory). Jinja checks
    each against its source's checksum before use, so an edited template is compiled again.
    One instance serves one kind of environment: compiled code depends on its options."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


def _toc_signature(toc: Iterable[Any]) -> tuple[Any, ...]:
    return tuple((item.id, item.title, item.level, _toc_signature(item.children)) for item in toc)


class KeptSearchSections:
    """What Material's search plugin made of each page, kept from one rebuild to the next.

    The search plugin parses every page's HTML again on every rebuild, and at 150 entries
    that was two fifths of a rebuild's time. Its result depends only on the page (its HTML,
    table of contents, address, title and front matter) and the plugin's settings, so a page
    whose inputs are the same gets the same search sections without parsing it again. Only
    the last rebuild's pages are kept, so memory stays the size of one site's index.

    This reaches into the search plugin (`search_index.add_entry_from_context` and its
    `entries` list, Material 9.x); if those are not there, nothing is kept and search is
    indexed as usual."""

    def __init__(self) -> None:
        self._kept: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        self._used: dict[tuple[Any, ...], list[dict[str, Any]]] = {}

    def attach(self, plugins: Mapping[str, Any]) -> bool:
        search = plugins.get("material/search") or plugins.get("search")
        index: Any = getattr(search, "search_index", None)
        add_entry = getattr(index, "add_entry_from_context", None)
        if add_entry is None or not isinstance(getattr(index, "entries", None), list):
            return False
        self._kept, self._used = self._used, {}
        settings = json.dumps(getattr(index, "config", {}), sort_keys=True, default=repr)

        def add_entry_from_context(page: Any) -> None:
            key = (settings, page.url, page.title, page.content, _toc_signature(page.toc),
                   json.dumps(page.meta, sort_keys=True, default=repr))
            sections = self._used.get(key) or self._kept.get(key)
            if sections is None:
                first = len(index.entries)
                add_entry(page)
                sections = copy.deepcopy(index.entries[first:])
            else:
                index.entries.extend(copy.deepcopy(sections))
            self._used[key] = sections

        index.add_entry_from_context = add_entry_from_context
        return True
