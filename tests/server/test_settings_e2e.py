"""Settings from the editor and from pyproject.toml; bad settings never stop the server."""
from __future__ import annotations

from lsprotocol import types

from lsp_session import TL101_EXAMPLE, by_code

URI = "file:///work/example.py"


async def test_severity_override(session_factory):
    s = await session_factory(options={"debounce": 0, "severity": {"TL1": "warning"}})
    [d] = by_code(await s.open(URI, TL101_EXAMPLE), "TL101")
    assert d.severity == types.DiagnosticSeverity.Warning


async def test_configuration_change_relints(session_factory):
    s = await session_factory(options={"debounce": 0, "ignore": ["TL101"]})
    assert by_code(await s.open(URI, TL101_EXAMPLE), "TL101") == []
    count = len(s.client.published[URI])
    s.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"tensorlint": {"debounce": 0, "docsBase": "https://docs.example/r/"}})
    )
    [d] = by_code(await s.client.diagnostics_after(URI, count), "TL101")
    assert d.code_description.href == "https://docs.example/r/TL101"


async def test_bad_settings_are_reported_and_ignored(session_factory):
    s = await session_factory(options={"debounce": "fast", "severity": {"TL101": "loud"}, "select": ["TL"]})
    diagnostics = await s.open(URI, TL101_EXAMPLE)
    assert by_code(diagnostics, "TL101")  # still linting, with the valid settings
    messages = [m.message for m in s.client.messages]
    assert any("'debounce'" in m for m in messages)
    assert any("'severity'" in m and "loud" in m for m in messages)


async def test_bad_configuration_change_keeps_server_alive(lsp):
    await lsp.open(URI, TL101_EXAMPLE)
    lsp.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"tensorlint": {"ignore": 42, "inlayHints": {"enabled": "yes"}}})
    )
    await lsp.client.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    diagnostics = await lsp.edit(URI, TL101_EXAMPLE + "\n")
    assert by_code(diagnostics, "TL101")
    assert any("'ignore'" in m.message for m in lsp.client.messages)


async def test_pyproject_is_read_and_watched(session_factory, tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.tensorlint]\nignore = ["TL101"]\n')
    uri = (tmp_path / "train.py").as_uri()
    s = await session_factory(options={"debounce": 0}, root=tmp_path)
    assert by_code(await s.open(uri, TL101_EXAMPLE), "TL101") == []
    pyproject.write_text('[tool.tensorlint]\nseverity = { TL101 = "info" }\n')
    count = len(s.client.published[uri])
    s.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    [d] = by_code(await s.client.diagnostics_after(uri, count), "TL101")
    assert d.severity == types.DiagnosticSeverity.Information


async def test_editor_settings_override_pyproject(session_factory, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.tensorlint]\nseverity = { TL101 = "info" }\n')
    s = await session_factory(options={"debounce": 0, "severity": {"TL101": "warning"}}, root=tmp_path)
    [d] = by_code(await s.open((tmp_path / "train.py").as_uri(), TL101_EXAMPLE), "TL101")
    assert d.severity == types.DiagnosticSeverity.Warning
