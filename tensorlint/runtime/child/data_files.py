"""A table the program reads from a file that is not here (`np.loadtxt`, `np.genfromtxt`,
`pd.read_csv`): made up, but only of the size the program itself establishes.

The rows and the values are the check's choice; the column count must come from the program:
a `usecols=` or `names=` list, the columns it reads by literal position (`data[:, 0:8]`,
`data[:, 8]`: columns past the last one read are never seen), the columns it reads by literal name
(`df['MaxTemp']`), or a reshape of a column slice to literal sizes (`X = data.iloc[:, 0:-1]`, then
`X.reshape(-1, 28, 28, 3)` fixes 2352 columns before the last one). Where the program reads the
table whole (`data.shape[1]`, `model.fit(data, ...)`) or through a slice whose width nothing fixes,
the column count stays unknown and the read stays a missing file, with that said.

The check runs such a program twice, with different rows and values (`choice` 0 and 1): an error
is the program's only when both runs raise it at the same line (runtime/__init__.py).
"""
from __future__ import annotations

import ast
import contextlib
import math
import os

LOADERS = {"loadtxt": "numpy", "genfromtxt": "numpy", "read_csv": "pandas", "read_table": "pandas"}
# (rows, how values are drawn) per run
ROWS = (64, 96)
# methods that keep a table's columns as they are (rows may go: they are the check's choice)
KEEPS_COLUMNS = {"to_numpy", "copy", "astype", "replace", "dropna", "fillna", "sample", "reset_index", "head", "tail"}
ARRAY_MAKERS = {"array", "asarray", "float32", "float64", "ascontiguousarray"}
# reading options that change which columns come back, or how: not made up
REFUSED = ("index_col", "converters", "unpack", "ndmin", "usecols_dtype", "chunksize", "iterator")
# reads of a table's row count or of what it looks like, which its column count does not change
HARMLESS_CALLS = {"len", "print", "display", "type", "id"}


class Unknown(Exception):
    """The program does not establish the table's column count: why, for the report."""


class Table:
    """What the program reads of one loaded table (positions, names, widths a reshape fixes)."""

    def __init__(self) -> None:
        self.least = 0  # columns the closed positional reads need
        self.names: list[str] = []  # columns read by literal name, in order
        self.open: list[dict] = []  # reads whose width depends on the column count: {"start", "end", "width"}
        self.counts: set[int] = set()  # column counts a reshape of the whole table fixes
        self.whole: list[int] = []  # lines that read the table whole (its column count matters)
        # columns read by literal name that the program maps through a dict literal
        # (`df['Origin'].map({1: 'USA', 2: 'Europe'})`): their values are that dict's keys
        self.domains: dict[str, list] = {}

    def columns(self) -> tuple[int | None, list[str], str]:
        """(column count, names or [], how the program fixes it); raises Unknown."""
        counts = set(self.counts)
        for read in self.open:
            if read["width"] is None:
                continue
            start, end = read["start"], read["end"]
            if start < 0:
                continue  # `data[:, -3:]`: its width says nothing of the count
            counts.add(start + read["width"] - (end or 0))
        if self.whole and not counts:
            raise Unknown(f"line {self.whole[0]} reads the table whole (or at a position that is not a literal), and nothing "
                          "fixes how many columns it has")
        if self.names and (self.least or self.open or counts):
            raise Unknown("it reads the table's columns both by name and by position")
        if self.names:
            return len(self.names), list(self.names), f"from the columns it reads by name: {', '.join(self.names[:4])}" + \
                (", ..." if len(self.names) > 4 else "")
        unfixed = [r for r in self.open if r["width"] is None and r["start"] >= 0]
        if len(counts) > 1:
            raise Unknown(f"its reshapes fix different column counts ({', '.join(map(str, sorted(counts)))})")
        if counts:
            count = counts.pop()
            needs = max([self.least] + [-r["start"] for r in self.open if r["start"] < 0])
            if count < max(1, needs):
                raise Unknown(f"a reshape fixes {count} columns, but it reads column {needs - 1}")
            return count, [], "from a reshape to literal sizes"
        if unfixed or any(r["start"] < 0 for r in self.open):
            raise Unknown("it reads a slice of the columns whose width depends on how many there are, and nothing "
                          "(a reshape to literal sizes, a `usecols=` or `names=` list) fixes that count")
        if self.least:
            return self.least, [], f"from the columns it reads by position, 0 to {self.least - 1} (any past them are never read)"
        raise Unknown("nothing it does with the table fixes how many columns it has")


def _int(node) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and type(node.operand.value) is int:
        return -node.operand.value
    return None


def _called(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


class Reads:
    """Walks the statements after the read, in order, following the table and the column slices made
    from it through assignments, and notes in `table` what each read needs of its column count."""

    def __init__(self, name: str) -> None:
        self.table = Table()
        self.known: dict[str, object] = {name: "table"}  # name -> "table" or a slice record of `table.open`

    def expr(self, node, line: int):
        """What `node` is: "table", a column slice (dict), or None; noting what it reads."""
        t = self.table
        if isinstance(node, ast.Name):
            return self.known.get(node.id)
        if isinstance(node, ast.Attribute) and node.attr == "values":
            return self.expr(node.value, line)
        if isinstance(node, ast.Attribute) and node.attr in ("shape", "columns") and self.expr(node.value, line) == "table":
            return "shape"
        if isinstance(node, ast.Subscript):
            base = node.value
            positional = isinstance(base, ast.Attribute) and base.attr == "iloc"
            named = isinstance(base, ast.Attribute) and base.attr == "loc"
            inner = self.expr(base.value if positional or named else base, line)
            if inner == "shape":
                if _int(node.slice) == 0:
                    return None  # the row count
                t.whole.append(line)
                return None
            if inner == "table":
                index = node.slice
                if isinstance(index, ast.Tuple) and len(index.elts) == 2:
                    return self.column(index.elts[1], line)
                if isinstance(index, ast.Slice):
                    return "table"  # rows
                if not positional and (isinstance(index, ast.Constant) and isinstance(index.value, str)
                                       or isinstance(index, ast.List)):
                    return self.column(index, line)
                t.whole.append(line)
                return None
            if isinstance(inner, dict):
                self.visit_children(node, line)
                return None
            self.visit_children(node, line)
            return None
        if isinstance(node, ast.BinOp):
            left, right = self.expr(node.left, line), self.expr(node.right, line)
            if isinstance(node.right, ast.Constant) and (left == "table" or isinstance(left, dict)):
                return left
            if isinstance(node.left, ast.Constant) and (right == "table" or isinstance(right, dict)):
                return right
            return self.consumed(left, right, line=line)
        if isinstance(node, ast.Call):
            func = node.func
            name = _called(func)
            if isinstance(func, ast.Attribute) and name == "reshape":
                inner = self.expr(func.value, line)
                if inner == "table" or isinstance(inner, dict):
                    self.reshaped(inner, node.args, line)
                    return None
            if name == "reshape" and len(node.args) == 2:
                inner = self.expr(node.args[0], line)
                if inner == "table" or isinstance(inner, dict):
                    shape = node.args[1]
                    self.reshaped(inner, shape.elts if isinstance(shape, (ast.Tuple, ast.List)) else [shape], line)
                    return None
            if isinstance(func, ast.Attribute) and name == "map" and len(node.args) == 1 and not node.keywords:
                self.mapped(func.value, node.args[0])
            if isinstance(func, ast.Attribute) and name in KEEPS_COLUMNS:
                inner = self.expr(func.value, line)
                if inner == "table" or isinstance(inner, dict):
                    for a in [*node.args, *[k.value for k in node.keywords]]:
                        self.consumed(self.expr(a, line), line=line)
                    return inner
            if name in ARRAY_MAKERS and len(node.args) == 1:
                inner = self.expr(node.args[0], line)
                if inner == "table" or isinstance(inner, dict):
                    return inner
                return None
            values = [self.expr(a, line) for a in [*node.args, *[k.value for k in node.keywords]]]
            if isinstance(func, ast.Attribute):
                values.append(self.expr(func.value, line))
            if name in HARMLESS_CALLS:
                return None
            return self.consumed(*values, line=line)
        self.visit_children(node, line)
        return None

    def visit_children(self, node, line: int) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.consumed(self.expr(child, line), line=line)

    def consumed(self, *values, line: int):
        """Values passed to something the walk does not follow: a whole table's column count matters."""
        if any(v == "table" for v in values):
            self.table.whole.append(line)
        return None

    def column(self, index, line: int):
        """A read of columns by position or name (the second index of `data[:, ...]`)."""
        t = self.table
        k = _int(index)
        if k is not None:
            if k >= 0:
                t.least = max(t.least, k + 1)
                return None
            read = {"start": k, "end": None, "width": 1}
            t.open.append(read)
            return None
        if isinstance(index, ast.Slice) and index.step is None:
            start = 0 if index.lower is None else _int(index.lower)
            end = None if index.upper is None else _int(index.upper)
            if start is None or (index.upper is not None and end is None):
                t.whole.append(line)
                return None
            if start >= 0 and end is not None and end >= 0:
                t.least = max(t.least, end)
                return None
            read = {"start": start, "end": end, "width": None}
            if end is not None and start < 0 and end < 0:
                read["width"] = end - start
            t.open.append(read)
            return read
        items = index.elts if isinstance(index, (ast.List, ast.Tuple)) else [index]
        if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in items):
            for e in items:
                if e.value not in t.names:
                    t.names.append(e.value)
            return None
        if all(_int(e) is not None and _int(e) >= 0 for e in items):
            t.least = max([t.least] + [_int(e) + 1 for e in items])
            return None
        t.whole.append(line)
        return None

    def mapped(self, column, table) -> None:
        """`data['Origin'].map({1: 'USA', 2: 'Europe', 3: 'Japan'})`: a column of the table read by a
        literal name and mapped through a dict of constant keys (a value not among them would become
        NaN): the program fixes the column's values to those keys. Two maps that disagree fix none."""
        if not (isinstance(column, ast.Subscript) and isinstance(column.slice, ast.Constant)
                and isinstance(column.slice.value, str) and self.known.get(getattr(column.value, "id", None)) == "table"):
            return
        if not (isinstance(table, ast.Dict) and table.keys and all(
                isinstance(k, ast.Constant) and type(k.value) in (int, float, str) for k in table.keys)):
            return
        keys = [k.value for k in table.keys]
        if len({type(k) is str for k in keys}) > 1:
            return
        before = self.table.domains.setdefault(column.slice.value, keys)
        if sorted(map(str, before)) != sorted(map(str, keys)):
            self.table.domains[column.slice.value] = []

    def reshaped(self, what, args, line: int) -> None:
        """`x.reshape(-1, 28, 28, 3)`: the rows free, every other size literal, fixes the width."""
        sizes = [_int(a) for a in args]
        if len(sizes) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
            sizes = [_int(a) for a in args[0].elts]
        if len(sizes) < 2 or sizes[0] != -1 or any(s is None or s <= 0 for s in sizes[1:]):
            if what == "table":
                self.table.whole.append(line)
            return
        width = math.prod(sizes[1:])
        if what == "table":
            self.table.counts.add(width)
        elif what.get("width") is None:
            what["width"] = width
        elif what["width"] != width:
            self.table.whole.append(line)

    def statement(self, stmt) -> bool:
        """Notes what one statement reads; False once the table's name is bound to something else."""
        line = stmt.lineno
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return True
        if isinstance(stmt, ast.Assign):
            value = self.expr(stmt.value, line)
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    if value == "table" or isinstance(value, dict):
                        self.known[target.id] = value
                    else:
                        self.known.pop(target.id, None)
                else:
                    for n in ast.walk(target):
                        if isinstance(n, ast.Name):
                            self.known.pop(n.id, None)
            return "table" in self.known.values() or any(isinstance(v, dict) for v in self.known.values())
        if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and isinstance(stmt.value, ast.Constant):
            return True  # `x /= 255.0`: the same columns
        if isinstance(stmt, ast.Expr):
            # a value shown and dropped (`data.head()`, `print(data.shape)`) makes nothing of the table
            node = stmt.value
            if isinstance(node, ast.Call) and _called(node.func) in HARMLESS_CALLS:
                return True
            if isinstance(node, (ast.Name, ast.Attribute, ast.Tuple)) or isinstance(node, ast.Call) and \
                    isinstance(node.func, ast.Attribute) and self.expr(node.func.value, line) == "table":
                return True
            self.expr(node, line)
            return True
        for field, value in ast.iter_fields(stmt):
            if isinstance(value, ast.expr):
                self.consumed(self.expr(value, line), line=line)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.stmt):
                        if not self.statement(item):
                            return False
                    elif isinstance(item, ast.expr):
                        self.consumed(self.expr(item, line), line=line)
        return True


def table_reads(tree, line: int, name: str) -> Table:
    """What the module-level statements after `line` read of the table bound to `name` there."""
    reads = Reads(name)
    started = False
    for stmt in tree.body:
        if not started:
            started = stmt.lineno <= line <= (stmt.end_lineno or stmt.lineno)
            continue
        if not reads.statement(stmt):
            break
    for stmt in tree.body:  # a function that reads it: where, the walk does not follow
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.lineno > line:
            if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(stmt)):
                reads.table.whole.append(stmt.lineno)
    return reads.table


def loader_of(code: str) -> tuple[str | None, str | None, bool]:
    """(the loader a statement `name = loader(...)` calls, the name it binds, whether it gives its
    columns as a `names=` or `usecols=` list), or (None, None, False)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None, None, False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign) or len(tree.body[0].targets) != 1 \
            or not isinstance(tree.body[0].targets[0], ast.Name):
        return None, None, False
    value = tree.body[0].value
    if isinstance(value, ast.Attribute) and value.attr == "values":
        value = value.value
    if isinstance(value, ast.Call) and _called(value.func) in LOADERS:
        listed = any(k.arg in ("names", "usecols") for k in value.keywords)
        return _called(value.func), tree.body[0].targets[0].id, listed
    return None, None, False


class DataFiles:
    """The replay's part: a statement that reads a missing table is run again on a made-up one."""

    def source_tree(self):
        if getattr(self, "_source_tree", None) is None:
            try:
                with open(self.path, encoding="utf-8") as f:
                    self._source_tree = ast.parse(f.read())
            except (OSError, SyntaxError, ValueError):
                self._source_tree = ast.Module(body=[], type_ignores=[])
        return self._source_tree

    def exec_reading_files(self, code, unit: dict, scope) -> None:
        try:
            exec(code, scope.ns)
            return
        except OSError as exc:  # a file not here, or a URL without the network (URLError)
            loader, name, listed = loader_of(unit["code"])
            if loader is None or not (isinstance(exc, (FileNotFoundError, NotADirectoryError))
                                      or type(exc).__name__ == "URLError"):
                raise
            missing = exc
        try:
            reads = table_reads(self.source_tree(), unit["line"], name)
        except Exception:  # noqa: BLE001 - code the walk does not know
            reads = None
        domains = {k: v for k, v in reads.domains.items() if v} if reads is not None else {}
        try:
            if listed:  # `names=[...]`, `usecols=[...]`: the list it gives is the columns
                count, names, how = None, [], "from the list of columns it gives"
            elif reads is None:
                raise missing
            else:
                count, names, how = reads.columns()
        except Unknown as why:
            gone = "No such file or directory" if isinstance(missing, FileNotFoundError) else "Not reachable without the network"
            raise FileNotFoundError(missing.errno or 2, f"{gone}; the check does not make it up: {why}",
                                    missing.filename or self.path_read(unit["code"], scope.ns)) from None
        except Exception:  # noqa: BLE001 - code the walk does not know: the read stays a missing file
            raise missing from None
        with self.made_up_tables(loader, count, names, how, scope.ns, domains):
            exec(code, scope.ns)

    def path_read(self, code: str, ns: dict):
        """The file a loader statement reads (its first argument), or None."""
        try:
            value = ast.parse(code).body[0].value
            call = value.value if isinstance(value, ast.Attribute) else value
            arg = call.args[0] if call.args else next(k.value for k in call.keywords if k.arg in ("fname", "filepath_or_buffer"))
            path = eval(compile(ast.Expression(arg), "<path>", "eval"), ns)
            return os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
        except Exception:  # noqa: BLE001 - then the report gives the loader's own words
            return None

    @contextlib.contextmanager
    def made_up_tables(self, loader: str, count: int, names: list[str], how: str, ns: dict, domains: dict | None = None):
        import sys

        np = sys.modules.get("numpy")
        pd = sys.modules.get("pandas")
        choice = int(self.plan.get("data_choice") or 0)
        rows = int(self.plan.get("data_rows") or ROWS[choice % len(ROWS)])
        rng = np.random.default_rng(choice)
        driver = self
        patched = []

        def make(kind, original):
            def read(fname=None, *args, **kwargs):
                path = fname if fname is not None else kwargs.get("filepath_or_buffer")
                if not isinstance(path, (str, os.PathLike)) or os.path.exists(path):
                    return original(fname, *args, **kwargs)  # another file, or one that is here
                filename = os.fspath(path)
                given = kwargs.get("names") if kwargs.get("names") is not None else kwargs.get("usecols")
                width, columns = count, names
                if isinstance(given, (list, tuple)) and given:
                    width = len(given)
                    columns = [str(g) for g in given] if kind == "pandas" and kwargs.get("names") is not None else names
                elif width is None:
                    raise FileNotFoundError(2, "No such file or directory; the check does not make it up: its list of "
                                            "columns is not a list", filename)
                refused = [k for k in REFUSED if kwargs.get(k) not in (None, False)]
                if kwargs.get("dtype") not in (None, float, "float", "float32", "float64"):
                    refused.append(f"dtype={kwargs.get('dtype')!r}")
                if kind == "numpy" and width == 1:
                    refused.append("one column (numpy gives it as a 1-D array)")
                if refused:
                    raise FileNotFoundError(2, "No such file or directory; the check does not make it up: it reads it "
                                            f"with {', '.join(refused)}", filename)
                values = rng.random((rows, width)) if choice == 0 else rng.integers(0, 10, size=(rows, width)).astype(float)
                try:
                    table = pd.DataFrame(values, columns=columns or None) if kind == "pandas" else values
                    mapped = [c for c in (domains or {}) if kind == "pandas" and c in table.columns]
                    for column in mapped:  # the values the program maps, drawn from its dict's keys
                        keys = domains[column]
                        table[column] = [keys[i] for i in rng.integers(0, len(keys), size=rows)]
                except Exception as exc:  # noqa: BLE001 - the check's own doing, never the program's error
                    raise FileNotFoundError(2, f"No such file or directory; the check could not make it up: {exc}",
                                            filename) from None
                shape = [rows, width]
                what = f"`{kind}.{loader}` of `{filename}` (not here; {width} columns, " \
                    f"{'from the list of columns it gives' if width != count else how}; rows and values made up, two ways" \
                    + "".join(f"; the values of `{c}` drawn from the keys of the dict the program maps it through" for c in mapped) + ")"
                driver.synthesized_count += 1
                driver.last_synthetic = {"line": driver.current_line, "what": what}
                driver.emit("synthetic", line=driver.current_line, what=what, shapes={"table": shape})
                driver.emit("substituted", line=driver.current_line, file=str(filename), shape=shape, rows=rows)
                return table
            read._tensorlint_original = original
            return read

        for kind, module in (("numpy", np), ("pandas", pd)):
            if module is None:
                continue
            original = getattr(module, loader, None)
            if original is None or LOADERS[loader] != kind:
                continue
            fake = make(kind, original)
            patched.append((module, loader, original))
            setattr(module, loader, fake)
            for key, value in list(ns.items()):  # `from numpy import loadtxt`
                if value is original:
                    patched.append((ns, key, original))
                    ns[key] = fake
        try:
            yield
        finally:
            for where, key, original in reversed(patched):
                if isinstance(where, dict):
                    where[key] = original
                else:
                    setattr(where, key, original)
