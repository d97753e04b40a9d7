"""The one entry point: text + path + configuration in, findings out.

    analyze(text, path, config) -> Analysis

Front ends (CLI, language server, runtime check) call this and convert the result; they
never analyze on their own.
"""
from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from .config import DEFAULT, Config
from .findings import Analysis, Finding, Severity, Span
from .rule import RuleSet, all_rules

if TYPE_CHECKING:
    import libcst as cst

# A file that names none of these is not deep-learning code: skip it before parsing.
FRAMEWORK_MARKERS = re.compile(r"\b(?:torch|tensorflow|keras)\b")
NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*))?", re.I)


@dataclass
class Chunk:
    """A parsed run of top-level statements. `line_offset` lines precede it in the file."""

    module: cst.Module
    line_offset: int = 0
    text: str = ""
    # what analyses computed about `module` (positions, parent links); the language server's
    # parser hands the same dict with the same tree from one edit to the next
    memo: dict = field(default_factory=dict)


def parse_chunks(text: str) -> list[Chunk]:
    """Parse the whole text as one chunk. Raises `cst.ParserSyntaxError`."""
    import libcst as cst

    return [Chunk(cst.parse_module(text), 0, text)]


def enabled_rules(config: Config, path: str | None) -> RuleSet:
    return RuleSet.build(r for r in all_rules() if config.is_enabled(r.code, r.default, path))


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
    if not force and not FRAMEWORK_MARKERS.search(text):
        result.skipped = True
        return result
    text = encodable(text)
    if chunks is None and too_deep(text):
        # CPython refuses such nesting; libcst would take seconds (quadratic) to say so
        refused = _refused(text, path, config)
        if refused is not None:
            return refused
    try:
        return _analyze(text, path, config, chunks, collect_values)
    except RecursionError:
        # pathological nesting that still parses: nothing can be said about it
        return Analysis()


def _analyze(text, path, config, chunks, collect_values) -> Analysis:
    import libcst as cst  # loads with the first analysis: the language server starts without it

    result = Analysis()
    if chunks is None:
        try:
            chunks = parse_chunks(text)
        except cst.ParserSyntaxError as err:
            result.syntax_error = True
            if config.is_enabled("TL001", True, path):
                result.findings.append(_syntax_finding(err, text, config))
            return result
        except RecursionError:
            result.syntax_error = True
            return result
    rules = enabled_rules(config, path)
    from .interp import run  # the interpreter is the heavy part; import on first use

    findings, values = run(chunks, text, path, config, rules, collect_values=collect_values)
    result.findings = suppress(findings, text)
    result.values = values
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
        _compile_quietly(text)
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
    return _tl001(msg, line, col, config)


def _tl001(message: str, line: int, column: int, config: Config) -> Finding:
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
    return [_tl001(message, line, 0, config)]


def _compile_quietly(text: str) -> None:
    """CPython's compiler, for its syntax errors; its warnings (invalid escapes...) are not ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compile(text, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)


def _syntax_position(err: cst.ParserSyntaxError, text: str) -> tuple[int, int, str]:
    """Where the error is: Python's own compiler places it precisely (libcst's native parser
    reports the start of the line); libcst's answer is kept when Python accepts the text."""
    try:
        _compile_quietly(text)
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
