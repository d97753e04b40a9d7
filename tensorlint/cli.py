"""The `tensorlint` command: check, rule, clean, server, shapecheck.

Exit status of `check`: 0 nothing found, 1 findings (or, with `--diff`, changes to make),
2 a usage, configuration or internal error. Heavy modules (libcst, the interpreter) load only
when a file is actually analyzed, so `--version`, `rule` and fully cached runs stay quick.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__

COMMANDS = ("check", "rule", "clean", "version", "server", "shapecheck")
# front ends with their own argument parsers: `tensorlint server ...` = `python -m tensorlint.server ...`
DELEGATED = {"server", "shapecheck"}


class UsageError(Exception):
    """Bad command-line input: reported on one line, exit status 2."""


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .report import FORMATS

    parser = argparse.ArgumentParser(
        prog="tensorlint",
        description="Find the bugs that break PyTorch and TensorFlow/Keras training, before the code runs.",
    )
    parser.add_argument("--version", action="version", version=f"tensorlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check files and folders (the default command)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; '-' reads standard input (default: .)")
    sel = check.add_argument_group("rule selection")
    sel.add_argument("--select", action="append", type=_codes, metavar="CODES",
                     help="only these codes or prefixes (comma separated; ALL includes opt-in rules)")
    sel.add_argument("--ignore", action="append", type=_codes, metavar="CODES", help="codes or prefixes to leave out")
    sel.add_argument("--extend-select", action="append", type=_codes, metavar="CODES",
                     help="codes or prefixes to add to the selection")
    out = check.add_argument_group("output")
    out.add_argument("--output-format", "--format", dest="format", choices=FORMATS, default="concise")
    out.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of standard output")
    out.add_argument("-q", "--quiet", action="store_true", help="print the findings and nothing else")
    out.add_argument("-s", "--silent", action="store_true", help="print nothing; only the exit status tells")
    out.add_argument("--statistics", action="store_true", help="count findings per code instead of listing them")
    out.add_argument("--show-fixes", action="store_true", help="list the findings that were fixed")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    fix = check.add_argument_group("fixes")
    fix.add_argument("--fix", action="store_true", help="apply safe fixes")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply (or offer) unsafe fixes")
    fix.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and change nothing")
    files = check.add_argument_group("files and configuration")
    files.add_argument("--config", metavar="PATH", help="use this pyproject.toml or tensorlint.toml for every file")
    files.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    files.add_argument("--stdin-filename", metavar="NAME", help="the name of the file read from standard input")
    files.add_argument("--exclude", action="append", type=_codes, metavar="GLOBS", help="replace the excluded globs")
    files.add_argument("--extend-exclude", action="append", type=_codes, metavar="GLOBS", help="exclude these globs too")
    files.add_argument("--force-exclude", action="store_true", help="apply exclusions to files named on the command line")
    files.add_argument("--no-respect-gitignore", action="store_true", help="also check files that .gitignore ignores")
    files.add_argument("--no-cache", action="store_true", help="neither read nor write the results cache")
    files.add_argument("--cache-dir", metavar="DIR", help="where the results cache lives (default .tensorlint_cache)")
    files.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N", help="worker processes (default: all cores)")

    rule = sub.add_parser("rule", help="show a rule's documentation, or list all rules")
    rule.add_argument("code", nargs="?", help="a rule code (TL201) or name")
    rule.add_argument("--all", action="store_true", help="list every rule")
    rule.add_argument("--output-format", "--format", dest="format", choices=("text", "json"), default="text")

    sub.add_parser("clean", help="remove the results caches under the current folder")
    sub.add_parser("version", help="print the version")
    sub.add_parser("server", help="start the language server (stdio; --tcp HOST:PORT)", add_help=False)
    sub.add_parser("shapecheck", help="run a model in the file for one step with dummy inputs", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    as_program = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"] or argv == ["-V"] or argv == ["version"]:
        print(f"tensorlint {__version__}")
        return 0
    if as_program:  # the command's own process: keep compiled dataclass methods between runs
        from .codecache import install

        install()
    if argv and argv[0] in DELEGATED:
        return _delegate(argv[0], argv[1:])
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "check")  # `tensorlint src/` means `tensorlint check src/`
    from .collector import pause_collector, resume_collector  # (not for --version: it loads nothing)

    pause_collector()  # until the engine is loaded (see tensorlint.collector)
    try:
        return _run(build_parser(), argv)
    finally:
        resume_collector()


def _run(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    args = parser.parse_args(argv)
    from .config import ConfigError

    try:
        if args.command == "rule":
            return cmd_rule(args)
        if args.command == "clean":
            return cmd_clean()
        if args.command == "version":
            print(f"tensorlint {__version__}")
            return 0
        if args.command is None:
            parser.print_help()
            return 2
        return cmd_check(args)
    except ConfigError as err:
        for problem in err.problems:
            print(f"tensorlint: error: {problem}", file=sys.stderr)
        return 2
    except UsageError as err:
        print(f"tensorlint: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `tensorlint check | head`
        sys.stderr.close()
        return 1
    except KeyboardInterrupt:
        print("tensorlint: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug of tensorlint: one line, never a traceback
        from .runner import internal_error

        print(f"tensorlint: error: {internal_error(err)}", file=sys.stderr)
        return 2


def _delegate(command: str, rest: list[str]) -> int:
    if command == "server":
        try:
            from .server import main as server_main
        except ImportError as err:
            print(f"tensorlint: error: the language server cannot start ({err}): pygls and lsprotocol, which "
                  "tensorlint depends on, are missing from this Python; reinstall tensorlint", file=sys.stderr)
            return 2
        result = server_main(rest, prog="tensorlint server")
        return result if isinstance(result, int) else 0
    from .runtime.cli import main as shapecheck_main

    return shapecheck_main(rest)


# -- check ---------------------------------------------------------------------------------


def _flat(groups) -> tuple[str, ...]:
    return tuple(c for group in groups or () for c in group)


def _overrides(args):
    from .settings import Overrides, check_selector

    def selectors(groups, flag):
        return tuple(check_selector(c, flag) for c in _flat(groups))

    return Overrides(
        select=selectors(args.select, "--select") if args.select else None,
        ignore=selectors(args.ignore, "--ignore"),
        extend_select=selectors(args.extend_select, "--extend-select"),
        exclude=_flat(args.exclude) if args.exclude else None,
        extend_exclude=_flat(args.extend_exclude),
        cache_dir=args.cache_dir,
        respect_gitignore=False if args.no_respect_gitignore else None,
    )


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def cmd_check(args) -> int:
    from .runner import Mode, Options
    from .settings import Resolver

    if args.fix and args.diff:
        raise UsageError("--fix and --diff cannot be used together")
    mode = Mode.DIFF if args.diff else Mode.FIX if args.fix else Mode.CHECK
    resolver = Resolver(config_file=args.config, isolated=args.isolated, overrides=_overrides(args))
    options = Options(mode=mode, unsafe=args.unsafe_fixes, jobs=args.jobs or _default_jobs(), use_cache=not args.no_cache)
    if "-" in args.paths or (args.stdin_filename and not args.paths):
        if len(args.paths) > 1:
            raise UsageError("'-' (standard input) cannot be combined with other paths")
        return _check_stdin(args, resolver, options)
    from .files import discover
    from .runner import run

    from .runner import FileResult

    found = list(discover(args.paths or ["."], resolver.for_path, force_exclude=args.force_exclude))
    targets = [(t.path, t.config) for t in found if t.error is None and t.warning is None]
    problems = [t for t in found if t.error is not None]
    for t in found:
        if t.warning is not None and not args.silent:
            print(f"tensorlint: warning: {_shown(t.path, resolver.cwd)}: {t.warning}", file=sys.stderr)
    if not targets and not problems and not args.silent:
        print("tensorlint: warning: no Python files or notebooks found under the given paths", file=sys.stderr)
    results = run(targets, options, resolver.cwd)
    results += [FileResult(str(t.path), _shown(t.path, resolver.cwd), error=t.error) for t in problems]
    if mode is Mode.FIX:
        for r in results:
            if r.changed:
                _write(Path(r.path), r.new, r)
    return _finish(args, results, resolver, out=None)


def _shown(path: Path, cwd: Path) -> str:
    """A path as the user should read it, even one that cannot be resolved."""
    absolute = Path(os.path.abspath(path))  # not resolved: a link is named as given
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


def _write(path: Path, data: bytes, result) -> None:
    try:
        with open(path, "r+b") as fh:  # in place: keeps the file's mode, owner and links
            fh.write(data)
            fh.truncate()
    except OSError as err:
        result.error = f"cannot write fixes: {err.strerror or err}"


def _check_stdin(args, resolver, options) -> int:
    from .runner import Mode, Task, process

    name = args.stdin_filename or "-"
    path = Path(name)
    config = resolver.for_path(path if name != "-" else Path.cwd())
    raw = sys.stdin.buffer.read()
    if args.force_exclude and name != "-" and config.is_excluded(str(path.resolve())):
        if options.mode is Mode.FIX:
            sys.stdout.buffer.write(raw)
        return 0
    full = str(path.resolve()) if name != "-" else "-"
    result = process(Task(full, name, config, raw, options.mode, options.unsafe))
    if options.mode is Mode.FIX:
        # the fixed text goes to standard output, as editors expect; the report to standard error
        sys.stdout.buffer.write(result.new if result.changed else raw)
        sys.stdout.flush()
        return _finish(args, [result], resolver, out=sys.stderr)
    return _finish(args, [result], resolver, out=None)


def _finish(args, results, resolver, out) -> int:
    errors = [r for r in results if r.error]
    for r in errors:
        if not args.silent:
            print(f"tensorlint: error: {r.display}: {r.error}", file=sys.stderr)
    for r in results:
        for note in r.notes:
            if not args.silent:
                print(f"tensorlint: warning: {r.display}: {note}", file=sys.stderr)
    if args.diff:
        changed = [r for r in results if r.changed]
        if not args.silent:
            _print_diffs(changed)
            fixed = sum(len(r.fixed) for r in changed)
            if fixed:
                print(f"Would fix {fixed} finding{'s' * (fixed != 1)}.", file=sys.stderr)
        return 2 if errors else 1 if changed else 0
    remaining = sum(len(r.items) for r in results)
    if not args.silent:
        text = _render(args, results, resolver)
        if args.output_file:
            target = Path(args.output_file)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        else:
            stream = out or sys.stdout
            stream.write(text)
            stream.flush()
    if errors:
        return 2
    return 0 if args.exit_zero or remaining == 0 else 1


def _render(args, results, resolver) -> str:
    from .config import DOCS_BASE
    from .report import Report
    from .report.formats import formatter

    report = Report(results, unsafe_fixes=args.unsafe_fixes, docs_base=DOCS_BASE)
    parts = []
    if args.show_fixes and args.fix:
        parts.append(_fixed_listing(results))
    if args.statistics:
        parts.append(_statistics(report))
    else:
        parts.append(formatter(args.format)(report))
    if args.format in ("concise", "full") and not args.quiet:
        parts.append(_summary(args, results))
    return "".join(p for p in parts if p)


def _statistics(report) -> str:
    from .fixer import is_applicable

    counts: dict[str, list] = {}
    for _, item in report.items():
        f = item.finding
        entry = counts.setdefault(f.code, [0, f.name, False])
        entry[0] += 1
        entry[2] = entry[2] or is_applicable(f.fix, report.unsafe_fixes)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    width = max((len(str(v[0])) for _, v in rows), default=1)
    return "".join(f"{n:>{width}}\t{code}\t{'[*] ' if fix else '    '}{name}\n" for code, (n, name, fix) in rows)


def _fixed_listing(results) -> str:
    lines = []
    for r in results:
        if r.fixed:
            lines.append(f"{r.display}:")
            counts: dict[tuple[str, str], int] = {}
            for f in r.fixed:
                counts[(f.code, f.name)] = counts.get((f.code, f.name), 0) + 1
            lines += [f"    {n} × {code} ({name})" for (code, name), n in sorted(counts.items())]
    if not lines:
        return "No findings were fixed.\n"
    total = sum(len(r.fixed) for r in results)
    return f"Fixed {total} finding{'s' * (total != 1)}:\n" + "\n".join(lines) + "\n\n"


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word}{'es' if word.endswith(('x', 's', 'sh', 'ch')) else 's'}"


def _summary(args, results) -> str:
    from .fixer import is_applicable

    remaining = sum(len(r.items) for r in results)
    fixed = sum(len(r.fixed) for r in results)
    if remaining == 0 and fixed == 0:
        return "" if any(r.error for r in results) else "All checks passed!\n"
    if remaining == 0:
        return f"Found {_plural(fixed, 'finding')} ({fixed} fixed, 0 remaining).\n"
    head = f"Found {_plural(remaining + fixed, 'finding')}"
    head += f" ({fixed} fixed, {remaining} remaining).\n" if fixed else ".\n"
    findings = [i.finding for r in results for i in r.items]
    safe = sum(is_applicable(f.fix, False) for f in findings)
    unsafe = sum(f.fix is not None and not is_applicable(f.fix, False) for f in findings)
    if not args.fix:
        usable = safe + (unsafe if args.unsafe_fixes else 0)
        if usable:
            flag = "--fix --unsafe-fixes" if args.unsafe_fixes and unsafe else "--fix"
            head += f"[*] {usable} fixable with `tensorlint check {flag}`.\n"
    if unsafe and not args.unsafe_fixes:
        head += f"({_plural(unsafe, 'hidden fix')} can be enabled with the `--unsafe-fixes` option.)\n"
    return head


def _print_diffs(changed) -> None:
    import difflib

    from .runner import ReadError, decode

    for r in changed:
        try:
            if r.notebook:
                old, new = r.original.decode("utf-8-sig"), r.new.decode("utf-8-sig")
            else:
                old, codec = decode(r.original)
                new = r.new.decode(codec)
        except (ReadError, UnicodeDecodeError):
            continue
        diff = difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{r.display}", f"b/{r.display}"
        )
        text = "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in diff)
        sys.stdout.write(text)
    sys.stdout.flush()


# -- rule, clean ---------------------------------------------------------------------------


def rule_info(rule, docs_base: str) -> dict:
    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": rule.severity.value,
        "default": bool(rule.default),
        "fix": rule.fix.value if rule.fix else None,
        "url": docs_base + rule.code,
        "explanation": rule.docs(),
    }


def cmd_rule(args) -> int:
    import json

    from .config import DOCS_BASE
    from .rule import all_rules, rule_by_code

    if args.all:
        rules = all_rules()
        if args.format == "json":
            print(json.dumps([rule_info(r, DOCS_BASE) for r in rules], indent=2, ensure_ascii=False))
        else:
            width = max((len(r.name) for r in rules), default=4)
            for r in rules:
                flags = ("" if r.default else "opt-in ") + (f"fix:{r.fix.value}" if r.fix else "")
                print(f"{r.code}  {r.name:<{width}}  {flags:<18}  {r.summary}".rstrip())
        return 0
    if not args.code:
        raise UsageError("name a rule (tensorlint rule TL201) or use --all")
    wanted = args.code.strip()
    rule = rule_by_code(wanted)
    if rule is None:
        raise UsageError(f"unknown rule '{wanted}'; `tensorlint rule --all` lists them")
    info = rule_info(rule, DOCS_BASE)
    if args.format == "json":
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        print(rule_text(rule, DOCS_BASE))
    return 0


def rule_text(rule, docs_base: str) -> str:
    fix = {"safe": "a safe fix", "unsafe": "an unsafe fix"}.get(rule.fix.value if rule.fix else "", "no fix")
    header = [
        f"# {rule.name} ({rule.code})",
        "",
        f"{'On by default' if rule.default else 'Opt-in (select it to enable)'}; severity {rule.severity.value}; {fix}.",
    ]
    if rule.summary:
        header += ["", rule.summary]
    return "\n".join(header) + "\n\n" + rule.docs().strip() + "\n"


def cmd_clean() -> int:
    from .cache import clean
    from .files import SKIPPED_DIRS
    from .settings import Resolver, cache_dir_for

    cwd = Path.cwd().resolve()
    candidates = {cache_dir_for(Resolver().for_path(cwd), cwd)}
    for folder, dirs, _ in os.walk(cwd):
        if ".tensorlint_cache" in dirs:
            candidates.add(Path(folder, ".tensorlint_cache"))
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
    for path in sorted(candidates):
        if clean(path):
            print(f"Removed cache at {path}")
    return 0
