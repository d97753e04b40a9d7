"""A document's first analysis: progress while a large file is read, and a file opened with a
syntax error still gets its other statements analyzed (TL001 where the error is)."""
from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from lsp_session import TL101_EXAMPLE, by_code

URI = "file:///work/big_model.py"


def large_file(functions: int = 500) -> str:
    """About ten lines per helper; the TL101 bug at the end."""
    helpers = "".join(
        f"\n\ndef block_{i}(x):\n    h = torch.relu(x)\n    h = h * {i + 1}\n"
        f"    if h.shape[0] > {i}:\n        h = h + 1\n    return h.mean()\n"
        for i in range(functions)
    )
    return TL101_EXAMPLE.replace("out = model(x)\n", "") + helpers + "\n\nout = model(x)\n"


async def progress_of(client, until_end: bool = True, timeout: float = 30):
    async def wait():
        while True:
            reports = list(client.progress_reports.values())
            if not until_end or any(isinstance(r[-1], types.WorkDoneProgressEnd) for r in reports if r):
                return reports
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(wait(), timeout)


async def test_a_large_files_first_analysis_shows_progress_until_its_diagnostics(session_factory):
    s = await session_factory(options={"debounce": 0}, progress=True)
    text = large_file()
    assert len(text.splitlines()) > 3000
    diagnostics = await s.open(URI, text)
    assert by_code(diagnostics, "TL101")
    [reports] = await progress_of(s.client)
    begin, end = reports[0], reports[-1]
    assert isinstance(begin, types.WorkDoneProgressBegin) and begin.title == "tensorlint"
    assert begin.message == "analyzing big_model.py\u2026"
    assert isinstance(end, types.WorkDoneProgressEnd)
    # later edits are incremental and quick: no more progress
    await s.edit(URI, text + "\ny = x.float()\n")
    assert len(s.client.progress_reports) == 1


async def test_no_progress_for_a_client_that_does_not_take_it(session_factory):
    s = await session_factory(options={"debounce": 0})
    await s.open(URI, large_file())
    assert s.client.progress_reports == {}


BROKEN_FIRST = """\
import torch
import torch.nn as nn

def broken(a, b:
    return a

model = nn.Linear(10, 1)
x = torch.randint(0, 10, (4, 10))
out = model(x)
"""

BROKEN_LAST = TL101_EXAMPLE + "\ny = = 2\n"

BROKEN_CLASS = """\
import torch
import torch.nn as nn


class Net(nn.Module):
    def forward(self, x)
        return x


model = nn.Linear(10, 1)
x = torch.randint(0, 10, (4, 10))
out = model(x)
"""


@pytest.fixture
async def lsp(session_factory):
    """Syntax errors shown (off by default: editors' Python support reports them already)."""
    return await session_factory(options={"debounce": 0, "showSyntaxErrors": True})


async def check_broken(lsp, text: str, error_line: int, bug_line: int):
    diagnostics = await lsp.open(URI, text)
    [syntax] = by_code(diagnostics, "TL001")
    assert syntax.range.start.line == error_line
    [tl101] = by_code(diagnostics, "TL101")
    assert tl101.range.start.line == bug_line
    return diagnostics


async def test_an_unclosed_bracket_costs_only_its_statement(lsp):
    await check_broken(lsp, BROKEN_FIRST, 3, 8)


async def test_a_syntax_error_after_the_bug(lsp):
    await check_broken(lsp, BROKEN_LAST, 6, 4)


async def test_a_syntax_error_inside_a_class(lsp):
    await check_broken(lsp, BROKEN_CLASS, 5, 11)


async def test_the_rest_stays_analyzed_while_the_error_is_there_and_after_it_is_fixed(lsp):
    await check_broken(lsp, BROKEN_FIRST, 3, 8)
    still_broken = BROKEN_FIRST.replace("x = torch.randint", "x  = torch.randint")
    diagnostics = await lsp.edit(URI, still_broken)
    assert by_code(diagnostics, "TL001") and by_code(diagnostics, "TL101")
    hover = await lsp.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=URI), types.Position(8, 12)))
    assert hover is not None and "Tensor[4, 10] int64" in hover.contents.value
    fixed = await lsp.edit(URI, still_broken.replace("def broken(a, b:", "def broken(a, b):"))
    assert not by_code(fixed, "TL001")
    assert [d.range.start.line for d in by_code(fixed, "TL101")] == [8]


async def test_syntax_errors_hidden_by_the_setting_still_leave_the_rest_analyzed(session_factory):
    s = await session_factory(options={"debounce": 0, "showSyntaxErrors": False})
    diagnostics = await s.open(URI, BROKEN_FIRST)
    assert not by_code(diagnostics, "TL001")
    assert by_code(diagnostics, "TL101")
