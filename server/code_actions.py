"""Code actions: a quick fix per fixable diagnostic, "Ignore TLxxx for this line", and
`source.fixAll.tensorlint` (safe fixes only).

Quick fixes come from the fix each diagnostic carries in `data`; no second analysis.
"""
from __future__ import annotations

from lsprotocol import types

from tensorlint.findings import Applicability

from .core import TensorlintServer
from .bridge import (
    SOURCE,
    Document,
    fix_from_data,
    non_overlapping,
    text_edits,
    to_client_column,
    workspace_edit,
)
from .diagnostics import lint

FIX_ALL = "source.fixAll.tensorlint"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL]


def register(server: TensorlintServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=False),
    )
    async def code_action(ls: TensorlintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        if uri not in ls.states:
            return None
        only = params.context.only
        actions: list[types.CodeAction] = []
        ours = [d for d in params.context.diagnostics if d.source == SOURCE and isinstance(d.code, str)]
        if wanted(types.CodeActionKind.QuickFix, only):
            actions += [a for d in ours if (a := quick_fix(ls, uri, d)) is not None]
            actions += ignore_actions(ls, uri, ours)
        if wanted(FIX_ALL, only):
            edit = await fix_all_edit(ls, uri)
            if edit is not None:
                actions.append(types.CodeAction(title="tensorlint: fix all safe fixes", kind=FIX_ALL, edit=edit))
        return actions or None


def wanted(kind: str, only: list[str] | None) -> bool:
    """Whether the client asked for actions of `kind` (no filter asks for all)."""
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def _document_changes(ls: TensorlintServer) -> bool:
    return ls.client_supports("workspace.workspace_edit.document_changes")


def quick_fix(ls: TensorlintServer, uri: str, diag: types.Diagnostic) -> types.CodeAction | None:
    found = fix_from_data(diag.data)
    if found is None:
        return None
    title, applicability, edits = found
    version = diag.data.get("version") if isinstance(diag.data, dict) else None
    unsafe = applicability is not Applicability.SAFE
    return types.CodeAction(
        title=f"{title} (unsafe)" if unsafe else title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=not unsafe,
        edit=workspace_edit(uri, version, edits, _document_changes(ls)),
    )


def ignore_actions(ls: TensorlintServer, uri: str, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
    """One "Ignore TLxxx for this line" per code and line; adds or extends `# noqa: ...`."""
    doc = ls.document(uri)
    version = ls.states[uri].version
    actions = []
    seen = set()
    for diag in diagnostics:
        code, row = str(diag.code), diag.range.start.line
        if (code, row) in seen or row >= len(doc.lines):
            continue
        seen.add((code, row))
        edit = noqa_edit(doc, row, code)
        if edit is None:
            continue
        actions.append(
            types.CodeAction(
                title=f"Ignore {code} for this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                edit=workspace_edit(uri, version, [edit], _document_changes(ls)),
            )
        )
    return actions


def noqa_edit(doc: Document, row: int, code: str) -> types.TextEdit | None:
    """The edit that makes line `row` (0-based) suppress `code`; None if it already does."""
    from tensorlint.engine import NOQA, noqa_codes

    line = doc.lines[row]
    codes = noqa_codes(line)
    if codes is not None and (not codes or code in codes):
        return None
    if codes is None:  # append a comment, replacing trailing blanks
        start, end, text = len(line.rstrip()), len(line), f"  # noqa: {code}"
    else:  # extend the codes already listed
        start = end = NOQA.search(line).end("codes")
        text = f", {code}"
    rng = types.Range(
        types.Position(row, to_client_column(line, start, doc.encoding)),
        types.Position(row, to_client_column(line, end, doc.encoding)),
    )
    return types.TextEdit(range=rng, new_text=text)


async def fix_all_edit(ls: TensorlintServer, uri: str) -> types.WorkspaceEdit | None:
    """All safe fixes of the current version that do not overlap; None when there are none."""
    state = ls.states.get(uri)
    if state is None:
        return None
    if state.published_version != state.version or state.task is not None and not state.task.done():
        state.cancel()
        if not await lint(ls, uri):
            return None
    state = ls.states.get(uri)
    if state is None:
        return None
    safe = [f.fix.edits for f in state.findings if f.fix is not None and f.fix.applicability is Applicability.SAFE]
    edits = non_overlapping(safe)
    if not edits:
        return None
    doc = Document(state.text, ls.encoding)
    return workspace_edit(uri, state.published_version, text_edits(edits, doc), _document_changes(ls))
