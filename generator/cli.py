"""The `journal` command."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path

from . import __version__
from .entries import parse_session_date
from .journal import LENIENT_VARIABLE, TODAY_VARIABLE, collector_paused, create_entry, load_journal, resolve_today
from .problems import one_line
from .reading import clip
from .output import replace_directory

DESCRIPTION = """\
Keep a ketamine treatment journal (one YAML file per session) and turn it into a
private report for you and your prescriber. Nothing here is medical advice: the
report shows your own data to prepare a conversation with your prescriber."""

EPILOG = """\
examples:
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
    import yaml

    try:
        text = config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return Path("entries")

    class _Loader(yaml.SafeLoader):
        pass

    def environment(loader: yaml.SafeLoader, node: yaml.Node) -> object:
        """MkDocs' `!ENV NAME` and `!ENV [NAME, OTHER, default]`: the first variable set."""
        names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
        default = names.pop() if len(names) > 1 else None
        return next((os.environ[n] for n in names if isinstance(n, str) and n in os.environ), default)

    # mkdocs.yml may hold other tags, such as !!python/name:; not needed here, never run
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    _Loader.add_constructor("!ENV", environment)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        return Path("entries")  # the build will say what is wrong with the file
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        options = plugins.get("journal")
    elif isinstance(plugins, list):
        options = next((p["journal"] for p in plugins if isinstance(p, dict) and "journal" in p), None)
    else:
        options = None
    entries = options.get("entries") if isinstance(options, dict) else None
    if isinstance(entries, str) and entries.strip():
        return config_file.parent / entries
    return Path("entries")


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
                     "(2026-04-02 or '2026-04-02 18:30'; default: today)")

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
        description="Build the report site from mkdocs.yml (the same as `mkdocs build` with "
        "the journal plugin). Entries with errors stop the build with their messages, unless "
        "--lenient is given: then they are listed on a Data problems page and left out of the "
        "figures. Any reference to another website in the output also stops the build.",
    )
    _add_site_options(build)
    build.add_argument("--site-dir", metavar="DIR", type=Path, help="where to write the site (default: site_dir in mkdocs.yml, usually site)")

    serve = commands.add_parser(
        "serve", help="preview the report, rebuilt when an entry changes",
        description="Serve the report on this computer only and rebuild it when an entry or a "
        "template changes. Open the address it prints in your browser; stop with Ctrl+C.",
    )
    _add_site_options(serve)
    serve.add_argument("--address", metavar="HOST:PORT", default="127.0.0.1:8000", help="where to serve (default: 127.0.0.1:8000, this computer only)")
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
  manifest.json      every file with its SHA-256, to check nothing was changed
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
    export.add_argument("-f", "--config-file", metavar="FILE", type=Path, default=Path("mkdocs.yml"),
                        help="the site configuration (default: mkdocs.yml)")
    export.add_argument("--today", metavar="DATE", help=f"treat DATE as today (default: the {TODAY_VARIABLE} environment variable, else the real date)")
    export.set_defaults(lenient=False)  # an export is a record: invalid entries always stop it
    for command in commands.choices.values():  # `journal check --debug` as well as `journal --debug check`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback if something unexpected fails")
    return parser


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--config-file", metavar="FILE", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)")
    parser.add_argument("--lenient", action="store_true", help="build even when entries have errors; they are shown on a Data problems page")
    parser.add_argument("--today", metavar="DATE", help=f"treat DATE as today (default: the {TODAY_VARIABLE} environment variable, else the real date)")


def _load_site_config(args: argparse.Namespace, **overrides):
    from mkdocs.config import load_config  # only the site commands need MkDocs

    if not args.config_file.is_file():
        raise ValueError(f"{args.config_file} not found; run this in the folder that holds mkdocs.yml, or pass -f FILE")
    config = load_config(str(args.config_file), **overrides)
    plugin = config.plugins.get("journal")
    if plugin is None:
        raise ValueError(f"{args.config_file} does not enable the journal plugin (add `- journal` under plugins)")
    if args.lenient:
        plugin.config.strict = False
    if args.today:
        resolve_today(args.today)  # a clear message for a bad date
        plugin.config.today = args.today
    return config


@contextlib.contextmanager
def _mkdocs_messages(progress: bool = False):
    """Show MkDocs' warnings and errors (which carry the journal's messages) on stderr; with
    `progress`, its progress too (`journal serve`: the address it serves on, each rebuild)."""
    import logging  # here and in main(), not at the top: `journal check` has no use for it

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.setLevel(logging.INFO if progress else logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _command_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    overrides = {"strict": True}
    if args.site_dir:
        overrides["site_dir"] = str(args.site_dir.resolve())
    with _mkdocs_messages():
        config = _load_site_config(args, **overrides)
        target = Path(config.site_dir)
        if _is_inside_folder(target, _entries_folder(config)):
            raise ValueError(f"the site folder {target} is inside the entries folder; choose another --site-dir")

        def write(folder: Path) -> None:
            config.site_dir = str(folder)
            build(config)

        try:
            # Built beside the old site and swapped in at the end: an interrupted
            # build leaves the previous report as it was.
            replace_directory(target, write)
        except MkDocsException:
            print("journal build: the report was not built; see the messages above.", file=sys.stderr)
            return 1
    journal = getattr(config.plugins["journal"], "journal", None)
    if journal is not None and journal.errors:
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


def _entries_folder(config) -> Path:
    plugin = config.plugins["journal"].config
    return (Path(config.config_file_path).resolve().parent / plugin.entries).resolve()


def _is_inside_folder(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def _command_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    _load_site_config(args)  # checks the file and the options before serving
    # serve() reloads mkdocs.yml on every rebuild, so the choices travel as variables
    # that the plugin reads.
    if args.today:
        os.environ[TODAY_VARIABLE] = args.today
    if args.lenient:
        os.environ[LENIENT_VARIABLE] = "1"
    try:
        with _mkdocs_messages(progress=True):
            serve(str(args.config_file), dev_addr=args.address)
    except MkDocsException as error:
        print(f"journal serve: {error}", file=sys.stderr)
        return 1
    return 0


def _command_new(args: argparse.Namespace) -> int:
    today = resolve_today(args.today)
    when: dt.date | dt.datetime = today
    if args.date:
        try:
            when = parse_session_date(args.date)
        except Exception:
            print(f"journal new: --date {args.date!r} is not a date; write 2026-04-02 or '2026-04-02 18:30'", file=sys.stderr)
            return 2
    path = create_entry(args.entries or configured_entries(), when)
    print(path)
    return 0


def _command_check(args: argparse.Namespace) -> int:
    # The cycle collector stays paused until the report is written and the journal let go
    # (when _report returns): once on again, it would go through every object of thousands
    # of entries just read, only to find nothing to collect.
    with collector_paused():
        return _report(args)


def _report(args: argparse.Namespace) -> int:
    journal = load_journal(args.entries or configured_entries(), resolve_today(args.today))
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
        try:
            sys.stdout.write("\n".join(lines) + "\n")  # one write for thousands of lines
        except UnicodeEncodeError:
            # nothing was written: one line at a time, as the lines before the one that
            # cannot be shown in this terminal's encoding are then still shown
            for line in lines:
                print(line)
    return 1 if journal.errors else 0


def _command_export(args: argparse.Namespace) -> int:
    import signal

    from mkdocs.exceptions import MkDocsException

    from .export import ExportOptions, ExportStopped, export_journal
    from .plugin import build_provider_site, patient_details, trend_settings

    today = resolve_today(args.today)
    since = None
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since.strip())
        except ValueError:
            raise ValueError(f"--since {args.since!r} is not a date; write it like 2026-06-01") from None

    def stop(signum, frame):  # `kill`: stop like Ctrl+C, so the half-made files are removed
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
            )
            result = export_journal(options, args.out, lambda folder, chosen: build_provider_site(config, folder, chosen))
    except ExportStopped as stopped:
        print(f"journal export: {stopped}", file=sys.stderr)
        for line in stopped.details:
            print(line, file=sys.stderr)
        print("Nothing was exported.", file=sys.stderr)
        return 1
    except MkDocsException:
        print("journal export: the report could not be built; see the messages above. Nothing was exported.", file=sys.stderr)
        return 1
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)

    shown = os.path.relpath(result.path) if _is_inside_folder(result.path, Path.cwd().resolve()) else str(result.path)
    count = "1 session" if result.sessions == 1 else f"{result.sessions} sessions"
    print(f"Exported {count} ({result.first.isoformat()} to {result.last.isoformat()}) into {shown}")
    print("Inside: summary.html (start there), site/index.html (the whole report), data/sessions.csv, "
          "data/entries/, manifest.json (every file's SHA-256).")
    left_out = ["private notes (always)"]
    if not args.include_notes:
        left_out.append("notes (add --include-notes to include them)")
    if result.left_out:
        left_out.append(f"{len(result.left_out)} {'session' if len(result.left_out) == 1 else 'sessions'} before {since.isoformat()} (--since)")
    if result.own_files_left_out:
        left_out.append(f"pages you added yourself: {', '.join(result.own_files_left_out)}")
    print(f"Left out on purpose: {'; '.join(left_out)}.")
    print(f"SHA-256 of the zip: {result.sha256}")
    return 0


COMMANDS = {"new": _command_new, "check": _command_check, "build": _command_build, "serve": _command_serve, "export": _command_export}


def main(argv: list[str] | None = None) -> int:
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
