import re

import libcst as cst

from tensorlint.dataflow import descendants, store_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import module_calls
from ._trees import per_chunk

_MENTION = re.compile(r"DEFINE_enum\s*\(|\bchoices\s*=")
_PARSE = ("parse_args", "parse_known_args", "parse_intermixed_args")
_EQ = {cst.Equal: True, cst.NotEqual: False}


def _literal(node):
    """A string literal's value, None when the node is not one (a number is not an option's
    string choice: left alone)."""
    if type(node) is cst.SimpleString or type(node) is cst.ConcatenatedString:
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _literals(node):
    """The strings of a literal list or tuple of string literals, None otherwise."""
    if type(node) not in (cst.List, cst.Tuple) or not node.elements:
        return None
    out = []
    for el in node.elements:
        if type(el) is not cst.Element:
            return None
        value = _literal(el.value)
        if value is None:
            return None
        out.append(value)
    return tuple(out)


def _arg(call, i, name):
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value == name:
            return a.value
    return positional[i].value if i < len(positional) else None


def _definition(call):
    """(option name, the values it can hold, how it was declared) for `flags.DEFINE_enum(name,
    default, [choices])` and `parser.add_argument('--name', choices=[...])` whose choices are
    literal strings; None for anything else (or anything whose values the text cannot bound:
    a list of values, an action, a default that is not a literal)."""
    func = dotted(call.func)
    last = func.rpartition(".")[2]
    if any(a.star for a in call.args):
        return None
    if last == "DEFINE_enum":
        name, default, choices = _literal(_arg(call, 0, "name") or cst.Name("x")), _arg(call, 1, "default"), _arg(call, 2, "enum_values")
        allowed = _literals(choices) if choices is not None else None
        if name is None or allowed is None:
            return None
        extra = _literal(default) if default is not None else None
        if default is not None and extra is None and not (type(default) is cst.Name and default.value == "None"):
            return None
        return name, frozenset(allowed + ((extra,) if extra is not None else ())), "DEFINE_enum", True
    if last != "add_argument" or type(call.func) is not cst.Attribute:
        return None
    choices = _arg(call, 10**6, "choices")
    allowed = _literals(choices) if choices is not None else None
    if allowed is None:
        return None
    for a in call.args:
        if a.keyword is not None and a.keyword.value in ("nargs", "action", "type", "const"):
            return None  # a list, a flag, a converted value: what the option holds is not the literal
    flags = [_literal(a.value) for a in call.args if a.keyword is None]
    if not flags or any(f is None for f in flags):
        return None
    dest = _arg(call, 10**6, "dest")
    if dest is not None:
        name = _literal(dest)
    else:
        longs = [f for f in flags if f.startswith("--")]
        name = (longs[0][2:] if longs else flags[0].lstrip("-")).replace("-", "_")
    if not name:
        return None
    default = _arg(call, 10**6, "default")
    if default is not None:
        extra = _literal(default)
        if extra is None and not (type(default) is cst.Name and default.value == "None"):
            return None  # argparse does not check a default against the choices
        allowed = allowed + ((extra,) if extra is not None else ())
    return name, frozenset(allowed), "add_argument", False


def _facts(module):
    """What one chunk says besides its definitions: comparisons of an attribute with a string
    literal, names bound to parsed arguments, and attributes the program assigns itself (an
    option's value set by the program)."""
    compares, parsed, assigned = [], set(), set()
    for node in descendants(module):
        kind = type(node)
        if kind is cst.Call:
            if type(node.func) is cst.Attribute and node.func.attr.value == "set_defaults":
                assigned.update(a.keyword.value for a in node.args if a.keyword is not None)
            elif type(node.func) is cst.Name and node.func.value in ("setattr", "vars"):
                assigned.add("*")
        elif kind is cst.Comparison and len(node.comparisons) == 1:
            comp = node.comparisons[0]
            op = _EQ.get(type(comp.operator))
            if op is None:
                continue
            for attr, lit in ((node.left, comp.comparator), (comp.comparator, node.left)):
                value = _literal(lit)
                if type(attr) is cst.Attribute and value is not None and dotted(attr):
                    compares.append((node, attr, value, op))
        elif kind in (cst.Assign, cst.AugAssign, cst.AnnAssign):
            targets = [t.target for t in node.targets] if kind is cst.Assign else [node.target]
            value = node.value
            for t in targets:
                if type(t) is cst.Attribute:
                    assigned.add(t.attr.value)
            if kind is cst.Assign and type(value) in (cst.Call, cst.Subscript):
                call = value if type(value) is cst.Call else value.value
                if type(call) is cst.Call and type(call.func) is cst.Attribute and call.func.attr.value in _PARSE:
                    for t in targets:
                        names = list(store_names(t))
                        parsed.update(names[:1] if type(t) in (cst.Tuple, cst.List) else names)
    return compares, parsed, assigned


class OptionComparedOutsideChoices(Rule):
    """
    ## What it does
    Finds a command-line option compared with a string that is not one of its choices: an
    absl flag made by `flags.DEFINE_enum(name, default, [choices])`, or an `argparse` option
    with `choices=[...]` (its default counted in), read as `FLAGS.name` or `args.name` and
    tested with `==` / `!=` against a literal the option can never hold.

    ## Why is this bad?
    The flag library rejects any other value on the command line, so the test is always False
    (`!=`: always True) and its branch never runs (or always does). The option the branch was
    written for is usually another one: `FLAGS.mode == 'frozen'` where `'frozen'` is a value of
    `--transfer`, so `--transfer frozen` silently trains every layer. Nothing raises.

    ## Example
    ```python
    flags.DEFINE_enum('mode', 'fit', ['fit', 'eager_fit', 'eager_tf'], 'how to train')
    flags.DEFINE_enum('transfer', 'none', ['none', 'darknet', 'fine_tune', 'frozen'], 'what to transfer')
    ...
    if FLAGS.mode == 'frozen':
        freeze_all(model)
    ```

    ## Use instead
    ```python
    if FLAGS.transfer == 'frozen':
        freeze_all(model)
    ```

    ## Fix safety
    There is no automatic fix: which option the test was meant to read is the author's choice.
    """

    code = "TL437"
    triggers = ("DEFINE_enum", "choices")
    name = "option-compared-outside-choices"
    severity = Severity.WARNING
    summary = "An option with fixed choices is compared with a value it can never hold: the test never changes."
    failing = (
        "import tensorflow as tf\nfrom absl import flags\nFLAGS = flags.FLAGS\nflags.DEFINE_enum('mode', 'fit', ['fit', 'eager_fit'], 'how')\n"
        "flags.DEFINE_enum('transfer', 'none', ['none', 'frozen'], 'what')\n\ndef main(argv):\n"
        "    if FLAGS.mode == 'frozen':  # TL437\n        print('freezing')\n",
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--optimizer', choices=['sgd', 'adam'], default='sgd')\n"
        "args = parser.parse_args()\nif args.optimizer != 'Adam':  # TL437\n    print('plain SGD')\n",
    )
    passing = (
        "import tensorflow as tf\nfrom absl import flags\nFLAGS = flags.FLAGS\nflags.DEFINE_enum('mode', 'fit', ['fit', 'eager_fit'], 'how')\n"
        "flags.DEFINE_enum('transfer', 'none', ['none', 'frozen'], 'what')\n\ndef main(argv):\n"
        "    if FLAGS.transfer == 'frozen':\n        print('freezing')\n",
    )
    lookalikes = (
        # the default is a value too (argparse does not check it against the choices)
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--mode', choices=['train', 'test'], default='both')\n"
        "args = parser.parse_args()\nif args.mode == 'both':\n    print('both')\n",
        # the program sets the option itself; a converted option; an object that is not the parsed options
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--mode', choices=['train', 'test'])\n"
        "args = parser.parse_args()\nargs.mode = 'export'\nif args.mode == 'export':\n    print('export')\n",
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--mode', type=str.lower, choices=['train', 'test'])\n"
        "args = parser.parse_args()\nprint(args.mode == 'TRAIN')\n",
        "import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--mode', choices=['train', 'test'])\n"
        "args = parser.parse_args()\n\nclass Config:\n    mode = 'export'\n\nprint(Config.mode == 'export')\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if ("DEFINE_enum" not in text and "choices" not in text) or _MENTION.search(text) is None:
            return  # (the literals first: the pattern's alternation is tried at every position)
        options: dict = {}
        for call in module_calls(ctx):  # the definitions first, from the calls every rule shares
            last = call.func.attr.value if type(call.func) is cst.Attribute else call.func.value if type(call.func) is cst.Name else None
            if last not in ("DEFINE_enum", "add_argument"):
                continue
            d = _definition(call)
            if d is None:
                continue
            name, allowed, how, absl = d
            known = options.get(name)
            if known is not None and (known[0] != allowed or known[2] != absl):
                options[name] = None  # defined twice, differently (subcommands): not one set of values
            elif known is None and name not in options:
                options[name] = (allowed, call, absl, how)
        if not any(options.values()):
            return
        facts = per_chunk(ctx, ("TL437 comparisons",), _facts)
        parsed, assigned = set(), set()
        for _, names, attrs in facts:
            parsed |= names
            assigned |= attrs
        if "*" in assigned:
            return
        for compares, _, _ in facts:
            for node, attr, value, equal in compares:
                option = options.get(attr.attr.value)
                if option is None or attr.attr.value in assigned or value in option[0]:
                    continue
                allowed, where, absl, how = option
                receiver = dotted(attr.value)
                if not (receiver.rpartition(".")[2] == "FLAGS" if absl else receiver in parsed):
                    continue
                values = ", ".join(repr(v) for v in sorted(allowed))
                verdict = "False" if equal else "True"
                ctx.report(self, node,
                           f"`{receiver}.{attr.attr.value}` can only be {values} ({how} at line {ctx.line(where)}), so "
                           f"comparing it with {value!r} is always {verdict}: the branch it guards "
                           f"{'never runs' if equal else 'always runs'}",
                           related=[(where, "the option's choices")])
