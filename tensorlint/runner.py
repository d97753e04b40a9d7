"""Checking many files: read, look up the cache, analyze on all cores, fix, map notebooks.

The work for one file is `process(Task) -> FileResult`, a plain function of plain data so
that it runs the same in this process or in a worker. A file that makes the analyzer raise
becomes a `FileResult` with `error` set; the others go on.
"""
from __future__ import annotations

import io
import os
import sys
import tokenize
import traceback
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .cache import Cache, content_hash
from .config import Config
from .findings import Finding
from .settings import cache_dir_for

if TYPE_CHECKING:
    from .notebook import Notebook


class Mode(str, Enum):
    CHECK = "check"
    FIX = "fix"  # write fixes
    DIFF = "diff"  # compute fixes, write nothing


@dataclass
class Item:
    """A finding as reported: in cell coordinates for notebooks."""

    finding: Finding
    cell: int | None = None


@dataclass
class Task:
    path: str  # absolute
    display: str
    config: Config
    raw: bytes | None  # None: the worker reads the file
    mode: Mode = Mode.CHECK
    unsafe: bool = False
    cached: list[Finding] | None = None


@dataclass
class FileResult:
    path: str
    display: str
    items: list[Item] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    error: str | None = None
    texts: dict[int | None, str] = field(default_factory=dict)  # source per cell (None: the file)
    original: bytes = b""
    new: bytes | None = None  # set when fixes changed the file
    analysis: list[Finding] | None = None  # what to cache: the final content's raw findings
    notebook: bool = False
    digest: str | None = None  # content hash of what was analyzed, when a worker read the file
    notes: list[str] = field(default_factory=list)  # what the analysis left out, one line each
    dependencies: list = field(default_factory=list)  # project modules the analysis read (cache key)

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.original

    def line(self, cell: int | None, row: int) -> str:
        lines = self.texts.get(cell, "").splitlines()
        return lines[row - 1] if 0 < row <= len(lines) else ""


# -- one file ------------------------------------------------------------------------------


class ReadError(ValueError):
    """The file's bytes cannot be read as Python source or as a notebook."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line  # where decoding failed


def decode(raw: bytes) -> tuple[str, str]:
    """Text and codec of Python source bytes (PEP 263 declaration or BOM, else UTF-8)."""
    try:
        codec, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return raw.decode(codec), codec
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ReadError(f"the file is not valid {err.encoding.upper()}: byte 0x{raw[err.start]:02x} cannot be decoded", line) from None
    except (SyntaxError, LookupError) as err:
        raise ReadError(str(err)) from None


def read_notebook(raw: bytes) -> Notebook:
    from .notebook import Notebook, NotebookError  # only for notebooks

    try:
        return Notebook.parse(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, NotebookError) as err:
        raise ReadError(str(err)) from None


def _analyze(text: str, path: str, config: Config, notes: list[str] | None = None,
             dependencies: list | None = None) -> list[Finding]:
    from .engine import analyze, too_deep  # libcst and the interpreter load only when something is analyzed

    analysis = analyze(text, path, config)
    if analysis.syntax_error and not too_deep(text):
        # a statement that does not parse costs only itself: the rest is analyzed without it
        # (also when TL001 is not selected: the selection says what to report, not what to read)
        # (not in a text nested deeper than Python accepts: libcst would take seconds per piece)
        from .tolerant import analyze_around_errors

        analysis = analyze_around_errors(text, path, config, analysis.findings)
        for f in analysis.findings:
            f.fix = None  # no fix applies to a file that does not parse (nothing could check its result)
    findings = analysis.findings
    if notes is not None:
        notes[:] = analysis.notes  # those of the last analysis: the text as it ends up
    if dependencies is not None:
        dependencies[:] = analysis.dependencies
    for f in findings:
        f.severity = config.severity_for(f.code, f.severity)
    return sorted(findings, key=Finding.sort_key)


def process_file(task: Task) -> FileResult:
    """`process` for a task without its bytes (read here, in the worker), answering only what
    the caller shows: the texts of files with findings, the original of files fixes change."""
    try:
        raw = Path(task.path).read_bytes()
    except OSError as err:
        return FileResult(task.path, task.display, error=f"cannot read: {err.strerror or err}")
    task.raw = raw
    result = process(task)
    result.digest = content_hash(raw)
    if not result.items and not result.fixed:
        result.texts = {}
    if result.new is None:
        result.original = b""
    return result


def process(task: Task) -> FileResult:
    from .engine import collect_after_file, on_deep_stack

    result = FileResult(task.path, task.display, original=task.raw)
    try:
        # analysis, fixes and their checks walk syntax trees recursively: all on a deep stack
        on_deep_stack(_process, task, result)
    except ReadError as err:
        result.error = f"cannot read: {err}"
    except Exception as err:  # the analyzer must not stop the run: report and go on
        result.error = internal_error(err)
    finally:
        collect_after_file()
    return result


def _process(task: Task, result: FileResult) -> None:
    if task.path.endswith(".ipynb"):
        _process_notebook(task, result)
    else:
        _process_python(task, result)


def internal_error(err: BaseException, limit: int = 200) -> str:
    """One short line about an exception: its type, its message when the message is plain
    text, and where it was raised. Never the repr of what it carries (a syntax tree can be
    deep enough to make that repr fail, or weigh megabytes)."""
    message = ""
    if all(isinstance(a, (str, int, float)) for a in err.args):
        try:
            message = " ".join(str(a) for a in err.args)
        except Exception:  # a str subclass that fails: say nothing rather than fail again
            message = ""
    message = " ".join(message.split())
    if len(message) > limit:
        message = message[: limit - 3] + "..."
    where = ""
    try:
        frame = traceback.extract_tb(err.__traceback__, limit=None)[-1]
        where = f" (at {Path(frame.filename).name}:{frame.lineno})"
    except Exception:
        pass
    return f"internal error: {type(err).__name__}{': ' + message if message else ''}{where}"


def _process_python(task: Task, result: FileResult) -> None:
    from . import fixer
    from .engine import unreadable_source

    try:
        text, codec = decode(task.raw)
    except ReadError as err:  # Python cannot read it either: a syntax error, reported as one
        result.analysis = unreadable_source(str(err), err.line, task.config, task.path)
        result.items = [Item(f) for f in result.analysis]
        result.texts = {None: task.raw.decode("utf-8", "replace")}
        return
    analyze = lambda t: _analyze(t, task.path, task.config, result.notes, result.dependencies)  # noqa: E731
    findings = task.cached
    if task.mode is not Mode.CHECK and (findings is None or any(fixer.is_applicable(f.fix, task.unsafe) for f in findings)):
        outcome = fixer.fix_until_stable(text, analyze, fixer.apply_findings, fixer.parses, unsafe=task.unsafe)
        result.fixed, findings = outcome.fixed, outcome.remaining
        if outcome.state != text:
            result.new = outcome.state.encode(codec)
            text = outcome.state
    elif findings is None:
        findings = analyze(text)
    result.analysis = findings
    result.items = [Item(f) for f in findings]
    result.texts = {None: text}


def _process_notebook(task: Task, result: FileResult) -> None:
    from . import fixer

    result.notebook = True
    nb = read_notebook(task.raw)
    analyze = lambda n: analyze_notebook(n, task.path, task.config, result.notes)  # noqa: E731
    # a fix must leave every cell that parsed parsing
    valid = lambda n: n.broken <= nb.broken and fixer.parses(n.text)  # noqa: E731
    findings = task.cached
    if task.mode is not Mode.CHECK and (findings is None or any(fixer.is_applicable(f.fix, task.unsafe) for f in findings)):
        outcome = fixer.fix_until_stable(nb, analyze, apply_to_notebook, valid, unsafe=task.unsafe)
        result.fixed, findings = outcome.fixed, outcome.remaining
        if outcome.state != nb:
            nb = outcome.state
            result.new = nb.dump().encode("utf-8")
    elif findings is None:
        findings = analyze(nb)
    result.analysis = findings
    for f in findings:
        cell, local = nb.to_cell(f)
        result.items.append(Item(local, cell))
    result.texts = {c.number: c.source for c in nb.cells}


def analyze_notebook(nb: Notebook, path: str, config: Config, notes: list[str] | None = None) -> list[Finding]:
    """The findings of the notebook's cells that parse, analyzed in order as one program, and
    TL001 for each cell that does not: all in the joined text's coordinates."""
    from .engine import FRAMEWORK_MARKERS

    findings = _analyze(nb.text, path, config, notes)
    if nb.broken and config.is_enabled("TL001", True, path) and FRAMEWORK_MARKERS.search("".join(c.source for c in nb.cells)):
        findings = sorted(findings + nb.syntax_errors(config), key=Finding.sort_key)
    return findings


def apply_to_notebook(nb: Notebook, findings: list[Finding]) -> tuple[Notebook, list[Finding]]:
    """Apply fixes cell by cell; a fix that reaches outside its cell or into a magic is left out."""
    from .fixer import apply_findings

    per_cell: dict[int, list[tuple[Finding, Finding]]] = {}
    for f in findings:
        number, local = nb.to_cell(f)
        if number is not None and local.fix is not None:
            per_cell.setdefault(number, []).append((local, f))
    sources, applied = {}, []
    for number, pairs in per_cell.items():
        text, done = apply_findings(nb.cell(number).source, [local for local, _ in pairs])
        done_ids = {id(d) for d in done}
        applied.extend(orig for local, orig in pairs if id(local) in done_ids)
        sources[number] = text
    return (nb.with_sources(sources), applied) if applied else (nb, [])


# -- many files ----------------------------------------------------------------------------


@dataclass
class Options:
    mode: Mode = Mode.CHECK
    unsafe: bool = False
    jobs: int = 0  # 0: all cores
    use_cache: bool = True


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


def run(targets: Iterable[tuple[Path, Config]], options: Options, cwd: Path | None = None) -> list[FileResult]:
    cwd = (cwd or Path.cwd()).resolve()
    caches: dict[tuple[Path, Config], Cache] = {}
    results: list[FileResult] = []
    tasks: list[Task] = []
    digests: dict[str, tuple[str, Cache | None]] = {}
    for path, config in targets:
        full = str(path.resolve())
        display = display_path(path, cwd)
        cache = None
        if options.use_cache:
            key = (cache_dir_for(config, cwd), config)
            cache = caches.get(key) or caches.setdefault(key, Cache(key[0], config))
        if cache is None and options.mode is Mode.CHECK:
            # nothing to look up: the process that analyzes the file reads it
            tasks.append(Task(full, display, config, None, options.mode, options.unsafe))
            continue
        try:
            raw = path.read_bytes()
        except OSError as err:
            results.append(FileResult(full, display, error=f"cannot read: {err.strerror or err}"))
            continue
        digest = content_hash(raw)
        digests[full] = (digest, cache)
        cached = cache.get(full, digest) if cache else None
        tasks.append(Task(full, display, config, raw, options.mode, options.unsafe, cached))
    results.extend(_execute(tasks, options.jobs))
    for r in results:
        digest, cache = digests.get(r.path, (None, None))
        digest = r.digest or digest
        if cache is None or r.error or r.notes or r.analysis is None or options.mode is Mode.DIFF:
            continue
        if r.changed:
            digest = content_hash(r.new)
        cache.put(r.path, digest, r.analysis, r.dependencies)
    for cache in caches.values():
        cache.save()
    results.sort(key=lambda r: r.display)
    return results


def _execute(tasks: list[Task], jobs: int) -> list[FileResult]:
    jobs = jobs or os.cpu_count() or 1
    todo = [t for t in tasks if t.cached is None or t.mode is not Mode.CHECK]
    done = [process(t) for t in tasks if not (t.cached is None or t.mode is not Mode.CHECK)]
    if todo:
        _warm_up(every_rule=jobs > 1 and len(todo) >= 2)
    if len(todo) >= 2:
        todo = importers_first(todo)
    if jobs <= 1 or len(todo) < 2:
        return done + [process(t) if t.raw is not None else process_file(t) for t in todo]
    # the cache's misses are read again by the workers: bytes are cheaper to read than to send
    for t in todo:
        t.raw = None
    return done + _in_pool(todo, jobs)


def importers_first(tasks: list[Task]) -> list[Task]:
    """The tasks in the order their files are best analyzed in: a file after the checked files
    that import it, so that its check reads the tree parsed for their imports (see
    tensorlint.check_order). Results are sorted afterwards: the order shows only in the time."""
    from .check_order import importers_first as order
    from .project import source_roots

    files = [(t.path, t.raw.decode("utf-8", "replace") if t.raw is not None else None, source_roots(t.config))
             if t.config.follow_imports and not t.path.endswith(".ipynb") else None for t in tasks]
    return [tasks[i] for i in order(files)]


def _warm_up(every_rule: bool) -> None:
    """The engine loaded and the collector set for a run of many files, before any worker is
    forked: with `every_rule`, workers do not each import the engine and the rules, and what is
    loaded stays out of every collection (see tensorlint.collector). In one process, a rule's
    module is imported with the first file that can trigger it (see tensorlint.rule_index)."""
    from . import engine, fixer, interp  # noqa: F401
    from .collector import tune_collector

    if every_rule:
        from .rule import all_rules

        all_rules()
    tune_collector()


def _pool(jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # only for more than one file and job

    method = "fork" if sys.platform == "linux" else None  # workers inherit what is imported
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))


def _in_pool(tasks: list[Task], jobs: int) -> list[FileResult]:
    from concurrent.futures.process import BrokenProcessPool

    out: list[FileResult] = []
    chunk = max(1, min(16, len(tasks) // (jobs * 4)))
    try:
        with _pool(jobs) as pool:
            for r in pool.map(process_file, tasks, chunksize=chunk):
                out.append(r)
        return out
    except BrokenProcessPool:
        pass
    # a worker died (not an exception: a crash of the interpreter). Try the rest one by one.
    rest = tasks[len(out):]
    with _pool(jobs) as pool:
        futures = [(t, pool.submit(process_file, t)) for t in rest]
        for task, fut in futures:
            try:
                out.append(fut.result())
            except BrokenProcessPool:
                out.append(FileResult(task.path, task.display,
                                      error="internal error: the analyzer process crashed on this file"))
    return out

