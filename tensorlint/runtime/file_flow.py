"""Files a program writes and then reads back: `torch.save(sd, PATH)` ... `torch.load(PATH)`.

The slicer leaves out what writes (a save, a dump): the replay's one pass has nothing worth
keeping, and the user's folder is no place for it. A file the program itself reads back later is
another matter: without the write, the read finds no file and the check stops there. So a write
statement is replayed when a statement the slice keeps reads the same file, named by the same
argument: the same string, or the same expression (`PATH`, `args.ckpt`, `os.path.join(d, "m.pt")`).
The file is written to the sandbox's private copy of the program's folder (sandbox.py); where
there is none, the child leaves the write out, as before. The link is carried by a name of its
own per file (`FILE_PREFIX` + the key), read by the reads and changed by the writes, so that the
slicer's needed-names pass keeps the write for the read, and the replay marks what a failed
or made-up write leaves as it marks any name.
"""
from __future__ import annotations

import libcst as cst

from .follow import reads_a_file
from .syntax import callee_name, dotted_name

# calls that write a file (`torch.save`, `np.save`, `model.save`, `pickle.dump(x, open(p, "wb"))`,
# `df.to_csv`, `saver.save(sess, path)`) and calls that read one back
WRITES = frozenset({"save", "save_weights", "save_model", "dump", "to_csv", "to_pickle", "to_json", "to_parquet",
                    "savetxt", "savez", "savez_compressed", "imwrite", "imsave", "save_image"})
READS = frozenset({"load", "load_weights", "load_model", "read_csv", "read_pickle", "read_json", "read_parquet",
                   "loadtxt", "genfromtxt", "imread", "restore", "open"})
MAKES_FOLDERS = frozenset({"mkdir", "makedirs"})
WRITES_FILES = WRITES | MAKES_FOLDERS  # what a statement replayed for its writes may call
FILE_PREFIX = "<file "  # never a Python name: no statement of the program can bind or read it
FOLDERS = "<folders>"  # what a replayed write reads and `os.makedirs(...)` makes: kept for it
PATH_BUILDERS = ("join", "Path", "format", "str")


def handles(module: cst.Module) -> set[str]:
    """Names of open files (`with open(p, "wb") as f`, `f = open(p)`): an argument `f` is no path."""
    out: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_WithItem(self, item: cst.WithItem) -> None:
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                out.add(item.asname.name.value)

        def visit_Assign(self, node: cst.Assign) -> None:
            if isinstance(node.value, cst.Call) and callee_name(node.value) == "open":
                out.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))

    module.visit(V())
    return out


def _key(node: cst.BaseExpression, files: set[str]) -> str | None:
    """The file an argument names, when it can name one: a string, an f-string, a name, an
    attribute, an item (`cfg["ckpt"]`), a path built by a call or an operator."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return repr(value) if isinstance(value, str) and value.strip() else None
    if isinstance(node, (cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation, cst.Subscript)):
        return cst.Module([]).code_for_node(node)
    if isinstance(node, (cst.Name, cst.Attribute)):
        text = dotted_name(node)
        return text if text and text not in files else None
    if isinstance(node, cst.Call) and dotted_name(node.func).rsplit(".", 1)[-1] in PATH_BUILDERS:
        return cst.Module([]).code_for_node(node)
    if isinstance(node, cst.Call) and callee_name(node) == "open" and node.args:  # pickle.dump(x, open(p, "wb"))
        return _key(node.args[0].value, files)
    return None


def _keys(node: cst.CSTNode, names: frozenset[str], files: set[str]) -> set[str]:
    """The files named by the arguments of the calls in `node` whose callee is one of `names`
    (not inside functions or classes it defines)."""
    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            name = callee_name(call)
            if name in names and (name != "open" or reads_a_file(call, "open")):
                for arg in call.args[:1] if name == "open" else call.args:
                    key = _key(arg.value, files)
                    if key is not None:
                        found.add(FILE_PREFIX + key + ">")

        def visit_FunctionDef(self, n) -> bool:
            return False

        def visit_ClassDef(self, n) -> bool:
            return False

    node.visit(V())
    return found


class FileFlow:
    """What a module's statements write and read back, by the file's key."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.files = handles(module)
        self.read_anywhere = _keys(module, READS, self.files) | self._in_functions(module, READS)
        self.written_anywhere = _keys(module, WRITES, self.files) | self._in_functions(module, WRITES)

    def _in_functions(self, module: cst.Module, names: frozenset[str]) -> set[str]:
        found: set[str] = set()
        for node in module.body:
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else []:
                    found |= _keys(stmt, names, self.files)
        return found

    def written(self, stmt: cst.CSTNode) -> set[str]:
        """The files `stmt` writes that the module reads somewhere; for a folder it makes (where
        the module writes what it reads), FOLDERS."""
        value = getattr(stmt, "value", None)
        if isinstance(value, cst.Call) and callee_name(value) in MAKES_FOLDERS:
            return {FOLDERS} if self.read_anywhere & self.written_anywhere else set()
        return _keys(stmt, WRITES, self.files) & self.read_anywhere

    def paths_written(self, stmt: cst.CSTNode) -> set[str]:
        """The names of the files `stmt` writes and the module reads back (`PATH` of
        `torch.save(sd, PATH)`): a write leaves them as they were."""
        return {key[len(FILE_PREFIX):-1] for key in _keys(stmt, WRITES, self.files) & self.read_anywhere}

    def read(self, stmt) -> set[str]:
        """The files `stmt` reads that the module writes (a statement the slicer made up,
        `Replayed`, is parsed from its code)."""
        if not self.written_anywhere & self.read_anywhere:
            return set()
        if not isinstance(stmt, cst.CSTNode):
            try:
                stmt = cst.parse_module(getattr(stmt, "code", "") or "")
            except (cst.ParserSyntaxError, RecursionError):
                return set()
        return _keys(stmt, READS, self.files) & self.written_anywhere
