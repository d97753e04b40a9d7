"""The one entry point: text + path + configuration in, findings out.

    analyze(text, path, config) -> Analysis

Front ends (CLI, language server, runtime check) call this and convert the result; they
never analyze on their own.
"""
from __future__ import annotations

import ast
import re
import sys
import contextvars
import threading
import warnings
from dataclasses import replace
from typing import TYPE_CHECKING, Sequence

from .chunks import Chunk
from .collector import COLLECTOR_THRESHOLDS, collect_after_file, tune_collector  # noqa: F401  (callers' names)
from .config import DEFAULT, Config
from .elide import elide_literals, fix_mentions
from .findings import Analysis, Finding, Severity, Span
from .rule import RuleSet, rule_class
from .rule_index import RULES
from .triggers import Calls, needles

if TYPE_CHECKING:
    import libcst as cst

# A file that names none of these is not deep-learning code: skip it before parsing. A snippet
# that left its imports out still names the conventional aliases (`nn.Linear`, `tf.matmul`) or
# the Keras model classes (interp.snippet_imports).
FRAMEWORK_MARKERS = re.compile(r"\b(?:torch|tensorflow|keras)\b|\b(?:nn|tf|layers)\.[A-Za-z]|\b(?:Sequential|Dense)\(")
NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*))?", re.I)


def parse_chunks(text: str) -> list[Chunk]:
    """Parse the whole text as one chunk. Raises `cst.ParserSyntaxError`."""
    from .cstparse import parse_module

    return [Chunk(parse_module(text), 0, text)]


def enabled_rules(config: Config, path: str | None, text: str | None = None) -> RuleSet:
    """A fresh rule set (rules may keep state for one file) of the rules `config` enables for
    `path`; which those are is worked out once per configuration (and path, where per-file
    ignores make it depend on the path). Given the file's `text`, a rule whose trigger words
    the text lacks is left out (it would report nothing) and its module is not imported."""
    key = (config, path if config.per_file_ignores else None)
    try:
        entries = _ENABLED.get(key)
    except TypeError:  # a configuration holding something unhashable: no cache
        entries = key = None
    if entries is None:
        entries = tuple((code, module, words and needles(words)) for code, _, module, default, _, words in RULES
                        if config.is_enabled(code, default, path))
        if key is not None:
            if len(_ENABLED) >= 64:
                _ENABLED.clear()
            _ENABLED[key] = entries
    if text is None:
        return RuleSet.build(tuple(rule_class(code, module) for code, module, _ in entries))
    calls = Calls(text)
    holds_any = calls.holds_any
    chosen = RuleSet.build(tuple(rule_class(code, module) for code, module, words in entries
                                 if not words or holds_any(*words)))
    chosen.text_calls = calls
    return chosen


_ENABLED: dict = {}


def analyze(
    text: str,
    path: str = "<stdin>",
    config: Config | None = None,
    *,
    chunks: Sequence[Chunk] | None = None,
    collect_values: bool = False,
    force: bool = False,
) -> Analysis:
    """Analyze one Python source text.

    `chunks`: already parsed chunks of `text` (the language server parses incrementally).
    `collect_values`: also return the inferred tensor values (hover, inlay hints).
    `force`: analyze even when the text imports no deep-learning framework.
    """
    config = config or DEFAULT
    result = Analysis()
    if not force and not deep_learning_code(text, path, config):
        result.skipped = True
        return result
    text = encodable(text)
    if chunks is None and too_deep(text):
        # CPython refuses such nesting; libcst would take seconds (quadratic) to say so
        refused = _refused(text, path, config)
        if refused is not None:
            return refused
    return on_deep_stack(_analyze_or_split, text, path, config, chunks, collect_values)


def deep_learning_code(text: str, path: str, config: Config) -> bool:
    """Whether the text is analyzed: it names a framework, or it imports a module of its project
    that does (a losses module built on the project's own functional module)."""
    if FRAMEWORK_MARKERS.search(text):
        return True
    if not config.follow_imports or "import" not in text:
        return False
    from . import project
    from .check_order import imports_framework_module

    return imports_framework_module(text, path, project.source_roots(config))


# Syntax trees are walked recursively (libcst's positions and code generation, the
# interpreter): a valid `if/elif` chain of 500 branches or 1,000 chained `+` is that deep. The
# analysis runs on a thread with a large stack, where a deep recursion limit is safe.
DEEP_STACK = 512 * 1024 * 1024
DEEP_RECURSION = 50_000
# a top-level statement nested deeper than this (CPython's syntax tree) is left out: libcst's
# parser takes time quadratic in such a chain, and crashes on the default stack
MAX_DEPTH = 1_500
_deep = threading.local()


def on_deep_stack(fn, *args):
    """`fn(*args)` on a thread with a large stack and a high recursion limit (in place when
    already on one). Exceptions are raised again here. The thread lives on for the next call
    (its stack stays mapped: a new thread per file would cost a few percent of the analysis)."""
    if getattr(_deep, "active", False):
        return fn(*args)
    worker = _deep_worker()
    if worker is None:  # a platform without settable stacks: run in place
        return fn(*args)
    box: dict = {}
    done = threading.Event()
    # in the caller's context: what it set for this analysis (a Python 2 program's division) holds there
    worker.put((contextvars.copy_context().run, (fn, *args), box, done))
    done.wait()
    if "error" in box:
        raise box["error"]
    return box["result"]


_workers: dict = {}  # process id -> queue of the deep-stack thread (a forked child starts its own)
_workers_lock = threading.Lock()


def _deep_worker():
    import os
    import queue

    pid = os.getpid()
    with _workers_lock:
        if pid in _workers:
            return _workers[pid]
        tasks: queue.SimpleQueue = queue.SimpleQueue()
        try:
            previous = threading.stack_size(DEEP_STACK)
        except (ValueError, RuntimeError):
            _workers[pid] = None
            return None
        try:
            threading.Thread(target=_serve, args=(tasks,), name="tensorlint-analysis", daemon=True).start()
        finally:
            threading.stack_size(previous)
        _workers[pid] = tasks
        return tasks


def _serve(tasks) -> None:
    _deep.active = True
    while True:
        fn, args, box, done = tasks.get()
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, DEEP_RECURSION))
        try:
            box["result"] = fn(*args)
        except BaseException as err:  # handed to the caller
            box["error"] = err
        finally:
            sys.setrecursionlimit(old)
            done.set()


def failed_on_depth(err: BaseException) -> bool:
    """A RecursionError, or an error raised while one was being handled (libcst turns a
    RecursionError in its position walk into a KeyError naming a node)."""
    seen = 0
    while err is not None and seen < 50:
        if isinstance(err, (RecursionError, MemoryError)):
            return True
        err, seen = err.__context__ or err.__cause__, seen + 1
    return False


def _analyze_or_split(text, path, config, chunks, collect_values) -> Analysis:
    if chunks is None and long_chains_possible(text):
        return _analyze_split(text, path, config, collect_values)
    try:
        return _analyze(text, path, config, chunks, collect_values)
    except _ParserRefused:
        return _analyze_split(text, path, config, collect_values)
    except Exception as err:
        if not failed_on_depth(err):
            raise
    if chunks is not None:
        return Analysis(notes=["not analyzed: the code nests too deeply to follow"])
    return _analyze_split(text, path, config, collect_values)


class _ParserRefused(Exception):
    """libcst's parser refuses a text that CPython's compiler accepts."""


def long_chains_possible(text: str) -> bool:
    """Whether a statement might nest deeper than MAX_DEPTH (a cheap over-estimate: a very long
    line, many `elif`s), or the file is large; then each top-level statement is parsed on its
    own (a finding needs the positions of its own statement only, not of the whole file)."""
    return len(text) > LARGE_FILE or _long_lines_or_elifs(text)


LARGE_FILE = 400_000  # characters
LONG_LINE = 5_000
MANY_ELIFS = 500


def _long_lines_or_elifs(text: str) -> bool:
    if text.count("elif") > MANY_ELIFS:
        return True
    return len(text) > LONG_LINE and max(map(len, text.split("\n"))) > LONG_LINE


def statement_depth(text: str) -> int | None:
    """How deep CPython's syntax tree of `text` nests (a chain `a and b and c` counts as
    nested, as libcst builds it); None when CPython cannot parse it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(text, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    best = 0
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values) - 1
        if depth > best:
            best = depth
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return best


def _analyze_split(text, path, config, collect_values) -> Analysis:
    """Analyze the top-level statements that can be analyzed, each parsed on its own; the
    others are named in the result's notes. For a text CPython accepts."""
    import libcst as cst

    from .chunks import split
    from .cstparse import parse_module

    chunks: list[Chunk] = []
    left_out: list[tuple[int, int, str]] = []
    elided = 0
    for piece in split(text):
        first = piece.line_offset + 1
        last = piece.line_offset + max(1, piece.text.rstrip("\r\n").count("\n") + 1)
        if _long_lines_or_elifs(piece.text):  # measured before libcst is given it
            piece_text, count = elide_literals(piece.text)
            if count:  # pasted data: summarized, positions kept (see tensorlint.elide)
                piece, elided = replace(piece, text=piece_text), elided + count
                left_out.append((first, last, f"the contents of {count} large literal display"
                                              f"{'s' * (count > 1)} (data, summarized as unknown)"))
            depth = statement_depth(piece.text)
            if depth is None:
                return _refused(text, path, config) or Analysis(syntax_error=True)
            if depth > MAX_DEPTH:
                left_out.append((first, last, f"nested {depth} levels deep (more than {MAX_DEPTH})"))
                continue
        try:
            chunks.append(Chunk(parse_module(piece.text), piece.line_offset, piece.text))
        except (cst.ParserSyntaxError, RecursionError, MemoryError, ValueError, SyntaxError):
            if statement_depth(piece.text) is None:  # CPython refuses it too: a syntax error
                return _refused(text, path, config) or Analysis(syntax_error=True)
            left_out.append((first, last, "the parser tensorlint uses cannot read it (Python can)"))
    result = Analysis()
    if chunks:
        try:
            result = _analyze(text, path, config, chunks, collect_values)
        except Exception as err:
            if not failed_on_depth(err):
                raise
            return Analysis(notes=["not analyzed: the code nests too deeply to follow"])
    if elided:
        result.findings = [f if f.fix is None or not any(fix_mentions(e.content) for e in f.fix.edits)
                           else replace(f, fix=None) for f in result.findings]
    result.notes.extend(
        f"line{'s' * (a != b)} {a}{f'-{b}' if a != b else ''} not analyzed: {why}" for a, b, why in left_out)
    return result


def _analyze(text, path, config, chunks, collect_values) -> Analysis:
    import libcst as cst  # loads with the first analysis: the language server starts without it

    result = Analysis()
    if chunks is None and config.follow_imports:
        from .project import cached_tree

        tree = cached_tree(path, text)  # read already as a module another file imports
        if tree is not None:
            chunks = [Chunk(tree, 0, text)]
    if chunks is None:
        try:
            chunks = parse_chunks(text)
        except cst.ParserSyntaxError as err:
            if statement_depth(text) is not None:
                raise _ParserRefused() from None  # libcst's limit, not the program's error
            result.syntax_error = True
            if config.is_enabled("TL001", True, path):
                result.findings.append(_syntax_finding(err, text, config))
            return result
        except (ValueError, SyntaxError):  # a node libcst builds, then rejects (a name no identifier)
            refused = _refused(text, path, config)
            if refused is None:
                raise _ParserRefused() from None
            return refused
    rules = enabled_rules(config, path, text)
    from .interp import run  # the interpreter is the heavy part; import on first use

    findings, values, dependencies = run(chunks, text, path, config, rules, collect_values=collect_values)
    result.findings = suppress(findings, text)
    result.values = values
    result.dependencies = dependencies
    return result


def encodable(text: str) -> str:
    """The text with lone surrogates (which JSON, and so an editor, may send) replaced by '?':
    same length, so positions are unchanged."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


_BRACKET = re.compile(r"[()\[\]{}]")


def too_deep(text: str, limit: int = 190) -> bool:
    """Brackets nested deeper than CPython accepts (200) (strings and comments included: an
    over-estimate only costs a compile() call)."""
    if text.count("(") + text.count("[") + text.count("{") <= limit:
        return False
    depth = best = 0
    for ch in _BRACKET.findall(text):
        depth += 1 if ch in "([{" else -1
        if depth > best:
            best = depth
            if best > limit:
                return True
    return False


def _refused(text: str, path: str, config: Config) -> Analysis | None:
    """TL001 from CPython's compiler for a text it refuses; None when it accepts the text."""
    try:
        compile_quietly(text)
        return None
    except SyntaxError as err:
        line, col, msg = max(1, err.lineno or 1), max(0, (err.offset or 1) - 1), err.msg
    except (ValueError, RecursionError, MemoryError):
        line, col, msg = 1, 0, "the file nests too deeply to be parsed"
    result = Analysis(syntax_error=True)
    if config.is_enabled("TL001", True, path):
        result.findings.append(Finding(
            code="TL001", name="syntax-error", message=f"SyntaxError: {msg}",
            severity=config.severity_for("TL001", Severity.ERROR), span=Span.of(line, col, line, col),
            url=config.docs_base + "TL001"))
    return result


def _syntax_finding(err: cst.ParserSyntaxError, text: str, config: Config) -> Finding:
    line, col, msg = _syntax_position(err, text)
    return syntax_error_finding(msg, line, col, config)


def syntax_error_finding(message: str, line: int, column: int, config: Config) -> Finding:
    return Finding(
        code="TL001",
        name="syntax-error",
        message=f"SyntaxError: {message}",
        severity=config.severity_for("TL001", Severity.ERROR),
        span=Span.of(line, column, line, column),
        url=config.docs_base + "TL001",
    )


def unreadable_source(message: str, line: int, config: Config, path: str | None) -> list[Finding]:
    """TL001 for source bytes Python cannot decode (invalid UTF-8, unknown coding declaration):
    the file cannot be parsed, as for any syntax error."""
    if not config.is_enabled("TL001", True, path):
        return []
    return [syntax_error_finding(message, line, 0, config)]


def compile_quietly(text: str) -> None:
    """CPython's compiler, for its syntax errors; its warnings (invalid escapes...) are not ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compile(text, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)


def _syntax_position(err: cst.ParserSyntaxError, text: str) -> tuple[int, int, str]:
    """Where the error is: Python's own compiler places it precisely (libcst's native parser
    reports the start of the line); libcst's answer is kept when Python accepts the text."""
    try:
        compile_quietly(text)
    except SyntaxError as py_err:
        if py_err.lineno:
            line = py_err.lineno
            col = max(0, (py_err.offset or 1) - 1)
            lines = text.splitlines()
            if line > len(lines):
                line, col = max(1, len(lines)), len(lines[-1]) if lines else 0
            else:
                col = min(col, len(lines[line - 1]))
            return line, col, py_err.msg
    except (ValueError, RecursionError, MemoryError):
        pass
    line = max(1, err.raw_line)
    col = max(0, err.raw_column)
    lines = text.splitlines()
    if line > len(lines):
        line, col = max(1, len(lines)), len(lines[-1]) if lines else 0
    msg = err.message.strip().splitlines()[0] if err.message else "invalid syntax"
    return line, col, msg


def noqa_codes(line_text: str) -> set[str] | None:
    """Codes a `# noqa` comment on this line suppresses; an empty set means all; None: no noqa."""
    m = NOQA.search(line_text)
    if not m:
        return None
    if not m.group("codes"):
        return set()
    return {c.strip().upper() for c in m.group("codes").split(",")}


def suppress(findings: list[Finding], text: str) -> list[Finding]:
    if "noqa" not in text:
        return findings
    lines = text.splitlines()
    kept = []
    for f in findings:
        row = f.span.start.line
        codes = noqa_codes(lines[row - 1]) if 0 < row <= len(lines) else None
        if codes is not None and (not codes or f.code in codes):
            continue
        kept.append(f)
    return kept
