"""Document lifecycle: lint on open, on change (debounced per document) and on save; clear on close.

Every analysis works on a snapshot (text + version) taken on the event loop. The result is
published from the event loop, and only if the document still has that version: results for
outdated text are dropped, never shown.
"""
from __future__ import annotations

import asyncio
import logging

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
        else:
            state.cancel()  # a pending run would be for an older version anyway

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TensorlintServer, params: types.DidSaveTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, delay=0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TensorlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        state = ls.states.pop(uri, None)
        if state is not None:
            state.cancel()
        ls.linter.forget(to_fs_path(uri) or uri)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

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
    version = ls.states[uri].version if uri in ls.states else doc.version
    path = to_fs_path(uri) or uri
    return Snapshot(text, version, path, ls.config_for(path), ls.settings.show_syntax_errors)


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

    analysis = await ls.linter.run(snap, current)
    if analysis is None or not current():
        return False
    state = ls.states[uri]
    state.accept(snap, analysis)
    publish(ls, uri)
    return True
