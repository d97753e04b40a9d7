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


def test_notifications_leave_no_pending_futures_behind():
    async def session() -> int:
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
        uri = "file:///project/train.py"
        send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                       "text": "import torch\n"}})
        for version in range(2, 202):
            send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [{"text": f"import torch\nx = {version}\n"}]})
            await asyncio.sleep(0)
        send("textDocument/didClose", {"textDocument": {"uri": uri}})
        await asyncio.sleep(0.3)
        pending = len(protocol._request_futures)
        server.linter.close()
        return pending

    assert asyncio.run(session()) <= 2  # not one per notification (202 of them)
