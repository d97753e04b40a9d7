"""What the incremental analysis keeps of its last run of a document (`tensorlint.incremental`)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Previous:
    key: tuple  # (path, config) the results were computed for
    modules: list  # chunk modules in order
    offsets: list
    units: dict  # chunk index -> the chunk's findings and values (incremental._Unit)
    env: dict  # final module env
    bound: dict  # chunk index -> {name: value} the chunk's bindings when it last ran
    functions: list  # Func objects of that run
    loss_marks: list  # (func node, kind, unit)
    fed: dict  # TF1 placeholders refined by what the program feeds them (interp.core.run)
    feed_units: set  # chunks that declared or fed placeholders
    events: dict  # id(function node) -> (its event's signature, the findings of its `function` event)
    dependencies: tuple = ()  # (path, content stamp) of the project modules the run read
    marks: dict = None  # key -> [(item, unit)]: the rules' notes (Interpreter.mark) by chunk or function event
    callers: dict = None  # id(function node) -> the chunks whose code called it (Interpreter.callers)
    feed_records: dict = None  # chunk -> what it declared and fed (Interpreter.feed_records), as `fed` stood
    counts: dict = None  # chunk index -> what it counted when it last ran (Interpreter.counts)
    text_facts: dict = None  # the whole text's facts the rules read (tensorlint.textfacts), as they were
