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


USES = """\
import torch
import torch.nn as nn


def forward(net, batch):
    hidden = net(batch)
    return hidden.relu()


model = nn.Linear(10, 3)
x = torch.randint(0, 10, (4, 10))
out = forward(model, x.float())
loss = out.sum()
print(out, x.shape)
"""


def label_at(found, line: int) -> str:
    label = found[line].label
    return label if isinstance(label, str) else "".join(p.value for p in label)


async def test_hover_on_a_use_of_a_variable_shows_its_shape_dtype_and_origin(lsp):
    await lsp.open(URI, USES)
    for line, character in [(11, 21), (13, 11), (13, 6)]:  # `x` in `x.float()`, `x` of `x.shape`, `out` in print
        result = await hover(lsp, line, character)
        assert result is not None, (line, character)
        assert result.range.start.line == line and result.range.start.character == character
    x_use = (await hover(lsp, 11, 21)).contents.value
    assert "Tensor[4, 10] int64" in x_use
    assert "from line 11: `x = torch.randint(0, 10, (4, 10))`" in x_use
    out_use = (await hover(lsp, 13, 6)).contents.value
    assert "Tensor[4, 3] float32" in out_use


async def test_hover_on_a_use_inside_a_called_function(lsp):
    await lsp.open(URI, USES)
    result = await hover(lsp, 6, 11)  # `hidden` of `return hidden.relu()`
    assert result is not None
    assert "Tensor[4, 3] float32" in result.contents.value
    assert "from line 6" in result.contents.value


async def test_inlay_hints_show_the_dtype_and_none_for_a_scalar(lsp):
    await lsp.open(URI, USES)
    found = {h.position.line: h for h in await hints(lsp)}
    assert label_at(found, 10) == ": [4, 10] int64"
    assert label_at(found, 11) == ": [4, 3] float32"
    assert 12 not in found  # `loss = out.sum()` is a scalar: `: []` would say nothing
