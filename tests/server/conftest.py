"""Fixtures for the end-to-end server tests (helpers live in `lsp_session`)."""
from __future__ import annotations

import asyncio

import pytest
from lsp_session import Session, start


@pytest.fixture
async def session_factory():
    """Start sessions with `await session_factory(options=..., encodings=...)`; all are shut down."""
    sessions: list[Session] = []

    async def make(**kwargs) -> Session:
        s = await start(**kwargs)
        sessions.append(s)
        return s

    yield make
    for s in sessions:
        try:
            if s.client._server is not None and s.client._server.returncode is None:
                await asyncio.wait_for(s.client.shutdown_session(), 10)
        finally:
            await s.client.stop()


@pytest.fixture
async def lsp(session_factory) -> Session:
    """A session with default settings and no debounce."""
    return await session_factory(options={"debounce": 0})
