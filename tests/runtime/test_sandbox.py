"""The shape check's sandbox: what the checked code can reach, and what it leaves behind.

Each test runs in both modes where this machine offers Linux namespaces; the namespace tests are
skipped, with the reason, where it does not, and the process-tree fallback is tested anyway.
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from tensorlint.runtime import sandbox

MODES = ["namespaces", "process-tree"]


@pytest.fixture(params=MODES)
def mode(request) -> str:
    if request.param == "namespaces":
        ok, why = sandbox.isolation_available()
        if not ok:
            pytest.skip(f"no namespace sandbox on this machine: {why}")
    return request.param


def alive(tag: str) -> list[str]:
    """Running processes whose command line or environment holds `tag` (zombies are not alive)."""
    found = []
    needle = tag.encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            state = (proc / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
            if state in (b"Z", b"X"):
                continue
            cmdline = (proc / "cmdline").read_bytes()
            if needle in cmdline or needle in (proc / "environ").read_bytes():
                found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError):
            continue
    return found


# The model starts processes while it is built: a fork that keeps sleeping, 20 forks, a process
# in its own session (out of reach of a process-group kill), a double-forked daemon, and a
# `control` child it waits for. Each orphan says that it started, waits until the check's
# process has ended, then writes a marker: it appears only if the orphan outlived the check.
FORKING = """\
import os
import subprocess
import sys
import time

import torch
import torch.nn as nn

MARKERS = {markers!r}
TAG = {tag!r}
DRIVER = os.getpid()
LATER = (
    "import os, sys, time\\n"
    "for _ in range(600):\\n"
    "    try:\\n"
    "        os.kill(int(sys.argv[3]), 0)\\n"
    "    except OSError:\\n"
    "        break\\n"
    "    time.sleep(0.1)\\n"
    "time.sleep(0.3)\\n"
    "open(sys.argv[1] + '/session', 'w').write('alive')\\n"
)


def outlive(pid):
    for _ in range(600):
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    time.sleep(0.3)


def say(text):
    os.write(1, (text + "\\n").encode())  # one write: lines of concurrent processes stay whole


def orphan(kind):
    say("started " + kind)
    outlive(DRIVER)
    try:
        with open(os.path.join(MARKERS, kind), "w") as f:
            f.write("alive")
    finally:
        os._exit(0)


def spawn():
    if os.environ.get("SPAWNED"):  # the check calls forward more than once
        return
    os.environ["SPAWNED"] = "1"
    if os.fork() == 0:
        orphan("fork")
    for i in range(20):
        if os.fork() == 0:
            orphan(f"fork{{i}}")
    subprocess.Popen([sys.executable, "-c", LATER, MARKERS, TAG, str(DRIVER)], start_new_session=True)
    say("started session")
    if os.fork() == 0:  # a daemon: new session, fork again, the middle process exits
        os.setsid()
        if os.fork() == 0:
            orphan("daemon")
        os._exit(0)
    control = os.fork()
    if control == 0:
        say("started control")
        try:
            with open(os.path.join(MARKERS, "control"), "w") as f:
                f.write("ran")
        except OSError as exc:
            say(f"control cannot write: {{exc}}")
        os._exit(0)
    os.waitpid(control, 0)
    time.sleep(0.5)  # every child has started


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        spawn()
        {ending}
        return self.fc(x)


net = Net()
out = net(torch.randn(3, 4))
"""

ENDINGS = {
    "success": "pass",
    "error": "raise ValueError('the model fails after starting its children')",
    "timeout": "while True: time.sleep(0.1)",
    "cancel": "while True: time.sleep(0.1)",
    "crash": "os.kill(os.getpid(), 9)",
}
STATUS = {"success": "ok", "error": "errors", "timeout": "timeout", "cancel": "failed", "crash": "crashed"}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_nothing_the_check_started_outlives_it(torch_python, text_check, tmp_path, mode, ending):
    tag = f"tl-sandbox-{uuid.uuid4().hex}"
    markers = tmp_path / "markers"
    markers.mkdir()
    text = FORKING.format(markers=str(markers), tag=tag, ending=ENDINGS[ending])
    kw = {"sandbox": mode, "env": {"TL_TEST_TAG": tag}, "device": "cpu", "static": False}
    if ending == "timeout":
        kw["timeout"] = 8
    if ending == "cancel":
        kw["cancel"] = cancel = threading.Event()
        threading.Timer(6, cancel.set).start()
    (tmp_path / "prog").mkdir()  # the markers are outside the program's folder, which takes writes into a copy
    report = text_check(text, "prog/user.py", **kw)
    assert report.status == STATUS[ending], report.message
    assert report.isolation["mode"] == mode
    # the children did start: each printed before the check ended
    started = report.output.count("started ")
    assert started == 24, report.output  # fork, 20 forks, session, daemon, control
    assert alive(tag) == [], "processes of the check are still running"
    if mode == "process-tree":  # the file system is writable: the marker mechanism works
        assert (markers / "control").read_text() == "ran"
    else:  # the sandbox kept the waited-for child from writing, too
        assert "control cannot write" in report.output and "Read-only file system" in report.output
    time.sleep(1.5)  # an orphan that outlived the check writes its marker 0.3 s after it
    assert sorted(p.name for p in markers.iterdir()) == (["control"] if mode == "process-tree" else [])
    assert alive(tag) == []


NETWORK_AND_FILES = """\
import os
import socket
import tempfile

import torch
import torch.nn as nn


def probe():
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
        print("connect: allowed", flush=True)
    except OSError as exc:
        print("connect: refused", exc, flush=True)
    try:
        local = socket.socket(socket.AF_UNIX)
        local.connect({unix!r})
        local.close()
        print("unix socket: allowed", flush=True)
    except OSError as exc:
        print("unix socket: refused", exc, flush=True)
    for path in ({outside!r}, "/tmp/x"):
        try:
            with open(path, "w") as f:
                f.write("written by the checked file")
            print("write", path, ": allowed", flush=True)
        except OSError as exc:
            print("write", path, ": refused", exc, flush=True)
    with tempfile.NamedTemporaryFile("w", delete=False) as f:  # the private folder is writable
        f.write("scratch")
    print("scratch:", f.name, flush=True)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        probe()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)


net = Net()
out = net(torch.randn(3, 4))
"""


def test_the_checked_code_has_no_network_and_writes_only_its_private_folder(torch_python, text_check, tmp_path, mode):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    service = socket.socket(socket.AF_UNIX)  # a local service's socket, like a database's
    service.bind(str(tmp_path / "service.sock"))
    service.listen(4)
    outside = tmp_path / "outside.txt"
    x_existed = os.path.exists("/tmp/x")
    try:
        (tmp_path / "prog").mkdir()  # `outside` is outside the program's folder
        report = text_check(NETWORK_AND_FILES.format(port=port, outside=str(outside), unix=str(tmp_path / "service.sock")),
                            "prog/user.py", sandbox=mode, device="cpu", static=False)
        try:
            conn, _ = listener.accept()
            conn.close()
            accepted = True
        except (socket.timeout, OSError):
            accepted = False
    finally:
        listener.close()
        service.close()
        if not x_existed and os.path.exists("/tmp/x"):
            os.remove("/tmp/x")
    assert report.status == "ok", report.message
    call_line = NETWORK_AND_FILES.splitlines().index("out = net(torch.randn(3, 4))") + 1
    assert report.call(call_line, "forward")["output"]["shape"] == [3, 2]  # the model still ran
    scratch = [ln.split(":", 1)[1].strip() for ln in report.output.splitlines() if ln.startswith("scratch:")]
    assert scratch and not os.path.exists(scratch[0])  # the private folder is gone after the check
    text = report.to_text()
    if mode == "namespaces":
        assert "connect: refused" in report.output and not accepted
        assert "unix socket: refused" in report.output
        assert f"write {outside} : refused" in report.output and not outside.exists()
        assert "write /tmp/x : refused" in report.output
        assert "Read-only file system" in report.output
        assert report.isolation["readonly"] is True
        assert "Sandbox: Linux namespaces (user, PID, network, mount): file system read-only" in text
    else:  # the fallback isolates nothing, and the report says so
        assert "connect: allowed" in report.output and accepted
        assert "unix socket: allowed" in report.output
        assert outside.read_text() == "written by the checked file"
        assert "Sandbox: none (--sandbox process-tree)" in text and "could read and write your files and use the network" in text


def test_without_namespaces_auto_falls_back_and_namespaces_refuses(torch_python, text_check, monkeypatch):
    monkeypatch.setitem(sandbox._probe, "result", (False, "user namespaces are not available here (test)"))
    text = "import torch\nnet = torch.nn.Linear(4, 2)\nout = net(torch.randn(3, 4))\n"
    report = text_check(text, sandbox="auto", device="cpu", static=False)
    assert report.status == "ok"
    assert report.isolation["mode"] == "process-tree"
    assert "Sandbox: none (user namespaces are not available here (test))" in report.to_text()
    refused = text_check(text, sandbox="namespaces", device="cpu", static=False)
    assert refused.status == "failed"
    assert refused.message == "the sandbox needs Linux namespaces and user namespaces are not available here (test)"


KILLED_PARENT = """\
import sys
from tensorlint.runtime import Options, run_shapecheck
run_shapecheck(sys.argv[1], None, Options(device="cpu", sandbox=sys.argv[2], timeout=120, static=False,
                                          python=sys.argv[3], env={{"TL_TEST_TAG": sys.argv[4]}}))
"""


def test_a_killed_parent_takes_the_check_with_it(torch_python, tmp_path, mode):
    import subprocess
    import sys

    tag = f"tl-sandbox-{uuid.uuid4().hex}"
    markers = tmp_path / "markers"
    markers.mkdir()
    path = tmp_path / "user.py"
    path.write_text(FORKING.format(markers=str(markers), tag=tag, ending=ENDINGS["timeout"]))
    parent = subprocess.Popen([sys.executable, "-c", KILLED_PARENT.format(), str(path), mode, torch_python, tag])
    try:
        deadline = time.monotonic() + 60
        while len(alive(tag)) < 20 and time.monotonic() < deadline:  # wait until the model forked
            time.sleep(0.2)
        assert len(alive(tag)) >= 20
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while alive(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive(tag) == []
