"""Positions in the negotiated encoding: a line with emoji and CJK before the faulty call."""
from __future__ import annotations

import pytest
from lsprotocol import types

from lsp_session import TL101_EXAMPLE, by_code

URI = "file:///work/example.py"
PREFIX = 'tag = "🚀 日本語 😀"; '
TEXT = TL101_EXAMPLE.replace("out = model(x)", PREFIX + "out = model(x)")
LINE = TEXT.splitlines()[4]

UNIT = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}
WIDTH = {"utf-8": 1, "utf-16": 2, "utf-32": 4}


def decode_range(line: str, start: int, end: int, encoding: str) -> str:
    """The text between two client columns of `line`."""
    raw = line.encode(UNIT[encoding])
    return raw[start * WIDTH[encoding] : end * WIDTH[encoding]].decode(UNIT[encoding])


@pytest.mark.parametrize("offered, expected", [(None, "utf-16"), (["utf-8"], "utf-8"), (["utf-32", "utf-16"], "utf-32")])
async def test_underlines_exactly_the_call(session_factory, offered, expected):
    s = await session_factory(options={"debounce": 0}, encodings=offered)
    assert (s.result.capabilities.position_encoding or "utf-16") == expected
    [d] = by_code(await s.open(URI, TEXT), "TL101")
    assert d.range.start.line == d.range.end.line == 4
    underlined = decode_range(LINE, d.range.start.character, d.range.end.character, expected)
    assert underlined in ("model(x)", "x")


async def test_noqa_action_lands_at_end_of_a_wide_line(lsp):
    [d] = by_code(await lsp.open(URI, TEXT), "TL101")
    actions = await lsp.code_actions(URI, [d])
    [ignore] = [a for a in actions if a.title.startswith("Ignore TL101")]
    await lsp.apply(URI, ignore.edit)
    assert lsp.texts[URI].splitlines()[4] == LINE + "  # noqa: TL101"
