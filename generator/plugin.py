"""The MkDocs adapter: feeds the journal to the core and places the pages it renders.

All the work happens in the core (journal -> report -> pages); this module only
translates between it and MkDocs: settings from mkdocs.yml, files in `on_files`,
page HTML in `on_page_content`, watched folders in `on_serve`.

mkdocs.yml holds only what a person sets. What a `journal` command decides (today,
--lenient, --entries, and who the report is for) reaches the plugin as a
`BuildRequest`, through `build_site`, `serve_site` and `build_provider_site`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from .cache import FOLDER_NAME, DrawingCache
from .charts import start_vega_runtime, vega_runtime_js
from .journal import EntryCache, display_path, load_journal
from .names import safe_name
from .pages import NAV_PAGES, SitePage, build_pages, builtin_templates_dir, render_pages
from .privacy import OutsideUrl, failure_message, outside_urls, scan_site
from .problems import one_line
from .reading import clip
from .rebuilding import KeptPageRenders, KeptSearchSections, KeptStubRenders, KeptTemplateCode, KeptTemplateListing
from .reminders import CALENDAR_FILE, calendar_ics, pending_follow_ups
from .report import PERSONAL, Audience, Report, build_report
from .serving import accepted_hosts, host_guard
from .settings import Settings
from .vega_bundle import NOTICES as RUNTIME_NOTICES

log = logging.getLogger("mkdocs.plugins.journal")
# Warnings that must not stop a strict build: MkDocs counts only what is logged under "mkdocs".
notice = logging.getLogger("generator.site")

RUNTIME_ASSET = "assets/journal/vega-runtime.js"
ASSETS: dict[str, str | Path | None] = {
    RUNTIME_ASSET: None,  # made by vl-convert, once per process; journal.js loads it on chart pages
    # the licences of the runtime's parts, beside it: a file of the package, never overridden
    "assets/journal/vega-runtime-licenses.txt": RUNTIME_NOTICES,
    "assets/journal/journal.js": "static/journal.js",
    "assets/journal/journal.css": "static/journal.css",
}
# Our own stand-in for Worker on file:// pages, so that search works on a report opened
# from disk. Its name holds "iframe-worker": Material's offline plugin then adds no
# outside copy of its own.
WORKER_SHIM = "assets/journal/iframe-worker-shim.js"
WORKER_SHIM_SOURCE = "static/iframe-worker-shim.js"
PREVIEW_BANNER_LINES = 10  # the rest are on the Data problems page


def _decided_by_the_command(instead: str) -> c.Deprecated:
    """An option that once was one and is now decided by the `journal` command: refused
    with a plain message saying what to use instead."""
    return c.Deprecated(removed=True, message="not a setting; " + instead)


class JournalConfig(base.Config):
    """What a person sets in mkdocs.yml (or journal.yml), and only that."""

    entries = c.Type(str, default="entries")
    strict = c.Type(bool, default=True)
    templates = c.Optional(c.Type(str))
    window = c.Type(int, default=Settings.window)
    adequate_trial = c.Type(int, default=Settings.adequate_trial)
    noise_threshold = c.Type((int, float), default=Settings.noise_threshold)
    gap_weeks = c.Type(int, default=Settings.gap_weeks)
    fade_threshold_days = c.Type((int, float), default=Settings.fade_threshold_days)
    # Other spellings of one prescriber: {"Dr. Amara Osei": ["Dr. A. Osei"]}
    providers = c.Type(dict, default={})
    # Who the journal is about, printed on the check-in sheet and the export's summary:
    # name, and optionally date_of_birth and record_number. Never required.
    patient = c.Type(dict, default={})
    crisis_line = c.Type(str, default=Settings.crisis_line)
    # Decided by the command that builds, never by mkdocs.yml; refused with what to use.
    today = _decided_by_the_command("give the day to the command instead, as in `journal build --today 2026-04-02` "
                                    "(or set the JOURNAL_TODAY environment variable)")
    share = _decided_by_the_command("a copy to share with a provider is made by `journal export`")
    include_notes = _decided_by_the_command("`journal export --include-notes` puts your notes in a copy for a provider")
    since = _decided_by_the_command("`journal export --since 2026-06-01` starts a copy for a provider at a date")


@dataclass(frozen=True)
class BuildRequest:
    """What a `journal` command asks of a build, beyond mkdocs.yml: the day taken as today
    (None: the JOURNAL_TODAY variable, else the real date), a lenient build, another
    entries folder, and who the report is for. `report`: the report already built by
    `journal export` for a provider, rendered as it is (nothing is loaded again)."""

    today: dt.date | None = None
    lenient: bool = False
    entries: Path | None = None
    audience: Audience = PERSONAL
    report: Report | None = None

    def __post_init__(self) -> None:
        if self.report is not None and self.report.audience != self.audience:
            raise ValueError("a build request's report must be for its audience (use BuildRequest.for_report)")

    @classmethod
    def for_report(cls, report: Report) -> BuildRequest:
        return cls(today=report.journal.today, audience=report.audience, report=report)


# The requests of the commands running, by configuration file. MkDocs loads mkdocs.yml
# anew for each build (`serve` on every change, in its own thread), making the plugin's
# options anew each time; `on_config` takes the request from here. A plain dict rather
# than a context variable, which a thread started by MkDocs would not see; keyed by the
# file, so that a request is only ever applied to the site it was made for.
_requests: dict[str, BuildRequest] = {}
_requests_lock = threading.Lock()


def _request_key(config_file_path: str) -> str:
    """The key of a site: its configuration file as MkDocs names it (`config_file_path`)."""
    return os.path.abspath(config_file_path or ".")


@contextmanager
def requested(config_file_path: str, request: BuildRequest) -> Iterator[None]:
    """`request` applies to every build of the site configured by the file
    `config_file_path` until the block ends."""
    key = _request_key(config_file_path)
    with _requests_lock:
        previous = _requests.get(key)
        _requests[key] = request
    try:
        yield
    finally:
        with _requests_lock:
            if previous is None:
                _requests.pop(key, None)
            else:
                _requests[key] = previous


def _request_for(config: Any) -> BuildRequest:
    with _requests_lock:
        return _requests.get(_request_key(config.config_file_path), BuildRequest())


def trend_settings(options: JournalConfig) -> Settings:
    """The trends settings from the plugin's options; ValueError names any bad value."""
    return Settings(
        window=options.window,
        adequate_trial=options.adequate_trial,
        noise_threshold=float(options.noise_threshold),
        gap_weeks=options.gap_weeks,
        fade_threshold_days=options.fade_threshold_days,
        providers=options.providers,  # type: ignore[arg-type]  # checked and read by Settings
        crisis_line=options.crisis_line,
    )


class JournalPlugin(BasePlugin[JournalConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.template_code = KeptTemplateCode()
        self.search_sections = KeptSearchSections()
        self.page_renders = KeptPageRenders()
        self.template_listing = KeptTemplateListing()
        self.stub_renders = KeptStubRenders()
        self.preview_problems: list[str] = []
        self.pages: dict[str, SitePage] = {}
        self.patient: dict[str, Any] = {}
        self.settings = Settings()
        self.entry_cache: EntryCache | None = None
        self.runtime_file: File | None = None
        self.outside_urls: list[OutsideUrl] = []  # found in the pages as they are written
        # while serving: what the last rebuild and this one found in each page's output
        self.outside_urls_kept: dict[tuple[str, str], list[OutsideUrl]] = {}
        self.outside_urls_read: dict[tuple[str, str], list[OutsideUrl]] = {}
        self.pages_read: set[str] = set()
        self.drawing_cache: DrawingCache | None = None
        self.request = BuildRequest()
        self.strict = True
        self.report: Report | None = None  # the report the last build rendered

    # Having on_startup keeps this one instance for all the rebuilds of `mkdocs serve`
    # (MkDocs' rule), so the files that did not change are not read and checked again.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.entry_cache = EntryCache() if command == "serve" else None
        # A preview is always built leniently: MkDocs serves nothing until a build succeeds,
        # so one entry with an error would leave every page waiting until it was fixed.
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        # MkDocs keeps this instance for the whole process: a build after a preview in the
        # same process (the tests, the benchmark) must not be taken for the preview.
        self.entry_cache = None
        self.serving = False

    def _path(self, config: Any, value: str) -> Path:
        root = Path(config.config_file_path or ".").resolve().parent
        return (root / value).resolve()

    # -- configuration -------------------------------------------------------------
    @event_priority(50)  # before Material's offline plugin looks at the polyfills
    def on_config(self, config: Any) -> Any:
        self.outside_urls, self.pages_read = [], set()
        self.outside_urls_kept, self.outside_urls_read = self.outside_urls_read, {}
        self.request = request = _request_for(config)
        self.report, self.preview_problems = None, []
        # a provider's copy is a record: always strict, whatever mkdocs.yml says
        self.strict = request.audience.provider or (self.config.strict and not request.lenient and not self.serving)
        try:
            self.settings = trend_settings(self.config)
        except ValueError as error:
            raise PluginError(f"journal plugin in mkdocs.yml: {error}") from None
        self.patient = patient_details(self.config.patient)
        self.entries_dir = request.entries.resolve() if request.entries is not None else self._path(config, self.config.entries)
        # Drawn charts are kept beside mkdocs.yml, with the journal (see cache.py): outside
        # entries/ and the site, and a hidden name MkDocs leaves out should docs_dir be there.
        self.drawing_cache = DrawingCache(self._path(config, FOLDER_NAME)) if config.config_file_path else None
        self.template_code.store = self.drawing_cache  # compiled templates are kept there too
        self.template_listing.keep = self.serving  # a build lists anew, skipping hidden folders (see the class)
        _keep_compiled_templates(config.theme, self.template_code, self.template_listing)
        self.override_dir = self._path(config, self.config.templates) if self.config.templates else None
        if self.override_dir is not None and not self.override_dir.is_dir():
            raise PluginError(f"journal plugin: templates folder {self.override_dir} does not exist")

        # Our theme overrides (safe <title>, noindex) sit under the person's own custom_dir.
        theme_dirs = [builtin_templates_dir() / "theme"]
        if self.override_dir is not None and (self.override_dir / "theme").is_dir():
            theme_dirs.insert(0, self.override_dir / "theme")
        position = 1 if config.theme.custom_dir else 0
        for offset, folder in enumerate(theme_dirs):
            config.theme.dirs.insert(position + offset, str(folder))

        # The pages' table of contents goes in the navigation column: a column of its own
        # would take the room the charts and wide tables need to show whole.
        features = config.theme.get("features")
        if isinstance(features, list) and "toc.integrate" not in features:
            features.append("toc.integrate")

        for asset in ASSETS:
            if asset.endswith(".css") and asset not in config.extra_css:
                config.extra_css.append(asset)
            elif asset.endswith(".js") and asset != RUNTIME_ASSET and asset not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(asset)
        if _offline(config):
            polyfills = config.extra["polyfills"] = list(config.extra.get("polyfills") or [])
            if not any("iframe-worker" in str(url) for url in polyfills):
                polyfills.append(WORKER_SHIM)
        if not config.nav:
            config.nav = [{title: path} for path, title, _ in NAV_PAGES]
        _keep_private(config)
        return config

    # -- content -------------------------------------------------------------------
    @event_priority(100)  # before any plugin (or MkDocs itself) opens a file of docs_dir
    def _leave_out_special_files(self, files: Files, config: Any) -> Files:
        """A named pipe, socket or device in docs_dir would hang the build when read (or
        stop it): left out, and named."""
        docs = Path(config.docs_dir)
        for file in list(files):
            if not file.abs_src_path or not _is_inside(Path(file.abs_src_path), docs):
                continue
            try:
                regular = stat.S_ISREG(os.stat(file.abs_src_path).st_mode)
            except OSError:
                regular = False
            if not regular:
                notice.warning(f"{display_path(Path(file.abs_src_path))} is not a regular file (a named pipe, "
                               "a device or a broken link?); it was left out of the report")
                files.remove(file)
        return files

    def _add_journal_pages(self, files: Files, config: Any) -> Files:
        request = self.request
        provider = request.audience.provider
        own_files_left_out: list[str] = []
        if provider:
            # A copy for someone else holds only what is computed from the journal: pages
            # a person added by hand may hold anything.
            for file in list(files):
                if file.abs_src_path and _is_inside(Path(file.abs_src_path), Path(config.docs_dir)):
                    if file.inclusion.is_included():  # hidden files such as .gitkeep never go in anyway
                        own_files_left_out.append(file.src_uri)
                    files.remove(file)
        if request.report is not None:  # built once by `journal export`, with its journal
            report = request.report
            start_vega_runtime(self.drawing_cache)
        else:
            report = self._build_report(config, request.audience)
        if provider:
            report = report.leaving_out_own_files(own_files_left_out)
        self.report = report  # the command line reports what a lenient build left out
        journal = report.journal
        pages = build_pages(report)
        if not provider:  # the reminders are the person's own: not in a copy for someone else
            self._add_calendar(files, config, pages, journal)
        # About names the file its settings are changed in: mkdocs.yml, or journal.yml with the built-in configuration
        about = next(p for p in pages if p.path == "about.md")
        about.context["settings_file"] = Path(config.config_file_path).name if config.config_file_path else None

        for page in pages:
            # a session page is reached from the Sessions page: marked as not in the nav, so
            # MkDocs does not list every session as "not included in the nav" on each build
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.path, content=_stub(page), inclusion=inclusion))
        templates = builtin_templates_dir()
        assets = dict(ASSETS)
        if WORKER_SHIM in config.extra.get("polyfills", []):
            assets[WORKER_SHIM] = WORKER_SHIM_SOURCE
        for target, source in assets.items():
            if source is None:  # the Vega runtime: filled in by on_env, to give it time
                self.runtime_file = File.generated(config, target, content="")
                files.append(self.runtime_file)
                continue
            if isinstance(source, Path):
                files.append(File.generated(config, target, content=source.read_bytes()))
                continue
            override = self.override_dir / source if self.override_dir else None
            content = (override if override and override.is_file() else templates / source).read_bytes()
            files.append(File.generated(config, target, content=content))

        urls = {f.src_uri: f.url for f in files}

        def url_for(from_path: str, to_path: str) -> str:
            return get_relative_url(urls.get(to_path, to_path), urls.get(from_path, from_path))

        render_pages(report, pages, url_for, self.override_dir, self.template_code)
        if self.serving:  # a session page open in the browser while its entry is broken
            for page in _left_out_session_pages(journal.errors, {f.src_uri for f in files}):
                files.append(File.generated(config, page.path, content=_stub(page), inclusion=InclusionLevel.NOT_IN_NAV))
                pages.append(page)
        self.pages = {page.path: page for page in pages}
        return files

    def _build_report(self, config: Any, audience: Audience) -> Report:
        """The journal loaded (checked files kept while serving) and its report built."""
        journal = load_journal(self.entries_dir, self.request.today, base=self.entries_dir.parent, cache=self.entry_cache,
                               providers=self.settings.providers)
        if journal.errors and self.strict:
            lines = "\n".join(str(p) for p in journal.errors)
            raise PluginError(
                f"the journal has errors ({journal.summary()}):\n{lines}\n"
                "Fix them, or run `journal build --lenient` to build anyway: the entries with "
                "errors are then listed on a Data problems page and left out of the figures."
            )
        # The Vega runtime: the one shipped in the package, or else made in another process
        # while the report is built (once per process; see charts.start_vega_runtime); not
        # before the journal is known to build, as it would be for nothing.
        start_vega_runtime(self.drawing_cache)
        for warning in journal.warnings:
            log.info(str(warning))
        self.preview_problems = [str(p) for p in journal.errors] if self.serving else []
        if self.preview_problems:
            # info, not warning: a warning would stop a preview of a site set to `strict`
            for line in self.preview_problems:
                log.info(line)
            count = len(journal.sources_with_errors)
            log.info(f"{count} {'entry file has' if count == 1 else 'entry files have'} errors and "
                     f"{'is' if count == 1 else 'are'} left out of the preview until fixed; every page lists them")
        return build_report(journal, audience, self.settings, site_name=config.site_name, patient=self.patient,
                            lenient=not self.strict, drawing_cache=self.drawing_cache)

    def _add_calendar(self, files: Files, config: Any, pages: list[SitePage], journal: Any) -> None:
        """The calendar file of the follow-ups still to come, offered on the overview."""
        pending = pending_follow_ups(journal.entries, journal.today)
        files.append(File.generated(config, CALENDAR_FILE, content=calendar_ics(pending, config.site_name)))
        overview = next(p for p in pages if p.path == "index.md")
        overview.context["follow_up_calendar"] = {
            "file": CALENDAR_FILE, "count": len(pending), "next": min((f.day for f in pending), default=None),
        }

    on_files = CombinedEvent(_leave_out_special_files, _add_journal_pages)

    def on_pre_build(self, config: Any) -> None:
        if self.serving:  # every search plugin's on_config has made its index by now
            self.search_sections.attach(config.plugins)
            self.stub_renders.start()

    def on_pre_page(self, page: Any, config: Any, files: Files) -> Any:
        if self.serving and page.file.src_uri in self.pages:  # MkDocs' Markdown step of our stub, kept
            self.stub_renders.attach(page)
        return page

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        if self.runtime_file is not None:  # MkDocs writes the files after this
            self.runtime_file.content_string = vega_runtime_js(self.drawing_cache)
            self.runtime_file = None
        if self.serving:  # each page's render kept until what it shows changes
            self.page_renders.attach(env)
        # the banner of theme/main.html, on every page of a preview with errors
        problems_page = files.get_file_from_path("problems.md")
        env.globals["journal_preview"] = {
            "problems": self.preview_problems[:PREVIEW_BANNER_LINES],
            "more": max(0, len(self.preview_problems) - PREVIEW_BANNER_LINES),
            "problems_url": problems_page.url if problems_page is not None else None,
        }
        return env

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html
        # Our HTML skips MkDocs' Markdown step, which is where the table of contents comes
        # from: give the theme our own headings instead (skip link, contents sidebar).
        page.toc = get_toc(_toc_tokens(generated.headings))
        return generated.html

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        # Read here, from memory, rather than from disk again after the build; while serving,
        # a page whose output is the last rebuild's (kept renders: the same text) is not read again.
        key = (page.file.dest_uri, output)
        found = self.outside_urls_kept.get(key) if self.serving else None
        if found is None:
            found = outside_urls(output, page.file.dest_uri)
        if self.serving:
            self.outside_urls_read[key] = found
        self.outside_urls.extend(found)
        self.pages_read.add(page.file.dest_uri)
        return output

    def on_post_build(self, config: Any) -> None:
        found = self.outside_urls + scan_site(Path(config.site_dir), skip=self.pages_read)
        self.outside_urls, self.pages_read = [], set()
        if found:
            raise PluginError(failure_message(found))

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        host, port = config.dev_addr
        server.set_app(host_guard(server.get_app(), accepted_hosts(host, port)))
        server.builder = _answering_when_failed(server.builder, Path(server.root))
        server.error_handler = _reloading_when_missing(server)
        server.watch(str(self.entries_dir))
        server.watch(str(builtin_templates_dir()))
        if self.override_dir is not None:
            server.watch(str(self.override_dir))
        return server


def _keep_compiled_templates(theme: Any, template_code: KeptTemplateCode, listing: KeptTemplateListing | None = None) -> None:
    """Every Jinja environment made from the theme keeps its compiled templates in
    `template_code`: MkDocs' own for the pages, and those Material's search plugin makes to
    look up its language. Each build made them anew and compiled every template again.
    Given a `listing`, the theme's list of files goes through it (kept there while serving)."""
    if getattr(theme, "_journal_keeps_templates", False):
        return
    make_env = theme.get_env

    def get_env() -> Any:
        env = make_env()
        env.bytecode_cache = template_code
        if listing is not None:
            listing.attach(env)
        return env

    theme.get_env = get_env
    theme._journal_keeps_templates = True


def _left_out_session_pages(errors: list[Any], taken: set[str]) -> list[SitePage]:
    """While serving, a page at the address of each session left out for its errors, saying
    so: without it, the tab showing that session would turn into "Not found", which has no
    live reload, and stay so after the entry is fixed. This page reloads like any other."""
    by_source: dict[str, list[str]] = {}
    for problem in errors:
        by_source.setdefault(problem.source, []).append(str(problem))
    pages = []
    for source, problems in sorted(by_source.items()):
        path = f"sessions/{safe_name(Path(source).stem)}.md"
        if path in taken:
            continue
        taken.add(path)
        items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
        body = (f"<h1 id=\"left-out\">Left out of the preview</h1>"
                f"<p>This session is left out of the preview until <code>{html.escape(source)}</code> is fixed:</p>"
                f"<ul>{items}</ul><p>Save the fixed file: this page then shows the session again by itself.</p>")
        pages.append(SitePage(path=path, title="Left out of the preview", html=body, in_nav=False,
                              headings=[(1, "left-out", "Left out of the preview")]))
    return pages


def _reloading_when_missing(server: Any) -> Any:
    """MkDocs' answer for a missing page (the site's 404.html), with the live-reload script
    MkDocs adds to every page it serves but not to this one: a tab showing "Not found" (a
    page whose entry was renamed, or a rebuild that failed) then reloads when the site is
    rebuilt, as the other tabs do."""
    answer = server.error_handler

    def error_handler(code: int) -> bytes | None:
        content: bytes | None = answer(code)
        inject = getattr(server, "_inject_js_into_html", None)  # MkDocs' own, should it ever be gone: left out
        epoch = getattr(server, "_visible_epoch", None)
        if content is None or code != 404 or inject is None or epoch is None:
            return content
        reloading: bytes = inject(content, epoch)
        return reloading

    return error_handler


def _answering_when_failed(rebuild: Any, site: Path) -> Any:
    """MkDocs' rebuild, except that a failure (mkdocs.yml or a template of one's own broken
    while serving) does not leave every request waiting for a build that succeeds, as
    MkDocs does: the pages that remain are served, and any other is a page saying why."""

    def builder(config: Any = None) -> None:
        try:
            rebuild(config)
        except Exception as error:
            reason = one_line(clip(" ".join(str(error).split()), 300))
            log.error(f"the preview could not be rebuilt: {reason}. Fix it and save; until then "
                      "the pages are those of the last build, and a missing one says why.")
            page = (f"<!doctype html><meta charset=utf-8><title>Not rebuilt</title>"
                    f"<p>The preview could not be rebuilt: {html.escape(reason)}</p>"
                    f"<p>The terminal running <code>journal serve</code> says more. Fix it, save, and reload this page.</p>")
            with suppress(OSError):
                site.mkdir(parents=True, exist_ok=True)
                (site / "404.html").write_text(page, encoding="utf-8")  # what MkDocs' server answers for a missing page

    return builder


PATIENT_FIELDS = ("name", "date_of_birth", "record_number")


def patient_details(value: dict[str, Any]) -> dict[str, Any]:
    """The `patient` setting checked: only its known fields, each a text (a date of birth
    may be a date); empty fields left out. PluginError names anything else."""
    unknown = [key for key in value if key not in PATIENT_FIELDS]
    if unknown:
        raise PluginError(f"journal plugin: patient: unknown field {unknown[0]!r}; use {', '.join(PATIENT_FIELDS)}")
    details: dict[str, Any] = {}
    for key in PATIENT_FIELDS:
        item = value.get(key)
        if item is None or item == "":
            continue
        if key == "date_of_birth" and isinstance(item, dt.date):
            details[key] = item
        elif isinstance(item, (str, int)) and not isinstance(item, bool):
            details[key] = str(item).strip()
        else:
            raise PluginError(f"journal plugin: patient: {key} must be a text, not {item!r}")
    if details and "name" not in details:
        raise PluginError("journal plugin: patient: give a name with the date of birth or record number")
    return details


class _TocToken(TypedDict):
    """A heading as MkDocs' get_toc reads it (its own TypedDict, of the same name, is private)."""

    level: int
    id: str
    name: str
    children: list[_TocToken]


def _toc_tokens(headings: list[tuple[int, str, str]]) -> list[_TocToken]:
    """Headings (level, id, text) nested as MkDocs' toc tokens: h2 under the h1, h3 under h2."""
    roots: list[_TocToken] = []
    stack: list[_TocToken] = []
    for level, anchor, text in headings:
        token: _TocToken = {"level": level, "id": anchor, "name": text, "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(token)
        stack.append(token)
    return roots


def _stub(page: SitePage) -> str:
    """The Markdown source MkDocs sees: only the title; the content is ours (already HTML,
    with every typed value escaped), so no Markdown ever reads what a person wrote."""
    return f"---\ntitle: {json.dumps(html.escape(page.title, quote=False))}\n---\n"


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _keep_private(config: Any) -> None:
    """What Material would load or link from another website, turned off whatever mkdocs.yml
    says: web fonts (theme.font) and the "made with Material" link (extra.generator)."""
    if config.theme.get("font") is not False:
        log.info("journal: theme.font turned off; a journal report loads no web fonts")
        config.theme["font"] = False
    if config.extra.get("generator") is not False:
        config.extra["generator"] = False


def _offline(config: Any) -> bool:
    """Whether Material's offline plugin (a site read from disk) is on."""
    for name in ("material/offline", "offline"):
        plugin = config.plugins.get(name)
        if plugin is not None and getattr(plugin.config, "enabled", True):
            return True
    return False


# --- the site part of `journal export` ---------------------------------------------------

@contextmanager
def _build_date(day: dt.date) -> Iterator[None]:
    """MkDocs stamps pages and the sitemap with the build date unless SOURCE_DATE_EPOCH
    is set: the export's date is used, so two exports of one journal are the same."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def build_site(config: Any, request: BuildRequest) -> Report:
    """Build the site of a loaded configuration (MkDocs' `build`) as `request` asks.
    Returns the report it rendered (a lenient build's journal holds what was left out)."""
    from mkdocs.commands.build import build

    with requested(config.config_file_path, request):
        build(config)
    report: Report | None = config.plugins["journal"].report
    if report is None:  # pragma: no cover - on_files makes it, or the build fails before
        raise PluginError("the journal plugin made no report")
    return report


def serve_site(config_file: Any, request: BuildRequest, **options: Any) -> None:
    """MkDocs' `serve` of `config_file` (a path, or the built-in configuration), each of
    its builds made as `request` asks. MkDocs loads the configuration anew for every
    rebuild: the request is kept, by file, for as long as it serves."""
    from mkdocs.commands.serve import serve

    # the name MkDocs gives the configuration it loads from `config_file` (load_config)
    with requested(getattr(config_file, "name", config_file), request), _watching_often():
        serve(config_file, **options)


# How often `journal serve` looks at the watched files for a change, and how long it then
# waits for more changes before it rebuilds: MkDocs' 0.5 s and 0.1 s were more than half of
# the second between saving an entry and the browser showing it. A look lists the watched
# folders (entries/, the extra pages, the journal's templates) and stats every file in
# them: 3-4 ms of CPU at 150 entries, 55 ms at 10,000. So the wait after a look is at least
# LOOK_SHARE times what the look took (at most 1 / (1 + LOOK_SHARE) of a core for looking),
# never longer than MkDocs' own 0.5 s.
WATCH_INTERVAL = 0.1
MKDOCS_WATCH_INTERVAL = 0.5
LOOK_SHARE = 9
REBUILD_DELAY = 0.05


@contextmanager
def _watching_often() -> Iterator[None]:
    """While this lasts, MkDocs' `serve` makes a live-reload server that looks at the
    watched files every WATCH_INTERVAL seconds, or less often where a look takes long (MkDocs
    has a parameter for the interval, but no setting), and rebuilds REBUILD_DELAY seconds
    after the last change it saw."""
    import time

    import mkdocs.commands.serve as serving
    from mkdocs.livereload import LiveReloadServer  # not imported by a build: 30 ms
    from watchdog.observers.api import BaseObserver
    from watchdog.observers.polling import PollingEmitter

    class PacedEmitter(PollingEmitter):
        wait: float | None = None

        def queue_events(self, timeout: float) -> None:  # wait `timeout`, then look
            wait = timeout if self.wait is None else self.wait
            started = time.thread_time()
            super().queue_events(wait)
            looked = time.thread_time() - started
            self.wait = min(max(timeout, LOOK_SHARE * looked), MKDOCS_WATCH_INTERVAL)

    class OftenWatchingServer(LiveReloadServer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # in place of MkDocs' PollingObserver (nothing watched yet): the same with our emitter
            self.observer = BaseObserver(PacedEmitter, timeout=WATCH_INTERVAL)  # type: ignore[assignment]  # MkDocs only schedules, starts, stops it
            self.build_delay = min(self.build_delay, REBUILD_DELAY)

    made = serving.LiveReloadServer
    serving.LiveReloadServer = OftenWatchingServer  # type: ignore[misc]  # MkDocs' name for its class, put back below
    try:
        yield
    finally:
        serving.LiveReloadServer = made  # type: ignore[misc]  # MkDocs' own class again


def build_provider_site(config: Any, folder: Path, report: Report) -> list[str]:
    """Build the site part of `journal export` into `folder` from a loaded mkdocs.yml and
    the provider's report, already built (no private notes, notes only if asked, sessions
    from `since`): rendered as it is, with plain file links, and Material's offline plugin
    so that search works from disk. Returns the person's own added pages left out."""
    from mkdocs.plugins import get_plugins

    config.site_dir = str(folder)
    config.use_directory_urls = False
    config.strict = True
    if not _offline(config):
        offline = get_plugins()["material/offline"].load()()
        errors, _ = offline.load_config({}, config.config_file_path)
        if errors:  # pragma: no cover - Material changed its options
            raise PluginError(f"Material's offline plugin: {errors}")
        config.plugins["material/offline"] = offline
    with _build_date(report.journal.today):
        built = build_site(config, BuildRequest.for_report(report))
    return list(built.own_files_left_out)
