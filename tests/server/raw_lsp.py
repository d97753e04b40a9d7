"""A raw LSP client: the real server over stdio, driven with bytes exactly as written.

Unlike pygls' client it can send malformed frames, and it never waits forever: every read has
a deadline. Used by the robustness tests and by `bench/_robust_server.py`.
"""
from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def frame(message: dict, header: str = "Content-Length: {n}\r\n\r\n") -> bytes:
    body = json.dumps(message).encode()
    return header.format(n=len(body)).encode() + body


def request(msg_id: int | str, method: str, params: Any = None) -> dict:
    message = {"jsonrpc": "2.0", "id": msg_id, "method": method}
    if params is not None:
        message["params"] = params
    return message


def notification(method: str, params: Any = None) -> dict:
    message = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        message["params"] = params
    return message


def short_session(code: str, initialized: bool = True) -> subprocess.CompletedProcess:
    """`python -c code` (code that starts the server) sent initialize, initialized (unless
    `initialized` is False), shutdown and exit on its standard input, all at once."""
    session = frame(request(1, "initialize", {"capabilities": {}}))
    if initialized:
        session += frame(notification("initialized", {}))
    session += frame(request(2, "shutdown")) + frame(notification("exit"))
    return subprocess.run([sys.executable, "-c", code], input=session, capture_output=True, timeout=120)


class RawServer:
    """`python -m tensorlint.server` with pipes; messages from it are collected by a thread."""

    def __init__(self, python: str = sys.executable, cwd: str | None = None, flags: tuple = (), args: tuple = ()):
        self.proc = subprocess.Popen(
            [python, *flags, "-m", "tensorlint.server", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=cwd,
        )
        self.messages: queue.Queue = queue.Queue()
        self.seen: list[dict] = []  # every message read so far
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=lambda: self._stderr.extend(iter(self.proc.stderr.readline, b"")), daemon=True).start()

    def _read_stdout(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii", "replace").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            body = out.read(length or 0)
            self.messages.put(json.loads(body))

    def send(self, data: bytes | dict) -> bool:
        """Write bytes (or a message, framed); False when the server no longer reads."""
        if isinstance(data, dict):
            data = frame(data)
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def response(self, msg_id: int | str, timeout: float = 30.0) -> dict | None:
        """The response to request `msg_id`, or None when none came within `timeout` seconds."""
        for message in self.seen:
            if message.get("id") == msg_id and "method" not in message:
                return message
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=min(left, 0.2))
            except queue.Empty:
                if self.proc.poll() is not None and self.messages.empty():
                    return None
                continue
            self.seen.append(message)
            if message.get("id") == msg_id and "method" not in message:
                return message
        return None

    def notifications(self, method: str, timeout: float = 30.0, until=None) -> list[dict]:
        """Waits until a `method` notification satisfying `until(params)` arrives; all of them so far."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.seen if m.get("method") == method]
            if found and (until is None or any(until(m.get("params")) for m in found)):
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                return found
            try:
                self.seen.append(self.messages.get(timeout=min(left, 0.2)))
            except queue.Empty:
                if self.proc.poll() is not None:
                    return found

    def initialize(self, options: dict | None = None) -> dict | None:
        self.send(request("init", "initialize", {
            "processId": None, "rootUri": None, "capabilities": {},
            "initializationOptions": options if options is not None else {"debounce": 0},
        }))
        answer = self.response("init")
        self.send(notification("initialized", {}))
        return answer

    def shutdown(self, timeout: float = 30.0) -> int | None:
        """`shutdown` then `exit`; the exit status, None if the server did not answer or exit."""
        if not self.send(request("bye", "shutdown")):
            return None
        answer = self.response("bye", timeout)
        if answer is None or "error" in answer:
            return None
        self.send(notification("exit"))
        return self.wait(timeout)

    def wait(self, timeout: float) -> int | None:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            pass
        return None

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def close(self) -> str:
        """Stops the server if it still runs; what it wrote to stderr."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        time.sleep(0.05)  # the stderr thread reads what is left
        return self.stderr
