"""Whether a file's text holds one of a rule's trigger words, in fewer passes over the text.

Each failed `word in text` reads the whole text, and a file lacks most rules' words. A third of
the words are calls (`.backward(`, `.to(`, `zip(`): those are looked up instead among the calls
the text makes, gathered in one pass into a short text of their own (`Calls`), with the same
answer as a search of the whole text. The other words are searched in the text as before.
"""
from __future__ import annotations

import re

# a call in the text read backwards: `(`, the whole run of word characters before it in the
# text and the `.` before that when there is one. Read backwards, the pattern starts with a
# literal, which the regular expression engine finds fast; read forwards it would try every
# position. A match never ends inside a run and none holds a `(` past its first character, so
# every run that a `(` follows is found
_CALLED = re.compile(r"\(\w+\.?")
_CALL_WORD = re.compile(r"\.?\w+\(")


def needles(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(what to search the text's calls for, the words to search the text itself for). A word
    `.name(` is in the text exactly when the text calls a method `name`; a word `name(` exactly
    when it calls something whose name ends with `name`: among the calls read backwards, one
    is `(eman.` or one starts with `(eman`, the word backwards."""
    calls, others = [], []
    for word in words:
        (calls if _CALL_WORD.fullmatch(word) else others).append(word)
    return tuple(w[::-1] for w in calls), tuple(others)


class Calls:
    """A text's calls, found on first need: each distinct `.name(` and `name(`, backwards, one a
    line (no line holds a `(` or a `.` but at its ends)."""

    __slots__ = ("text", "_calls")

    def __init__(self, text: str):
        self.text = text
        self._calls: str | None = None

    def holds_any(self, calls: tuple[str, ...], others: tuple[str, ...]) -> bool:
        """Whether the text holds one of the words `needles` made these two tuples of."""
        if calls:
            found = self._calls
            if found is None:
                found = self._calls = "\n".join(set(_CALLED.findall(self.text[::-1])))
            for needle in calls:
                if needle in found:
                    return True
        text = self.text
        for word in others:
            if word in text:
                return True
        return False
