"""Files that import a project module are analyzed again when that module changes."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from lsp_session import by_code

MODEL = """import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 2)

    def forward(self, x):
        return self.fc(x)
"""
TRAIN = """import torch
from model import Net

model = Net()
out = model(torch.randn(8, 20))
"""


def files(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "model.py").write_text(MODEL, encoding="utf-8")
    (tmp_path / "train.py").write_text(TRAIN, encoding="utf-8")
    return (tmp_path / "train.py").as_uri(), (tmp_path / "model.py").as_uri()


async def test_editing_the_imported_model_updates_the_importer(lsp, tmp_path):
    train, model = files(tmp_path)
    assert by_code(await lsp.open(train, TRAIN), "TL202") == []
    await lsp.open(model, MODEL)
    seen = len(lsp.client.published[train])
    await lsp.edit(model, MODEL.replace("nn.Linear(20, 2)", "nn.Linear(30, 2)"))  # unsaved edit
    [d] = by_code(await lsp.client.diagnostics_after(train, seen), "TL202")
    assert d.range.start.line == 4 and "30 input features" in d.message
    seen = len(lsp.client.published[train])
    await lsp.edit(model, MODEL)  # the bug goes away again
    assert by_code(await lsp.client.diagnostics_after(train, seen), "TL202") == []


async def test_a_module_changed_on_disk_updates_the_importer(lsp, tmp_path):
    train, model = files(tmp_path)
    assert by_code(await lsp.open(train, TRAIN), "TL202") == []
    seen = len(lsp.client.published[train])
    path = tmp_path / "model.py"
    path.write_text(MODEL.replace("nn.Linear(20, 2)", "nn.Linear(12, 2)"), encoding="utf-8")
    lsp.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=model, type=types.FileChangeType.Changed)]))
    [d] = by_code(await lsp.client.diagnostics_after(train, seen), "TL202")
    assert "12 input features" in d.message


async def test_a_notebook_importing_the_module_is_analyzed_again(lsp, tmp_path):
    _, model = files(tmp_path)
    nb = (tmp_path / "explore.ipynb").as_uri()
    cell = f"vscode-notebook-cell:{tmp_path}/explore.ipynb#C0"
    source = "import torch\nfrom model import Net\nNet()(torch.randn(8, 20))\n"
    lsp.client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(uri=nb, notebook_type="jupyter-notebook", version=1,
                                                 cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=cell)]),
        cell_text_documents=[types.TextDocumentItem(uri=cell, language_id="python", version=1, text=source)]))
    assert by_code(await lsp.client.diagnostics_for(cell, 1), "TL202") == []
    seen = len(lsp.client.published[cell])
    await lsp.open(model, MODEL)
    await lsp.edit(model, MODEL.replace("nn.Linear(20, 2)", "nn.Linear(16, 2)"))
    [d] = by_code(await lsp.client.diagnostics_after(cell, seen), "TL202")
    assert d.range.start.line == 2 and "16 input features" in d.message


async def test_a_half_typed_module_keeps_its_last_parsed_version(lsp, tmp_path):
    train, model = files(tmp_path)
    await lsp.open(train, TRAIN)
    await lsp.open(model, MODEL.replace("nn.Linear(20, 2)", "nn.Linear(30, 2)"))
    assert len(by_code(await lsp.client.diagnostics_after(train, 1), "TL202")) == 1
    seen = len(lsp.client.published[train])
    await lsp.edit(model, MODEL.replace("nn.Linear(20, 2)", "nn.Linear(30, 2)").replace("def forward(self, x):", "def forward(self, x"))
    assert len(by_code(await lsp.client.diagnostics_after(train, seen), "TL202")) == 1
