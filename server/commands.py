"""Commands the client can run through `workspace/executeCommand`.

Each command is one entry of `COMMANDS`: name -> async handler(ls, *arguments). Add a command
by adding a handler here; `tensorlint.shapeCheck` lives in its own module (`shapecheck`).
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from lsprotocol import types

from .core import TensorlintServer
from .code_actions import fix_all_edit
from .shapecheck import CANCEL_COMMAND, COMMAND as SHAPE_CHECK, cancel_shape_check, shape_check


def _uri_argument(args: tuple[Any, ...]) -> str | None:
    """Commands take the document as their first argument: a URI, or {"uri": ...}."""
    if not args:
        return None
    first = args[0]
    if isinstance(first, dict):
        first = first.get("uri")
    return first if isinstance(first, str) else None


async def fix_all(ls: TensorlintServer, *args: Any) -> dict[str, Any]:
    """Apply every safe fix of a document. Returns {"applied": bool}."""
    uri = _uri_argument(args)
    if uri is None or uri not in ls.states:
        return {"applied": False}
    edit = await fix_all_edit(ls, uri)
    if edit is None:
        return {"applied": False}
    result = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label="tensorlint: fix all"))
    return {"applied": bool(result and result.applied)}


COMMANDS: dict[str, Callable[..., Awaitable[Any]]] = {
    "tensorlint.fixAll": fix_all,
    SHAPE_CHECK: shape_check,
    CANCEL_COMMAND: cancel_shape_check,
}


def register(server: TensorlintServer) -> None:
    for name, handler in COMMANDS.items():
        server.command(name)(handler)
