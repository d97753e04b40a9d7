"""Diagnostics over a real stdio session: open, change, save, close, versions, half-typed code."""
from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from lsp_session import SEEDS, TL101_EXAMPLE, by_code, seed_example

URI = "file:///work/example.py"
FIXTURES = Path(__file__).parent / "fixtures"


async def test_open_reports_tl101_with_all_fields(lsp):
    diagnostics = await lsp.open(URI, TL101_EXAMPLE)
    [d] = by_code(diagnostics, "TL101")
    assert d.range.start.line == 4  # `out = model(x)`, 0-based
    assert d.source == "tensorlint"
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.code_description is not None and d.code_description.href.endswith("TL101")
    assert d.data["fix"]["applicability"] == "safe"
    assert any(".float()" in e["newText"] for e in d.data["fix"]["edits"])


async def test_realistic_training_script(lsp):
    text = (FIXTURES / "int_features.py").read_text()
    diagnostics = await lsp.open(URI, text)
    expected = [i for i, line in enumerate(text.splitlines()) if line.endswith("# TL101")]
    assert [d.range.start.line for d in by_code(diagnostics, "TL101")] == expected


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed documents are not next to this checkout")
async def test_seed_example_on_open(lsp):
    text = seed_example("000", 1)
    diagnostics = await lsp.open(URI, text)
    assert [d.range.start.line + 1 for d in by_code(diagnostics, "TL101")] == [19]


async def test_change_gives_new_diagnostics(lsp):
    clean = TL101_EXAMPLE.replace("out = model(x)", "out = model(x.float())")
    assert by_code(await lsp.open(URI, clean), "TL101") == []
    diagnostics = await lsp.edit(URI, TL101_EXAMPLE)
    assert len(by_code(diagnostics, "TL101")) == 1
    assert by_code(await lsp.edit(URI, clean), "TL101") == []


async def test_outdated_versions_are_never_published(session_factory):
    s = await session_factory(options={"debounce": 1000})
    await s.open(URI, TL101_EXAMPLE)
    texts = [TL101_EXAMPLE + f"y{i} = {i}\n" for i in range(5)]
    versions = [s.change(URI, t) for t in texts]
    await s.client.diagnostics_for(URI, versions[-1])
    published = [p.version for p in s.client.published[URI]]
    assert published == [1, versions[-1]]


async def test_save_lints_when_lint_on_change_is_off(session_factory):
    s = await session_factory(options={"lintOnChange": False, "debounce": 0})
    await s.open(URI, TL101_EXAMPLE)
    version = s.change(URI, TL101_EXAMPLE.replace("model(x)", "model(x.float())"))
    s.client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=URI)))
    diagnostics = await s.client.diagnostics_for(URI, version)
    assert by_code(diagnostics, "TL101") == []
    assert [p.version for p in s.client.published[URI]] == [1, version]  # the save, not the change


async def test_close_clears(lsp):
    await lsp.open(URI, TL101_EXAMPLE)
    count = len(lsp.client.published[URI])
    lsp.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=URI)))
    await lsp.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert len(lsp.client.published[URI]) == count + 1
    assert list(lsp.client.published[URI][-1].diagnostics) == []


async def test_half_typed_code_keeps_last_diagnostics(lsp):
    before = by_code(await lsp.open(URI, TL101_EXAMPLE), "TL101")
    assert before
    # A line typed above the faulty call, not finished yet: the call moves one line down.
    broken = TL101_EXAMPLE.replace("out = model(x)", "loss = (x.sum(\nout = model(x)")
    after = await lsp.edit(URI, broken)
    assert by_code(after, "TL001") == []  # editors show syntax errors already
    [kept] = by_code(after, "TL101")
    assert kept.range.start.line == before[0].range.start.line + 1
    assert kept.message == before[0].message


async def test_syntax_errors_shown_when_asked(session_factory):
    s = await session_factory(options={"debounce": 0, "showSyntaxErrors": True})
    diagnostics = await s.open(URI, "import torch\nx = torch.ones(3\n")
    [error] = by_code(diagnostics, "TL001")
    assert error.severity == types.DiagnosticSeverity.Error


async def test_file_without_framework_is_quiet(lsp):
    assert await lsp.open(URI, "def f(:\n") == []


async def test_shutdown_and_exit_are_clean(lsp):
    await lsp.open(URI, TL101_EXAMPLE)
    await lsp.client.shutdown_session()
    assert lsp.client._server.returncode == 0
