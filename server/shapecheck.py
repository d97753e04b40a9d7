"""The `tensorlint.shapeCheck` command: the runtime shape check of one open document.

    workspace/executeCommand {"command": "tensorlint.shapeCheck", "arguments": [uri, device?]}
    workspace/executeCommand {"command": "tensorlint.cancelShapeCheck", "arguments": [uri]}

It runs only when asked (never on open, change or save), on a worker thread that waits for the
check's subprocess, so the event loop keeps answering. A newer check of the same document
replaces a running one; `tensorlint.cancelShapeCheck` cancels it. A cancelled check answers with
a RequestCancelled error and publishes nothing; it answers once every process the check started
is gone (the runtime's sandbox kills and sweeps them, see tensorlint/runtime/sandbox.py), and so
does `shutdown` for the checks running then. Should the server die instead, each check's reaper
sees its lifeline close and kills what it watches. Its problems are published as diagnostics
with `source: "tensorlint-runtime"`, merged with the static ones of the same document (LSP keeps
one set per URI) until the document changes. The result is the report in Markdown.

A client that says the workspace is untrusted (initializationOptions `trusted: false`) is
refused: the check executes the file's code.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path


from .core import TensorlintServer, publish
from .bridge import Document, to_client_column

if TYPE_CHECKING:
    from tensorlint.runtime import Options, Report, RuntimeDiagnostic

log = logging.getLogger(__name__)

COMMAND = "tensorlint.shapeCheck"
CANCEL_COMMAND = "tensorlint.cancelShapeCheck"
# the checks running now: their cancel event -> an event set once the check has cleaned up
RUNNING: dict[threading.Event, threading.Event] = {}
CLEANUP_S = 15.0  # the longest a cancel or shutdown waits for a check's processes to be gone


def stop_all(wait_s: float = CLEANUP_S) -> bool:
    """Stop every running check and wait until each has killed its processes (the server is going
    away). False when one had not finished cleaning up after `wait_s` seconds."""
    checks = list(RUNNING.items())
    for cancel, _ in checks:
        cancel.set()
    deadline = time.monotonic() + wait_s
    return all(finished.wait(max(0.0, deadline - time.monotonic())) for _, finished in checks)


async def stop_all_and_wait(ls: TensorlintServer) -> bool:
    """`stop_all` without blocking the event loop, then let the stopped checks answer their
    requests (before `shutdown` returns: what is still pending then is cancelled by pygls)."""
    done = await asyncio.get_running_loop().run_in_executor(None, stop_all)
    tasks = [s.shape_check for s in ls.states.values() if s.shape_check is not None and not s.shape_check.done()]
    if tasks:
        await asyncio.wait(tasks, timeout=CLEANUP_S)
    await asyncio.sleep(0)  # their responses are sent from done-callbacks
    return done


SOURCE = "tensorlint-runtime"
REQUEST_FAILED = -32803  # LSP's RequestFailed
REQUEST_CANCELLED = -32800
UNTRUSTED = (
    "tensorlint: the shape check is disabled because this workspace is not trusted: it runs the "
    "file's code (imports, model definitions, one forward and backward pass). Trust the workspace to use it."
)
SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}



class Refused(JsonRpcException):
    """The command cannot run; the message says why."""

    def __init__(self, message: str, code: int = REQUEST_FAILED):
        super().__init__(message, code=code)


def _arguments(args: tuple[Any, ...]) -> tuple[str, str | None]:
    """(uri, device) from [uri, device?] or [{"uri": ..., "device": ...}]."""
    if not args:
        raise Refused("tensorlint.shapeCheck needs the document's URI as its first argument")
    first, device = args[0], (args[1] if len(args) > 1 else None)
    if isinstance(first, dict):
        device = first.get("device", device)
        first = first.get("uri")
    if not isinstance(first, str) or not first:
        raise Refused("tensorlint.shapeCheck needs the document's URI as its first argument")
    from tensorlint.runtime import DEVICES  # the runtime check loads with its first command

    if device is not None and device not in DEVICES:
        raise Refused(f"tensorlint.shapeCheck: unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    return first, device


def choose_device(argument: str | None, setting: str | None, project: str | None) -> str:
    """The first of the command's argument, the editor setting and pyproject.toml's device that
    is not `auto`; `auto` when none is."""
    for device in (argument, setting, project):
        if device and device != "auto":
            return device
    return "auto"


def options_for(path: str, device: str | None, setting: str | None) -> Options:
    """The check's options: `[tool.tensorlint.shapecheck]` of the file's project, the device chosen
    by the editor over it."""
    from tensorlint.runtime import Options, project_settings

    project = project_settings(path)
    for problem in project.get("errors", []):
        log.warning("%s", problem)
    return Options(
        device=choose_device(device, setting, project.get("device")),
        timeout=project.get("timeout", Options.timeout),
        memory_mb=project.get("memory_mb"),
        python=project.get("python"),
        argv=project.get("argv", []),
        cwd=os.path.dirname(path),
    )


def runtime_diagnostic(d: RuntimeDiagnostic, doc: Document) -> types.Diagnostic:
    """A diagnostic over the call that failed: the one call expression that starts on the
    reported line (with the calls nested in it); over the line's text (from its first non-blank
    character) when the line holds no call, or several side by side."""
    line = max(1, min(d.line, len(doc.lines)))
    rng = call_range(doc, line)
    if rng is None:
        text = doc.line(line)
        start = len(text) - len(text.lstrip())
        rng = types.Range(
            types.Position(line - 1, to_client_column(text, start, doc.encoding)),
            types.Position(line - 1, to_client_column(text, len(text), doc.encoding)),
        )
    return types.Diagnostic(
        range=rng,
        message=d.message,
        severity=SEVERITIES.get(d.severity, types.DiagnosticSeverity.Warning),
        source=SOURCE,
        code=f"runtime-{d.kind}",
    )


def call_range(doc: Document, line: int) -> types.Range | None:
    calls = _outermost_calls(doc.text).get(line, ())
    if len(calls) != 1:
        return None
    (l1, c1), (l2, c2) = calls[0]

    def position(number: int, byte_column: int) -> types.Position:
        text = doc.line(number)  # the parser counts columns in UTF-8 bytes
        column = len(text.encode("utf-8")[:byte_column].decode("utf-8", "replace"))
        return types.Position(number - 1, to_client_column(text, column, doc.encoding))

    return types.Range(position(l1, c1), position(l2, c2))


@functools.lru_cache(maxsize=4)
def _outermost_calls(text: str) -> dict:
    """Line -> ((line, column), (end line, end column)) of the calls that start on it and are
    not inside another call that starts on it. Empty for a text that does not parse."""
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    by_line: dict = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.end_lineno is not None:
            by_line.setdefault(node.lineno, []).append(((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)))
    return {line: [c for c in calls if not any(o != c and o[0] <= c[0] and c[1] <= o[1] for o in calls)]
            for line, calls in by_line.items()}


async def shape_check(ls: TensorlintServer, *args: Any) -> str:
    """Run the check on the document's current text; publish its diagnostics; return Markdown."""
    if not ls.trusted:
        raise Refused(UNTRUSTED)
    uri, device = _arguments(args)
    try:
        text = ls.workspace.get_text_document(uri).source
    except (OSError, ValueError) as exc:
        raise Refused(f"tensorlint.shapeCheck: cannot read {uri}: {exc}") from exc
    state = ls.state(uri)
    version = state.version
    path = to_fs_path(uri) or os.path.join(ls.root or os.getcwd(), "untitled.py")
    options = options_for(path, device, ls.settings.shape_check_device)
    log.info("shape check of %s on %s", path, options.device)
    if state.shape_check is not None:
        state.shape_check.cancel()
    task = state.shape_check = asyncio.current_task()
    options.cancel = cancel = threading.Event()
    finished = RUNNING[cancel] = threading.Event()
    try:
        report: Report = await in_thread(_check, path, text, options, finished)
    except asyncio.CancelledError:
        cancel.set()  # the subprocess is killed, not left to run to its time limit
        # answer once the check's processes are gone (the worker thread waits for that)
        await asyncio.get_running_loop().run_in_executor(None, finished.wait, CLEANUP_S)
        log.info("shape check of %s cancelled", path)
        raise Refused("tensorlint: the shape check was cancelled", code=REQUEST_CANCELLED) from None
    finally:
        RUNNING.pop(cancel, None)
        if state.shape_check is task:
            state.shape_check = None
    report.path = shown_name(path, ls.root)  # the report's title: not the check's temporary copy
    current = ls.states.get(uri)
    if current is None or current.version != version:
        return report.to_markdown() + "\n_The document changed during the check: its diagnostics were not shown._\n"
    doc = Document(text, ls.encoding)
    current.runtime = [runtime_diagnostic(d, doc) for d in report.diagnostics()]
    publish(ls, uri)
    return report.to_markdown()


def shown_name(path: str, root: str | None) -> str:
    """`path` relative to the workspace root when it lies inside it, else as it is."""
    if root:
        try:
            relative = os.path.relpath(path, root)
        except ValueError:  # another drive
            return path
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return relative.replace(os.sep, "/")
    return path


async def cancel_shape_check(ls: TensorlintServer, *args: Any) -> dict[str, bool]:
    """Cancel the running check of a document. Returns {"cancelled": bool}."""
    try:
        uri = _arguments(args[:1])[0]
    except Refused:
        return {"cancelled": False}
    state = ls.states.get(uri)
    if state is None or state.shape_check is None or state.shape_check.done():
        return {"cancelled": False}
    task = state.shape_check
    task.cancel()
    await asyncio.wait({task}, timeout=CLEANUP_S)  # its processes are gone when it ends
    return {"cancelled": True}


def in_thread(fn: Callable[..., Any], *args: Any) -> asyncio.Future:
    """Run `fn` on a daemon thread: a check that waits on its subprocess never delays the
    server's exit (`stop_all` kills the subprocess at shutdown)."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def work() -> None:
        try:
            result, error = fn(*args), None
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
            result, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:  # the loop closed while the check ran
            pass

    threading.Thread(target=work, name="tensorlint-shapecheck", daemon=True).start()
    return future


def _check(path: str, text: str, options: Options, finished: threading.Event) -> Report:
    from tensorlint.runtime import Report, run_shapecheck

    try:
        return run_shapecheck(path, text, options)  # returns after every process it started is gone
    except Exception as exc:  # noqa: BLE001 - the server outlives any failure of the check
        log.exception("the shape check of %s failed", path)
        return Report(path, "failed", f"the shape check itself failed: {type(exc).__name__}: {exc}")
    finally:
        finished.set()
