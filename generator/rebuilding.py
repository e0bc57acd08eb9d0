"""What a build keeps of its own work for the next: compiled templates (in memory, and in
the journal's `.journal-cache/` when it has one), and, in one `journal serve` process,
each page's search sections.

Every build compiled Material's templates and the report's again (MkDocs makes a new Jinja
environment for every build, and `journal serve` rebuilds every page on every change), and
every serve rebuild indexed every page for search again, though most pages' inputs had not
changed. Each is kept keyed by everything it depends on. Search sections live only in the
serve process's memory; compiled templates (made from the templates, not from entries) go
to the journal's own cache folder, never to a user-wide one.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from jinja2.utils import _PassArg

from .cache import DrawingCache


class KeptTemplateCode(BytecodeCache):
    """Compiled templates (Jinja's bytecode cache), in memory and, given a `store`, in the
    journal's `.journal-cache/` too, so that a build in a new process compiles nothing
    that an earlier build compiled (Material's templates and the report's: a third of an
    unchanged small build's time). Jinja checks each against its source's checksum and its
    own and Python's versions before use, so an edited template is compiled again; the key
    also holds what decides the compiled code besides the source (the environment's
    syntax, whitespace, escaping and extensions), so two environments never share code."""

    def __init__(self, store: DrawingCache | None = None) -> None:
        self._code: dict[str, bytes] = {}
        self.store = store

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        compiled_by = _compiled_by(environment, name)
        key = DrawingCache.key("template", f"{name}\n{filename}\n{compiled_by}")
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and self.store is not None:
            code = self.store.get_bytes(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # refused (left empty) if stale: compiled again

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        self._code[bucket.key] = code
        if self.store is not None:
            self.store.put_bytes(bucket.key, code)

    def clear(self) -> None:
        self._code.clear()


def _compiled_by(environment: Environment, name: str) -> str:
    """What, besides the source, decides a template's compiled code in `environment`: its
    syntax, whitespace and escaping settings, its extensions, and each filter's and test's
    function and the way it is called (Jinja compiles a call differently for a filter that
    takes the context): a filter changed by a library's update is never called by code
    compiled for the old one."""
    autoescape = environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape
    return repr((
        type(environment).__qualname__, environment.code_generator_class.__qualname__,
        environment.block_start_string, environment.block_end_string, environment.variable_start_string,
        environment.variable_end_string, environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
        environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
        environment.optimized, environment.is_async, bool(autoescape),
        None if environment.finalize is None else _which(environment.finalize),
        sorted(environment.extensions), getattr(environment, "newstyle_gettext", None),
        environment.policies.get("ext.i18n.trimmed"), getattr(environment, "sandboxed", False),
        sorted((n, _which(f)) for n, f in environment.filters.items()),
        sorted((n, _which(f)) for n, f in environment.tests.items()),
    ))


def _which(function: Any) -> tuple[str, str, str]:
    return (str(getattr(function, "__module__", None)), str(getattr(function, "__qualname__", repr(function))),
            repr(_PassArg.from_obj(function)))


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
