"""How much an edit costs the language server, incremental parsing against a whole re-parse.

    python bench/server_incremental.py                 # 1,000 and 5,000 lines, 50 edits each
    python bench/server_incremental.py --edits 20 --lines 5000
    python bench/server_incremental.py --statements 1000 10000   # many short top-level statements

Two measurements on training scripts built from the repository's example files (examples/,
tests/corpus/, tests/server/fixtures/) repeated to the wanted length:

1. In process, per edit inside one function in the middle of the file: split + parse the
   changed chunk (IncrementalParser) against libcst parsing the whole file; and the engine's
   whole `analyze` with those chunks against `analyze` of the text alone.
2. End to end, the real server over stdio with `debounce: 0`: the time from sending
   `didChange` to receiving the `publishDiagnostics` of that version, p50/p95 (and the CPU time
   the server used meanwhile, which a busy machine does not inflate), for each place
   an edit is made (`--places`): a line added in a function body in the middle (`function`),
   in the first method of the first class after the middle (`method`; of the last class
   before it in a file with none after), at module level after the file's third top-level
   statement (`top`), in the middle (`middle`) and at the end (`end`), and a module-level
   statement in the middle typed one character per change
   (`typing`: most of its states do not parse); then the server's RSS. The client (this
   process) runs no automatic garbage collection while it times a place's edits: one of its
   own full collections (~25 ms with the messages of a 1,000-line document) would otherwise
   be counted as the server's latency; it collects between places.

`--statements N`: a script of N short top-level statements (assignments, prints, a model and
its calls) around the same marked function, the shape that once fell off a cliff past 4,096
statements (the parser's cache size).
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import time
from pathlib import Path

import libcst
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalParser

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO / "examples", REPO / "tests" / "corpus", REPO / "tests" / "server" / "fixtures"]
MARK = "    # edit-here\n"


def training_script(lines: int) -> str:
    """Example files, repeated until `lines` long, with one marked function in the middle."""
    parts = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.py")):
            text = path.read_text(encoding="utf-8")
            try:
                libcst.parse_module(text)
            except libcst.ParserSyntaxError:
                continue  # some examples are broken on purpose
            parts.append(text if text.endswith("\n") else text + "\n")
    if not parts:
        sys.exit("no example files found under " + ", ".join(str(s) for s in SOURCES))
    body: list[str] = []
    count = 0
    i = 0
    while count < lines:
        part = parts[i % len(parts)]
        body.append(part)
        count += part.count("\n")
        i += 1
    middle = len(body) // 2
    body.insert(middle, "\n\ndef train_step(model, batch, opt):\n" + MARK + "    out = model(batch)\n    return out\n\n\n")
    return "".join(body)


def statement_script(statements: int) -> str:
    """`statements` top-level statements of a few kinds, the marked function in the middle."""
    kinds = [
        "lr_{i} = 0.001 * {i}",
        "sizes_{i} = ({i}, 4)",
        "print('step', {i})",
        "h_{i} = model(torch.zeros(2, 10))",
        "names_{i} = ['a', 'b', str({i})]",
    ]
    head = "import torch\nimport torch.nn as nn\n\nmodel = nn.Linear(10, 2)\n"
    body = [kinds[i % len(kinds)].format(i=i) + "\n" for i in range(max(statements - 3, 0))]
    body.insert(len(body) // 2, "\n\ndef train_step(model, batch, opt):\n" + MARK + "    out = model(batch)\n    return out\n\n\n")
    return head + "".join(body)


def edited(text: str, n: int) -> str:
    return text.replace(MARK, MARK + f"    step_{n} = {n}\n")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    return f"p50 {1000 * statistics.median(values):7.1f} ms   p95 {1000 * percentile(values, 0.95):7.1f} ms"


def in_process(text: str, edits: int) -> None:
    parser = IncrementalParser()
    parser.parse(text)
    incremental, whole, analyze_chunks, analyze_whole = [], [], [], []
    config = Config()
    for n in range(edits):
        new = edited(text, n)
        t = time.perf_counter()
        chunks = parser.parse(new)
        incremental.append(time.perf_counter() - t)
        t = time.perf_counter()
        libcst.parse_module(new)
        whole.append(time.perf_counter() - t)
        if n < 10:  # the engine's own time dominates here; a few runs show it
            t = time.perf_counter()
            analyze(new, "bench.py", config, chunks=chunks, collect_values=True)
            analyze_chunks.append(time.perf_counter() - t)
            t = time.perf_counter()
            analyze(new, "bench.py", config, collect_values=True)
            analyze_whole.append(time.perf_counter() - t)
    print(f"  parse, incremental        {ms(incremental)}")
    print(f"  parse, whole file         {ms(whole)}")
    print(f"  analyze with chunks       {ms(analyze_chunks)}")
    print(f"  analyze, whole parse      {ms(analyze_whole)}")


PLACES = ("function", "method", "top", "middle", "end", "typing")
TYPED = "probe = torch.zeros(2, 3).sum(dim=0)\n"


def top_level_rows(lines: list[str]) -> list[int]:
    """0-based rows of the lines that start a top-level statement (a rough lexical reading:
    enough to pick places in the generated script)."""
    return [i for i, line in enumerate(lines)
            if line[:1].isalpha() and not line.startswith(("else", "elif", "except", "finally"))]


def changes_at(text: str, place: str, edits: int) -> list[tuple[int, int, str]]:
    """(row, column, inserted text) of each change, in order, for one edit place."""
    lines = text.split("\n")
    rows = top_level_rows(lines)
    middle = min(rows, key=lambda r: abs(r - len(lines) // 2))
    if place == "typing":
        return [(middle, k, ch) for k, ch in enumerate(TYPED)][:max(edits, 1)]
    if place == "function":
        row, indent = lines.index(MARK.rstrip("\n")) + 1, "    "
    elif place == "method":
        # the first class with a method after the middle (a short file may have none there: the
        # last before it); a class of attributes alone is passed over
        def first_method(cls):
            end = next((r for r in rows if r > cls), len(lines))
            return next((i for i in range(cls + 1, end) if lines[i].startswith((" ", "\t"))
                         and lines[i].lstrip().startswith(("def ", "async def "))), None)

        classes = [(i, first_method(i)) for i in rows if lines[i].startswith("class ")]
        classes = [(i, d) for i, d in classes if d is not None]
        if not classes:
            return []
        _, d = next((c for c in classes if c[0] > len(lines) // 2), classes[-1])
        while not lines[d].rstrip().endswith(":"):  # a signature over several lines
            d += 1
        body = lines[d + 1]
        row, indent = d + 1, body[: len(body) - len(body.lstrip())]
    elif place == "top":
        row, indent = rows[3], ""
    elif place == "middle":
        row, indent = middle, ""
    else:
        row, indent = len(lines) - 1 if text.endswith("\n") else len(lines), ""
    return [(row + n, 0, f"{indent}step_{n} = {n}\n") for n in range(edits)]


async def end_to_end(text: str, edits: int, places=PLACES) -> dict:
    client = LanguageClient("bench", "1")
    published: dict[int, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        published[params.version] = time.perf_counter()
        arrived.set()

    await client.start_io(sys.executable, "-m", "tensorlint.server")
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options={"debounce": 0})
    )
    client.initialized(types.InitializedParams())
    uri = "file:///bench/train.py"

    async def wait(version: int, limit: float = 120) -> float:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), limit)
        return published[version]

    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    t = time.perf_counter()
    await wait(1, 900)
    first = time.perf_counter() - t
    print(f"  open -> diagnostics       {1000 * first:7.1f} ms", flush=True)
    version = 1
    current = text
    results = {}
    pid = client._server.pid if client._server else None
    for place in places:
        latencies, cpu = [], []
        gc.collect()
        gc.disable()  # the client's own collections are not the server's latency
        for row, col, insert in changes_at(current, place, edits):
            version += 1
            at = types.Position(row, col)
            used = cpu_seconds(pid)
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangePartial(range=types.Range(at, at), text=insert)],
                )
            )
            latencies.append(await wait(version, 600) - sent)
            if used is not None:
                cpu.append(cpu_seconds(pid) - used)
            lines = current.split("\n")
            lines[row] = lines[row][:col] + insert + lines[row][col:]
            current = "\n".join(lines)
        gc.enable()
        results[place] = latencies
        if not latencies:
            print(f"  didChange -> publish, {place:9s} (no such place in this file)", flush=True)
            continue
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"  didChange -> publish, {place:9s} {ms(latencies)}   ({len(latencies)} changes)"
              f"   server CPU {ms(cpu) if cpu else 'unknown'}   load {load}", flush=True)
        # back to the original text, and its analysis, before the next place
        version += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        await wait(version, 900)
        current = text
    rss = server_rss(client)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    print(f"  server RSS after the run  {rss}")
    return results


def cpu_seconds(pid) -> float | None:
    """CPU time the process has used (user + system, all its threads): unlike the latency, it
    does not grow with what else the machine runs (to the clock tick, 10 ms)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def server_rss(client: LanguageClient) -> str:
    pid = client._server.pid if client._server else None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--statements", type=int, nargs="*", default=[], help="instead of --lines: N short statements")
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--skip-server", action="store_true", help="only the in-process measurement")
    parser.add_argument("--skip-in-process", action="store_true", help="only the server measurement")
    parser.add_argument("--places", nargs="*", default=list(PLACES), choices=PLACES)
    args = parser.parse_args()
    texts = [(statement_script(n), f"{n} top-level statements") for n in args.statements]
    if not texts:
        texts = [(training_script(n), "") for n in args.lines]
    for text, what in texts:
        print(f"{text.count(chr(10))} lines{', ' + what if what else ''}, {args.edits} edits per place")
        if not args.skip_in_process:
            in_process(text, args.edits)
        if not args.skip_server:
            asyncio.run(end_to_end(text, args.edits, args.places))


if __name__ == "__main__":
    main()
