"""The language server's class: the state that every feature shares (documents, their
analyses, settings, trust) and the helpers features read it through. Features register
their handlers on it (`server/<feature>.py`, `register(server)`); `server/app.py` wires them.
"""
from __future__ import annotations

import logging
import sys

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from tensorlint import __version__
from tensorlint.config import Config
from tensorlint.findings import Finding, ValueInfo

from .bridge import Document, LineShift, diagnostic
from .linting import DocumentState, Linter
from .settings import ProjectConfigs, ServerSettings, effective_config

log = logging.getLogger(__package__ + ".app")  # the name its log lines have always had


class Protocol(LanguageServerProtocol):
    """pygls 2.1 files the future of every notification whose handler is a generator (its own
    didOpen/didChange/didClose handlers are) under a fresh id and never removes it: about 1 kB
    per edit, kept for the life of the server. Those entries are dropped when they finish."""

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        if callback == self._check_handler_result:  # a notification: nobody will ask for it
            future = self._request_futures.get(msg_id)
            if future is not None:
                if future.done():
                    self._request_futures.pop(msg_id, None)
                else:
                    future.add_done_callback(lambda _f, key=msg_id: self._request_futures.pop(key, None))


    def handle_message(self, message):
        """pygls drops requests after `shutdown` without a word; they get an error instead."""
        if self._shutdown and hasattr(message, "method") and getattr(message, "id", None) is not None:
            self._send_response(message.id, error=types.ResponseError(
                code=types.ErrorCodes.InvalidRequest, message="the server is shutting down"))
            return
        super().handle_message(message)


class TensorlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "tensorlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=Protocol,
        )
        self.states: dict[str, DocumentState] = {}
        self.settings = ServerSettings()
        self.projects = ProjectConfigs(None)
        self.linter = Linter()
        self._reported: set[str] = set()
        self.pending_problems: list[str] = []  # found before the client can be told
        # False when the client said the workspace is untrusted: nothing that runs its code
        self.trusted = True

    def start_io(self, stdin=None, stdout=None) -> int:
        """Serve over stdio (see `stdio`); the process's exit status."""
        from .stdio import serve

        return serve(self, stdin or sys.stdin.buffer, stdout or sys.stdout.buffer)

    # -- configuration ------------------------------------------------------------------------

    def config_for(self, path: str) -> Config:
        """The project's configuration for `path` with the editor's settings over it."""
        config = effective_config(self.projects.for_path(path), self.settings)
        if self.projects.problems:
            problems, self.projects.problems = self.projects.problems, []
            self.report(problems)
        return config

    def report(self, problems: list[str]) -> None:
        """Tell the user about bad settings, each message once per session."""
        for message in problems:
            log.warning("%s", message)
            if message in self._reported:
                continue
            self._reported.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def trace(self, message: str, verbose: str | None = None) -> None:
        """A `$/logTrace` line, sent only while the client asked for traces (`$/setTrace`,
        VS Code's `tensorlint.trace.server`); `verbose` only when it asked for "verbose"."""
        level = self.protocol.trace
        if level is None or level == types.TraceValue.Off:
            return
        detail = verbose if level == types.TraceValue.Verbose else None
        self.log_trace(types.LogTraceParams(message=message, verbose=detail))

    @property
    def root(self) -> str | None:
        try:
            root_uri = self.workspace.root_uri
        except RuntimeError:
            return None
        return to_fs_path(root_uri) if root_uri else None

    # -- documents ----------------------------------------------------------------------------

    def state(self, uri: str) -> DocumentState:
        if uri not in self.states:
            self.states[uri] = DocumentState(uri)
        return self.states[uri]

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    def document(self, uri: str) -> Document:
        """The current text of an open document, for converting positions."""
        return Document(self.workspace.get_text_document(uri).source, self.encoding)

    def view(self, uri: str) -> tuple[list[Finding], list[ValueInfo], Document] | None:
        """The published findings and values of `uri`, moved onto its current text."""
        state = self.states.get(uri)
        if state is None:
            return None
        text = self.workspace.get_text_document(uri).source
        findings, values = state.findings, state.values
        if text != state.text:
            shift = LineShift(state.text, text)
            findings = [shift.finding(f) for f in findings]
            values = [shift.value(v) for v in values]
        return findings, values, Document(text, self.encoding)

    def client_supports(self, path: str) -> bool:
        """Whether a dotted field of the client's capabilities is truthy."""
        node = self.client_capabilities
        for part in path.split("."):
            node = getattr(node, part, None)
            if node is None:
                return False
        return bool(node)


def publish(ls: TensorlintServer, uri: str) -> None:
    """Send the document's diagnostics (static and runtime) to the client."""
    state = ls.states[uri]
    doc = Document(state.text, ls.encoding)
    diagnostics = [diagnostic(f, doc, uri, state.published_version) for f in sorted(state.findings, key=lambda f: f.sort_key())]
    diagnostics += state.runtime
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=state.published_version)
    )
    if ls.settings.inlay_hints and ls.client_supports("workspace.inlay_hint.refresh_support"):
        ls.workspace_inlay_hint_refresh(None)
