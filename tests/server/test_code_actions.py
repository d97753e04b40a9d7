"""Quick fixes, noqa actions and fix-all, applied the way an editor applies them."""
from __future__ import annotations

from lsprotocol import types

from lsp_session import TL101_EXAMPLE, by_code

URI = "file:///work/example.py"
TWO_CALLS = TL101_EXAMPLE + "again = model(x)\n"


def titled(actions, start: str):
    return [a for a in actions if a.title.startswith(start)]


async def test_quick_fix_removes_the_diagnostic(lsp):
    [d] = by_code(await lsp.open(URI, TL101_EXAMPLE), "TL101")
    actions = await lsp.code_actions(URI, [d])
    [fix] = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    assert "(unsafe)" not in fix.title
    after = await lsp.apply(URI, fix.edit)
    assert by_code(after, "TL101") == []
    assert ".float()" in lsp.texts[URI].splitlines()[4]


async def test_ignore_action_adds_noqa(lsp):
    [d] = by_code(await lsp.open(URI, TL101_EXAMPLE), "TL101")
    [ignore] = titled(await lsp.code_actions(URI, [d]), "Ignore TL101 for this line")
    after = await lsp.apply(URI, ignore.edit)
    assert by_code(after, "TL101") == []
    assert lsp.texts[URI].splitlines()[4] == "out = model(x)  # noqa: TL101"


async def test_ignore_action_extends_existing_noqa(lsp):
    text = TL101_EXAMPLE.replace("out = model(x)", "out = model(x)  # noqa: TL205")
    [d] = by_code(await lsp.open(URI, text), "TL101")
    [ignore] = titled(await lsp.code_actions(URI, [d]), "Ignore TL101 for this line")
    after = await lsp.apply(URI, ignore.edit)
    assert by_code(after, "TL101") == []
    assert lsp.texts[URI].splitlines()[4] == "out = model(x)  # noqa: TL205, TL101"


async def test_fix_all_source_action_applies_every_safe_fix(lsp):
    diagnostics = by_code(await lsp.open(URI, TWO_CALLS), "TL101")
    assert len(diagnostics) == 2
    actions = await lsp.code_actions(URI, [], only=[types.CodeActionKind.SourceFixAll])
    [fix_all] = [a for a in actions if a.kind == "source.fixAll.tensorlint"]
    after = await lsp.apply(URI, fix_all.edit)
    assert by_code(after, "TL101") == []


async def test_only_quick_fixes_when_asked_for_quick_fixes(lsp):
    diagnostics = by_code(await lsp.open(URI, TL101_EXAMPLE), "TL101")
    actions = await lsp.code_actions(URI, diagnostics, only=[types.CodeActionKind.QuickFix])
    assert actions and all(a.kind == types.CodeActionKind.QuickFix for a in actions)


async def test_fix_all_command_sends_the_edit(lsp):
    await lsp.open(URI, TWO_CALLS)
    result = await lsp.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="tensorlint.fixAll", arguments=[URI])
    )
    assert result == {"applied": True}
    [request] = lsp.client.applied
    after = await lsp.apply(URI, request.edit)
    assert by_code(after, "TL101") == []


async def test_fix_all_command_on_unknown_document(lsp):
    result = await lsp.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="tensorlint.fixAll", arguments=["file:///nowhere.py"])
    )
    assert result == {"applied": False}
    assert lsp.client.applied == []
