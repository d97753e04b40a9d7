"""Hover (rule docs, inferred shapes) and inlay hints of tensor shapes."""
from __future__ import annotations

from lsprotocol import types

from lsp_session import TL101_EXAMPLE, by_code

URI = "file:///work/example.py"


async def hover(lsp, line: int, character: int):
    return await lsp.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=URI), types.Position(line, character))
    )


async def hints(lsp):
    return await lsp.client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(types.Position(0, 0), types.Position(len(lsp.texts[URI].splitlines()), 0)),
        )
    ) or []


async def test_hover_on_diagnostic_shows_rule_docs(lsp):
    [d] = by_code(await lsp.open(URI, TL101_EXAMPLE), "TL101")
    result = await hover(lsp, d.range.start.line, d.range.start.character)
    assert result is not None
    assert "TL101" in result.contents.value
    assert "What it does" in result.contents.value  # the rule's own documentation


async def test_hover_on_name_shows_inferred_shape(lsp):
    await lsp.open(URI, TL101_EXAMPLE)
    result = await hover(lsp, 3, 0)  # the `x` of `x = torch.randint(0, 10, (4, 10))`
    assert result is not None
    assert "Tensor[4, 10]" in result.contents.value
    assert "int64" in result.contents.value


async def test_hover_on_blank_space_is_empty(lsp):
    await lsp.open(URI, TL101_EXAMPLE + "\n\n")
    assert await hover(lsp, 6, 0) is None


async def test_inlay_hint_after_tensor_assignment(lsp):
    await lsp.open(URI, TL101_EXAMPLE)
    found = {h.position.line: h for h in await hints(lsp)}
    assert 3 in found
    label = found[3].label if isinstance(found[3].label, str) else "".join(p.value for p in found[3].label)
    assert "[4, 10]" in label
    assert found[3].position.character == len("x = torch.randint(0, 10, (4, 10))")


async def test_inlay_hints_can_be_turned_off(session_factory):
    s = await session_factory(options={"debounce": 0, "inlayHints": {"enabled": False}})
    await s.open(URI, TL101_EXAMPLE)
    assert await hints(s) == []
