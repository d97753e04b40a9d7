"""The tensorlint language server: wiring. Each LSP concern lives in its own module
(`diagnostics`, `code_actions`, `hover`, `inlay_hints`, `configuration`, `commands`) with a
`register(server)` that adds its handlers; the state they share is `server.core`. Feature
modules import `core`, never this module, so that nothing imports the wiring back.
"""
from __future__ import annotations

from .core import Protocol, TensorlintServer  # noqa: F401  (the server's names, for callers)


def create_server() -> TensorlintServer:
    from . import code_actions, commands, configuration, diagnostics, hover, inlay_hints, notebooks

    server = TensorlintServer()
    for module in (configuration, diagnostics, notebooks, code_actions, hover, inlay_hints, commands):
        module.register(server)
    return server
