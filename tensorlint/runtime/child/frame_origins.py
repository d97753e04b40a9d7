"""Where an array of Python objects came from.

NumPy turns a pandas frame whose columns have different kinds (bool columns beside float ones, as
`pd.get_dummies` makes them in pandas 2; text beside numbers) into an array of dtype object, and
TensorFlow and Keras refuse such an array ("Unsupported object type float", "Invalid dtype:
object"). The error is raised where the array reaches a model or a layer; what made it is the
statement that gave the frame its columns of the other kind. So the replay notes, after each
statement, the first line at which a frame of the program's namespace held each column with each
dtype, and remembers each object array NumPy made from a frame of mixed kinds (`np.array(frame)`,
`frame.to_numpy()`, `frame.values`). When a framework refuses an object array and that very array
(found among the values of the failing frames) is one of them, the error names the line where the
last of the frame's kinds appeared, with the columns of each kind.
"""
from __future__ import annotations

import re
import sys
import weakref

OBJECT_REFUSED = re.compile(r"Unsupported object type|Invalid dtype: object|np\.ndarray of type numpy\.object_|"
                            r"Failed to convert a NumPy array to a Tensor", re.I)
MOST_COLUMNS = 500  # a frame's columns looked at (a wide table is noted by its first ones)
SHOWN = 4  # column names shown per dtype
MOST_ARRAYS = 256  # object arrays remembered before the ones no longer alive are let go


class FrameOrigins:
    frame_columns_seen: dict | None = None  # (column, dtype) -> first line a frame held it
    object_arrays: dict | None = None  # id of an object array made from a frame -> (weak reference, what)

    def note_frames(self, line: int | None) -> None:
        """After the statement at `line` ran: the columns (and dtypes) its frames hold now."""
        pandas = sys.modules.get("pandas")
        frame_type = getattr(pandas, "DataFrame", None) if pandas is not None else None
        if not isinstance(frame_type, type) or line is None:
            return
        if self.frame_columns_seen is None:
            self.frame_columns_seen, self.object_arrays = {}, {}
            self.watch_conversions(frame_type)
        seen = self.frame_columns_seen
        for value in list((getattr(self, "top_ns", None) or {}).values()):
            if isinstance(value, frame_type):
                try:
                    pairs = [(str(c), str(d)) for c, d in list(value.dtypes.items())[:MOST_COLUMNS]]
                except Exception:  # noqa: BLE001 - a frame that cannot say its dtypes says nothing
                    continue
                for pair in pairs:
                    seen.setdefault(pair, line)

    def watch_conversions(self, frame_type) -> None:
        origins = self

        def watched(original):
            def convert(frame, *args, **kwargs):
                out = original(frame, *args, **kwargs)
                origins.remember_object_array(frame, out)
                return out
            return convert

        for name in ("__array__", "to_numpy"):
            original = getattr(frame_type, name, None)
            if callable(original) and not getattr(original, "_tensorlint_watched", False):
                convert = watched(original)
                convert._tensorlint_watched = True
                setattr(frame_type, name, convert)
        values = getattr(frame_type, "values", None)
        if isinstance(values, property) and values.fget is not None:
            setattr(frame_type, "values", property(watched(values.fget)))

    def remember_object_array(self, frame, out) -> None:
        try:
            if getattr(out, "dtype", None) is None or out.dtype.kind != "O" or self.object_arrays is None:
                return
            kinds = column_kinds(frame)
            if kinds is not None:
                if len(self.object_arrays) >= MOST_ARRAYS:  # a loop that converts frames: keep the living ones
                    self.object_arrays = {k: v for k, v in self.object_arrays.items() if v[0]() is not None}
                self.object_arrays[id(out)] = (weakref.ref(out), {"line": self.current_line, "kinds": kinds})
        except Exception:  # noqa: BLE001 - a note the check cannot take is no error of the program
            return

    def made_from_frame(self, value) -> dict | None:
        """What this array (or the array it is a view of: the rows a batch takes) was made from; or,
        for a frame given to a framework as it is, what the framework's NumPy conversion of it mixes."""
        frame_type = getattr(sys.modules.get("pandas"), "DataFrame", None)
        if isinstance(frame_type, type) and isinstance(value, frame_type):
            try:
                converted = value.iloc[:1].to_numpy()
            except Exception:  # noqa: BLE001 - a frame NumPy cannot convert says nothing here
                return None
            kinds = column_kinds(value) if converted.dtype.kind == "O" else None
            return {"line": None, "kinds": kinds} if kinds is not None else None
        for _ in range(4):
            if getattr(value, "dtype", None) is None or type(value).__module__ != "numpy":
                return None
            entry = self.object_arrays.get(id(value))
            if entry is not None and entry[0]() is value:
                return entry[1]
            value = getattr(value, "base", None)
        return None

    def object_origin(self, exc: BaseException) -> dict | None:
        """{"line", "text"}: where the object array a framework refused got its last kind of column,
        when the refused array is one NumPy made from a frame of mixed kinds; else None."""
        if not self.object_arrays or not OBJECT_REFUSED.search(str(exc)):
            return None
        made = None
        tb = exc.__traceback__
        while tb is not None and made is None:
            for value in held(tb.tb_frame.f_locals.values()):
                made = self.made_from_frame(value)
                if made is not None:
                    break
            tb = tb.tb_next
        if made is None:
            return None
        seen = self.frame_columns_seen or {}
        firsts = {dtype: min((seen.get((c, dtype)) for c in columns if seen.get((c, dtype))), default=None)
                  for dtype, columns in made["kinds"].items()}
        if any(line is None for line in firsts.values()):
            return None  # a kind whose columns no statement is known to have made
        last = max(firsts.values())
        if len([d for d, line in firsts.items() if line == last]) != 1:
            return None  # two kinds appeared at one line: no one of them came last
        newest = next(d for d, line in firsts.items() if line == last)
        others = [c for dtype, columns in made["kinds"].items() if dtype != newest for c in columns]
        made_at = f" at line {made['line']}" if made.get("line") else ""
        # the other columns' dtypes are not said: on a table the check made up they are its choice
        return {"line": last, "text": (
            f"the array holds Python objects: NumPy made it{made_at} from a frame that mixes {newest} columns "
            f"({names(made['kinds'][newest])}), made at line {last}, with columns of other dtypes ({names(others)})")}


def names(columns: list[str]) -> str:
    return ", ".join(columns[:SHOWN]) + (", ..." if len(columns) > SHOWN else "")


def held(values, most: int = 8):
    """The values of a frame, and the items of its lists and tuples (the arguments a call was given:
    Keras filters its own frames out of the tracebacks it raises)."""
    for value in list(values):
        yield value
        if isinstance(value, (list, tuple)):
            yield from list(value)[:most]


def column_kinds(frame) -> dict[str, list[str]] | None:
    """{dtype: its columns} of a frame of more than one dtype (one dtype, all text or all objects,
    is no mixture this note explains)."""
    kinds: dict[str, list[str]] = {}
    for column, dtype in list(frame.dtypes.items())[:MOST_COLUMNS]:
        kinds.setdefault(str(dtype), []).append(str(column))
    return kinds if len(kinds) > 1 else None
