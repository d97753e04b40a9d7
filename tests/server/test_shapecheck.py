"""The `tensorlint.shapeCheck` command over a real stdio session.

The check runs the document under the interpreter named by `[tool.tensorlint.shapecheck] python`
of the document's project: here $TENSORLINT_SHAPECHECK_PYTHON when set, else the interpreter
running pytest. The tests that need torch are skipped, with the reason, when it cannot import it.
"""
from __future__ import annotations

import asyncio
import functools
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from lsprotocol import types

COMMAND = "tensorlint.shapeCheck"
RUNTIME = "tensorlint-runtime"

# A model whose second layer expects 32 features but gets 16: torch fails inside forward
# (the line marked `inner`), called from the line marked `call`.
MODEL = """\
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(32, 4)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        return self.fc2(h)  # inner


model = Net()
out = model(torch.randn(2, 8))  # call
"""


def checker_python() -> str:
    return os.environ.get("TENSORLINT_SHAPECHECK_PYTHON") or sys.executable


@functools.lru_cache(maxsize=None)
def torch_importable() -> bool:
    proc = subprocess.run([checker_python(), "-c", "import torch"], capture_output=True, timeout=180)
    return proc.returncode == 0


def line_of(text: str, marker: str) -> int:
    """0-based line of the line ending with `# marker`."""
    return next(i for i, line in enumerate(text.splitlines()) if line.endswith(f"# {marker}"))


def runtime(diagnostics) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.source == RUNTIME]


def project(tmp_path: Path, text: str, timeout: int = 180) -> str:
    """A project whose shape check uses the test's interpreter; returns the file's URI."""
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.tensorlint.shapecheck]\npython = "{checker_python()}"\ntimeout = {timeout}\n', encoding="utf-8"
    )
    path = tmp_path / "model.py"
    path.write_text(text, encoding="utf-8")
    return path.as_uri()


async def run_command(session, *arguments):
    return await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=COMMAND, arguments=list(arguments))
    )


@pytest.fixture
def torch_python():
    if not torch_importable():
        pytest.skip(f"{checker_python()} cannot import torch: pip install 'tensorlint[torch]' "
                    "(or set TENSORLINT_SHAPECHECK_PYTHON to an interpreter that has it)")


async def test_shape_check_reports_the_torch_error_on_its_lines(lsp, tmp_path, torch_python):
    uri = project(tmp_path, MODEL)
    static = await lsp.open(uri, MODEL)
    assert runtime(static) == []  # opening the file never runs it
    count = len(lsp.client.published[uri])

    report = await run_command(lsp, uri, "cpu")

    assert isinstance(report, str)
    assert "mat1 and mat2 shapes cannot be multiplied" in report
    assert "| layer | type | input | output |" in report  # the per-layer table
    published = await lsp.client.diagnostics_after(uri, count)
    found = runtime(published)
    assert {d.range.start.line for d in found} == {line_of(MODEL, "inner"), line_of(MODEL, "call")}
    assert all(d.severity == types.DiagnosticSeverity.Error for d in found)
    assert all("mat1 and mat2" in d.message for d in found)
    # the static diagnostics of the document are still published beside them
    assert [d for d in published if d.source != RUNTIME] == [d for d in static if d.source != RUNTIME]

    # an edit makes the runtime results stale: they are cleared, the static ones come back
    version = lsp.change(uri, MODEL + "\n")
    after = await lsp.client.diagnostics_for(uri, version)
    assert runtime(after) == []
    assert runtime(lsp.client.published[uri][-1].diagnostics) == []


# Building the model takes a minute: long enough to cancel the check while it runs.
SLOW = """\
import time
import torch
import torch.nn as nn


def build():
    time.sleep(60)
    return nn.Linear(4, 2)


model = build()
out = model(torch.randn(1, 4))
"""


async def test_cancelled_check_answers_cancelled_and_publishes_nothing(lsp, tmp_path, torch_python):
    uri = project(tmp_path, SLOW, timeout=120)
    await lsp.open(uri, SLOW)
    count = len(lsp.client.published[uri])
    check = asyncio.ensure_future(run_command(lsp, uri, "cpu"))
    cancel = types.ExecuteCommandParams(command="tensorlint.cancelShapeCheck", arguments=[uri])
    while not (await lsp.client.workspace_execute_command_async(cancel))["cancelled"]:
        assert not check.done(), check.result()  # the check must still be running to be cancelled
        await asyncio.sleep(0.05)
    with pytest.raises(Exception, match="cancelled"):
        await asyncio.wait_for(check, 30)
    assert len(lsp.client.published[uri]) == count
    assert (await lsp.client.workspace_execute_command_async(cancel))["cancelled"] is False  # nothing left to cancel
    for _ in range(100):  # the check's process is killed, not left to its 120 s limit
        if not _drivers_in(tmp_path):
            break
        await asyncio.sleep(0.1)
    assert _drivers_in(tmp_path) == []


def _drivers_in(folder) -> list[str]:
    """Shape check drivers running in `folder` (a check runs the file from its own folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = (proc / "cwd").resolve()
        except OSError:
            continue
        if "driver.py" in cmdline and cwd == Path(folder).resolve():
            found.append(cmdline)
    return found


# Building the model starts two processes that outlive a process-group kill (one in its own
# session, one a forked child that replaced itself with a new program), then keeps the check busy.
ESCAPING = """\
import os
import subprocess
import sys
import time
import torch
import torch.nn as nn

TAG = {tag!r}
SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)", TAG]


def build():
    subprocess.Popen(SLEEPER, start_new_session=True)
    if os.fork() == 0:
        os.setsid()
        os.execv(sys.executable, SLEEPER)
    time.sleep(60)
    return nn.Linear(4, 2)


model = build()
out = model(torch.randn(1, 4))
"""


def _tagged(tag: str) -> list[int]:
    """Live processes whose command line holds `tag`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if tag.encode() in (proc / "cmdline").read_bytes() and b") Z" not in (proc / "stat").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


async def _start_escaping_check(lsp, tmp_path):
    tag = f"tl-escaping-{uuid.uuid4().hex}"
    text = ESCAPING.format(tag=tag)
    uri = project(tmp_path, text, timeout=120)
    await lsp.open(uri, text)
    check = asyncio.ensure_future(run_command(lsp, uri, "cpu"))
    for _ in range(600):  # until both processes run
        if len(_tagged(tag)) >= 2 or check.done():
            break
        await asyncio.sleep(0.1)
    assert len(_tagged(tag)) >= 2, check.result() if check.done() else "the model did not start its processes"
    return uri, tag, check


async def test_cancel_answers_after_every_process_of_the_check_is_gone(lsp, tmp_path, torch_python):
    uri, tag, check = await _start_escaping_check(lsp, tmp_path)
    cancel = types.ExecuteCommandParams(command="tensorlint.cancelShapeCheck", arguments=[uri])
    assert (await lsp.client.workspace_execute_command_async(cancel))["cancelled"] is True
    assert _tagged(tag) == []
    with pytest.raises(Exception, match="cancelled"):
        await asyncio.wait_for(check, 30)


async def test_shutdown_answers_after_every_process_of_the_check_is_gone(session_factory, tmp_path, torch_python):
    s = await session_factory(options={"debounce": 0})
    uri, tag, check = await _start_escaping_check(s, tmp_path)
    await asyncio.wait_for(s.client.shutdown_async(None), 30)
    assert _tagged(tag) == []
    s.client.exit(None)
    assert await asyncio.wait_for(s.client._server.wait(), 30) == 0
    check.cancel()


async def test_untrusted_workspace_is_refused(session_factory, tmp_path):
    s = await session_factory(options={"tensorlint": {"debounce": 0}, "trusted": False})
    uri = project(tmp_path, MODEL)
    await s.open(uri, MODEL)
    count = len(s.client.published[uri])
    with pytest.raises(Exception, match="not trusted"):
        await run_command(s, uri, "cpu")
    assert len(s.client.published[uri]) == count  # nothing ran, nothing was published
    assert not any("trusted" in m.message for m in s.client.messages)  # not taken for a bad setting


async def test_unknown_device_is_refused(lsp, tmp_path):
    uri = project(tmp_path, MODEL)
    await lsp.open(uri, MODEL)
    with pytest.raises(Exception, match="unknown device 'tpu'"):
        await run_command(lsp, uri, "tpu")


def test_device_setting_and_trust_flag_are_read_from_the_options():
    from tensorlint.server.settings import parse_settings, read_trust
    from tensorlint.server.shapecheck import choose_device

    settings, problems = parse_settings({"tensorlint": {"shapeCheck": {"device": "meta"}}})
    assert (settings.shape_check_device, problems) == ("meta", [])
    settings, problems = parse_settings({"shapeCheck.device": "tpu"})
    assert settings.shape_check_device is None and "shapeCheck.device" in problems[0]

    assert read_trust(None) == (True, None)
    assert read_trust({"tensorlint": {"debounce": 0}})[0] is True
    assert read_trust({"trusted": False, "tensorlint": {}}) == (False, {"tensorlint": {}})
    assert read_trust({"tensorlint": {"trusted": False, "debounce": 0}}) == (False, {"tensorlint": {"debounce": 0}})
    assert read_trust({"trusted": "yes"})[0] is False  # only a real true trusts

    # the command's device, then the editor's, then pyproject.toml's; auto defers to the next
    assert choose_device("cpu", "meta", "cuda") == "cpu"
    assert choose_device("auto", "meta", "cuda") == "meta"
    assert choose_device(None, "auto", "cpu") == "cpu"
    assert choose_device(None, None, None) == "auto"


async def test_the_report_is_titled_with_the_files_workspace_relative_name(session_factory, tmp_path, torch_python):
    folder = tmp_path / "models"
    folder.mkdir()
    uri = project(folder, MODEL)
    s = await session_factory(options={"debounce": 0}, root=tmp_path)
    await s.open(uri, MODEL)
    report = await run_command(s, uri, "cpu")
    assert report.splitlines()[0] == "# Shape check of models/model.py"
    assert str(tmp_path) not in report.splitlines()[0]


# -- where a runtime diagnostic is shown: the failing call, when the line holds one -------------

def _range_of(text: str, line: int, encoding: str = "utf-16"):
    from tensorlint.server.bridge import Document
    from tensorlint.server.shapecheck import runtime_diagnostic
    from tensorlint.runtime import RuntimeDiagnostic

    rng = runtime_diagnostic(RuntimeDiagnostic(line, "error", "shapes do not match", "error"), Document(text, encoding)).range
    return (rng.start.line, rng.start.character), (rng.end.line, rng.end.character)


def test_a_runtime_diagnostic_covers_the_call_on_its_line():
    text = "import torch\nmodel = torch.nn.Linear(4, 2)\nout = model(torch.ones(3, 5))  # the call fails\n"
    assert _range_of(text, 3) == ((2, 6), (2, 29))  # `model(...)`, with the call nested in it
    # a call over several lines: all of it
    spread = "import torch\nmodel = torch.nn.Linear(4, 2)\nout = model(\n    torch.ones(3, 5),\n)\n"
    assert _range_of(spread, 3) == ((2, 6), (4, 1))
    # characters before the call that take two UTF-16 units, or several UTF-8 bytes
    wide = "import torch\nmodel = torch.nn.Linear(4, 2)\n\U0001d465 = 'é'; out = model(torch.ones(3, 5))\n"
    assert _range_of(wide, 3) == ((2, 16), (2, 39))
    assert _range_of(wide, 3, "utf-8") == ((2, 19), (2, 42))


def test_a_runtime_diagnostic_stays_on_the_line_when_the_call_is_not_clear():
    for line in ("    a = model(x); b = model(y)   ",  # two calls side by side
                 "    x = [1, 2, 3][0] + 1",        # no call
                 "out = model(x"):                  # a text that does not parse
        text = "import torch\nif True:\n" + line + "\n"
        indent = len(line) - len(line.lstrip())
        assert _range_of(text, 3) == ((2, indent), (2, len(line))), line
