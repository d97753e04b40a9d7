"""The server never goes deaf: malformed frames, huge lengths and invalid params, sent as raw
bytes to the real server over stdio. After each, it still answers (a valid `shutdown` gets its
response and `exit` ends it with status 0), or it exits at once with status 1 so that the
client starts it again; it never stays alive and silent, and never dies with a traceback."""
from __future__ import annotations

import pytest
from raw_lsp import RawServer, frame, notification, request

URI = "file:///project/train.py"
TL101 = "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 2)\nx = torch.randint(0, 10, (4, 10))\nout = model(x)\n"


@pytest.fixture
def server():
    s = RawServer()
    assert s.initialize() is not None
    yield s
    stderr = s.close()
    assert "Traceback" not in stderr, stderr[-3000:]


def answered_then_exits(s: RawServer) -> None:
    assert s.shutdown() == 0, s.stderr[-2000:]


@pytest.mark.parametrize(
    "bad",
    [
        b"Content-Length: abc\r\n\r\n" + b'{"jsonrpc": "2.0", "id": 99, "method": "shutdown"}',
        b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + b'{"jsonrpc": "2.0", "id": 99, "method": "shutdown"}',
        b"Content-Length: -5\r\n\r\n{}",
        b"garbage without any header at all\r\n\r\n",
        b"x" * 200_000 + b"\r\n",  # one overlong line
    ],
    ids=["non-numeric", "missing", "negative", "garbage", "overlong-line"],
)
def test_a_malformed_frame_is_skipped_and_the_server_still_answers(server, bad):
    assert server.send(bad)
    # the bad frame's request is lost (it cannot be framed); the next one is answered
    server.send(request(1, "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}))
    assert server.response(1) == {"jsonrpc": "2.0", "id": 1, "result": None}
    assert server.response(99, timeout=0.5) is None
    assert "skipping to the next header" in server.stderr or b"Content-Length" not in bad
    answered_then_exits(server)


def test_the_next_header_right_after_stray_bytes_is_found(server):
    """A frame whose length was too short leaves bytes before the next header, on its line."""
    hover = frame(request(1, "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}))
    server.send(b"Content-Length: 3\r\n\r\n" + b'{"jsonrpc": "2.0"}' + hover)
    assert server.response(1) is not None
    answered_then_exits(server)


@pytest.mark.parametrize(
    "header",
    ["content-length: {n}\r\n\r\n", "Content-Length: {n}\n\n", "CONTENT-LENGTH:{n}\r\nContent-Type: x\r\n\r\n",
     "Content-Length:   {n}  \r\n\r\n"],
    ids=["lowercase", "lf-only", "uppercase-no-space", "spaces"],
)
def test_common_header_variants_are_accepted(server, header):
    server.send(frame(request(5, "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}), header))
    assert server.response(5) == {"jsonrpc": "2.0", "id": 5, "result": None}
    answered_then_exits(server)


def test_a_huge_content_length_ends_the_server_with_status_1():
    s = RawServer()
    try:
        assert s.initialize() is not None
        s.send(b"Content-Length: 1000000000000\r\n\r\n{}")
        assert s.wait(30) == 1
        assert "exceeds the limit of 64 MB" in s.stderr
        assert "MemoryError" not in s.stderr and "Traceback" not in s.stderr
    finally:
        s.close()


def test_input_ending_inside_a_frame_ends_the_server():
    s = RawServer()
    try:
        s.send(b"Content-Length: 500\r\n\r\n{\"jsonrpc\"")
        s.proc.stdin.close()
        assert s.wait(30) == 1
    finally:
        s.close()


@pytest.mark.parametrize(
    "method, params",
    [
        ("textDocument/hover", {"position": {"line": 0, "character": 0}}),  # no textDocument
        ("textDocument/hover", {"textDocument": {"uri": 5}, "position": {"line": "a", "character": 0}}),
        ("textDocument/hover", "not an object"),
        ("textDocument/inlayHint", {"textDocument": {"uri": URI}}),  # no range
        ("textDocument/codeAction", {"textDocument": {"uri": URI}, "range": {}, "context": {}}),
        ("workspace/executeCommand", {"command": 7}),
    ],
)
def test_a_request_with_invalid_params_gets_error_32602(server, method, params):
    server.send(request(3, method, params))
    answer = server.response(3)
    assert answer is not None and answer["error"]["code"] == -32602, answer
    assert answer["error"]["message"]
    answered_then_exits(server)


@pytest.mark.parametrize(
    "method, params",
    [
        ("textDocument/hover", {"textDocument": {"uri": "file:///nowhere/never_opened.py"}, "position": {"line": 3, "character": 1}}),
        ("textDocument/hover", {"textDocument": {"uri": "not a uri"}, "position": {"line": 10**6, "character": 10**6}}),
        ("textDocument/inlayHint", {"textDocument": {"uri": "file:///nowhere/x.py"},
                                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}),
        ("textDocument/codeAction", {"textDocument": {"uri": "file:///nowhere/x.py"},
                                     "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                     "context": {"diagnostics": []}}),
        ("workspace/executeCommand", {"command": "tensorlint.fixAll", "arguments": ["file:///nowhere/x.py"]}),
        ("workspace/executeCommand", {"command": "tensorlint.fixAll", "arguments": [{"no": "uri"}, 3]}),
    ],
)
def test_a_request_about_an_unknown_document_gets_an_answer(server, method, params):
    server.send(request(4, method, params))
    answer = server.response(4)
    assert answer is not None, server.stderr[-2000:]
    assert "error" not in answer or answer["error"]["code"] in (-32602, -32600), answer
    answered_then_exits(server)


def test_a_body_that_is_not_json_gets_a_parse_error_and_the_server_goes_on(server):
    server.send(b"Content-Length: 9\r\n\r\n{not json")
    server.send(b"Content-Length: 5\r\n\r\n[1,2]")
    server.send(request(6, "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}))
    assert server.response(6) is not None
    errors = [m["error"]["code"] for m in server.seen if m.get("id") is None and "error" in m]
    assert errors[:2] == [-32700, -32600]
    answered_then_exits(server)


def test_requests_after_shutdown_get_an_error_not_silence(server):
    server.send(request(1, "shutdown"))
    assert server.response(1) == {"jsonrpc": "2.0", "id": 1, "result": None}
    server.send(request(2, "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}))
    assert server.response(2)["error"]["code"] == -32600
    server.send(notification("exit"))
    assert server.wait(30) == 0


def test_the_server_still_lints_after_bad_input(server):
    server.send(b"Content-Length: zzz\r\n\r\n{}")
    server.send(notification("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "python", "version": 1, "text": TL101}}))
    published = server.notifications("textDocument/publishDiagnostics", until=lambda p: p["diagnostics"])
    assert [d["code"] for d in published[-1]["params"]["diagnostics"]] == ["TL101"]
    answered_then_exits(server)


def test_exit_without_shutdown_is_status_1(server):
    server.send(notification("exit"))
    assert server.wait(30) == 1
