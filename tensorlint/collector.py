"""The cyclic garbage collector's settings for a run that analyzes file after file (the command
line's check and its workers).

An analysis builds a file's tree, its values and the rules' indexes. Once it is over, the
values' cycles (a method and its class, a function and the scope that binds it) are broken
(`interp.core.release`) and the rules' helpers do not call themselves through closures, so
reference counting frees a file's objects, trees included, as soon as its analysis returns: the
collector has next to nothing to find. What it costs is its walks of live objects: Python's
default of a young-generation collection every 700 allocations walks the file's live tree again
and again and promotes it to older generations, whose collections then walk everything loaded.
What is loaded before the first file (rules, tables, libcst) is frozen out of the collector's
sight, young collections run every 100,000 allocations (more than most files' analyses keep
alive at once, so most files see none), and one runs after each file for the few cycles left.

Loading all that leaves some 40,000 objects for the collector to track and only a few hundred
cycles of garbage. The command line pauses the collector while it imports (`pause_collector`:
with Python's thresholds some 80 collections, one of them full, walk the growing heap on the
way), and those few cycles are frozen with the rest rather than found by one more full
collection over everything loaded.

This module imports nothing but `gc`, so that a front end can pause the collector before it
imports anything heavy (and `tensorlint --version` stays as quick as it was).
"""
from __future__ import annotations

import gc

COLLECTOR_THRESHOLDS = (100_000, 20, 20)  # Python's: (700, 10, 10)
_state = {"tuned": False, "paused": False}


def pause_collector() -> None:
    """No automatic collections until `tune_collector` or `resume_collector` (for a process's
    startup imports). A no-op where the collector is off already: it then stays off."""
    if gc.isenabled():
        gc.disable()
        _state["paused"] = True


def resume_collector() -> None:
    """The collector on again if `pause_collector` turned it off."""
    if _state["paused"]:
        _state["paused"] = False
        gc.enable()


def tune_collector() -> None:
    """Set the collector for analyzing many files in this process (and the workers forked from
    it); once per process. Library callers keep Python's defaults unless they call this;
    `collect_after_file` is a no-op until they do. Ends a `pause_collector`."""
    if not _state["tuned"]:
        gc.freeze()
        gc.set_threshold(*COLLECTOR_THRESHOLDS)
        _state["tuned"] = True
    resume_collector()


def collect_after_file() -> None:
    """The young generation collected once a file's analysis is over (only after
    `tune_collector`): the few cycles left are garbage now and have not reached the older
    generations."""
    if _state["tuned"]:
        gc.collect(0)
