"""End-to-end helpers: the real server over stdio, driven by pytest-lsp's client.

`start(...)` opens a session with chosen initialization options and capabilities; the client
records every publishDiagnostics (not only the last) and answers workspace/applyEdit.
"""
from __future__ import annotations

import asyncio
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pygls.protocol import default_converter

SERVER = [sys.executable, "-m", "tensorlint.server"]

# The example of the TL101 rule: an int tensor into nn.Linear; the fix appends `.float()`.
TL101_EXAMPLE = """\
import torch
import torch.nn as nn
model = nn.Linear(10, 1)
x = torch.randint(0, 10, (4, 10))
out = model(x)
"""

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


class Client(LanguageClient):
    """pytest-lsp's client, keeping the history of publishDiagnostics and applyEdit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = defaultdict(list)
        self.applied: list[types.ApplyWorkspaceEditParams] = []
        self.published_event = asyncio.Event()

    async def diagnostics_for(self, uri: str, version: int) -> list[types.Diagnostic]:
        """Wait until diagnostics for `version` of `uri` arrive; return them."""
        found = await self._until(lambda: next((p for p in self.published[uri] if p.version == version), None))
        return list(found.diagnostics)

    async def diagnostics_after(self, uri: str, count: int) -> list[types.Diagnostic]:
        """Wait for the publish after the first `count` ones for `uri`; return its diagnostics."""
        found = await self._until(lambda: self.published[uri][count] if len(self.published[uri]) > count else None)
        return list(found.diagnostics)

    async def _until(self, probe, timeout: float = 30):
        async def wait():
            while (found := probe()) is None:
                self.published_event.clear()
                await self.published_event.wait()
            return found

        return await asyncio.wait_for(wait(), timeout)


def _publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published[params.uri].append(params)
    client.published_event.set()


def _apply_edit(client: Client, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
    client.applied.append(params)
    return types.ApplyWorkspaceEditResult(applied=True)


def _register_capability(client: Client, params: types.RegistrationParams) -> None:
    return None


def make_client() -> Client:
    client = Client(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish
    features[types.WORKSPACE_APPLY_EDIT] = _apply_edit
    features[types.CLIENT_REGISTER_CAPABILITY] = _register_capability
    register_lsp_features(client, features)
    return client


def capabilities(encodings: list[str] | None = None, progress: bool = False) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        window=types.WindowClientCapabilities(work_done_progress=True) if progress else None,
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                version_support=True, related_information=True, data_support=True
            ),
            code_action=types.CodeActionClientCapabilities(data_support=True),
        ),
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities()),
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            apply_edit=True,
            configuration=True,
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
        ),
    )


class Session:
    """A started server with one client; documents are tracked with their versions."""

    def __init__(self, client: Client, result: types.InitializeResult):
        self.client = client
        self.result = result
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    async def open(self, uri: str, text: str) -> list[types.Diagnostic]:
        self.texts[uri], self.versions[uri] = text, 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
        )
        return await self.client.diagnostics_for(uri, 1)

    def change(self, uri: str, text: str) -> int:
        """Send the whole new text; returns the new version (without waiting)."""
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    async def edit(self, uri: str, text: str) -> list[types.Diagnostic]:
        return await self.client.diagnostics_for(uri, self.change(uri, text))

    async def apply(self, uri: str, edit: types.WorkspaceEdit) -> list[types.Diagnostic]:
        """Apply a workspace edit the server proposed, as an editor would, and re-lint."""
        return await self.edit(uri, apply_edit(self.texts[uri], uri, edit))

    async def code_actions(self, uri: str, diagnostics: list[types.Diagnostic], only=None):
        rng = diagnostics[0].range if diagnostics else types.Range(types.Position(0, 0), types.Position(0, 0))
        return await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=rng,
                context=types.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        ) or []


def apply_edit(text: str, uri: str, edit: types.WorkspaceEdit) -> str:
    edits: list[types.TextEdit] = []
    for change in edit.document_changes or []:
        assert change.text_document.uri == uri
        edits.extend(change.edits)
    for target, more in (edit.changes or {}).items():
        assert target == uri
        edits.extend(more)
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:  # UTF-16 positions (the default encoding)
        before = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return before + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return before + len(line)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(e.range.start), offset(e.range.end)
        text = text[:start] + e.new_text + text[end:]
    return text


async def start(
    options: dict[str, Any] | None = None,
    encodings: list[str] | None = None,
    root: Path | None = None,
    progress: bool = False,
) -> Session:
    client = make_client()
    await client.start_io(*SERVER)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(encodings, progress),
            initialization_options=options,
            root_uri=root.as_uri() if root else None,
        )
    )
    return Session(client, result)


def by_code(diagnostics, code: str) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def seed_example(seed: str, number: int) -> str:
    """The `number`th ```python block of a seed document."""
    text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    blocks = text.split("```python\n")[1:]
    return blocks[number - 1].split("```")[0]
