"""Notebook document synchronization (LSP 3.17): diagnostics, quick fixes and hovers per cell."""
from __future__ import annotations

from lsprotocol import types

from lsp_session import apply_edit, by_code

NB = "file:///work/train.ipynb"
CELLS = [
    "%matplotlib inline\nimport torch\nimport torch.nn as nn",
    "model = nn.Linear(10, 1)",
    "model = ",  # an exercise left blank: does not parse
    "x = torch.randint(0, 10, (4, 10))\nout = model(x)",
]


def cell_uri(n: int) -> str:
    return f"vscode-notebook-cell:/work/train.ipynb#C{n}"


class NotebookSession:
    def __init__(self, lsp):
        self.lsp, self.client = lsp, lsp.client
        self.version = 0
        self.cell_versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    def open(self, sources: list[str], kinds=None) -> None:
        kinds = kinds or [types.NotebookCellKind.Code] * len(sources)
        self.version = 1
        cells, docs = [], []
        for n, (source, kind) in enumerate(zip(sources, kinds)):
            uri = cell_uri(n)
            cells.append(types.NotebookCell(kind=kind, document=uri))
            if kind == types.NotebookCellKind.Code:
                docs.append(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=source))
                self.cell_versions[uri], self.texts[uri] = 1, source
        self.client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(uri=NB, notebook_type="jupyter-notebook", version=1, cells=cells),
            cell_text_documents=docs))

    def edit_cell(self, uri: str, text: str) -> int:
        self.version += 1
        self.cell_versions[uri] += 1
        self.texts[uri] = text
        self.client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=self.version, uri=NB),
            change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.cell_versions[uri]),
                    changes=[types.TextDocumentContentChangeWholeDocument(text=text)])]))))
        return self.cell_versions[uri]

    async def diagnostics(self, uri: str, version: int = 1) -> list[types.Diagnostic]:
        return await self.client.diagnostics_for(uri, version)


async def test_diagnostics_are_published_on_the_cell_with_cell_lines(session_factory):
    lsp = await session_factory(options={"debounce": 0, "showSyntaxErrors": True})
    nb = NotebookSession(lsp)
    assert lsp.result.capabilities.notebook_document_sync is not None
    nb.open(CELLS)
    [d] = by_code(await nb.diagnostics(cell_uri(3)), "TL101")
    assert d.range.start.line == 1  # `out = model(x)`, the cell's second line
    # the layer is defined in another cell: the related place is that cell
    assert any(info.location.uri == cell_uri(1) and info.location.range.start.line == 0
               for info in d.related_information or [])
    assert "cell 2, line 1" in d.message
    # the blank exercise is a syntax error of its own cell and hides nothing
    [syntax] = by_code(await nb.diagnostics(cell_uri(2)), "TL001")
    assert syntax.range.start.line == 0
    assert by_code(await nb.diagnostics(cell_uri(0)), "TL001") == []


async def test_quick_fix_in_a_cell_and_incremental_republish(lsp):
    nb = NotebookSession(lsp)
    nb.open(CELLS)
    uri = cell_uri(3)
    [d] = by_code(await nb.diagnostics(uri), "TL101")
    actions = await lsp.code_actions(uri, [d])
    [fix] = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    [change] = fix.edit.document_changes
    assert change.text_document.uri == uri
    seen_cell0 = len(lsp.client.published[cell_uri(0)])
    version = nb.edit_cell(uri, apply_edit(nb.texts[uri], uri, fix.edit))
    assert ".float()" in nb.texts[uri]
    assert by_code(await nb.diagnostics(uri, version), "TL101") == []
    # only the cell whose diagnostics changed was published again
    assert len(lsp.client.published[cell_uri(0)]) == seen_cell0


async def test_hover_in_a_cell_shows_the_value(lsp):
    nb = NotebookSession(lsp)
    nb.open(CELLS)
    await nb.diagnostics(cell_uri(3))
    hover = await lsp.client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=cell_uri(3)), position=types.Position(0, 0)))
    assert hover is not None and "int64" in hover.contents.value


async def test_an_edit_in_an_earlier_cell_changes_a_later_cell(lsp):
    nb = NotebookSession(lsp)
    nb.open(CELLS)
    assert by_code(await nb.diagnostics(cell_uri(3)), "TL101")
    count = len(lsp.client.published[cell_uri(3)])
    nb.edit_cell(cell_uri(1), "model = nn.Embedding(10, 1)")  # wants integer indices
    assert by_code(await lsp.client.diagnostics_after(cell_uri(3), count), "TL101") == []


async def test_markdown_cells_and_close(lsp):
    nb = NotebookSession(lsp)
    nb.open(["# Title", *CELLS], kinds=[types.NotebookCellKind.Markup] + [types.NotebookCellKind.Code] * 4)
    assert by_code(await nb.diagnostics(cell_uri(4)), "TL101")
    count = len(lsp.client.published[cell_uri(4)])
    lsp.client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
        notebook_document=types.NotebookDocumentIdentifier(uri=NB),
        cell_text_documents=[types.TextDocumentIdentifier(uri=cell_uri(n)) for n in range(1, 5)]))
    assert await lsp.client.diagnostics_after(cell_uri(4), count) == []


async def test_cells_inserted_and_removed(lsp):
    nb = NotebookSession(lsp)
    nb.open(CELLS)
    assert by_code(await nb.diagnostics(cell_uri(3)), "TL101")
    count3 = len(lsp.client.published[cell_uri(3)])
    count2 = len(lsp.client.published[cell_uri(2)])
    # a new cell before the last one makes `model` an Embedding; the blank exercise cell goes
    new = "vscode-notebook-cell:/work/train.ipynb#New"
    nb.version += 1
    lsp.client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(version=nb.version, uri=NB),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(start=2, delete_count=1, cells=[
                    types.NotebookCell(kind=types.NotebookCellKind.Code, document=new)]),
                did_open=[types.TextDocumentItem(uri=new, language_id="python", version=1,
                                                 text="model = nn.Embedding(10, 1)")],
                did_close=[types.TextDocumentIdentifier(uri=cell_uri(2))])))))
    assert by_code(await lsp.client.diagnostics_after(cell_uri(3), count3), "TL101") == []
    assert await lsp.client.diagnostics_after(cell_uri(2), count2) == []  # the removed cell is cleared


async def test_a_half_typed_cell_keeps_its_findings(lsp):
    nb = NotebookSession(lsp)
    nb.open(CELLS)
    uri = cell_uri(3)
    assert by_code(await nb.diagnostics(uri), "TL101")
    version = nb.edit_cell(uri, CELLS[3] + "\ny = (")  # being typed: does not parse
    [d] = by_code(await nb.diagnostics(uri, version), "TL101")
    assert d.range.start.line == 1
