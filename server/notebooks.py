"""Notebooks in the editor: LSP 3.17 notebook document synchronization.

The client sends `notebookDocument/didOpen|didChange|didSave|didClose` for a notebook and its
Python cells (pygls keeps the cells' texts in the workspace). The notebook is analyzed as the
command line analyzes a `.ipynb`: each cell as IPython runs it, in order, one program, a cell
that does not parse left out (`tensorlint.notebook`). The joined text goes through the same
incremental analysis as a file, so an edit in one cell re-runs only what that cell can affect.

Findings are published per cell, on the cell's own URI and in its own lines; a cell's
diagnostics are sent again only when they changed. Each cell has a `DocumentState` like an
open file, so quick fixes, "ignore" actions, fix-all and hovers work in cells unchanged; its
`notebook` field sends any re-analysis of the cell to its notebook.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from tensorlint.findings import Finding, ValueInfo

from .core import TensorlintServer
from .bridge import Document, LineShift, diagnostic
from .linting import Snapshot

if TYPE_CHECKING:
    from tensorlint.notebook import Notebook

log = logging.getLogger(__name__)

SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithCells(
        cells=[types.NotebookCellLanguage(language="python")], notebook="jupyter-notebook")],
    save=True,
)


@dataclass
class NotebookState:
    uri: str
    task: asyncio.Task | None = None
    published: dict[str, tuple] = field(default_factory=dict)  # cell URI -> the diagnostics last sent
    dependencies: tuple = ()  # project modules the last analysis read

    def cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = None


def notebooks(ls: TensorlintServer) -> dict[str, NotebookState]:
    if not hasattr(ls, "notebook_states"):
        ls.notebook_states = {}
    return ls.notebook_states


def register(server: TensorlintServer) -> None:
    server._notebook_document_sync = SYNC  # announced in the capabilities at `initialize`

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(ls: TensorlintServer, params: types.DidOpenNotebookDocumentParams) -> None:
        schedule(ls, params.notebook_document.uri, delay=0.0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(ls: TensorlintServer, params: types.DidChangeNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        cells = params.change.cells
        for closed in (cells.structure.did_close or []) if cells and cells.structure else []:
            _drop_cell(ls, uri, closed.uri)
        if ls.settings.lint_on_change:
            schedule(ls, uri, delay=ls.settings.debounce)
        else:
            notebooks(ls).setdefault(uri, NotebookState(uri)).cancel()

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def did_save(ls: TensorlintServer, params: types.DidSaveNotebookDocumentParams) -> None:
        schedule(ls, params.notebook_document.uri, delay=0.0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(ls: TensorlintServer, params: types.DidCloseNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        state = notebooks(ls).get(uri)
        if state is not None:
            state.cancel()
            for cell_uri in list(state.published):
                _drop_cell(ls, uri, cell_uri)
        notebooks(ls).pop(uri, None)
        for cell in params.cell_text_documents:
            ls.states.pop(cell.uri, None)
        ls.linter.forget(to_fs_path(uri) or uri)


def _drop_cell(ls: TensorlintServer, notebook_uri: str, cell_uri: str) -> None:
    ls.states.pop(cell_uri, None)
    state = notebooks(ls).get(notebook_uri)
    if state is not None and state.published.pop(cell_uri, None) is not None:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=cell_uri, diagnostics=[]))


def schedule(ls: TensorlintServer, uri: str, delay: float) -> None:
    """(Re)start the pending analysis of notebook `uri`."""
    state = notebooks(ls).setdefault(uri, NotebookState(uri))
    state.cancel()
    state.task = asyncio.get_running_loop().create_task(_lint_after(ls, uri, delay))


async def _lint_after(ls: TensorlintServer, uri: str, delay: float) -> None:
    if delay > 0:
        await asyncio.sleep(delay)
    try:
        await lint(ls, uri)
    except Exception:  # a failure is logged; the server goes on
        log.exception("analysis of notebook %s failed", uri)


@dataclass
class _Cells:
    """The notebook's Python cells as they are now: URIs, versions, sources."""

    uris: list[str]
    versions: list[int | None]
    sources: list[str]
    version: int


def _cells(ls: TensorlintServer, uri: str) -> _Cells | None:
    nb = ls.workspace.get_notebook_document(notebook_uri=uri)
    if nb is None:
        return None
    out = _Cells([], [], [], nb.version)
    for cell in nb.cells:
        if cell.kind != types.NotebookCellKind.Code:
            continue
        try:
            doc = ls.workspace.get_text_document(cell.document)
        except (OSError, ValueError, KeyError):
            continue
        if doc.language_id not in (None, "python"):
            continue
        out.uris.append(cell.document)
        out.versions.append(doc.version)
        out.sources.append(doc.source)
    return out


async def lint(ls: TensorlintServer, uri: str) -> bool:
    """Analyze notebook `uri` as it is now and publish per cell; False if it went stale."""
    from tensorlint.engine import FRAMEWORK_MARKERS
    from tensorlint.notebook import Notebook  # (both loaded with the first notebook)

    cells = _cells(ls, uri)
    if cells is None:
        return False
    nb = Notebook.from_sources(cells.sources)
    path = to_fs_path(uri) or uri
    snap = Snapshot(nb.text, cells.version, path, ls.config_for(path), ls.settings.show_syntax_errors)

    def current() -> bool:
        now = ls.workspace.get_notebook_document(notebook_uri=uri)
        return uri in notebooks(ls) and now is not None and now.version == cells.version

    analysis = await ls.linter.run(snap, current)
    if analysis is None or not current():
        return False
    findings = list(analysis.findings)
    if uri in notebooks(ls):
        notebooks(ls)[uri].dependencies = tuple(analysis.dependencies)
    if snap.show_syntax_errors and nb.broken and FRAMEWORK_MARKERS.search("".join(cells.sources)) \
            and snap.config.is_enabled("TL001", True, path):
        findings += nb.syntax_errors(snap.config)
    _publish(ls, uri, cells, nb, findings, analysis.values)
    return True


def _publish(ls: TensorlintServer, uri: str, cells: _Cells, nb: Notebook, findings: list[Finding],
             values: list[ValueInfo]) -> None:
    per_cell: dict[int, list[Finding]] = {n: [] for n in range(1, len(cells.uris) + 1)}
    for f in findings:
        number, local = nb.to_cell(f)
        if number is not None:
            per_cell[number].append(local)
    cell_values: dict[int, list[ValueInfo]] = {n: [] for n in per_cell}
    for v in values:
        number, span = nb.span_in_cell(v.span)
        if number is not None:
            origin = nb.span_in_cell(v.origin) if v.origin is not None else (None, None)
            # an origin in another cell has no place in this cell's lines
            cell_values[number].append(ValueInfo(span, v.text, origin[1] if origin[0] == number else None))
    state = notebooks(ls).setdefault(uri, NotebookState(uri))
    docs = {n: Document(cells.sources[n - 1], ls.encoding) for n in per_cell}
    for number, local in per_cell.items():
        cell_uri, version = cells.uris[number - 1], cells.versions[number - 1]
        doc_state = ls.state(cell_uri)
        text = cells.sources[number - 1]
        if nb.cell(number).error is not None and doc_state.notebook == uri:
            # half-typed: the cell's last results stay, moved onto its new text, as for a file
            shift = LineShift(doc_state.text, text)
            local = [shift.finding(f) for f in doc_state.findings if f.code != "TL001"] + local
            cell_values[number] = [shift.value(v) for v in doc_state.values]
        doc_state.notebook = uri
        doc_state.text = text
        doc_state.version = doc_state.published_version = version
        doc_state.findings, doc_state.values = local, cell_values[number]
        diagnostics = [_diagnostic(f, number, docs, cells, version) for f in sorted(local, key=Finding.sort_key)]
        sent = tuple(repr(d) for d in diagnostics)
        if cell_uri in state.published and state.published[cell_uri] == sent:
            continue  # this cell's diagnostics did not change: nothing to send
        state.published[cell_uri] = sent
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=cell_uri, diagnostics=diagnostics, version=version))


def _diagnostic(f: Finding, number: int, docs: dict[int, Document], cells: _Cells,
                version: int | None) -> types.Diagnostic:
    """The diagnostic of a finding of cell `number`; related places in other cells point there."""
    d = diagnostic(f, docs[number], cells.uris[number - 1], version)
    if d.related_information:
        d.related_information = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=cells.uris[r.cell - 1], range=docs[r.cell].range(r.span)), message=info.message)
            if r.cell in docs else info
            for info, r in zip(d.related_information, f.related)
        ]
    return d
