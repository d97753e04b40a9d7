"""Document lifecycle: lint on open, on change (debounced per document) and on save; clear on close.

Every analysis works on a snapshot (text + version) taken on the event loop. The result is
published from the event loop, and only if the document still has that version: results for
outdated text are dropped, never shown.
"""
from __future__ import annotations

import asyncio
import logging
import itertools
import time

from lsprotocol import types
from pygls.uris import to_fs_path

from .core import TensorlintServer, publish
from .linting import Snapshot

log = logging.getLogger(__name__)


def register(server: TensorlintServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TensorlintServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        ls.state(doc.uri).version = doc.version
        schedule(ls, doc.uri, delay=0.0)
        source_changed(ls, doc.uri, doc.text)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TensorlintServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = params.text_document
        state = ls.state(doc.uri)
        state.version = doc.version
        if state.runtime:  # the shape check ran on the old text: its results no longer hold
            state.runtime = []
            publish(ls, doc.uri)
        if ls.settings.lint_on_change:
            schedule(ls, doc.uri, delay=ls.settings.debounce)
            source_changed(ls, doc.uri, ls.workspace.get_text_document(doc.uri).source)
        else:
            state.cancel()  # a pending run would be for an older version anyway

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TensorlintServer, params: types.DidSaveTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, delay=0.0)
        uri = params.text_document.uri
        source_changed(ls, uri, ls.workspace.get_text_document(uri).source)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TensorlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        state = ls.states.pop(uri, None)
        if state is not None:
            state.cancel()
        ls.linter.forget(to_fs_path(uri) or uri)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        source_changed(ls, uri, None)  # importers now read the file on disk

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: TensorlintServer, params: None) -> None:
        from .shapecheck import stop_all_and_wait

        for state in ls.states.values():
            state.cancel()
        await stop_all_and_wait(ls)
        ls.linter.close()


def schedule(ls: TensorlintServer, uri: str, delay: float) -> None:
    """(Re)start the pending analysis of `uri`: a newer request replaces an older one."""
    state = ls.state(uri)
    if state.notebook is not None:  # a cell is analyzed with the rest of its notebook
        from . import notebooks

        return notebooks.schedule(ls, state.notebook, delay)
    state.cancel()
    state.task = asyncio.get_running_loop().create_task(_lint_after(ls, uri, delay))


def source_changed(ls: TensorlintServer, uri: str, text: str | None) -> None:
    """A module's text changed (edited, saved, closed, or changed on disk: `text` None means
    the file on disk counts): importers see the editor's text, and the open documents whose
    last analysis read the module are analyzed again."""
    from tensorlint.project import set_overlay

    path = to_fs_path(uri)
    if not path or not path.endswith(".py"):
        return
    set_overlay(path, text)
    relint_importers(ls, path)


def relint_importers(ls: TensorlintServer, path: str) -> None:
    import os

    from . import notebooks

    path = os.path.abspath(path)
    for uri, state in list(ls.states.items()):
        if path in state.dependencies and state.notebook is None:
            schedule(ls, uri, delay=ls.settings.debounce)
    for uri, nb in list(notebooks.notebooks(ls).items()):
        if path in nb.dependencies:
            notebooks.schedule(ls, uri, ls.settings.debounce)


def relint_all(ls: TensorlintServer) -> None:
    for uri in list(ls.states):
        schedule(ls, uri, delay=0.0)


async def _lint_after(ls: TensorlintServer, uri: str, delay: float) -> None:
    if delay > 0:
        await asyncio.sleep(delay)
    await lint(ls, uri)


def snapshot(ls: TensorlintServer, uri: str) -> Snapshot | None:
    try:
        doc = ls.workspace.get_text_document(uri)
        text = doc.source
    except (OSError, ValueError):
        return None
    state = ls.states.get(uri)
    version = state.version if state is not None else doc.version
    path = to_fs_path(uri) or uri
    return Snapshot(text, version, path, ls.config_for(path), ls.settings.show_syntax_errors,
                    tolerant=state is None or state.good is None)


async def lint(ls: TensorlintServer, uri: str) -> bool:
    """Analyze the current text of `uri` and publish the result; False if it went stale."""
    state = ls.states.get(uri)
    if state is not None and state.notebook is not None:
        from . import notebooks

        return await notebooks.lint(ls, state.notebook)
    snap = snapshot(ls, uri)
    if snap is None:
        return False

    def current() -> bool:
        state = ls.states.get(uri)
        return state is not None and state.version == snap.version

    began = time.perf_counter()
    state = ls.states.get(uri)
    done = _nothing
    if state is not None and state.published_version is None:  # its first analysis: show that it runs
        analysis, done = await with_progress(ls, uri, ls.linter.run(snap, current))
    else:
        analysis = await ls.linter.run(snap, current)
    took = (time.perf_counter() - began) * 1000
    if analysis is None or not current():
        done()
        ls.trace(f"analysis of {uri} (version {snap.version}) dropped: the document changed or it failed ({took:.0f} ms)")
        return False
    state = ls.states[uri]
    state.accept(snap, analysis)
    publish(ls, uri)
    done()
    ls.trace(
        f"analyzed {uri} (version {snap.version}) in {took:.0f} ms: {len(state.findings)} findings",
        "\n".join(f"{f.code} line {f.span.start.line}: {f.message}" for f in state.findings) or None,
    )
    return True


_TOKENS = itertools.count(1)  # progress tokens: unique within the server's life
PROGRESS_AFTER = 0.2  # seconds: a quicker first analysis shows no progress (it would only flicker)


async def with_progress(ls: TensorlintServer, uri: str, work):
    """`work`'s result, and what to call once it is published. When it takes longer than
    PROGRESS_AFTER and the client takes server-initiated progress, the editor shows
    "tensorlint: analyzing NAME…" until that call (`$/progress` begin, then end), so that a
    large file does not look clean while it is being read."""
    task = asyncio.ensure_future(work)
    try:
        finished, _ = await asyncio.wait({task}, timeout=PROGRESS_AFTER)
        if finished or not ls.client_supports("window.work_done_progress"):
            return await task, _nothing
        token = f"tensorlint-analysis-{next(_TOKENS)}"
        try:
            # shielded: a newer edit that cancels this analysis must not cancel the request's
            # future, which the client's late answer would then find cancelled (pygls logs an
            # InvalidStateError traceback)
            await asyncio.shield(ls.work_done_progress.create_async(token))
        except Exception:  # a client that refuses the token just shows nothing
            return await task, _nothing
    except asyncio.CancelledError:
        task.cancel()
        raise
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(
        title="tensorlint", message=f"analyzing {name}\u2026", cancellable=False))

    def end() -> None:
        ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"analyzed {name}"))

    try:
        return await task, end
    except BaseException:  # cancelled by a newer edit: the progress ends with it
        end()
        raise


def _nothing() -> None:
    pass
