import re

import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule

from ._common import keyword_arg, module_calls, text_fact

# the file imports the standard library's argparse (not a look-alike such as jsonargparse,
# which reads an option's type from its default)
_ARGPARSE = re.compile(r"^\s*(?:import\s+(?:[\w.]+\s*(?:as\s+\w+\s*)?,\s*)*argparse\b|from\s+argparse\s+import\b)", re.M)
# the calls that turn an option's string into a number where the program reads it
_CONVERSIONS = frozenset({"float", "int", "eval", "literal_eval", "Decimal", "float32", "float64"})


def _float_literal(node) -> str | None:
    """The text of a float literal default (`0.1`, `1e-3`, `-.5`); None for anything else."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        inner = _float_literal(node.expression)
        return None if inner is None else ("-" if isinstance(node.operator, cst.Minus) else "") + inner
    return node.value if isinstance(node, cst.Float) else None


def _dest(call: cst.Call) -> str | None:
    """The attribute argparse stores the option under: `dest=`, else the first long flag (or the
    first flag, or the positional name) with its dashes dropped and `-` read as `_`."""
    dest = keyword_arg(call, "dest")
    if dest is not None:
        return dest.value.evaluated_value if isinstance(dest.value, cst.SimpleString) else None
    flags = [a.value.evaluated_value for a in call.args if a.keyword is None and isinstance(a.value, cst.SimpleString)]
    flags = [f for f in flags if isinstance(f, str) and f]
    if not flags:
        return None
    flag = next((f for f in flags if f.startswith("--")), flags[0])
    return flag.lstrip("-").replace("-", "_") or None


def _converted(calls, dest: str) -> bool:
    """Whether some call of the file converts the option where it reads it: `float(args.lr)`, or
    from the namespace made a dict or read by name (`args = vars(parser.parse_args())` then
    `float(args['lr'])`, `float(options.get('lr'))`, `float(getattr(args, 'lr'))`)."""
    for call in calls:
        func = call.func
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
        if name not in _CONVERSIONS or not call.args:
            continue
        if _reads_option(call.args[0].value, dest):
            return True
    return False


def _reads_option(node, dest: str) -> bool:
    if isinstance(node, cst.Attribute):
        return node.attr.value == dest
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return _is_string(node.slice[0].slice.value, dest)
    if isinstance(node, cst.Call) and node.args:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "get":
            return _is_string(node.args[0].value, dest)
        if isinstance(func, cst.Name) and func.value == "getattr" and len(node.args) >= 2:
            return _is_string(node.args[1].value, dest)
    return False


def _is_string(node, text: str) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == text


class FloatOptionWithoutType(Rule):
    """
    ## What it does
    Finds an argparse option declared with a float default and no `type`:
    `parser.add_argument('--tau', default=0.005)`. An option with an `action` (a flag, a
    constant) or `nargs` is left alone, and so is one whose value the file converts itself
    (`float(args.tau)`, or `float(args['tau'])` after `args = vars(parser.parse_args())`).

    ## Why is this bad?
    argparse converts the strings it reads from the command line with the option's `type`,
    and without one it keeps them as strings; a default that is not a string is used as it
    is. The script runs with the float 0.005 as long as nobody passes the option, and the
    first run that does (`--tau 0.01`) gets the string `'0.01'`: the arithmetic on it fails
    (`TypeError: can't multiply sequence by non-int of type 'float'`) or, worse, a comparison
    or a string repetition goes through with a wrong value.

    ## Example
    ```python
    parser.add_argument("--discount", default=0.99)
    ```

    ## Use instead
    ```python
    parser.add_argument("--discount", default=0.99, type=float)
    ```

    ## Fix safety
    The fix adds `type=float`. It is safe: the default already makes the program handle a
    float there.
    """

    code = "TL450"
    triggers = ("add_argument",)
    name = "float-option-without-type"
    severity = Severity.WARNING
    fix = Applicability.SAFE
    summary = "An argparse option with a float default and no type: a value given on the command line stays a string."
    failing = (
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--tau', default=0.005)  # TL450\n"
        "args = parser.parse_args()\nprint(1 - args.tau)\n",
        "from argparse import ArgumentParser\nimport tensorflow as tf\n\ndef get_args():\n    p = ArgumentParser()\n"
        "    p.add_argument('--lr', '-l', default=1e-3, help='learning rate')  # TL450\n    return p.parse_args()\n",
    )
    passing = (
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--tau', default=0.005, type=float)\n"
        "args = parser.parse_args()\nprint(1 - args.tau)\n",
    )
    lookalikes = (
        # a string default is converted by argparse; an int default is another matter
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--lr', default='0.01', type=float)\n"
        "parser.add_argument('--epochs', default=10)\nargs = parser.parse_args()\n",
        # a constant stored by a flag, and an option the program converts where it reads it
        "import argparse\nimport keras\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--half', action='store_const', const=0.5, default=1.0)\n"
        "parser.add_argument('--momentum', default=0.9)\nargs = parser.parse_args()\nm = float(args.momentum)\n",
        # not argparse
        "import click\nimport torch\n\nclass Options:\n    def add_argument(self, *a, **k):\n        pass\n\n"
        "Options().add_argument('--lr', default=0.1)\n",
    )

    def on_module(self, ctx, ev):
        if not text_fact(ctx, "TL450 text", lambda t: "add_argument" in t and _ARGPARSE.search(t) is not None):
            return
        calls = module_calls(ctx)
        for call in calls:
            func = call.func
            if not isinstance(func, cst.Attribute) or func.attr.value != "add_argument":
                continue
            default = keyword_arg(call, "default")
            literal = _float_literal(default.value) if default is not None else None
            if literal is None or any(keyword_arg(call, k) is not None for k in ("type", "action", "nargs")):
                continue
            dest = _dest(call)
            if dest is None or _converted(calls, dest):
                continue
            flag = next((a.value.evaluated_value for a in call.args if a.keyword is None
                         and isinstance(a.value, cst.SimpleString)), dest)
            span = ctx.span(default.value)
            fix = Fix("Parse the option as a float", (Edit(span, f"{ctx.source(default.value).strip()}, type=float"),),
                      Applicability.SAFE) if span is not None else None
            ctx.report(self, call,
                       f"option {flag} has the float default {literal} but no type: argparse keeps what the command line "
                       f"gives as a string, so `{flag} {literal}` makes `{dest}` the string '{literal}', on which arithmetic "
                       f"fails; declare it type=float",
                       fix=fix)
