"""Settings: `initializationOptions`, `workspace/didChangeConfiguration` (pushed settings, or
pulled with `workspace/configuration` when the client pushes none), and the workspace's
pyproject.toml, watched and re-read when it changes (tensorlint.toml too)."""
from __future__ import annotations

import logging

from lsprotocol import types
from pygls.uris import to_fs_path

from .core import TensorlintServer
from .diagnostics import relint_all, relint_importers
from .settings import ProjectConfigs, parse_settings, read_trust

log = logging.getLogger(__name__)
SECTION = "tensorlint"
WATCH_ID = "tensorlint-pyproject"


def register(server: TensorlintServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: TensorlintServer, params: types.InitializeParams) -> None:
        ls.trusted, options = read_trust(params.initialization_options)
        ls.settings, ls.pending_problems = parse_settings(options)
        ls.projects = ProjectConfigs(ls.root)
        if params.trace is not None:  # the client's trace level at start; `$/setTrace` changes it
            ls.protocol.trace = params.trace

    @server.feature(types.INITIALIZED)
    async def initialized(ls: TensorlintServer, params: types.InitializedParams) -> None:
        ls.linter.warm_up()  # the engine loads while the client is still opening files
        ls.report(ls.pending_problems)
        ls.pending_problems = []
        if ls.client_supports("workspace.did_change_watched_files.dynamic_registration"):
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern="**/{pyproject.toml,tensorlint.toml}"),
                          types.FileSystemWatcher(glob_pattern="**/*.py")]
            )
            try:
                await ls.client_register_capability_async(
                    types.RegistrationParams(
                        registrations=[
                            types.Registration(
                                id=WATCH_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
                            )
                        ]
                    )
                )
            except Exception:  # a client that refuses simply gets no reload on change
                log.info("the client did not accept the pyproject.toml watcher")

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: TensorlintServer, params: types.DidChangeConfigurationParams) -> None:
        raw = params.settings
        if isinstance(raw, dict) and SECTION in raw:
            raw = raw[SECTION]
        if not raw and ls.client_supports("workspace.configuration"):
            try:
                pulled = await ls.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
                )
                raw = pulled[0] if pulled else None
            except Exception:
                log.info("workspace/configuration failed; keeping the current settings")
                return
        # Settings a client sends are complete: start from the defaults, not from the old ones.
        # Trust is fixed at initialization; a `trusted` key here is dropped, not obeyed.
        settings, problems = parse_settings(read_trust(raw)[1])
        ls.report(problems)
        ls.settings = settings
        relint_all(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: TensorlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:  # a project module changed on disk: files importing it
            path = to_fs_path(change.uri)
            if path and path.endswith(".py") and change.uri not in ls.states:
                relint_importers(ls, path)
        if not any(c.uri.endswith(("pyproject.toml", "tensorlint.toml")) for c in params.changes):
            return
        ls.projects.reload()
        relint_all(ls)
