"""Bad input for the language server, end to end: the real server over stdio, fed raw bytes.

    python bench/_robust_server.py            # prints one row per case
    python bench/_robust_server.py --quick    # smaller documents

`server_cases()` returns the rows for `bench/robustness.py`: dicts with name, ok, traceback
(a Python traceback in the server's stderr), hang (alive but silent past the deadline), seconds,
rss_mb (the server's resident memory where it matters, else None) and note.

Cases: malformed frame headers (non-numeric, missing, lowercase, LF-only line ends), a
Content-Length of 10^12, requests with invalid params and about unknown documents, a body that
is not JSON, large documents opened and closed (RSS before, while open, after closing), and an
edit in a file of 10,000 top-level statements against one of 1,000.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "server"))

from raw_lsp import RawServer, notification, request  # noqa: E402
from server_incremental import MARK, statement_script, training_script  # noqa: E402

DEADLINE = 30.0  # seconds a case may wait for an answer before it counts as a hang
HOVER = {"textDocument": {"uri": "file:///bench/x.py"}, "position": {"line": 0, "character": 0}}


def _row(name: str, ok: bool, server: RawServer | None, started: float, *, hang: bool = False,
         rss_mb: float | None = None, note: str = "") -> dict:
    stderr = server.close() if server is not None else ""
    return {"name": name, "ok": ok and "Traceback" not in stderr, "traceback": "Traceback" in stderr, "hang": hang,
            "seconds": round(time.perf_counter() - started, 2), "rss_mb": None if rss_mb is None else round(rss_mb, 1),
            "note": note}


def _frame_case(name: str, data: bytes, answered_inside: bool) -> dict:
    """Send `data`, then a hover; the hover must be answered and shutdown/exit must end the
    server with 0. `answered_inside`: the request inside `data` (id 99) must be answered too."""
    t = time.perf_counter()
    s = RawServer()
    s.initialize()
    s.send(data)
    s.send(request(1, "textDocument/hover", HOVER))
    hover = s.response(1, DEADLINE)
    inside = s.response(99, DEADLINE if answered_inside else 0.5)
    status = s.shutdown(DEADLINE) if hover is not None else None
    ok = hover is not None and status == 0 and (inside is not None) == answered_inside
    hang = hover is None and s.proc.poll() is None
    what = "accepted" if answered_inside else "skipped to the next header"
    return _row(name, ok, s, t, hang=hang, note=f"{what}; next request answered: {hover is not None}; exit status {status}")


def _huge_length() -> dict:
    t = time.perf_counter()
    s = RawServer()
    s.initialize()
    s.send(b"Content-Length: 1000000000000\r\n\r\n{}")
    status = s.wait(DEADLINE)
    logged = "exceeds the limit" in s.stderr
    memory_error = "MemoryError" in s.stderr
    return _row("Content-Length: 10^12", status == 1 and logged and not memory_error, s, t, hang=status is None,
                note=f"exit status {status}; limit logged: {logged}; MemoryError: {memory_error}")


def _invalid_params() -> dict:
    t = time.perf_counter()
    s = RawServer()
    s.initialize()
    cases = [
        ("textDocument/hover", {"position": {"line": 0, "character": 0}}),
        ("textDocument/hover", {"textDocument": {"uri": 5}, "position": {"line": "a", "character": 0}}),
        ("textDocument/hover", "not an object"),
        ("textDocument/inlayHint", {"textDocument": {"uri": "file:///bench/x.py"}}),
        ("textDocument/codeAction", {"textDocument": {"uri": "file:///bench/x.py"}, "range": {}, "context": {}}),
        ("workspace/executeCommand", {"command": 7}),
        ("textDocument/hover", {"textDocument": {"uri": "file:///nowhere.py"}, "position": {"line": 9, "character": 9}}),
        ("workspace/executeCommand", {"command": "tensorlint.fixAll", "arguments": ["file:///nowhere.py"]}),
    ]
    for i, (method, params) in enumerate(cases):
        s.send(request(100 + i, method, params))
    answers = [s.response(100 + i, DEADLINE) for i in range(len(cases))]
    kinds = ["none" if a is None else str(a["error"]["code"]) if "error" in a else "result" for a in answers]
    status = s.shutdown(DEADLINE)
    ok = all(k in ("-32602", "result") for k in kinds) and status == 0
    return _row("requests with invalid params / unknown documents", ok, s, t, hang="none" in kinds,
                note=f"{len(cases)} requests: {', '.join(kinds)}; exit status {status}")


def _not_json() -> dict:
    t = time.perf_counter()
    s = RawServer()
    s.initialize()
    s.send(b"Content-Length: 9\r\n\r\n{not json")
    s.send(request(1, "textDocument/hover", HOVER))
    hover = s.response(1, DEADLINE)
    errors = [m["error"]["code"] for m in s.seen if m.get("id") is None and "error" in m]
    status = s.shutdown(DEADLINE) if hover is not None else None
    return _row("body that is not JSON", hover is not None and errors == [-32700] and status == 0, s, t,
                hang=hover is None, note=f"errors {errors}; next request answered: {hover is not None}")


def _open(s: RawServer, uri: str, text: str, version: int = 1) -> bool:
    s.send(notification("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}}))
    found = s.notifications("textDocument/publishDiagnostics", timeout=600,
                            until=lambda p: p["uri"] == uri and p.get("version") == version)
    return any(m["params"]["uri"] == uri and m["params"].get("version") == version for m in found)


def _large_documents(lines: int, count: int) -> dict:
    t = time.perf_counter()
    s = RawServer()
    s.initialize()
    _open(s, "file:///bench/small.py", "import torch\nx = torch.zeros(3)\n")
    time.sleep(3)  # the idle collection
    base = s.rss_mb()
    peaks, after = [], []
    ok = True
    for k in range(count):
        uri = f"file:///bench/large{k}.py"
        ok = _open(s, uri, training_script(lines)) and ok
        peaks.append(s.rss_mb() or 0.0)
        s.send(notification("textDocument/didClose", {"textDocument": {"uri": uri}}))
        s.send(request(f"after{k}", "textDocument/hover", HOVER))  # answered once the close is handled
        ok = s.response(f"after{k}", DEADLINE) is not None and ok
        time.sleep(3)
        after.append(s.rss_mb() or 0.0)
    status = s.shutdown(DEADLINE)
    fmt = ", ".join
    return _row(f"{count} documents of {lines:,} lines opened and closed", ok and status == 0, s, t, rss_mb=after[-1],
                note=f"RSS MB: baseline {base:.0f}; open {fmt(f'{p:.0f}' for p in peaks)}; "
                     f"after each close {fmt(f'{a:.0f}' for a in after)}")


def _edit_latency(s: RawServer, text: str, edits: int) -> list[float]:
    uri = f"file:///bench/statements{len(text)}.py"
    if not _open(s, uri, text):
        return []
    row = text.split("\n").index(MARK.rstrip("\n")) + 1
    latencies = []
    for n in range(edits):
        version = n + 2
        at = {"line": row + n, "character": 0}
        sent = time.perf_counter()
        s.send(notification("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": at, "end": at}, "text": f"    step_{n} = {n}\n"}]}))
        found = s.notifications("textDocument/publishDiagnostics", timeout=120,
                                until=lambda p, v=version: p["uri"] == uri and p.get("version") == v)
        if not any(m["params"]["uri"] == uri and m["params"].get("version") == version for m in found):
            return latencies
        latencies.append(time.perf_counter() - sent)
    return latencies


def _many_statements(small: int, large: int, edits: int) -> dict:
    t = time.perf_counter()
    s = RawServer()
    s.initialize()
    few = _edit_latency(s, statement_script(small), edits)
    many = _edit_latency(s, statement_script(large), edits)
    rss = s.rss_mb()
    status = s.shutdown(DEADLINE)
    ok = len(few) == len(many) == edits and status == 0
    median = statistics.median(many) if many else float("nan")
    base = statistics.median(few) if few else float("nan")
    row = _row(f"edit in a file of {large:,} top-level statements", ok, s, t, hang=not ok and s.proc.poll() is None,
               rss_mb=rss, note=f"didChange -> publishDiagnostics, median of {edits}: {1000 * median:.0f} ms "
                                f"({small:,} statements: {1000 * base:.0f} ms)")
    row["seconds"] = round(median, 3)  # the figure that matters: one edit's latency
    return row


def server_cases(quick: bool = False) -> list[dict]:
    """Each bad-input case, end to end against the real server; one dict per case."""
    body = json.dumps(request(99, "textDocument/hover", HOVER)).encode()
    rows = [
        _frame_case("frame: Content-Length not a number", b"Content-Length: abc\r\n\r\n" + body, False),
        _frame_case("frame: no Content-Length", b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + body, False),
        _frame_case("frame: lowercase content-length", b"content-length: %d\r\n\r\n" % len(body) + body, True),
        _frame_case("frame: LF-only line ends", b"Content-Length: %d\n\n" % len(body) + body, True),
        _huge_length(),
        _invalid_params(),
        _not_json(),
        _large_documents(5000 if quick else 20000, 2 if quick else 3),
        _many_statements(1000, 3000 if quick else 10000, 5 if quick else 10),
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller documents, fewer edits")
    args = parser.parse_args()
    rows = server_cases(quick=args.quick)
    width = max(len(r["name"]) for r in rows)
    print(f"{'case':<{width}}  ok    tb    hang  seconds  rss_mb  note")
    for r in rows:
        rss = "" if r["rss_mb"] is None else f"{r['rss_mb']:.0f}"
        print(f"{r['name']:<{width}}  {r['ok']!s:<5} {r['traceback']!s:<5} {r['hang']!s:<5} {r['seconds']:>7.2f}  "
              f"{rss:>6}  {r['note']}")
    failed = [r["name"] for r in rows if not r["ok"] or r["traceback"] or r["hang"]]
    print(f"{len(rows) - len(failed)}/{len(rows)} cases ok" + (f"; failed: {', '.join(failed)}" if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
