"""What a build keeps of its own work for the next: compiled templates (in memory, and in
the journal's `.journal-cache/` when it has one), and, in one `journal serve` process,
each page's search sections and each page's rendered theme template.

Every build compiled Material's templates and the report's again (MkDocs makes a new Jinja
environment for every build, and `journal serve` rebuilds every page on every change), and
every serve rebuild indexed every page for search again, though most pages' inputs had not
changed. Each is kept keyed by everything it depends on. Search sections live only in the
serve process's memory; compiled templates (made from the templates, not from entries) go
to the journal's own cache folder, never to a user-wide one.

A journal's first build has no cache folder yet, and compiling Material's templates and the
report's took a sixth of it. So the package ships them compiled (`SHIPPED_TEMPLATES`):
setup.py runs a real build of a new journal when the package is built
(generator/template_bundle.py), with `recording_shipped_code` noting every template it
compiled under a key free of the build's paths. A build takes a template from its own
memory, then from the journal's cache folder, then from that shipped set, and compiles it
only when none holds code for this source (Jinja compares the source's checksum and the
Python version), this environment (`_compiled_by`) and this Jinja version. The shipped set
is read, never written, by a build.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import functools
import hashlib
import importlib.util
import inspect
import json
import logging
import marshal
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import CodeType, ModuleType, SimpleNamespace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from jinja2 import BaseLoader, BytecodeCache, Environment, FileSystemLoader, Template, TemplateNotFound
from jinja2.bccache import Bucket
from jinja2.utils import _PassArg

from .cache import DrawingCache

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page


@functools.cache
def _mkdocs() -> SimpleNamespace:
    """MkDocs' classes the page renders' keys describe: imported when a serve first renders a
    page, as the pages' own templates (which share this module) never need MkDocs."""
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import File
    from mkdocs.structure.nav import Link, Navigation, Section
    from mkdocs.structure.pages import Page
    from mkdocs.theme import Theme

    return SimpleNamespace(BasePlugin=BasePlugin, File=File, Link=Link, Navigation=Navigation, Section=Section, Page=Page,
                           Theme=Theme)


class KeptTemplateCode(BytecodeCache):
    """Compiled templates (Jinja's bytecode cache), in memory and, given a `store`, in the
    journal's `.journal-cache/` too, so that a build in a new process compiles nothing
    that an earlier build compiled (Material's templates and the report's: a third of an
    unchanged small build's time); and, for a first build, those shipped in the package
    (`shipped_template_code`). Jinja checks each against its source's checksum and
    Python's version before use, so an edited template is compiled again; the key also
    holds what decides the compiled code besides the source (the environment's syntax,
    whitespace, escaping and extensions, and Jinja's release, whose fixes may change the
    code it compiles), so two environments never share code."""

    def __init__(self, store: DrawingCache | None = None) -> None:
        self._code: dict[str, bytes] = {}
        self.store = store

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        compiled_by = _compiled_by(environment, name)
        key = DrawingCache.key("template", f"{name}\n{filename}\n{compiled_by}\n{_compiler_versions()}")
        bucket = _Bucket(environment, key, self.get_source_checksum(source))
        bucket.shipped_key, bucket.filename = _shipped_key(name, compiled_by), filename
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        for code, shipped in self._kept(bucket):
            bucket.bytecode_from_string(code)
            if bucket.code is not None:
                if shipped:  # Jinja takes a template's file name from its code: this file's, not "<template>"
                    bucket.code = _located(bucket.code, getattr(bucket, "filename", None) or "<template>")
                return
            # else refused as stale (another source, Python): try the next

    def _kept(self, bucket: Bucket) -> Iterator[tuple[bytes, bool]]:
        """The code kept for `bucket`, where it may be, in order: this process's, the journal's,
        the package's (not while recording that: then every template is compiled); and
        whether it is the package's."""
        code = self._code.get(bucket.key)
        if code is not None:
            yield code, False
        code = self.store.get_bytes(bucket.key) if self.store is not None else None
        if code is not None:
            yield code, False
        shipped_key = bucket.shipped_key if isinstance(bucket, _Bucket) else None
        code = shipped_template_code().get(shipped_key) if shipped_key is not None and _recording is None else None
        if code is not None:
            yield code, True

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        self._code[bucket.key] = code
        if self.store is not None:
            self.store.put_bytes(bucket.key, code)
        shipped_key = bucket.shipped_key if isinstance(bucket, _Bucket) else None
        if _recording is not None and shipped_key is not None and bucket.code is not None:
            shipped = Bucket(bucket.environment, shipped_key, bucket.checksum)
            shipped.code = _located(bucket.code, "<template>")  # no path of the build's in the package
            _recording[shipped_key] = shipped.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


class _Bucket(Bucket):
    shipped_key: str | None = None  # the key of this template's code in the shipped set
    filename: str | None = None  # the template's file, as loaded now


# The compiled templates shipped in the package, written by setup.py's build step (its
# TEMPLATES_FILE names it too): one file, a header line with the SHA-256 of the rest, then a
# marshalled dict from shipped key to the bytes of a Jinja bucket.
SHIPPED_TEMPLATES = "compiled-templates.bin"
_SHIPPED_MAGIC = b"ketamine-journal compiled templates 1 "
_recording: dict[str, bytes] | None = None  # set while the package's build step records


@functools.cache
def shipped_template_code(folder: Path | None = None) -> Mapping[str, bytes]:
    """The compiled templates shipped in the package (in `folder`, the package's by default),
    by shipped key; empty when there are none (the build step skipped it) or the file is
    damaged: then templates are compiled, as before."""
    path = (folder or Path(__file__).resolve().parent) / SHIPPED_TEMPLATES
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    header, newline, body = data.partition(b"\n")
    if not newline or header != _SHIPPED_MAGIC + hashlib.sha256(body).hexdigest().encode():
        return {}
    try:
        code = marshal.loads(body)
    except (EOFError, ValueError, TypeError):  # pragma: no cover - the digest matched
        return {}
    if not isinstance(code, dict):  # pragma: no cover - the digest matched
        return {}
    return code


@contextmanager
def recording_shipped_code() -> Iterator[dict[str, bytes]]:
    """While inside: every KeptTemplateCode compiles every template it loads (nothing taken
    from the shipped set) and notes its code under its shipped key in the dict given."""
    global _recording
    if _recording is not None:
        raise RuntimeError("already recording compiled templates")
    recorded: dict[str, bytes] = {}
    _recording = recorded
    try:
        yield recorded
    finally:
        _recording = None


def write_shipped_code(path: Path, code: Mapping[str, bytes]) -> None:
    """Write `code` (from recording_shipped_code) as the shipped set, whole or not at all."""
    body = marshal.dumps(dict(sorted(code.items())))
    handle, temporary = tempfile.mkstemp(prefix=".writing-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_SHIPPED_MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.chmod(temporary, 0o644)  # as any installed file: mkstemp makes it readable by its owner alone
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _shipped_key(name: str, compiled_by: str) -> str:
    """A template's key in the shipped set: what decides its code besides its source (whose
    checksum Jinja's bucket holds), and no path, as the package is installed elsewhere than
    it was built."""
    return hashlib.sha256(f"{name}\n{compiled_by}\n{_compiler_versions()}".encode()).hexdigest()


@functools.cache
def _compiler_versions() -> str:
    # Jinja's bucket checks Python's major and minor version and its own bytecode format, not
    # its release: a new Jinja may compile the same source differently with the same format.
    # Nor the interpreter (PyPy 3.11 reads CPython 3.11's version) or a pre-release's bytecode
    # within a minor version: the cache tag and the bytecode's magic number tell them apart.
    try:
        jinja = version("jinja2")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the package
        jinja = "?"
    return f"jinja2 {jinja} {sys.implementation.cache_tag} {importlib.util.MAGIC_NUMBER.hex()}"


def _located(code: CodeType, filename: str) -> CodeType:
    """`code` as if compiled from `filename` (Jinja names a template's file, in its tracebacks
    too, by its code's): shipped without the build's path, used with the installed one."""
    constants = tuple(_located(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=constants)


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


K = TypeVar("K")
V = TypeVar("V")


class _LastBuild(Generic[K, V]):
    """What the last build made, by key, for the next one: a value found or made in this
    build is kept for the next, and nothing older, so memory stays the size of one build.
    Counts the values found (hits) and made (misses) in this build."""

    def __init__(self) -> None:
        self._kept: dict[K, V] = {}
        self._used: dict[K, V] = {}
        self.hits = self.misses = 0

    def start(self) -> None:
        """A new build: what the last one found or made is what may be found."""
        self._kept, self._used = self._used, {}
        self.hits = self.misses = 0

    def find(self, key: K) -> V | None:
        value = self._used.get(key)
        if value is None:
            value = self._kept.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def keep(self, key: K, value: V) -> None:
        self._used[key] = value


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
        self._sections: _LastBuild[tuple[Any, ...], list[dict[str, Any]]] = _LastBuild()

    def attach(self, plugins: Mapping[str, Any]) -> bool:
        search = plugins.get("material/search") or plugins.get("search")
        index: Any = getattr(search, "search_index", None)
        add_entry = getattr(index, "add_entry_from_context", None)
        if add_entry is None or not isinstance(getattr(index, "entries", None), list):
            return False
        self._sections.start()
        settings = json.dumps(getattr(index, "config", {}), sort_keys=True, default=repr)

        def add_entry_from_context(page: Any) -> None:
            key = (settings, page.url, page.title, page.content, _toc_signature(page.toc),
                   json.dumps(page.meta, sort_keys=True, default=repr))
            sections = self._sections.find(key)
            if sections is None:
                first = len(index.entries)
                add_entry(page)
                sections = copy.deepcopy(index.entries[first:])
            else:
                index.entries.extend(copy.deepcopy(sections))
            self._sections.keep(key, sections)

        index.add_entry_from_context = add_entry_from_context
        return True


SHARED_CONTEXT = ("nav", "pages", "config")  # MkDocs' page context: one object each for a whole build


class KeptPageRenders:
    """Each page's rendered theme template (Material's `main.html`: the page inside the
    whole navigation, header and footer), kept from one serve rebuild to the next.

    MkDocs renders the theme's template for every page on every rebuild, and at 150 entries
    that was about half of a serve rebuild's time, though an edit of one entry changes what
    a handful of pages show. A page's output depends only on what the template reads: the
    template context (the page itself, the whole navigation, the list of pages, the
    configuration with the theme's and the plugins' settings, and what plugins added to it),
    the environment's globals, filters and tests, and the templates' sources. The key holds
    each of them: the page whole (its HTML, table of contents, title, address, front
    matter, neighbours); the navigation, the configuration and the pages list as they
    stand (the other pages by address, title and front matter: no template reads another
    page's content); every template any render of this process loaded, as the loader finds
    it now (an edited or newly shadowing template changes the key). Anything the key cannot
    describe without a memory address makes a key that never matches, so that page is
    rendered as usual. `build_date_utc` (a new time on every build) is left out unless a
    template names it. Only the last rebuild's pages are kept.

    Only for the environment given to `attach` (the theme's, per build) and for templates
    rendered with a `page`: the error pages and the sitemap are rendered as usual."""

    def __init__(self) -> None:
        self._outputs: _LastBuild[bytes, str] = _LastBuild()
        self._template_names: set[str] = set()  # every template a render of this process loaded
        self._build: tuple[Any, ...] | None = None  # templates and environment, once per build
        self._shared: dict[int, tuple[Any, Any]] = {}  # navigation, pages, configuration: once per build
        self._loader: BaseLoader | None = None

    @property
    def hits(self) -> int:
        return self._outputs.hits

    @property
    def misses(self) -> int:
        return self._outputs.misses

    def attach(self, env: Environment) -> bool:
        """Keep the renders of `env`'s page templates from now on (one build's environment)."""
        self._outputs.start()
        self._build, self._shared = None, {}
        loader = env.loader
        if loader is None or env.template_class is not Template or env.cache is None:
            return False
        names = self._template_names
        env.loader = _RecordingLoader(loader, names)
        env.template_class = _KeptRenderTemplate
        env.cache.clear()  # loaded before this (none, in MkDocs 1.6): loaded again, recorded
        env.journal_page_renders = self  # type: ignore[attr-defined]  # read by _KeptRenderTemplate
        self._loader = loader
        return True

    def render(self, template: Template, context: dict[str, Any], render: Callable[[dict[str, Any]], str]) -> str:
        page = context.get("page")
        if not isinstance(page, _mkdocs().Page):
            return render(context)
        key = self._key(template, context, page)
        output = self._outputs.find(key)
        if output is None:
            loaded = len(self._template_names)
            output = render(context)
            if len(self._template_names) != loaded:  # kept under a key naming every template it used
                key = self._key(template, context, page)
        self._outputs.keep(key, output)
        return output

    def _key(self, template: Template, context: dict[str, Any], page: Page) -> bytes:
        templates, uses_build_date = self._templates(template.environment)
        shown = []
        for name, value in sorted(context.items()):
            if name == "page" or (name == "build_date_utc" and not uses_build_date):
                continue
            if name in SHARED_CONTEXT:  # the same objects for every page of a build
                kept = self._shared.get(id(value))
                if kept is None or kept[0] is not value:  # written out once per build, as a digest
                    kept = self._shared[id(value)] = (value, _digest(_signature(value, set())))
                shown.append((name, kept[1]))
            else:
                shown.append((name, _signature(value, set())))
        return _digest((template.name, templates, tuple(shown), _page_signature(page)))

    def _templates(self, env: Environment) -> tuple[Any, bool]:
        """Every template loaded by a render of this process, as the loader finds it now,
        and the environment: once per build, and again when a render loaded another."""
        if self._build is not None and self._build[0] == len(self._template_names):
            return self._build[1], self._build[2]
        assert self._loader is not None  # set by attach, which made the templates that call this
        templates: list[tuple[str, str | None, str | None]] = []
        uses_build_date = False
        for name in sorted(self._template_names):
            try:
                source, filename, _ = self._loader.get_source(env, name)
            except TemplateNotFound:
                templates.append((name, None, None))
                continue
            uses_build_date = uses_build_date or "build_date_utc" in source
            templates.append((name, filename, hashlib.blake2b(source.encode("utf-8", "surrogatepass")).hexdigest()))
        signature = _digest((tuple(templates), _compiled_by(env, "main.html"), _signature(env.globals, set())))
        self._build = (len(self._template_names), signature, uses_build_date)
        return signature, uses_build_date


class _RecordingLoader(BaseLoader):
    """The theme's loader, noting the name of every template it loads."""

    def __init__(self, loader: BaseLoader, names: set[str]) -> None:
        self.loader = loader
        self.names = names

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        found = self.loader.get_source(environment, template)
        self.names.add(template)
        return found

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


class _KeptRenderTemplate(Template):
    """A template whose top-level renders go through its environment's KeptPageRenders.
    (Jinja renders included and extended templates through their render functions, never
    through `render`.)"""

    def render(self, *args: Any, **kwargs: Any) -> str:
        kept: KeptPageRenders | None = getattr(self.environment, "journal_page_renders", None)
        context = dict(*args, **kwargs)
        if kept is None:
            return super().render(context)
        return kept.render(self, context, super().render)


_UNKEYABLE = iter(range(1 << 62))


def _digest(signature: Any) -> bytes:
    return hashlib.blake2b(repr(signature).encode("utf-8", "surrogatepass"), digest_size=32).digest()


def _page_signature(page: Page) -> Any:
    """The page being rendered, whole: everything MkDocs and the plugins set on it (its
    HTML, table of contents, front matter, title, addresses, neighbours), but not whether
    it is active, which the navigation and the page's own place in it decide."""
    state = {name: value for name, value in vars(page).items() if not name.endswith("__active")}
    return ("page", page.title, page.url, page.is_homepage, _signature(page.ancestors, set()), _signature(state, set()))


def _signature(value: Any, seen: set[int]) -> Any:
    """`value` as plain data for a key: the same data for the same content. Another page
    or a section is named by its place (the page being rendered is described whole,
    separately); an object that cannot be described without its memory address gives a
    value never given before, so its key never matches."""
    if isinstance(value, str | bytes) and len(value) > 512:  # a page's HTML: its digest is cheaper to write out
        data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
        return (type(value).__name__, hashlib.blake2b(data, digest_size=32).digest())
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return value
    if isinstance(value, enum.Enum):
        return ("enum", type(value).__qualname__, value.name)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return ("time", repr(value))
    if isinstance(value, type):
        return ("type", value.__module__, value.__qualname__)
    if isinstance(value, ModuleType):
        return ("module", value.__name__, getattr(value, "__file__", None))
    if inspect.ismethod(value):
        return ("method", value.__func__.__module__, value.__func__.__qualname__, _signature(value.__self__, seen))
    if inspect.isroutine(value):
        return ("function", getattr(value, "__module__", None), getattr(value, "__qualname__", None))
    if id(value) in seen:
        return ("cycle", type(value).__qualname__)
    seen.add(id(value))
    try:
        return _structure_signature(value, seen)
    finally:
        seen.discard(id(value))


def _structure_signature(value: Any, seen: set[int]) -> Any:
    mkdocs = _mkdocs()
    if isinstance(value, mkdocs.Page):
        return ("page", value.file.src_uri, value.url, value.title, _signature(value.meta, seen))
    if isinstance(value, mkdocs.Section):
        return ("section", value.title, _signature(value.children, seen))
    if isinstance(value, mkdocs.Link):
        return ("link", value.title, value.url)
    if isinstance(value, mkdocs.Navigation):
        homepage = value.homepage.url if value.homepage is not None else None
        return ("nav", _signature(value.items, seen), _signature(value.pages, seen), homepage)
    if isinstance(value, mkdocs.File):
        return ("file", value.src_uri, value.dest_uri, value.url, value.abs_src_path, value.abs_dest_path,
                value.inclusion.name, value.generated_by)
    if isinstance(value, mkdocs.BasePlugin):
        return ("plugin", type(value).__module__, type(value).__qualname__, _signature(value.config, seen))
    if isinstance(value, mkdocs.Theme):
        return ("theme", value.name, tuple(value.dirs), tuple(value.static_templates), str(value.locale),
                _signature(dict(value.items()), seen))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((repr(k), _signature(v, seen)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("seq", tuple(_signature(v, seen) for v in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(_signature(v, seen)) for v in value)))
    state = getattr(value, "__dict__", None)
    if isinstance(state, dict):
        return ("object", type(value).__module__, type(value).__qualname__, _signature(state, seen))
    shown = repr(value)
    if " at 0x" in shown:  # nothing but its address to tell it by: a key that never matches
        return ("unkeyable", next(_UNKEYABLE))
    return ("repr", type(value).__qualname__, shown)


class KeptTemplateListing:
    """The theme's list of files, kept from one serve rebuild to the next while no folder of
    the theme changed.

    MkDocs lists every file of every theme folder on every build to find the theme's static
    files (`Environment.list_templates`, then a filter of shell patterns on each name), and
    Material ships some 14,000 files (its icons): a fifth of a serve rebuild once the pages
    were kept. A folder's modification time changes whenever a file or folder in it is
    added, removed or renamed, so the listing is used again only while every folder of the
    theme, as last listed, has the time it had then, and none had changed in the two
    seconds before (a file system with coarse times could hide a change made then). The
    filter's answers are kept with it, keyed by the filter's code and the values it closes
    over (MkDocs': the configuration); a filter that closes over nothing describable is
    run as usual.

    In every build, kept or not: MkDocs' filter refuses every file in a folder whose name
    starts with a dot, and Material's icons are in one (`.icons`): such folders are not
    listed at all when the filter is seen to refuse them (`_refuses_hidden`). Listing and
    filtering every icon took 0.055 s of a 30-entry build (a twentieth of it)."""

    SETTLED_NS = 2_000_000_000

    def __init__(self) -> None:
        self._listing: tuple[tuple[tuple[str, ...], bool], dict[str, int], list[str]] | None = None
        self._filtered: dict[bytes, list[str]] = {}
        self.listed = 0  # how many times the folders were listed anew
        self.keep = True  # False: listed anew on every call (a build that is not a serve rebuild)

    def attach(self, env: Environment) -> None:
        loader = env.loader
        if not isinstance(loader, FileSystemLoader):
            return
        list_templates = env.list_templates

        def kept_list_templates(extensions: Any = None, filter_func: Callable[[str], bool] | None = None) -> list[str]:
            if extensions is not None:
                return list_templates(extensions, filter_func)
            skip_hidden = filter_func is not None and _refuses_hidden(filter_func)
            names = self._names(loader, skip_hidden) if self.keep else _list_templates(loader, skip_hidden)
            if filter_func is None:
                return list(names)
            if not self.keep:
                return [name for name in names if filter_func(name)]
            key = _filter_key(filter_func)
            if key is None:
                return [name for name in names if filter_func(name)]
            kept = self._filtered.get(key)
            if kept is None:  # only the last filter's answers are kept
                kept = [name for name in names if filter_func(name)]
                self._filtered = {key: kept}
            return list(kept)

        env.list_templates = kept_list_templates  # type: ignore[method-assign]  # this environment only

    def _names(self, loader: FileSystemLoader, skip_hidden: bool) -> list[str]:
        listing = (tuple(str(path) for path in loader.searchpath), skip_hidden)
        if self._listing is not None and self._listing[0] == listing and all(
                _modified(folder) == modified for folder, modified in self._listing[1].items()):
            return self._listing[2]
        times = {}  # before listing: a change made while listing shows at the next look
        for top in listing[0]:
            for folder, subfolders, _ in os.walk(top, followlinks=loader.followlinks):
                times[folder] = _modified(folder)
                if skip_hidden:
                    subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        names = _list_templates(loader, skip_hidden)
        self.listed += 1
        self._filtered = {}
        settled = time.time_ns() - self.SETTLED_NS
        self._listing = (listing, times, names) if all(0 <= t < settled for t in times.values()) else None
        return names


# Names only a filter that refuses hidden files and folders refuses all of (MkDocs': '.*', '*/.*').
_HIDDEN_NAMES = (".hidden", ".hidden.css", ".hidden/style.css", "folder/.hidden", "folder/.hidden/style.css",
                 "folder/.hidden/deeper/script.js")


def _refuses_hidden(filter_func: Callable[[str], bool]) -> bool:
    """Whether `filter_func` is MkDocs' filter of a theme's files and refuses every file in a
    folder whose name starts with a dot, so that such folders need not be listed."""
    return getattr(filter_func, "__module__", None) == "mkdocs.structure.files" and not any(
        filter_func(name) for name in _HIDDEN_NAMES)


def _list_templates(loader: FileSystemLoader, skip_hidden: bool) -> list[str]:
    """`loader.list_templates()`, without what is in folders whose name starts with a dot
    when `skip_hidden` (the same names, walked the way Jinja walks them)."""
    if not skip_hidden:
        return loader.list_templates()
    found = set()
    for top in loader.searchpath:
        for folder, subfolders, files in os.walk(top, followlinks=loader.followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for file in files:
                name = os.path.join(folder, file)[len(top):].strip(os.path.sep).replace(os.path.sep, "/")
                found.add(name[2:] if name[:2] == "./" else name)
    return sorted(found)


def _modified(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


def _filter_key(function: Callable[[str], bool]) -> bytes | None:
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    try:
        closed_over = [cell.cell_contents for cell in function.__closure__ or ()]
    except ValueError:  # a cell not filled yet
        return None
    shown = repr(("filter", code.co_filename, code.co_firstlineno, code.co_code, code.co_consts, code.co_names,
                  _signature(closed_over, set()), _signature(getattr(function, "__defaults__", None), set())))
    if "unkeyable" in shown:
        return None
    return hashlib.blake2b(shown.encode("utf-8", "surrogatepass"), digest_size=32).digest()


class KeptStubRenders:
    """MkDocs' Markdown step for each page the plugin makes, kept from one serve rebuild to
    the next.

    MkDocs makes a new Markdown converter for every page on every build (a sixth of a serve
    rebuild at 150 entries), and the plugin's pages reach it only as a front-matter stub
    whose HTML and table of contents the plugin then puts in place of the step's. What the
    step leaves on the page (its HTML, table of contents, the title and the anchors found in
    it) depends on the stub's Markdown after the plugins', the page's file and address, the
    Markdown settings and the site's files; it is kept keyed by all of them. A page in which
    the step found links to anchors of other pages is not kept (those name one build's
    files). Only the last rebuild's pages are kept."""

    def __init__(self) -> None:
        self._steps: _LastBuild[bytes, tuple[Any, ...]] = _LastBuild()
        self._shared: dict[int, tuple[Any, bytes]] = {}

    @property
    def hits(self) -> int:
        return self._steps.hits

    @property
    def misses(self) -> int:
        return self._steps.misses

    def start(self) -> None:
        """A new build: what the last one made is what may be used."""
        self._steps.start()
        self._shared = {}

    def attach(self, page: Page) -> None:
        """Make `page`'s Markdown step go through what is kept (this build's page only)."""
        render = page.render

        def kept_render(config: Any, files: Any) -> None:
            key = self._key(page, config, files)
            found = self._steps.find(key)
            if found is not None:
                content, toc, title, anchors, links = found
                page.content, page.toc, page._title_from_render = content, copy.deepcopy(toc), title
                page.present_anchor_ids = set(anchors) if anchors is not None else None
                page.links_to_anchors = {} if links else None
            else:
                render(config, files)
                if page.links_to_anchors:  # names this build's File objects: not kept
                    return
                anchors = page.present_anchor_ids
                found = (page.content, copy.deepcopy(page.toc), page._title_from_render,
                         frozenset(anchors) if anchors is not None else None, page.links_to_anchors is not None)
            self._steps.keep(key, found)

        page.render = kept_render  # type: ignore[method-assign]  # this page of this build only

    def _key(self, page: Page, config: Any, files: Any) -> bytes:
        shared = []
        for value in (config["markdown_extensions"], config["mdx_configs"], files):
            kept = self._shared.get(id(value))
            if kept is None or kept[0] is not value:
                kept = self._shared[id(value)] = (value, _digest(_signature(value, set())))
            shared.append(kept[1])
        # MkDocs notes links to anchors only above DEBUG (the level of its pages' logger)
        noted = logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG
        return _digest((page.markdown, page.file.src_uri, page.file.dest_uri, page.url, tuple(shared), noted))
