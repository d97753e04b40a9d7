"""Running the engine for the server: incremental parsing, a worker thread, per-document state.

The engine runs on one worker thread (analysis is CPU-bound; one thread keeps the parse cache
single-owner). Results come back to the event loop, which alone publishes them.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from lsprotocol import types

from tensorlint.config import Config
from tensorlint.findings import Analysis, Finding, ValueInfo

from .bridge import LineShift

if TYPE_CHECKING:
    from tensorlint.incremental import IncrementalAnalysis

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """What one analysis ran on."""

    text: str
    version: int | None
    path: str
    config: Config
    show_syntax_errors: bool
    # no analysis of this document has parsed yet: a syntax error costs only its statement
    tolerant: bool = False


class Linter:
    def __init__(self, max_documents: int = 64) -> None:
        # one incremental analysis per document: an edit re-runs only the chunks it can affect
        self.documents: OrderedDict[str, IncrementalAnalysis] = OrderedDict()
        self.max_documents = max_documents
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tensorlint-analysis")
        self.memory = Memory()
        self._idle: asyncio.TimerHandle | None = None

    async def run(self, snap: Snapshot, still_wanted: Callable[[], bool]) -> Analysis | None:
        """Analyze on the worker thread. None when the request went stale before it started
        or the engine failed (the failure is logged)."""
        loop = asyncio.get_running_loop()
        if self._idle is not None:
            self._idle.cancel()
        try:
            return await loop.run_in_executor(self.executor, self._work, snap, still_wanted)
        finally:
            # the user paused: reclaim what the analyses left behind while nobody waits
            self._idle = loop.call_later(self.memory.idle_seconds, self._when_idle)

    def warm_up(self) -> None:
        """Load the engine (libcst, the interpreter, the rules) on the worker thread, so that
        `initialize` is answered without it and the first analysis does not wait for it."""
        def load() -> None:
            from tensorlint import engine, incremental, interp, notebook  # noqa: F401
            from tensorlint.cstparse import prepare_for_many
            from tensorlint.codecache import save as save_codes
            from tensorlint.rule import all_rules

            all_rules()
            prepare_for_many()  # a server parses on and on: the first analysis need not build it
            save_codes()  # the dataclass methods compiled while loading, for the next start

        try:
            self.executor.submit(load)
        except RuntimeError:
            pass  # shutting down

    def _when_idle(self) -> None:
        self._idle = None
        try:
            self.executor.submit(self.memory.collect)
        except RuntimeError:
            pass  # shutting down

    def _work(self, snap: Snapshot, still_wanted: Callable[[], bool]) -> Analysis | None:
        if not still_wanted():
            return None
        try:
            return self.analyze(snap)
        except Exception:  # an engine failure must not take the server down
            log.exception("analysis of %s failed", snap.path)
            return None
        finally:
            self.memory.after_analysis()

    def analyze(self, snap: Snapshot) -> Analysis:
        from tensorlint.engine import FRAMEWORK_MARKERS, analyze  # loaded by `warm_up` or the first analysis

        if snap.config.is_excluded(snap.path):
            return Analysis(skipped=True)
        if not FRAMEWORK_MARKERS.search(snap.text):
            return analyze(snap.text, snap.path, snap.config)
        doc = self.documents.get(snap.path)
        if doc is None:
            from tensorlint.incremental import IncrementalAnalysis  # libcst loads with the first analysis

            doc = self.documents[snap.path] = IncrementalAnalysis()
            if len(self.documents) > self.max_documents:
                self.documents.popitem(last=False)
        else:
            self.documents.move_to_end(snap.path)
        result = doc.analyze(snap.text, snap.path, snap.config, collect_values=True,
                             syntax_errors=snap.show_syntax_errors)
        if result.syntax_error and snap.tolerant:
            return analyze_around_errors(snap, result)
        return result

    def forget(self, path: str) -> None:
        """Drop what is kept for a closed document. On the worker thread, after any analysis
        of it still running there; then the memory its trees held goes back."""
        def drop() -> None:
            if self.documents.pop(path, None) is not None:
                self.memory.release()

        try:
            self.executor.submit(drop)
        except RuntimeError:
            pass  # shutting down

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def analyze_around_errors(snap: Snapshot, failed: Analysis) -> Analysis:
    """For a text with a syntax error: TL001 where it is, and the top-level statements that
    parse on their own analyzed without the broken ones. A document opened broken shows what
    holds in the rest of it, instead of nothing until the error is fixed."""
    from tensorlint.engine import analyze
    from tensorlint.tolerant import analyze_around_errors as around

    errors = failed.findings
    if snap.show_syntax_errors and not errors:  # the incremental parser only said "no"
        errors = analyze(snap.text, snap.path, snap.config).findings
    return around(snap.text, snap.path, snap.config, list(errors), collect_values=True)


# a threshold of full collections that the automatic ones never reach: one per this many
# collections of the middle generation (Python's is 10)
NO_AUTOMATIC_FULL = 1 << 30


class Memory:
    """Keeps Python's cycle collector from pausing an edit's analysis.

    The documents' syntax trees and facts are millions of long-lived objects; a full collection
    walks them all (about 200 ms for a 5,000-line document) and CPython starts one every few
    edits. After each analysis the surviving objects are frozen (moved out of the collector's
    sight), so the automatic collections only walk what the next analysis makes; a full
    collection of everything runs when the user pauses, or after `every` analyses without a
    pause, and freezes the survivors again.

    In the server's own process (`own_collector`) those are the only full collections: the
    ones CPython starts by itself, once enough objects survived two younger collections, walk
    everything made since the last freeze (an edit's analysis, the messages around it) in the
    middle of the analysis of the next edit, where they cost one edit in a few tens of ms."""

    def __init__(self, idle_seconds: float = 2.0, every: int = 200):
        self.idle_seconds = idle_seconds
        self.every = every
        self.pending = 0  # analyses since the last full collection
        self.lock = threading.Lock()

    @staticmethod
    def own_collector() -> None:
        """No automatic full collections in this process (the young generations stay as they
        are): those of `collect`, `release` and every `every` analyses replace them."""
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, NO_AUTOMATIC_FULL)

    def after_analysis(self) -> None:
        with self.lock:
            self.pending += 1
            if self.pending >= self.every:
                self._collect()
            else:
                gc.freeze()

    def collect(self) -> None:
        with self.lock:
            if self.pending:
                self._collect()

    def release(self) -> None:
        """A full collection now, and the freed heap handed back to the system (glibc keeps
        freed memory for reuse otherwise: a closed large document would stay in the RSS)."""
        with self.lock:
            self._collect()
        _trim_heap()

    def _collect(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.pending = 0


def _trim_heap() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc


@dataclass
class DocumentState:
    """What the server knows about one open document."""

    uri: str
    version: int | None = None
    notebook: str | None = None  # a notebook cell: the URI of the notebook analyzed with it
    # The last analysis of a text that parsed: kept while the document is half-typed.
    good_text: str | None = None
    good: Analysis | None = None
    # What is published now, in the coordinates of `text`.
    text: str = ""
    published_version: int | None = None
    findings: list[Finding] = field(default_factory=list)
    values: list[ValueInfo] = field(default_factory=list)
    # Diagnostics of the last runtime shape check, published with the static ones until an edit.
    runtime: list[types.Diagnostic] = field(default_factory=list)
    task: asyncio.Task | None = None
    shape_check: asyncio.Task | None = None  # the running shape check
    # project modules the last analysis read (`from model import Net`): an edit of one re-lints this
    dependencies: tuple = ()

    def accept(self, snap: Snapshot, analysis: Analysis) -> None:
        """Take a finished analysis of `snap` as the current state."""
        self.text = snap.text
        self.published_version = snap.version
        if not analysis.syntax_error or analysis.dependencies:
            self.dependencies = tuple(analysis.dependencies)
        if not analysis.syntax_error:
            self.good_text, self.good = snap.text, analysis
            self.findings, self.values = list(analysis.findings), list(analysis.values)
            return
        show = [f for f in analysis.findings if f.code != "TL001" or snap.show_syntax_errors]
        if self.good is None or self.good_text is None:  # never parsed: what the rest of it says
            self.findings, self.values = show, list(analysis.values)
            return
        # Half-typed: carry the last good results over to the new text.
        shift = LineShift(self.good_text, snap.text)
        kept = [shift.finding(f) for f in self.good.findings]
        values = [shift.value(v) for v in self.good.values]
        self.findings, self.values = kept + [f for f in show if f.code == "TL001"], values

    def cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = None
