"""The server's log and trace: routine protocol noise stays out of the user's log; a client
that asks for a trace (`$/setTrace`, or `trace` at initialization) gets `$/logTrace` lines."""
from __future__ import annotations

from raw_lsp import RawServer, notification, request

URI = "file:///project/train.py"
TL101 = "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 2)\nx = torch.randint(0, 10, (4, 10))\nout = model(x)\n"


def open_doc(s: RawServer, version: int = 1, text: str = TL101) -> None:
    s.send(notification("textDocument/didOpen", {
        "textDocument": {"uri": URI, "languageId": "python", "version": version, "text": text}}))


def test_cancelling_an_answered_request_leaves_no_line_in_the_log():
    s = RawServer()
    assert s.initialize() is not None
    open_doc(s)
    s.notifications("textDocument/publishDiagnostics")
    for n in range(3):  # hovers answered, then cancelled, as VS Code does when the mouse moves on
        s.send(request(n, "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 3, "character": 0}}))
        assert s.response(n) is not None
        s.send(notification("$/cancelRequest", {"id": n}))
    assert s.shutdown() == 0
    stderr = s.close()
    assert "Cancel notification" not in stderr, stderr[-2000:]


def test_the_cancel_lines_are_still_there_at_debug_level():
    s = RawServer(args=("--log-level", "DEBUG"))
    assert s.initialize() is not None
    s.send(notification("$/cancelRequest", {"id": 12345}))
    assert s.shutdown() == 0
    assert 'DEBUG pygls.protocol.json_rpc: Cancel notification for unknown message id "12345"' in s.close()


def test_no_trace_unless_asked():
    s = RawServer()
    assert s.initialize() is not None
    open_doc(s)
    assert s.notifications("textDocument/publishDiagnostics")
    assert s.shutdown() == 0
    assert not [m for m in s.seen if m.get("method") == "$/logTrace"]
    s.close()


def test_set_trace_messages_then_verbose_traces_each_analysis():
    s = RawServer()
    assert s.initialize() is not None
    s.send(notification("$/setTrace", {"value": "messages"}))
    open_doc(s)
    [first] = s.notifications("$/logTrace")
    assert first["params"]["message"].startswith(f"analyzed {URI} (version 1) in ")
    assert first["params"]["message"].endswith("1 findings")
    assert "verbose" not in first["params"]
    s.send(notification("$/setTrace", {"value": "verbose"}))
    s.send(notification("textDocument/didSave", {"textDocument": {"uri": URI}}))
    traces = s.notifications("$/logTrace", until=lambda p: "verbose" in p)
    assert "TL101 line 5:" in traces[-1]["params"]["verbose"]
    s.send(notification("$/setTrace", {"value": "off"}))
    s.send(notification("textDocument/didSave", {"textDocument": {"uri": URI}}))
    published = len(s.notifications("textDocument/publishDiagnostics"))
    s.notifications("textDocument/publishDiagnostics", until=lambda p: False, timeout=0)
    assert s.shutdown() == 0
    assert len([m for m in s.seen if m.get("method") == "$/logTrace"]) == 2
    assert len([m for m in s.seen if m.get("method") == "textDocument/publishDiagnostics"]) >= published
    s.close()


def test_the_trace_level_given_at_initialization_holds():
    s = RawServer()
    s.send(request("init", "initialize", {"processId": None, "rootUri": None, "capabilities": {},
                                          "trace": "verbose", "initializationOptions": {"debounce": 0}}))
    assert s.response("init") is not None
    s.send(notification("initialized", {}))
    open_doc(s)
    [trace] = s.notifications("$/logTrace")
    assert "TL101" in trace["params"]["verbose"]
    assert s.shutdown() == 0
    s.close()


def test_a_progress_token_granted_after_its_analysis_was_replaced_leaves_no_traceback():
    """The client answers `window/workDoneProgress/create` after a newer edit replaced the
    first analysis that asked for it: nothing to show for it, and no error in the log."""
    from test_first_analysis import large_file

    s = RawServer()
    s.send(request("init", "initialize", {"processId": None, "rootUri": None,
                                          "capabilities": {"window": {"workDoneProgress": True}},
                                          "initializationOptions": {"debounce": 0}}))
    assert s.response("init") is not None
    s.send(notification("initialized", {}))
    text = large_file()
    open_doc(s, text=text)
    [create] = s.notifications("window/workDoneProgress/create", timeout=60)  # left unanswered for now
    s.send(notification("textDocument/didChange", {
        "textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text + "\ny = 1\n"}]}))
    s.notifications("$/logTrace", timeout=0.5)  # (a moment for the server to take the edit)
    answered = set()
    for _ in range(240):  # grant the first token late, and any later one at once
        for m in [m for m in s.seen if m.get("method") == "window/workDoneProgress/create"]:
            if m["id"] not in answered:
                answered.add(m["id"])
                s.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        if s.notifications("textDocument/publishDiagnostics", timeout=0.5, until=lambda p: p.get("version") == 2) and \
                any(m["params"].get("version") == 2 for m in s.seen if m.get("method") == "textDocument/publishDiagnostics"):
            break
    assert create["id"] in answered
    assert any(m["params"].get("version") == 2 for m in s.seen if m.get("method") == "textDocument/publishDiagnostics")
    assert s.shutdown() == 0
    stderr = s.close()
    assert "InvalidStateError" not in stderr and "Traceback" not in stderr, stderr[-3000:]
