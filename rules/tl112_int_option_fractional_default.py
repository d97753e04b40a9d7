import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule

from ._common import keyword_arg, module_calls


def _fraction(node) -> float | None:
    """The value of a float literal (or its negation) that is not a whole number; None otherwise."""
    sign = 1.0
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        sign, node = -1.0, node.expression
    if not isinstance(node, cst.Float):
        return None
    try:
        value = sign * float(node.value.replace("_", ""))
    except ValueError:
        return None
    return value if value != int(value) else None


class IntOptionFractionalDefault(Rule):
    """
    ## What it does
    Finds a command-line option declared with `parser.add_argument(..., type=int, default=x)`
    whose default is a fractional number: `add_argument('--lr', type=int, default=1e-2)`,
    `add_argument('--dropout', type=int, default=0.5)`.

    ## Why is this bad?
    argparse converts only the strings it reads from the command line; a default that is not a
    string is used as it is. The script therefore runs with 0.01 as long as nobody passes the
    option, and the first run that does (`--lr 0.001`) stops with `error: argument --lr: invalid
    int value: '0.001'`, while `--lr 1` trains with a learning rate of 1. A learning rate, a
    dropout or a weight decay given as an integer is almost never what was meant.

    ## Example
    ```python
    parser.add_argument('--lr', type=int, default=1e-2, help='base learning rate')
    ```

    ## Use instead
    ```python
    parser.add_argument('--lr', type=float, default=1e-2, help='base learning rate')
    ```

    ## Fix safety
    The fix declares the option `type=float`. It is safe: the default already makes the program
    handle a fractional value there.
    """

    code = "TL112"
    triggers = ("add_argument",)
    name = "int-option-fractional-default"
    severity = Severity.WARNING
    fix = Applicability.SAFE
    summary = "A command-line option parsed with type=int whose default is fractional: passing the option fails or truncates."
    failing = (
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--lr', type=int, default=1e-2, help='learning rate')  # TL112\nargs = parser.parse_args()\n",
        "from argparse import ArgumentParser\nimport torch\n\ndef get_args():\n    p = ArgumentParser()\n"
        "    p.add_argument('--epochs', type=int, default=10)\n"
        "    p.add_argument('--dropout', default=-.5, type=int)  # TL112\n    return p.parse_args()\n",
    )
    passing = (
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--lr', type=float, default=1e-2, help='learning rate')\nargs = parser.parse_args()\n",
    )
    lookalikes = (
        # whole numbers written as floats, an int default, a string default argparse converts
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--epochs', type=int, default=10.0)\n"
        "parser.add_argument('--seed', type=int, default=1)\nparser.add_argument('--size', type=int, default='3')\n"
        "parser.add_argument('--lr', type=float, default=0.01)\nparser.add_argument('--decay', default=0.5)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "add_argument" not in text or "int" not in text:
            return
        for call in module_calls(ctx):
            func = call.func
            if not isinstance(func, cst.Attribute) or func.attr.value != "add_argument":
                continue
            kind, default = keyword_arg(call, "type"), keyword_arg(call, "default")
            if kind is None or default is None or not (isinstance(kind.value, cst.Name) and kind.value.value == "int"):
                continue
            value = _fraction(default.value)
            if value is None:
                continue
            flag = next((a.value.evaluated_value for a in call.args if a.keyword is None
                         and isinstance(a.value, cst.SimpleString)), None)
            option = f"{flag} " if isinstance(flag, str) else ""
            span = ctx.span(kind.value)
            fix = Fix("Parse the option as a float", (Edit(span, "float"),), Applicability.SAFE) if span else None
            ctx.report(self, call,
                       f"option {option}is parsed with type=int but its default {ctx.source(default.value).strip()} is "
                       f"fractional: argparse uses a non-string default as it is, so the program runs with {value:g} "
                       f"until the option is given on the command line, where a fractional value is rejected ('invalid "
                       f"int value') and only whole numbers pass; declare it type=float",
                       fix=fix)
