"""How the server is started: `python -m tensorlint.server`, `--tcp HOST:PORT`, bad arguments."""
from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from lsp_session import TL101_EXAMPLE
from raw_lsp import RawServer, notification, short_session


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_tcp_session():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tensorlint.server", "--tcp", f"127.0.0.1:{port}"])
    client = LanguageClient("tcp-test", "1")
    published: asyncio.Queue = asyncio.Queue()
    client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(lambda params: published.put_nowait(params))
    try:
        for _ in range(200):  # the server needs a moment to listen
            try:
                await client.start_tcp("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        result = await client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options={"debounce": 0})
        )
        assert result.server_info.name == "tensorlint"
        client.initialized(types.InitializedParams())
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri="file:///t/a.py", language_id="python", version=1, text=TL101_EXAMPLE)
            )
        )
        params = await asyncio.wait_for(published.get(), 60)
        assert [d.code for d in params.diagnostics] == ["TL101"]
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
        server.kill()
        server.wait()


def test_bad_arguments_are_a_usage_error():
    done = subprocess.run(
        [sys.executable, "-m", "tensorlint.server", "--tcp", "nowhere"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "HOST:PORT" in done.stderr


def test_isolated_server_in_a_hostile_folder_imports_nothing_from_it(tmp_path):
    """As the editor starts it: `python -I -m tensorlint.server`. Even with the working directory
    in a folder whose json.py, lsprotocol/ and tensorlint/ would write a marker when imported,
    the server works from its installed packages and runs none of them."""
    folder, markers = tmp_path / "workspace", tmp_path / "markers"
    markers.mkdir()
    for module in ("json.py", "lsprotocol/__init__.py", "tensorlint/__init__.py"):
        target = folder / module
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"open({str(markers / module.split('/')[0])!r}, 'w').write('imported')\n")
    (folder / "train.py").write_text(TL101_EXAMPLE)
    server = RawServer(cwd=str(folder), flags=("-I",))
    try:
        assert server.initialize() is not None
        server.send(notification("textDocument/didOpen", {"textDocument": {
            "uri": (folder / "train.py").as_uri(), "languageId": "python", "version": 1, "text": TL101_EXAMPLE}}))
        published = server.notifications("textDocument/publishDiagnostics", until=lambda p: p["diagnostics"])
        assert [d["code"] for d in published[-1]["params"]["diagnostics"]] == ["TL101"]
        assert server.shutdown() == 0
    finally:
        server.close()
    assert sorted(p.name for p in markers.iterdir()) == []


def test_initialize_is_answered_without_loading_the_analyzer_or_the_runtime_check():
    """The answer to `initialize` waits for nothing it does not need: the engine (libcst, the
    rules) and the notebook reader load once the client says `initialized`, the runtime shape
    check with its first command."""
    code = (
        "import atexit, sys\n"
        "heavy = ('libcst', 'tensorlint.engine', 'tensorlint.notebook', 'tensorlint.runtime', 'tomllib', 'tomli')\n"
        "atexit.register(lambda: print([m for m in heavy if m in sys.modules], file=sys.stderr))\n"
        "from tensorlint.server.__main__ import main\n"
        "sys.exit(main([]))\n"
    )
    done = short_session(code, initialized=False)  # (`initialized` starts loading the analyzer)
    assert b'"capabilities"' in done.stdout, done.stderr
    assert done.stderr.decode().splitlines()[-1] == "[]"
