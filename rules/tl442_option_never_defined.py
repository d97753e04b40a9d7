import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._arity import binding_counts
from ._common import imported_qualname, module_names
from ._trees import per_chunk, per_chunk_reading, run_fact, text_matches

# text that changes a namespace or a parser in ways the syntax does not show
# (patterns that begin with a literal, the regex engine's fast case; see TL003's)
_DYNAMIC = tuple(re.compile(p) for p in (
    r"import\s+\*", r"globals(?<![\w.]globals)\s*\(", r"exec(?<![\w.]exec)\s*\(", r"setattr(?<![\w.]setattr)\s*\(",
    r"vars(?<![\w.]vars)\s*\(", r"__dict__", r"Namespace\s*\("))
# parser methods after which the options are not only those `add_argument` names
_OPEN_ENDED = frozenset({"set_defaults", "add_subparsers", "parse_known_args", "parse_known_intermixed_args",
                         "convert_arg_line_to_args", "register"})
_GROUPS = frozenset({"add_argument_group", "add_mutually_exclusive_group"})


class OptionNeverDefined(Rule):
    """
    ## What it does
    Finds an option read from the result of `parser.parse_args()` that the parser never
    defines: `args.num_workers` where the options are `--workers`, `--epochs` and `--lr`. The
    parser is an `argparse.ArgumentParser` of the file (no `parents=`, no `set_defaults`, no
    subcommands, no `parse_known_args`, neither it nor its argument groups handed to a function
    that may add options: `add_model_flags(parser)`), every `add_argument` of the file names its options
    with literal strings, the namespace is bound once in the whole file, and nothing sets its
    attributes in ways the syntax does not show (`setattr`, `vars()`, `__dict__`, `import *`);
    an attribute the program assigns (`args.device = ...`) counts as defined.

    ## Why is this bad?
    `parse_args()` makes one attribute per option, named after its first long option string
    (`--num-workers` gives `num_workers`) or its `dest=`. Any other name raises
    `AttributeError: 'Namespace' object has no attribute ...` where it is read: often after the
    data is loaded, when the loaders or the model are built, or at the end of the first epoch.

    ## Example
    ```python
    parser.add_argument('--workers', type=int, default=12)
    args = parser.parse_args()
    loader = DataLoader(dataset, num_workers=args.num_workers)
    ```

    ## Use instead
    ```python
    parser.add_argument('--num_workers', type=int, default=12)
    ```

    ## Fix safety
    There is no automatic fix: whether the option or the read is misspelled is the program's.
    """

    code = "TL442"
    triggers = ("parse_args",)
    name = "option-never-defined"
    severity = Severity.ERROR
    summary = "An option read from parse_args()'s result that no add_argument of the parser defines: AttributeError."
    failing = (
        "import argparse\nimport torch\n\nparser = argparse.ArgumentParser()\nparser.add_argument('--workers', type=int, default=4)\n"
        "parser.add_argument('--batch-size', type=int, default=32)\nargs = parser.parse_args()\n"
        "data = torch.utils.data.TensorDataset(torch.randn(64, 3))\n"
        "loader = torch.utils.data.DataLoader(data, batch_size=args.batch_size, num_workers=args.num_workers)  # TL442\n",
    )
    passing = (
        "import argparse\nimport torch\n\nparser = argparse.ArgumentParser()\nparser.add_argument('--workers', type=int, default=4)\n"
        "parser.add_argument('--batch-size', type=int, default=32)\nargs = parser.parse_args()\n"
        "data = torch.utils.data.TensorDataset(torch.randn(64, 3))\n"
        "loader = torch.utils.data.DataLoader(data, batch_size=args.batch_size, num_workers=args.workers)\n",
    )
    lookalikes = (
        # dest=, a short option only, a positional, an attribute the program sets, an argument group
        "import argparse\nimport torch\n\nparser = argparse.ArgumentParser()\nparser.add_argument('data')\n"
        "parser.add_argument('-j', dest='jobs', type=int, default=2)\nparser.add_argument('-v', action='store_true')\n"
        "group = parser.add_argument_group('optim')\ngroup.add_argument('--lr', '--learning-rate', type=float)\n"
        "args = parser.parse_args()\nargs.device = torch.device('cpu')\nprint(args.data, args.jobs, args.v, args.lr, args.device)\n",
        # defaults set elsewhere, parse_known_args, a namespace passed to functions under its own name
        "import argparse\nimport torch\n\nparser = argparse.ArgumentParser()\nparser.add_argument('--lr', type=float)\n"
        "parser.set_defaults(epochs=10)\nargs = parser.parse_args()\nprint(args.lr, args.epochs)\n\n"
        "p2 = argparse.ArgumentParser()\np2.add_argument('--seed', type=int)\nopts, rest = p2.parse_known_args()\n"
        "print(opts.seed, opts.gpu)\n",
        # options added by a function the parser or one of its groups is handed to
        "import argparse\nimport torch\nfrom .flags import add_model_flags\n\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--lr', type=float)\nadd_model_flags(parser)\nargs = parser.parse_args()\n"
        "print(args.lr, args.name, args.repo)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "parse_args" not in text or "add_argument" not in text or text_matches(ctx, _DYNAMIC):
            return
        found = run_fact(ctx, _options)
        if found is None:
            return
        seen = set()
        for reads in per_chunk_reading(ctx, ("TL442 undefined reads",), lambda i, read: _undefined(ctx, i, read)):
            for node, attr in reads:
                if attr in seen:
                    continue
                seen.add(attr)
                name, defined, made = found
                known = ", ".join(f"`{d}`" for d in sorted(defined)[:8]) + (", ..." if len(defined) > 8 else "")
                ctx.report(self, node,
                           f"`{name}.{attr}` is read, but the parser defines no option `{attr}` (its options give "
                           f"{known or 'no attribute'}): the read raises AttributeError",
                           related=[(made, f"`{name}` made here")])


def _facts(module) -> dict:
    """The chunk's argparse facts: parsers made (name, call), `add_argument` destinations (None
    for one the text does not fix), `parse_args()` results (name, call, its receiver), open-ended
    parser calls, and the attributes assigned on a name."""
    out = {"parsers": [], "dests": [], "parsed": [], "open": False, "stored": [], "results": [], "handed": set(),
           "groups": set()}
    for top in module.body:  # the parsers a top-level function makes (and returns, often)
        if type(top) is cst.FunctionDef:
            for n in descendants(top):
                if type(n) is cst.Call and dotted(n.func).rpartition(".")[2] == "ArgumentParser":
                    out["results"].append(("maker", top.name.value, n))
                elif type(n) is cst.Call and type(n.func) is cst.Attribute and n.func.attr.value == "parse_args":
                    out["results"].append(("parses", top.name.value, n))
    for n in descendants(module):
        kind = type(n)
        if kind is cst.Call:
            # a name handed to a call (`add_model_flags(parser)`, `Model.add_args(group)`): the
            # callee may add options the file does not show
            out["handed"].update(a.value.value for a in n.args if type(a.value) is cst.Name)
        if kind is cst.Call and type(n.func) is cst.Attribute:
            method = n.func.attr.value
            if method == "add_argument":
                out["dests"].append(_dest(n))
            elif method in _OPEN_ENDED:
                out["open"] = True
        elif kind is cst.Assign and len(n.targets) == 1 and type(n.value) is cst.Call:
            target, call = n.targets[0].target, n.value
            if type(call.func) is cst.Attribute and call.func.attr.value == "parse_args":
                if type(target) is not cst.Name or len(call.args) > 1 or any(
                        a.star or a.keyword is not None and a.keyword.value == "namespace" for a in call.args):
                    out["open"] = True  # a namespace given (its attributes are kept): left alone
                else:
                    out["parsed"].append((target.value, call, dotted(call.func.value)))
            elif type(target) is cst.Name and dotted(call.func).rpartition(".")[2] == "ArgumentParser":
                if any(a.keyword is not None and a.keyword.value in ("parents", "fromfile_prefix_chars") or a.star
                       for a in call.args):
                    out["open"] = True
                out["parsers"].append((target.value, call))
            elif type(target) is cst.Name and type(call.func) is cst.Name:
                out["results"].append(("bound", target.value, call.func.value))
            elif type(target) is cst.Name and type(call.func) is cst.Attribute and call.func.attr.value in _GROUPS:
                out["groups"].add(target.value)
        if kind is cst.AssignTarget or kind is cst.AugAssign or kind is cst.AnnAssign:
            target = n.target
            if type(target) is cst.Attribute and type(target.value) is cst.Name:
                out["stored"].append((target.value.value, target.attr.value))
    return out


def _dest(call):
    """The attribute `add_argument(...)` makes, None when the text does not fix it."""
    if any(a.star for a in call.args):
        return None
    names = []
    for a in call.args:
        if a.keyword is not None:
            if a.keyword.value == "dest":
                return _string(a.value)
            continue
        value = _string(a.value)
        if value is None:
            return None
        names.append(value)
    if not names:
        return None
    long = [s for s in names if s.startswith("--")]
    if long:
        return long[0][2:].replace("-", "_")
    if names[0].startswith("-"):
        return names[0].lstrip("-").replace("-", "_")
    return names[0]


def _string(node):
    if type(node) in (cst.SimpleString, cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _options(ctx):
    """(the namespace's name, the attributes it has, the `parse_args()` call) when the file
    parses one argparse parser's options into one name bound once, and every option is known;
    None otherwise."""
    facts = per_chunk(ctx, ("TL442 argparse facts",), _facts)
    if any(f["open"] for f in facts):
        return None
    parsed = [p for f in facts for p in f["parsed"]]
    parsers = [p for f in facts for p in f["parsers"]]
    dests = [d for f in facts for d in f["dests"]]
    if len(parsed) != 1 or len(parsers) != 1 or not dests or None in dests:
        return None
    name, call, receiver = parsed[0]
    parser, made = parsers[0]
    handed = {n for f in facts for n in f["handed"]} & ({parser, receiver} | {g for f in facts for g in f["groups"]})
    if handed:
        return None
    if imported_qualname(module_names(ctx), made.func) != "argparse.ArgumentParser":
        return None
    counts = per_chunk(ctx, ("TL443 binding counts",), binding_counts)
    if sum(c.get(name, 0) for c in counts) != 1:
        return None
    makers = [what for f in facts for kind, what, node in f["results"] if kind == "maker" and node is made]
    parses_in = [what for f in facts for kind, what, node in f["results"] if kind == "parses" and node is call]
    if makers and parses_in != makers:
        # the parser made in a function of the file and bound by its one call: `parser = get_args()`
        bound = [f_name for f in facts for kind, target, f_name in f["results"] if kind == "bound" and target == receiver]
        if bound != makers or sum(c.get(receiver, 0) for c in counts) != 1 + (parser == receiver):
            return None
    elif receiver != parser or sum(c.get(parser, 0) for c in counts) != 1:
        return None
    defined = frozenset(dests) | {attr for f in facts for owner, attr in f["stored"] if owner == name}
    return name, defined, call


def _undefined(ctx, i, read) -> list:
    """(attribute node, name) for chunk `i`'s reads of an attribute the namespace lacks."""
    found = read(_options)
    if found is None:
        return []
    name, defined, _ = found
    out = []
    for n in descendants(ctx.chunks[i].module):
        if type(n) is cst.Attribute and type(n.value) is cst.Name and n.value.value == name:
            attr = n.attr.value
            if attr not in defined and not attr.startswith("_"):
                out.append((n, attr))
    return out
