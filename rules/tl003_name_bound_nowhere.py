import builtins
import re

import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.dataflow import all_params, descendants
from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._training import parents
from ._trees import per_chunk, per_chunk_text, texts_fall_short

# names every module sees without binding them (and those an IPython session adds)
_SEEN_EVERYWHERE = frozenset(dir(builtins)) | {
    "__file__", "__name__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__", "__path__",
    "__annotations__", "__class__", "__module__", "__qualname__", "__debug__", "__cached__",
    "get_ipython", "display", "In", "Out", "exit", "quit",
    "WindowsError",  # a builtin on Windows only
}
# text that binds names the syntax does not show, or that expects a NameError
# (each alternative its own pattern that begins with a literal, and any check of the character
# before it made after that literal: the regex engine then scans for the literal, where one
# pattern of alternatives led by a lookbehind was tried at every position of the text)
_DYNAMIC = tuple(re.compile(p) for p in (
    r"import\s+\*", r"globals(?<![\w.]globals)\s*\(", r"exec(?<![\w.]exec)(?:file)?\s*\(",
    r"vars(?<![\w.]vars)\s*\(\s*\)", r"locals(?<![\w.]locals)\s*\(\s*\)", r"__builtins__",
    r"builtins(?<!\wbuiltins)\b", r"except(?<!\wexcept)\b[^:\n]*\bNameError", r"sys\.modules", r"get_ipython",
    r"\n[ \t]*[%!]",
))
_MAGIC_FIRST_LINE = re.compile(r"[ \t]*[%!]")  # (what `^[ \t]*[%!]` found on the first line)
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
# builtins of Python 2 that Python 3 dropped: a program that reads one was written for Python 2
_PYTHON2_BUILTINS = frozenset({
    "xrange", "unicode", "basestring", "long", "unichr", "raw_input", "execfile", "reduce", "file", "cmp",
    "buffer", "apply", "intern", "coerce", "reload",
})
# how a program reads its own command line (`parser.parse_args()`, `sys.argv`)
_COMMAND_LINE_METHODS = frozenset({"parse_args", "parse_known_args"})
_FUNCTIONS = (cst.FunctionDef, cst.Lambda)


def _target_names(target, out: set) -> None:
    """The names an assignment target binds (not those it reads: `a[i] = ...`, `self.x = ...`)."""
    if isinstance(target, cst.Name):
        out.add(target.value)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            _target_names(el.value, out)
    elif isinstance(target, cst.StarredElement):
        _target_names(target.value, out)


def bound_names(root, prune=()) -> set:
    """Every name a binding below `root` makes (nested scopes left out where `prune` says so;
    the names of the definitions there are kept): assignments of every kind, loop and
    comprehension targets, `with`/`except`/import aliases, `:=`, parameters, definitions,
    `global`/`nonlocal` and `match` captures."""
    out: set = set()
    if isinstance(root, _FUNCTIONS):
        out.update(all_params(root))
    for n in descendants(root, prune=prune):
        kind = type(n)
        if kind in (cst.FunctionDef, cst.ClassDef):
            out.add(n.name.value)
            if not prune and kind is cst.FunctionDef:
                out.update(all_params(n))
        elif kind is cst.Lambda and not prune:
            out.update(all_params(n))
        elif kind is cst.AssignTarget:
            _target_names(n.target, out)
        elif kind in (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr):
            _target_names(n.target, out)
        elif kind is cst.AsName:
            _target_names(n.name, out)
        elif kind is cst.ImportAlias and n.asname is None:
            out.add(dotted(n.name).partition(".")[0])
        elif kind in (cst.Global, cst.Nonlocal):
            out.update(item.name.value for item in n.names)
        elif kind in (cst.MatchAs, cst.MatchStar) and n.name is not None:
            out.add(n.name.value)
        elif kind is cst.MatchMapping and n.rest is not None:
            out.add(n.rest.value)
    return out


_DECLARING = (cst.Global, cst.Import, cst.ImportFrom)


def _module_level(module) -> tuple:
    """(the names the chunk's module-level code binds, the names `global` declares anywhere in
    it, the names its imports bind)."""
    top = bound_names(module, prune=_SCOPES)
    declared, imported = set(), set()
    for n in statements_of(module, _DECLARING):
        if type(n) is cst.Global:
            declared.update(item.name.value for item in n.names)
        elif type(n.names) is not cst.ImportStar:
            imported.update(a.asname.name.value if isinstance(a.asname, cst.AsName) and isinstance(a.asname.name, cst.Name)
                            else dotted(a.name).partition(".")[0] for a in n.names)
    return top, declared, imported


def _attributes(root, prune=()) -> dict:
    """attribute name -> the names it is read or set on below `root` as a value (`args.seed`;
    not a method called, `env.seed(0)`)."""
    out: dict = {}
    called = set()
    for n in descendants(root, prune=prune):
        if isinstance(n, cst.Call):
            called.add(id(n.func))
        elif isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name) and id(n) not in called:
            out.setdefault(n.attr.value, []).append(n.value.value)
    return out


def _module_attributes(module) -> dict:
    return _attributes(module, _SCOPES)


def _reads_command_line(module) -> bool:
    """The chunk reads the program's command line: `parser.parse_args()`, `parse_known_args()`
    or `sys.argv`, wherever in it."""
    for n in descendants(module):
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in _COMMAND_LINE_METHODS:
            return True
        if isinstance(n, cst.Attribute) and n.attr.value == "argv" and dotted(n) == "sys.argv":
            return True
    return False


# the line's author says the name is bound where the syntax does not show it (a C extension, a
# generated module): pyflakes' undefined-name code, mypy's and pyright's
_WAIVER = re.compile(r"#\s*noqa(?!:)|#\s*noqa:[^#\n]*\bF821\b|ignore\[[^\]]*(?:name-defined|reportUndefinedVariable)")


def _dynamic(text: str) -> bool:
    """The text binds names in ways no scope shows (a star import, `globals()`, a notebook's
    magics), or handles the NameError itself."""
    return _MAGIC_FIRST_LINE.match(text) is not None or any(p.search(text) is not None for p in _DYNAMIC)


def _waived(ctx, node) -> bool:
    line = ctx.line(node)
    if line is None:
        return False
    start = 0
    for _ in range(line - 1):
        start = ctx.text.find("\n", start) + 1
        if start == 0:
            return False
    end = ctx.text.find("\n", start)
    return _WAIVER.search(ctx.text[start:end if end >= 0 else None]) is not None


def _catches_name_error(handler) -> bool:
    kinds = handler.type
    names = [dotted(e.value) for e in kinds.elements] if isinstance(kinds, cst.Tuple) else [dotted(kinds)] if kinds else [None]
    return any(n in (None, "Exception", "BaseException", "NameError") for n in names)


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter changed, added, dropped, or two neighbours swapped (`FALGS` for `FLAGS`)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class NameBoundNowhere(Rule):
    """
    ## What it does
    Finds a name read where no scope binds it, when the program binds something it most likely
    meant: a misspelling of a name in reach (`FALGS` for `FLAGS`), an attribute the enclosing
    class keeps on `self` (`backbone` for `self.backbone` in a method), or an attribute of
    another object read beside it (`seed` for `args.seed` after `args = parser.parse_args()`).
    In a program that reads its own command line (`parser.parse_args()`, `sys.argv`), which is
    run as a script and so is whole, a name its module-level code reads and nothing binds is
    reported too, with nothing suggested (a loss bound as `discriminator_loss` and moved to the
    GPU as `adversarial_loss`).

    ## Why is this bad?
    Python looks a name up when the line runs: the program raises `NameError` there. In a
    training script that line often runs late: after the data is loaded and the first epochs are
    trained (an evaluation, a checkpoint, a learning-rate schedule), so hours of work are lost to
    a typo.

    ## Example
    ```python
    FLAGS = tf.app.flags.FLAGS
    cnn = TextCNN(l2_reg_lambda=FALGS.l2_reg_lambda)
    ```

    ## Use instead
    ```python
    FLAGS = tf.app.flags.FLAGS
    cnn = TextCNN(l2_reg_lambda=FLAGS.l2_reg_lambda)
    ```

    ## Fix safety
    The fix writes the name the program binds in place of the unbound one. It is unsafe: the
    program may have meant another name, or a binding that is missing.

    A file that binds names in ways its syntax does not show (`from m import *`, `globals()`,
    `exec`, `builtins`, IPython magics), that handles `NameError` itself, or whose statements do
    not all parse (those left out may bind the name) is not checked, and
    a name with nothing in reach that it could stand for is left alone (a fragment of a larger
    program may bind it elsewhere) unless the module-level code of a program that reads its
    command line reads it; a builtin of Python 2 (`xrange`, `unicode`) says the program was
    written for Python 2 and is not reported that way.
    """

    code = "TL003"
    name = "name-bound-nowhere"
    severity = Severity.ERROR
    fix = Applicability.UNSAFE
    python3_only = True  # Python 2 had builtins (`xrange`, `unicode`) that Python 3 does not
    summary = ("A name no scope binds, where the program binds one it meant (`FALGS` for `FLAGS`, `seed` for `args.seed`) "
               "or where a script that reads its command line reads it at module level: a NameError when the line runs.")
    failing = (
        "import tensorflow as tf\nFLAGS = tf.app.flags.FLAGS\ntf.app.flags.DEFINE_float('l2_reg_lambda', 0.0, 'L2')\n"
        "def train():\n    return tf.keras.regularizers.l2(FALGS.l2_reg_lambda)  # TL003\n",
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--seed', default=0, type=int)\n"
        "args = parser.parse_args()\ntorch.manual_seed(args.seed)\nnp_seed = seed  # TL003\n",
        "import keras\nclass Backbone:\n    def __init__(self, backbone):\n        self.backbone = backbone\n\n"
        "    def depth(self):\n        return int(backbone.replace('resnet', ''))  # TL003\n",
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--cuda', action='store_true')\n"
        "opt = parser.parse_args()\ndiscriminator_loss = torch.nn.BCELoss()\nif opt.cuda:\n    adversarial_loss.cuda()  # TL003\n",
    )
    passing = (
        "import tensorflow as tf\nFLAGS = tf.app.flags.FLAGS\n"
        "def train():\n    return tf.keras.regularizers.l2(FLAGS.l2_reg_lambda)\n",
        "import keras\nclass Backbone:\n    def __init__(self, backbone):\n        self.backbone = backbone\n\n"
        "    def depth(self):\n        return int(self.backbone.replace('resnet', ''))\n",
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--cuda', action='store_true')\n"
        "opt = parser.parse_args()\nadversarial_loss = torch.nn.BCELoss()\nif opt.cuda:\n    adversarial_loss.cuda()\n",
    )
    lookalikes = (
        # bound later in the module: the function runs after it is bound
        "import torch\ndef step():\n    return model(torch.zeros(1, 4))\nmodel = torch.nn.Linear(4, 2)\nstep()\n",
        # bound by a comprehension, a loop, a `with`, an `except`, `global`, a lambda's parameter
        "import torch\nlayers = [torch.nn.Linear(n, n) for n in (2, 4)]\nfor layer in layers:\n    pass\nprint(layer)\n"
        "def setup():\n    global model\n    model = torch.nn.Linear(2, 2)\nsetup()\nprint(model)\nf = lambda x: x + 1\n",
        # a name nothing in the program could stand for: a fragment of a larger program
        "import torch\nmodel = torch.nn.Linear(4, 2)\nout = model(X_train)\n",
        # a script's function may be run by another program that binds the name
        "import argparse\nimport torch\nargs = argparse.ArgumentParser().parse_args()\n"
        "def evaluate():\n    return model(torch.zeros(1, 4))\n",
        # a builtin of Python 2: the script was written for it
        "import sys\nfor i in xrange(int(sys.argv[1])):\n    print(i)\n",
        # a star import may bind any name
        "from keras.layers import *\nlayer = Dense(10)\nx = Flaten()(layer)\n",
        # the file handles the NameError itself
        "try:\n    FLAGS = FALGS\nexcept NameError:\n    FLAGS = None\n",
        # a name the class body binds, read in the class body
        "import torch\nclass Net(torch.nn.Module):\n    width = 4\n    size = width * 2\n",
        # a builtin
        "import torch\nx = torch.zeros(2)\nprint(isinstance(x, torch.Tensor), ValueError, __file__)\n",
    )

    def on_unbound_name(self, ctx, ev):
        ctx.mark("TL003 unbound", ev)

    def on_module(self, ctx, ev):
        missed = ctx.marked("TL003 unbound")
        if not missed:
            return
        missed = list({id(n): n for n in missed if n.value not in _SEEN_EVERYWHERE}.values())
        if not missed or texts_fall_short(ctx):
            return  # statements that do not parse were left out: they may bind the name
        if any(per_chunk_text(ctx, ("TL003 dynamic",), _dynamic)):
            return
        top: set = set()
        declared: set = set()
        imported: set = set()
        for names, globals_, modules in per_chunk(ctx, ("TL003 module names",), _module_level):
            top |= names
            declared |= globals_
            imported |= modules
        p = None  # the parent links, made on the first name the module's own names leave unbound
        for node in missed:
            if node.value in top or node.value in declared:
                continue
            p = p or parents(ctx)
            found = self._unbound_in_reach(p, node)
            if found is None:
                continue
            funcs, cls = found
            suggestion = self._meant(ctx, p, node, funcs, cls, top - imported)
            if _waived(ctx, node):
                continue
            if suggestion is not None:
                ctx.report(self, node, f"`{node.value}` is bound nowhere this line can see: it raises NameError when it runs; "
                                       f"did you mean `{suggestion}`?",
                           fix=Fix(f"Use `{suggestion}`", (Edit(ctx.span(node), suggestion),), Applicability.UNSAFE))
            elif not funcs and node.value not in _PYTHON2_BUILTINS and self._whole_program(ctx):
                ctx.report(self, node, f"`{node.value}` is bound nowhere in this program, which runs as a script "
                                       f"(it reads its command line): the module-level code raises NameError here")

    @staticmethod
    def _whole_program(ctx) -> bool:
        """A program that reads its own command line is run as a script, whole: its module-level
        code is not a fragment of a larger one, so what nothing in it binds is bound nowhere."""
        return any(per_chunk(ctx, ("TL003 command line",), _reads_command_line))

    @staticmethod
    def _unbound_in_reach(p, node):
        """(the functions around `node`, innermost first; the class whose method holds it, or
        None) when none of the scopes Python looks in binds the name, else None.
        A read in a class body, a decorator, a default or an annotation is left alone."""
        funcs, cls, in_file = [], None, False
        child = node
        for a in p.ancestors(node):
            if isinstance(a, cst.Annotation):
                return None  # evaluated late, or never (a local variable's)
            if isinstance(a, cst.Try) and child is a.body and any(_catches_name_error(h) for h in a.handlers):
                return None  # the program catches the NameError
            if isinstance(a, _FUNCTIONS):
                if child is not a.body:
                    return None  # a default, decorator or annotation: read in the enclosing scope
                if node.value in bound_names(a):
                    return None
                funcs.append(a)
            elif isinstance(a, cst.ClassDef):
                if not funcs:
                    return None  # the class body's own scope
                if cls is None:
                    cls = a
            elif isinstance(a, cst.Module):
                in_file = True
                break
            child = a
        if not in_file:
            return None  # a project module's code the run went through: that module's own
        return funcs, cls

    @staticmethod
    def _meant(ctx, p, node, funcs, cls, top):
        """What the program binds that the name `node` reads most likely stands for, or None
        (`top`: the module's names, imports left out: a module is not what a typo stands for)."""
        name = node.value
        if cls is not None and funcs:
            method = funcs[-1]
            me = all_params(method)[:1] if isinstance(method, cst.FunctionDef) else []
            stmt = p.parent.get(node)
            # `self.size = size` with `size` bound nowhere: the attribute is what it sets, not a spelling
            sets_it = isinstance(stmt, cst.Assign) and any(
                dotted(t.target) == f"{me[0] if me else ''}.{name}" for t in stmt.targets)
            if me and not sets_it and me[0] in _attributes(cls).get(name, ()):
                return f"{me[0]}.{name}"
        if funcs:
            receivers = _attributes(funcs[0], _SCOPES).get(name, ())
        else:  # the module's own code, in every chunk (each chunk's kept with its tree)
            receivers = [r for part in per_chunk(ctx, ("TL003 attributes",), _module_attributes) for r in part.get(name, ())]
        here = {r for r in receivers if r != "self"}
        if len(here) == 1:
            return f"{next(iter(here))}.{name}"
        if len(name) >= 4:
            reach = set(top)
            for f in funcs:
                reach |= bound_names(f)
            near = sorted(n for n in reach if _one_edit_apart(name, n))
            if len(near) == 1:
                return near[0]
        return None
