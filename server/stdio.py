"""The server's stdio transport: reads LSP frames and never goes deaf.

pygls' own reader accepts only `Content-Length: N\\r\\n` exactly; any other header line leaves
it waiting forever, alive and silent, and a huge length makes it allocate that many bytes. This
one accepts what clients commonly send (header names in any case, LF line ends), skips to the
next valid header after a malformed one (a non-numeric or missing length), and refuses a body
over `MAX_BODY` by exiting with status 1, so that the client notices and starts it again.

A request whose parameters do not fit its method gets error -32602 (InvalidParams), a body that
is not JSON gets -32700 (ParseError), instead of no answer at all.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, BinaryIO

from cattrs import transform_error
from cattrs.errors import ClassValidationError
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024 * 1024  # VS Code does not send documents over 50 MB to extensions
_LINE_LIMIT = 64 * 1024  # a longer header line is garbage; it is skipped in pieces
# A length header at the end of a line: after a frame whose length was wrong, the next frame's
# header follows the stray bytes on the same line.
_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n\Z", re.IGNORECASE)


class AnsweredErrors(logging.Filter):
    """pygls logs a traceback for each request it answers with an LSP error (invalid params, an
    unknown command); the answer already says what went wrong, so one line is logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, JsonRpcException):
            record.msg, record.args, record.exc_info = f"{record.getMessage()}: {error}", (), None
        return True


class RoutineCancels(logging.Filter):
    """pygls warns about every `$/cancelRequest` for a request it has already answered, which
    clients send routinely (VS Code cancels each hover it no longer needs): those lines are
    debug-level, shown only with `--log-level DEBUG`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and str(record.msg).startswith("Cancel notification for unknown message id"):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


def serve(server: LanguageServer, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Serve over stdio until the client goes away or says `exit`; the process's exit status."""
    rpc_log = logging.getLogger("pygls.protocol.json_rpc")
    rpc_log.addFilter(AnsweredErrors())
    rpc_log.addFilter(RoutineCancels())
    server._stop_event = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout))
    try:
        return asyncio.run(_serve(server, stdin))
    except BrokenPipeError:
        log.error("the client closed the connection")
        return 1
    except SystemExit as exc:  # the `exit` notification: 0 after `shutdown`, else 1
        return exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        return 1
    finally:
        server.shutdown()


async def _serve(server: LanguageServer, stdin: BinaryIO) -> int:
    loop = asyncio.get_running_loop()
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tensorlint-stdin")
    try:
        frames = Frames(stdin)
        while not server._stop_event.is_set():
            body = await loop.run_in_executor(reader, frames.next)
            if body is None:
                return frames.status
            handle(server, body)
        return 0
    finally:
        reader.shutdown(wait=False)


class Frames:
    """The bodies of the frames on `stream`, one per `next()`."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.status = 0  # the exit status once `next()` returned None

    def next(self) -> bytes | None:
        """The next body; None at the end of the stream or on a frame too large to read."""
        length: int | None = None
        in_header = False  # header lines seen since the last body
        carry = b""
        while True:
            line = self.stream.readline(_LINE_LIMIT)
            if not line:
                return None
            if carry:
                line, carry = carry + line, b""
            if not line.endswith(b"\n"):  # a piece of an overlong line: keep its end, a header may start there
                carry = line[-64:]
                continue
            if line in (b"\r\n", b"\n"):
                if length is None:
                    if in_header:
                        log.warning("frame header without a valid Content-Length: skipping to the next header")
                    in_header = False
                    continue
                body = self.stream.read(length)
                if len(body) < length:
                    log.error("the input ended inside a frame (%d of %d bytes)", len(body), length)
                    self.status = 1
                    return None
                return body
            in_header = True
            match = _LENGTH.search(line)
            if match is None:
                continue  # another header (Content-Type), or stray bytes
            value = match.group(1)
            if not value.isdigit():
                log.warning("frame header with Content-Length %r: skipping to the next header", value[:40])
                length = None
                continue
            length = int(value)
            if length > MAX_BODY:
                log.error(
                    "a frame of %d bytes exceeds the limit of %d MB; exiting, so that the client restarts the server",
                    length, MAX_BODY // (1024 * 1024),
                )
                self.status = 1
                return None


def handle(server: LanguageServer, body: bytes) -> None:
    """Hand one body to the protocol; answer what cannot be handed over with an LSP error."""
    protocol = server.protocol
    try:
        data = json.loads(body)
    except ValueError as exc:  # not JSON, or not UTF-8
        log.warning("a frame's body is not JSON: %s", exc)
        _error(protocol, None, types.ErrorCodes.ParseError, f"the message is not JSON: {exc}")
        return
    msg_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("jsonrpc") != "2.0" or not isinstance(msg_id, (int, str, type(None))):
        log.warning("not a JSON-RPC 2.0 message: %.200s", body)
        _error(protocol, msg_id if isinstance(msg_id, (int, str)) else None, types.ErrorCodes.InvalidRequest,
               "not a JSON-RPC 2.0 message")
        return
    method = data.get("method")
    try:
        message = _structure(protocol, data)
    except Exception as exc:
        why = "; ".join(transform_error(exc)) if isinstance(exc, ClassValidationError) else str(exc)
        if method is None or msg_id is None:  # a response or a notification: nobody to answer
            log.warning("dropped a %s with invalid content: %.300s", method or "response", why)
            return
        log.warning("invalid params for %s: %.300s", method, why)
        _error(protocol, msg_id, types.ErrorCodes.InvalidParams, f"invalid params for {method}: {why}"[:1000])
        return
    try:
        protocol.handle_message(message)
    except Exception:
        log.exception("failed to handle %s", method or "a response")
        if method is not None and msg_id is not None:
            _error(protocol, msg_id, types.ErrorCodes.InternalError, f"{method} failed; see the server's log")


def _structure(protocol, data: dict):
    """The typed message, as pygls makes it; but a message that does not fit its method's type
    raises the converter's error here, where it can be answered (pygls logs a traceback)."""
    method = data.get("method")
    kind = protocol.get_message_type(method) if isinstance(method, str) else None
    if kind is None:  # responses, and methods without a type of their own
        return protocol.structure_message(data)
    return protocol._converter.structure(data, kind)


def _error(protocol, msg_id, code: int, message: str) -> None:
    """An error response; `msg_id` None when the request's id could not be read."""
    protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": int(code), "message": message}})
