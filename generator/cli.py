"""The `journal` command."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .entries import DATE_RANGE, date_in_range, parse_session_date
from .journal import TODAY_VARIABLE, collector_paused, create_entry, display_path, load_journal, resolve_today
from .output import OutputError, check_output, replace_directory, writing_output
from .problems import one_line
from .reading import clip
from .serving import is_loopback

if TYPE_CHECKING:  # MkDocs is imported by the site commands only, when they run
    from mkdocs.config.defaults import MkDocsConfig

    from .defaults import ConfigSource
    from .plugin import BuildRequest

DESCRIPTION = """\
Keep a ketamine treatment journal (one YAML file per session) and turn it into a
private report for you and your prescriber. Nothing here is medical advice: the
report shows your own data to prepare a conversation with your prescriber."""

EPILOG = """\
examples:
  journal init my-journal     start a journal folder of your own
  journal new                 write today's entry into entries/
  journal check               check every entry and list what needs fixing
  journal build               build the report site into site/
  journal serve               preview the report, rebuilt as you edit
  journal export              one zip for a new prescriber: summary, report, data

Run `journal COMMAND --help` for the options of each command."""


def _add_common(parser: argparse.ArgumentParser, today_is_for: str) -> None:
    parser.add_argument(
        "--entries", metavar="DIR", type=Path,
        help="the folder that holds the entry files (default: the journal plugin's `entries` "
        "in mkdocs.yml here, else entries)",
    )
    parser.add_argument(
        "--today", metavar="DATE",
        help=f"treat DATE (2026-04-02) as today {today_is_for} "
        f"(default: the {TODAY_VARIABLE} environment variable, else the real date)",
    )


def configured_entries(config_file: Path = Path("mkdocs.yml")) -> Path:
    """The entries folder that mkdocs.yml names (the journal plugin's `entries`, relative to
    the file), so that `check` and `new` use the folder the build reads; `entries` when the
    file does not say. Read as plain YAML: these commands need no MkDocs."""
    if not os.path.lexists(config_file):  # the built-in configuration, with journal.yml's settings
        from .defaults import settings_entries

        return settings_entries(config_file.parent)
    options = _journal_options(config_file)
    entries = options.get("entries")
    if isinstance(entries, str) and entries.strip():
        # relative to the file given, not to an inherited one: MkDocs resolves it so
        return config_file.parent / entries
    return Path("entries")


def configured_providers(config_file: Path = Path("mkdocs.yml")) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The journal plugin's `providers` setting in mkdocs.yml, read as the build reads it, so
    that `journal check` does not report spellings the setting already joins. ValueError
    says what is wrong with it."""
    from .settings import Settings

    if os.path.lexists(config_file):
        options = _journal_options(config_file)
    else:  # the built-in configuration: the settings are journal.yml's
        from .defaults import read_settings

        try:
            options = read_settings(config_file.parent)
        except ValueError:
            options = {}  # the site commands say what is wrong with journal.yml
    value = options.get("providers")
    return () if value is None else Settings(providers=value).providers


def _journal_options(config_file: Path) -> dict:
    """The journal plugin's options in mkdocs.yml (INHERIT followed); {} when it names none."""
    plugins = _read_site_config(config_file).get("plugins")
    if isinstance(plugins, dict):
        options = plugins.get("journal")
    elif isinstance(plugins, list):
        options = next((p["journal"] for p in plugins if isinstance(p, dict) and "journal" in p), None)
    else:
        options = None
    return options if isinstance(options, dict) else {}


def _read_site_config(config_file: Path) -> dict:
    """mkdocs.yml as MkDocs reads it: with its `INHERIT` (a parent file, relative to the
    child, itself possibly inheriting) merged in MkDocs' way (mergedeep's: mappings merged
    key by key, the child's value winning; anything else, lists included, replaced).
    An empty dict when the file cannot be read: the build will say what is wrong."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    def environment(loader: yaml.SafeLoader, node: yaml.Node) -> object:
        """MkDocs' `!ENV NAME` and `!ENV [NAME, OTHER, default]`: the first variable set."""
        if isinstance(node, yaml.ScalarNode):
            names: list[Any] = [loader.construct_scalar(node)]
        elif isinstance(node, yaml.SequenceNode):
            names = loader.construct_sequence(node)
        else:  # a mapping, which construct_sequence refused as well: the file is not read
            raise yaml.constructor.ConstructorError(None, None, "expected a name or a list of names", node.start_mark)
        default = names.pop() if len(names) > 1 else None
        return next((os.environ[n] for n in names if isinstance(n, str) and n in os.environ), default)

    # mkdocs.yml may hold other tags, such as !!python/name:; not needed here, never run
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    _Loader.add_constructor("!ENV", environment)

    def merged(parent: dict, child: dict) -> dict:
        result = dict(parent)
        for key, value in child.items():
            both = isinstance(result.get(key), dict) and isinstance(value, dict)
            result[key] = merged(result[key], value) if both else value
        return result

    chain: dict = {}
    seen: set[Path] = set()
    current = config_file
    while True:
        try:
            text = current.read_text(encoding="utf-8")
            data = yaml.load(text, Loader=_Loader)
        except (OSError, UnicodeError, yaml.YAMLError):
            return {}
        if data is None:
            data = {}
        if not isinstance(data, dict):
            return {}
        parent = data.pop("INHERIT", None)
        chain = merged(data, chain)  # what was read so far is the child of this file
        if not isinstance(parent, str):
            return chain
        seen.add(Path(os.path.abspath(current)))
        current = Path(os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(current)), parent)))
        if current in seen:  # a loop, which MkDocs would not survive either
            return {}


DEFAULT_CONFIG = Path("mkdocs.yml")
CONFIG_HELP = ("the site configuration (default: mkdocs.yml here; without one, the built-in configuration "
               "with the settings of journal.yml)")

ENGINE = (("mkdocs", "MkDocs"), ("mkdocs-material", "Material for MkDocs"), ("altair", "Altair"), ("vl-convert-python", "vl-convert"))


def _version_text() -> str:
    """The tool's version and what the report is built on, so a person can tell what an
    upgrade of those packages would change (README, Dependencies)."""
    from importlib import metadata

    parts = []
    for package, name in ENGINE:
        try:
            parts.append(f"{name} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return (f"journal {__version__}\nbuilt on {', '.join(parts)}\n"
            "Material for MkDocs reaches end of life on 5 May 2027; see README, Dependencies.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journal", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version_text())
    parser.add_argument("--debug", action="store_true", help="show the full traceback if something unexpected fails")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser(
        "new", help="write a new entry from the template",
        description="Write a new entry file for a session, with every field listed and its "
        "range in a comment, and print its path. An existing file is never overwritten: a "
        "second session on the same day gets -2 in its name.",
    )
    _add_common(new, "when no --date is given (the session's day)")
    new.add_argument("--date", metavar="DATE", help="the session's date, or date and time "
                     "(2026-04-02 or '2026-04-02 18:30'; not after today; default: today)")

    init = commands.add_parser(
        "init", help="start a journal folder of your own",
        description="Start a journal in DIR (default: here): entries/ with a first entry, the entry "
        "format (entry.schema.json) that the entries' first line points at, journal.yml for your "
        "settings, a README, a .gitignore and VS Code settings. Never overwrites: run again, it "
        "adds only what is missing and says what it did.",
    )
    init.add_argument("directory", metavar="DIR", nargs="?", type=Path, default=Path("."),
                      help="the journal folder, created if needed (default: the current folder)")
    init.add_argument("--today", metavar="DATE", help="the first entry's date (default: the "
                      f"{TODAY_VARIABLE} environment variable, else the real date)")

    check = commands.add_parser(
        "check", help="check every entry and report problems",
        description="Check every entry file. Each problem is printed as FILE:LINE:COLUMN: "
        "field: what is wrong (what is expected). Exit status 0 when there are no errors "
        "(warnings allowed), 1 when there are errors.",
    )
    _add_common(check, "when deciding which follow-ups are due")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text for people (default), json for tools")

    build = commands.add_parser(
        "build", help="build the report site",
        description="Build the report site: from mkdocs.yml when the folder has one (the same as "
        "`mkdocs build` with the journal plugin), else with the settings of journal.yml. Entries with errors stop the build with their messages, unless "
        "--lenient is given: then they are listed on a Data problems page and left out of the "
        "figures. Any reference to another website in the output also stops the build.",
    )
    _add_site_options(build)
    build.add_argument("--site-dir", metavar="DIR", type=Path, help="where to write the site (default: site_dir in mkdocs.yml, usually site)")

    serve = commands.add_parser(
        "serve", help="preview the report, rebuilt when an entry changes",
        description="Serve the report on this computer only and rebuild it when an entry or a "
        "template changes. Open the address it prints in your browser; stop with Ctrl+C. "
        "Entries with errors never stop the preview: until they are fixed they are left out, "
        "and listed at the top of every page, on the Data problems page and here.",
    )
    _add_site_options(serve, lenient_help="accepted for the same command line as build; a preview is always lenient")
    # --dev-addr as well: the name `mkdocs serve` gives it, which a person used to MkDocs types
    serve.add_argument("--address", "--dev-addr", dest="address", metavar="HOST:PORT", default="127.0.0.1:8000",
                       help="where to serve (default: 127.0.0.1:8000, this computer only); --dev-addr is the same")
    export = commands.add_parser(
        "export", help="make one zip to hand to a prescriber",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Write one zip file to give to a prescriber, for example a new one when you switch
providers. It holds:
  summary.html       a printable summary (dosing history, trends, scores, what is
                     missing) that opens in any browser without a network
  site/              your whole report, to read from disk (open site/index.html)
  data/sessions.csv  one row per session; data/README.txt explains the columns
  data/entries/      copies of your entry files without the fields left out
  data/fhir-bundle.json  the same sessions and scores for a clinic's record system
  manifest.json      every file with its SHA-256, to check nothing was changed
With --encrypt, a second file is written beside the zip (the zip is still written):
journal-export-FIRST-to-LAST.sealed.html, the summary and the whole zip locked with a
passphrase. It opens in any current browser from disk. Send the file one way and
the passphrase another (read it out on the phone, a text message).
Private notes are never exported; notes only with --include-notes. Entries with
errors stop the export with their messages: fix them first (journal check).
The same journal and options always give the same zip, byte for byte.""",
    )
    export.add_argument("--out", metavar="PATH", type=Path,
                        help="the zip to write (a path ending in .zip), or the folder to write it in (default: "
                        "journal-export-FIRST-to-LAST.zip in the current folder, named after the sessions' dates)")
    export.add_argument("--since", metavar="DATE", help="export only the sessions on or after DATE (2026-06-01); "
                        "the summary says that earlier ones were left out")
    export.add_argument("--include-notes", action="store_true",
                        help="include your notes (never your private notes)")
    export.add_argument("--entries", metavar="DIR", type=Path,
                        help="the folder that holds the entry files (default: entries in mkdocs.yml)")
    export.add_argument("--encrypt", action="store_true",
                        help="also write FILE.sealed.html beside the zip: the summary and the zip, encrypted with a "
                        "passphrase (by default one is made for you and printed once; it is never saved)")
    export.add_argument("--passphrase-file", metavar="FILE", type=Path,
                        help="with --encrypt: use the first line of FILE as the passphrase")
    export.add_argument("--ask-passphrase", action="store_true",
                        help="with --encrypt: type the passphrase yourself, twice, at a prompt")
    export.add_argument("-f", "--config-file", metavar="FILE", type=Path, default=DEFAULT_CONFIG, help=CONFIG_HELP)
    export.add_argument("--today", metavar="DATE", help=f"treat DATE as today (default: the {TODAY_VARIABLE} environment variable, else the real date)")
    export.set_defaults(lenient=False)  # an export is a record: invalid entries always stop it
    for command in commands.choices.values():  # `journal check --debug` as well as `journal --debug check`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback if something unexpected fails")
    return parser


def _config_source(config_file: Path, entries: Path | None = None) -> str | ConfigSource:
    """What the site commands load: the given mkdocs.yml; without one, in a journal folder
    (entries/ here, or --entries), the built-in configuration (generator/defaults.py)."""
    from .defaults import ConfigSource

    if config_file.is_file():
        return str(config_file)
    if config_file != DEFAULT_CONFIG:
        raise ValueError(f"{config_file} not found; pass -f with an existing file, or leave -f out to use the built-in configuration")
    folder = Path.cwd()
    if entries is None and not configured_entries(config_file).is_dir():
        raise ValueError(
            "there is no journal here: no mkdocs.yml and no entries/ folder. Run this in your journal "
            "folder, pass --entries DIR, or start a journal with `journal init`"
        )
    return ConfigSource(folder, entries)


def _config_name(source: str | ConfigSource) -> str:
    if isinstance(source, str):
        return source
    return "journal.yml" if source.name else "the built-in configuration"


def _add_site_options(
    parser: argparse.ArgumentParser,
    lenient_help: str = "build even when entries have errors; they are shown on a Data problems page",
) -> None:
    parser.add_argument("-f", "--config-file", metavar="FILE", type=Path, default=DEFAULT_CONFIG, help=CONFIG_HELP)
    parser.add_argument("--entries", metavar="DIR", type=Path, help="the folder that holds the entry files (default: "
                        "the journal plugin's `entries`, else entries)")
    parser.add_argument("--lenient", action="store_true", help=lenient_help)
    parser.add_argument("--today", metavar="DATE", help=f"treat DATE as today (default: the {TODAY_VARIABLE} environment variable, else the real date)")


def _load_site_config(args: argparse.Namespace, show_warnings: bool = True, **overrides: Any) -> MkDocsConfig:
    import logging

    from mkdocs.config import load_config  # only the site commands need MkDocs
    from mkdocs.exceptions import MkDocsException

    entries = getattr(args, "entries", None)
    source = _config_source(args.config_file, entries)
    # MkDocs logs each problem of the file, then raises "Aborted with a configuration
    # error!": the problems are kept to make the one line that says what is wrong.
    messages: list[logging.LogRecord] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record)

    collector = Collector(logging.WARNING)
    logger = logging.getLogger("mkdocs.config")
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        config = load_config(source, **overrides)
    except MkDocsException as error:
        lines = [r.getMessage() for r in messages]
        if isinstance(source, str):
            raise ValueError(_config_problem(args.config_file, error, lines)) from None
        hint = ""
        if any("isn't an existing directory" in line for line in lines):
            hint = "\nCreate the folder it names (it may stay empty), or change the setting."
        raise ValueError(f"{_config_name(source)} cannot be used:\n" + "\n".join(_plainer(line) for line in lines or [str(error)]) + hint) from None
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
    for record in messages if show_warnings else ():  # warnings of a file that loaded: shown as MkDocs shows them
        logging.getLogger(record.name).handle(record)
    plugin = config.plugins.get("journal")
    if plugin is None:
        raise ValueError(f"{args.config_file} does not enable the journal plugin (add `- journal` under plugins)")
    return config


def _build_request(args: argparse.Namespace) -> BuildRequest:
    """What the command line asks of a build beyond mkdocs.yml (plugin.BuildRequest)."""
    from .plugin import BuildRequest

    entries = getattr(args, "entries", None)
    return BuildRequest(
        today=resolve_today(args.today) if args.today else None,  # a clear message for a bad date
        lenient=args.lenient,
        entries=Path(os.path.abspath(entries)) if entries is not None else None,  # --entries wins over mkdocs.yml
    )


def _config_problem(config_file: Path, error: Exception, messages: list[str]) -> str:
    """What is wrong with mkdocs.yml (or a file it inherits), in one line, located."""
    import yaml

    cause = error.__context__
    if isinstance(cause, yaml.MarkedYAMLError) and cause.problem_mark is not None:
        mark = cause.problem_mark
        where = display_path(Path(mark.name)) if mark.name and not mark.name.startswith("<") else str(config_file)
        what = " ".join(str(cause.problem or cause.context or "").split())
        return f"{where}:{mark.line + 1}:{mark.column + 1}: {what} (this file is not valid YAML)"
    try:
        text = config_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = "x"
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return f"{config_file} is empty; it needs at least a site_name and the journal plugin (plugins: [journal])"
    problems = [_plainer(m) for m in messages] or [" ".join(str(error).split())]
    hint = ""
    if any("isn't an existing directory" in m for m in problems):
        hint = "; create the folder it names (it may stay empty), or change the setting"
    return f"{config_file}: {'; '.join(problems)}{hint}"


def _plainer(message: str) -> str:
    """MkDocs' "Config value 'plugins': Plugin 'journal' option 'window': Expected type:
    <class 'int'> ..." as "journal plugin option 'window': expected type: int ..."."""
    import re

    message = re.sub(r"^Config value 'plugins': Plugin '([^']+)' option", r"\1 plugin option", message)
    message = re.sub(r"(?m)^Plugin '([^']+)' option", r"\1 plugin option", message)  # its next problems
    message = "; ".join(message.removeprefix("Config value ").splitlines())
    return re.sub(r"<class '(\w+)'>", r"\1", message)


@contextlib.contextmanager
def _mkdocs_messages(progress: bool = False) -> Iterator[None]:
    """Show MkDocs' warnings and errors (which carry the journal's messages) on stderr; with
    `progress`, its progress too (`journal serve`: the address it serves on, each rebuild)."""
    import logging  # here and in main(), not at the top: `journal check` has no use for it

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.setLevel(logging.INFO if progress else logging.WARNING)
    # MkDocs logs the page it was at before passing an OSError on (a full disk, say);
    # the command says it once, in one line (output.OutputError).
    handler.addFilter(lambda record: not (
        record.name == "mkdocs.commands.build" and record.levelno >= logging.ERROR and isinstance(sys.exc_info()[1], OSError)
    ))
    # "generator.site": the plugin's warnings that must not stop a strict build
    loggers = [logging.getLogger("mkdocs"), logging.getLogger("generator.site")]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        for logger, level in zip(loggers, previous):
            logger.removeHandler(handler)
            logger.setLevel(level)


def _command_build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from .plugin import build_site

    overrides: dict[str, Any] = {"strict": True}
    if args.site_dir:
        overrides["site_dir"] = str(args.site_dir.resolve())
    with _mkdocs_messages():
        config = _load_site_config(args, **overrides)
        request = _build_request(args)
        target = check_output(Path(config.site_dir), request.entries or _entries_folder(config),
                              "--site-dir" if args.site_dir else "site_dir in mkdocs.yml or --site-dir")
        built = []

        def write(folder: Path) -> None:
            config.site_dir = str(folder)
            built.append(build_site(config, request))

        try:
            # Built beside the old site and swapped in at the end: an interrupted
            # build leaves the previous report as it was.
            with writing_output(target, "journal build", folder=True):
                replace_directory(target, write)
        except MkDocsException:
            print("journal build: the report was not built; see the messages above.", file=sys.stderr)
            return 1
        except OutputError as error:
            print(f"journal build: {error}", file=sys.stderr)
            return 1
    journal = built[0].journal
    if journal.errors:
        # A lenient build: say what was left out, not only on the Data problems page.
        for problem in journal.errors:
            print(problem, file=sys.stderr)
        count = len(journal.sources_with_errors)
        print(
            f"{count} {'entry file has' if count == 1 else 'entry files have'} errors and "
            f"{'was' if count == 1 else 'were'} left out of the report; see its Data problems page.",
            file=sys.stderr,
        )
    print(f"The report is in {target}; open {target / 'index.html'} in a browser.")
    return 0


def _entries_folder(config: MkDocsConfig) -> Path:
    entries: str = config.plugins["journal"].config.entries
    return (Path(config.config_file_path).resolve().parent / entries).resolve()


def _is_inside_folder(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def _serve_address(text: str) -> tuple[str, int]:
    """--address HOST:PORT as MkDocs takes it (an IP address or localhost), checked here so
    that a wrong one is a plain message, not a failure half way through starting."""
    import ipaddress

    host, _, port_text = text.rpartition(":")
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    hint = "; for example --address 127.0.0.1:8001"
    if bare != "localhost":
        try:
            bare = str(ipaddress.ip_address(bare))
        except ValueError:
            raise ValueError(f"--address {text!r}: write an IP address (or localhost), a colon and a port{hint}") from None
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"--address {text!r}: the port must be a number from 1 to 65535{hint}")
    return bare, int(port_text)


def _address_problem(host: str, port: int, error: OSError) -> str | None:
    """A plain sentence for an address that cannot be served on; None for other failures."""
    import errno

    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    other = f"--address {shown.rsplit(':', 1)[0]}:{8001 if port != 8001 else 8002}"
    if error.errno == errno.EADDRINUSE:
        return f"{shown} is already in use (by another journal serve, or another program); choose another port, for example {other}"
    if error.errno == errno.EACCES:
        return f"this user may not serve on {shown} (ports below 1024 are reserved); choose another port, for example {other}"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{shown} is not an address of this computer; leave out --address to serve on 127.0.0.1:8000"
    return None


def _can_serve_on(host: str, port: int) -> None:
    """Binds and lets go of the address before the first build (which takes a while), the
    way MkDocs' server will, so that a busy port is said at once."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server does
            probe.bind((host, port))
    except OSError as error:
        problem = _address_problem(host, port, error)
        if problem is None:
            raise
        raise ValueError(problem) from None


def _command_serve(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from .plugin import serve_site

    host, port = _serve_address(args.address)
    # checks the file and the options before serving; MkDocs shows the warnings as it starts
    _load_site_config(args, show_warnings=False, dev_addr=args.address)
    # MkDocs loads mkdocs.yml anew on every rebuild: the request goes with the command, for
    # as long as it serves. A preview is always lenient (the plugin's rule), --lenient or not.
    request = _build_request(args)
    _can_serve_on(host, port)
    if not is_loopback(host):
        print(f"journal serve: warning: serving on {args.address}, so others on your network can read your report, "
              "private notes included; leave out --address to keep it on this computer", file=sys.stderr)
    try:
        with _mkdocs_messages(progress=True):
            serve_site(_config_source(args.config_file, args.entries), request, dev_addr=args.address)
    except MkDocsException as error:
        print(f"journal serve: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # taken between the check above and the server starting
        problem = _address_problem(host, port, error)
        if problem is None:
            raise
        print(f"journal serve: {problem}", file=sys.stderr)
        return 1
    return 0


def _command_new(args: argparse.Namespace) -> int:
    today = resolve_today(args.today)
    when: dt.date | dt.datetime = today
    if args.date:
        try:
            when = parse_session_date(args.date)
        except Exception as error:  # pydantic's error, whose type says what is wrong
            if getattr(error, "type", None) == "session_date_range":
                print(f"journal new: --date {args.date!r} is outside the dates the journal accepts ({DATE_RANGE})", file=sys.stderr)
            else:
                print(f"journal new: --date {args.date!r} is not a date; write 2026-04-02 or '2026-04-02 18:30'", file=sys.stderr)
            return 2
        day = when.date() if isinstance(when, dt.datetime) else when
        if day > today:  # `journal check` would refuse it until that day: say so now
            print(f"journal new: --date {args.date!r} is after today ({today.isoformat()}); an entry is written "
                  "after its session: run `journal new` on the day (a session later today is fine)", file=sys.stderr)
            return 2
    path = create_entry(args.entries or configured_entries(), when, today=today)
    print(path)  # alone on stdout, for scripts: `$EDITOR "$(journal new)"`
    written = _written_date(path, when)
    day = when.date() if isinstance(when, dt.datetime) else when
    if path.name != f"{day.isoformat()}.yaml" and not isinstance(when, dt.datetime):
        # a second session on the day: the two need times to be told apart
        other = path.with_name(f"{day.isoformat()}.yaml").name
        if isinstance(written, dt.datetime):
            print(f"journal new: {other} is also on {day.isoformat()}, so this entry was given the time "
                  f"{written.strftime('%H:%M')} (now): change it to the session's time", file=sys.stderr)
        else:
            print(f"journal new: {other} is also on {day.isoformat()}: add this session's time to its date "
                  f"(date: {day.isoformat()} 18:30), and the other session's to its own, so that the two are "
                  "told apart", file=sys.stderr)
    _print_schedule(path, written)
    return 0


def _written_date(path: Path, asked: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """The date line of the entry as written (a time may have been added to it)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("date:"):
            with contextlib.suppress(Exception):
                written = parse_session_date(line[len("date:"):].split("#", 1)[0].strip())
                if isinstance(written, dt.date):
                    return written
    return asked


def _print_schedule(path: Path, when: dt.date | dt.datetime) -> None:
    """When each follow-up of a new entry is due (on stderr, beside the path on stdout)."""
    from .entries import Entry
    from .reminders import schedule_lines

    entry = Entry.model_validate({"date": when, "dose_mg": 1})  # only the date matters here
    print("Follow-ups to fill in, in the same file:", *schedule_lines(entry), sep="\n", file=sys.stderr)


def _command_init(args: argparse.Namespace) -> int:
    from .init import init_journal

    if args.directory.exists() and not args.directory.is_dir():
        raise ValueError(f"{args.directory} is a file; give a folder (a new one is made)")
    result = init_journal(args.directory, resolve_today(args.today))
    here = Path.cwd().resolve()
    shown = os.path.relpath(result.folder, here) if _is_inside_folder(result.folder, here) else str(result.folder)
    if result.created:
        print(f"{'Started a journal' if result.first_entry else 'Added to the journal'} in {shown}:")
    else:
        print(f"The journal in {shown} has everything already; nothing was added.")
    for name in result.created:
        print(f"  created  {name}")
    for name in result.kept:
        print(f"  kept     {name} (already there, not changed)")
    for note in result.notes:
        print(f"Note: {note}")
    if result.first_entry is not None:
        entry = os.path.relpath(result.first_entry, result.folder)
        moves = "" if shown == "." else f"cd {shown}, then "
        print(f"Next: {moves}fill in {entry} (the dose at least), then run `journal check` and `journal build`.")
    return 0


def _command_check(args: argparse.Namespace) -> int:
    # The cycle collector stays paused until the report is written and the journal let go
    # (when _report returns): once on again, it would go through every object of thousands
    # of entries just read, only to find nothing to collect.
    with collector_paused():
        return _report(args)


def _report(args: argparse.Namespace) -> int:
    from .init import schema_line_problems

    try:
        providers = configured_providers()
    except ValueError as error:
        print(f"journal check: mkdocs.yml, journal plugin: {error}", file=sys.stderr)
        return 2
    folder = args.entries or configured_entries()
    # the bytes kept for the schema-line warnings: each entry file is read once
    journal = load_journal(folder, resolve_today(args.today), providers=providers, keep_originals=True)
    if folder.is_dir():  # entries whose editor schema line leads nowhere
        journal.problems.extend(schema_line_problems(folder, read=journal.originals, files=journal.files))
        journal.problems.sort(key=lambda p: (p.source, p.line, p.column, p.severity, p.message))
    if args.format == "json":
        payload = {
            "entries": journal.files_read,
            "valid_entries": len(journal.entries),
            "errors": [p.to_json() for p in journal.errors],
            "warnings": [p.to_json() for p in journal.warnings],
            "summary": journal.summary(),
        }
        print(json.dumps(payload, indent=2))
    else:
        lines = [str(problem) for problem in journal.problems]
        lines.append(journal.summary())
        text = "\n".join(lines) + "\n"
        try:
            sys.stdout.write(text)  # one write for thousands of lines
        except UnicodeEncodeError:  # an output main() could not set to escape what it cannot show
            encoding = getattr(sys.stdout, "encoding", None) or "ascii"
            sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
    return 1 if journal.errors else 0


def _command_export(args: argparse.Namespace) -> int:
    import signal

    from mkdocs.exceptions import MkDocsException

    from .cache import FOLDER_NAME
    from .export import ExportOptions, ExportStopped, export_journal
    from .plugin import build_provider_site, patient_details, trend_settings

    today = resolve_today(args.today)
    # before anything is built: a passphrase that cannot be had stops the export at once
    passphrase, made = _export_passphrase(args)
    since = None
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since.strip())
        except ValueError:
            raise ValueError(f"--since {args.since!r} is not a date; write it like 2026-06-01") from None
        if not date_in_range(since):
            raise ValueError(f"--since {args.since!r} is outside the dates the journal accepts ({DATE_RANGE})")

    def stop(signum: int, frame: FrameType | None) -> NoReturn:  # `kill`: stop like Ctrl+C, so the half-made files are removed
        raise KeyboardInterrupt

    try:
        previous_handler = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        previous_handler = None
    try:
        with _mkdocs_messages():
            config = _load_site_config(args)
            plugin = config.plugins["journal"]
            entries = Path(os.path.abspath(args.entries)) if args.entries else _entries_folder(config)
            templates = plugin.config.templates
            options = ExportOptions(
                entries_dir=entries, today=today, since=since, include_notes=args.include_notes,
                settings=trend_settings(plugin.config), site_name=config.site_name, patient=patient_details(plugin.config.patient),
                templates_dir=(Path(config.config_file_path).resolve().parent / templates).resolve() if templates else None,
                chart_cache=Path(config.config_file_path).resolve().parent / FOLDER_NAME,
            )
            result = export_journal(options, args.out, lambda folder, report: build_provider_site(config, folder, report))
    except ExportStopped as stopped:
        print(f"journal export: {stopped}", file=sys.stderr)
        for line in stopped.details:
            print(line, file=sys.stderr)
        print("Nothing was exported.", file=sys.stderr)
        return 1
    except MkDocsException:
        print("journal export: the report could not be built; see the messages above. Nothing was exported.", file=sys.stderr)
        return 1
    except OutputError as error:
        print(f"journal export: {error}", file=sys.stderr)
        return 1
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)

    sealed = None
    if passphrase is not None:
        from .sealed import write_sealed

        try:
            sealed = write_sealed(result.path, passphrase)
        except (OutputError, OSError) as error:
            print(f"journal export: the zip was written, but the encrypted file could not be: {error}", file=sys.stderr)
            return 1
    shown = os.path.relpath(result.path) if _is_inside_folder(result.path, Path.cwd().resolve()) else str(result.path)
    count = "1 session" if result.sessions == 1 else f"{result.sessions} sessions"
    print(f"Exported {count} ({result.first.isoformat()} to {result.last.isoformat()}) into {shown}")
    print("Inside: summary.html (start there), site/index.html (the whole report), data/sessions.csv, "
          "data/entries/, data/fhir-bundle.json (for a clinic's record system), manifest.json (every file's SHA-256).")
    left_out = ["private notes (always)"]
    if not args.include_notes:
        left_out.append("notes (add --include-notes to include them)")
    if result.left_out and since is not None:  # only --since leaves sessions out
        left_out.append(f"{len(result.left_out)} {'session' if len(result.left_out) == 1 else 'sessions'} before {since.isoformat()} (--since)")
    if result.own_files_left_out:
        left_out.append(f"pages you added yourself: {', '.join(result.own_files_left_out)}")
    print(f"Left out on purpose: {'; '.join(left_out)}.")
    print(f"SHA-256 of the zip: {result.sha256}")
    print(f"Size of the zip: {_size_text(result.path.stat().st_size)}")
    if sealed is None:
        from .sealed import sealed_path

        earlier = sealed_path(result.path)
        if earlier.exists():  # from an earlier --encrypt: it does not hold this export
            print(f"Note: {earlier.name} beside the zip is from an earlier export and was left as it was; "
                  "it does not hold this one. Add --encrypt to replace it.")
    else:
        shown = os.path.relpath(sealed) if _is_inside_folder(sealed, Path.cwd().resolve()) else str(sealed)
        print(f"Encrypted copy: {shown} (the summary and the whole zip; opens in any browser with the passphrase).")
        if made:
            from .sealed import PASSPHRASE_BITS

            print(f"Passphrase (shown only now, never saved; {PASSPHRASE_BITS:.0f} bits): {passphrase}")
        print("Send the file and the passphrase by different ways: the file by email or upload, the passphrase "
              "read out on the phone or in a text message, never in the same message as the file.")
    return 0


def _export_passphrase(args: argparse.Namespace) -> tuple[str | None, bool]:
    """The passphrase for --encrypt (None without it), and whether it was made here."""
    if not args.encrypt:
        if args.passphrase_file or args.ask_passphrase:
            raise ValueError("--passphrase-file and --ask-passphrase go with --encrypt")
        return None, False
    from .sealed import check_passphrase, generate_passphrase

    if args.passphrase_file and args.ask_passphrase:
        raise ValueError("give either --passphrase-file or --ask-passphrase, not both")
    if args.passphrase_file:
        try:
            text = args.passphrase_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"--passphrase-file {str(args.passphrase_file)!r} could not be read ({error})") from None
        lines = text.splitlines()
        passphrase = lines[0].strip() if lines else ""
        check_passphrase(passphrase)
        return passphrase, False
    if args.ask_passphrase:
        import getpass

        if not sys.stdin.isatty():
            raise ValueError("--ask-passphrase needs a terminal to type in; use --passphrase-file instead")
        first = getpass.getpass("Passphrase for the encrypted file: ")
        check_passphrase(first)
        if getpass.getpass("The same passphrase again: ") != first:
            raise ValueError("the two passphrases differ; nothing was exported")
        return first, False
    return generate_passphrase(), True


def _size_text(size: int) -> str:
    """A file's size as a person reads it: 1.8 MB, 420 KB."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


COMMANDS = {"init": _command_init, "new": _command_new, "check": _command_check, "build": _command_build, "serve": _command_serve, "export": _command_export}


STOPPED = {  # what a Ctrl+C leaves, for each command
    "build": "nothing was changed",
    "export": "nothing was exported",
    "check": "nothing was changed",
    "new": "",
    "serve": "nothing was changed",
}


def _show_any_character() -> None:
    """A terminal that cannot show a character (an ASCII-only Windows console) gets it
    written as \\xe9 instead of the command stopping there and losing every line after it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):
                reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _show_any_character()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    if args.debug:  # e.g. the traceback behind "could not be read because of an unexpected problem"
        import logging

        debug_log, previous_level = logging.getLogger("generator"), logging.getLogger("generator").level
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        debug_log.addHandler(handler)
        debug_log.setLevel(logging.DEBUG)
    try:
        return COMMANDS[args.command](args)
    except ValueError as error:  # bad option values, said plainly
        print(f"journal {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        left = STOPPED[args.command]
        print(f"journal {args.command}: stopped (Ctrl+C){'; ' + left if left else ''}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and cut short: not a failure
        sys.stderr.close()
        return 0
    except Exception as error:  # the last resort: one line, never a wall of traceback
        if args.debug:
            import traceback

            traceback.print_exc()
        else:
            print(
                f"journal {args.command}: unexpected failure ({type(error).__name__}: {one_line(clip(str(error), 200))}). "
                "Nothing was changed. Run again with --debug for details, and please report it.",
                file=sys.stderr,
            )
        return 3
    finally:
        if args.debug:
            debug_log.removeHandler(handler)
            debug_log.setLevel(previous_level)


if __name__ == "__main__":
    sys.exit(main())
