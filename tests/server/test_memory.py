"""The server keeps nothing per edit: a long session's memory does not grow with its edits.
(`bench/soak.py` measures the RSS over 10,000 edits; this checks the bookkeeping that leaked.)"""
from __future__ import annotations

import asyncio

from tensorlint.server.app import create_server


class _Sink:
    def __init__(self):
        self.written = []

    def write(self, data):
        self.written.append(data)

    def close(self):
        pass


async def _started():
    """An initialized server in this process, and a function that sends it a message."""
    server = create_server()
    protocol = server.protocol
    protocol.set_writer(_Sink())

    def send(method, params, msg_id=None):
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if msg_id is not None:
            message["id"] = msg_id
        protocol.handle_message(protocol.structure_message(message))

    send("initialize", {"capabilities": {}, "initializationOptions": {"debounce": 0}}, msg_id=1)
    await asyncio.sleep(0.05)
    send("initialized", {})
    return server, send


def test_notifications_leave_no_pending_futures_behind():
    async def session() -> int:
        server, send = await _started()
        uri = "file:///project/train.py"
        send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                       "text": "import torch\n"}})
        for version in range(2, 202):
            send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [{"text": f"import torch\nx = {version}\n"}]})
            await asyncio.sleep(0)
        send("textDocument/didClose", {"textDocument": {"uri": uri}})
        await asyncio.sleep(0.3)
        pending = len(server.protocol._request_futures)
        server.linter.close()
        return pending

    assert asyncio.run(session()) <= 2  # not one per notification (202 of them)


def test_closing_a_document_drops_everything_kept_for_it():
    """After didClose neither the server's document state nor the incremental analysis (trees,
    facts, findings) of that document is kept; other open documents keep theirs."""
    async def session():
        server, send = await _started()
        text = "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 2)\nout = model(torch.zeros(4, 10))\n"
        for name in ("a", "b"):
            send("textDocument/didOpen", {"textDocument": {"uri": f"file:///project/{name}.py", "languageId": "python",
                                                           "version": 1, "text": text}})
        for _ in range(200):
            await asyncio.sleep(0.05)
            if len(server.linter.documents) == 2 and all(s.published_version == 1 for s in server.states.values()):
                break
        opened = (sorted(server.states), sorted(server.linter.documents))
        send("textDocument/didClose", {"textDocument": {"uri": "file:///project/a.py"}})
        for _ in range(100):
            await asyncio.sleep(0.05)
            if len(server.linter.documents) < 2:
                break
        closed = (sorted(server.states), sorted(server.linter.documents))
        server.linter.close()
        return opened, closed

    opened, closed = asyncio.run(session())
    assert opened == (["file:///project/a.py", "file:///project/b.py"], ["/project/a.py", "/project/b.py"])
    assert closed == (["file:///project/b.py"], ["/project/b.py"])


def _run_python(code: str) -> str:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_server_process_starts_no_full_collection_in_an_analysis():
    """Python's own full collections walk everything an edit made, in the middle of the next
    edit's analysis: the server's process leaves them to the pauses between edits. Objects that
    survive two younger collections (an analysis's facts) start none; the server's own does
    run, and frees the cycles."""
    code = (
        "import gc\n"
        "from tensorlint.server.linting import Memory\n"
        "Memory.own_collector()\n"
        "full = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and info['generation'] == 2 and full.append(1))\n"
        "kept = []\n"
        "for i in range(300000):\n"
        "    a = []\n"
        "    a.append(a)\n"
        "    kept.append(a)\n"
        "print(len(full))\n"
        "kept = None\n"
        "memory = Memory()\n"
        "memory.pending = 1\n"
        "memory.collect()\n"
        "print(len(full), gc.get_count()[2] == 0)\n"
    )
    assert _run_python(code) == ["0", "1", "True"]


def test_the_server_entry_point_takes_over_full_collections():
    code = (
        "import gc\n"
        "import tensorlint.server.app as app\n"
        "class Stub:\n"
        "    def start_io(self):\n"
        "        print(gc.get_threshold()[2] > 10 ** 6)\n"
        "        return 0\n"
        "app.create_server = Stub\n"
        "from tensorlint.server.__main__ import main\n"
        "main([])\n"
    )
    assert _run_python(code) == ["True"]


def test_the_server_loads_its_modules_without_a_full_collection_and_serves_with_the_collector_on():
    """Loading pygls, lsprotocol and the engine leaves some 50,000 objects for the collector:
    with Python's thresholds a hundred collections, one of them full, walk them on the way to
    the `initialize` answer."""
    from raw_lsp import short_session

    code = (
        "import atexit, gc, sys\n"
        "early = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and info['generation'] == 2"
        " and 'tensorlint.server.commands' not in sys.modules and early.append(1))\n"
        "atexit.register(lambda: print(len(early), gc.isenabled(), file=sys.stderr))\n"
        "from tensorlint.server.__main__ import main\n"
        "sys.exit(main([]))\n"
    )
    done = short_session(code)
    assert b'"capabilities"' in done.stdout, done.stderr  # the initialize answer
    assert done.stderr.decode().split()[-2:] == ["0", "True"]
