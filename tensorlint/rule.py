"""The rule API: metadata, documentation, examples and event handlers.

A rule is one class in one module under `tensorlint.rules`. The registry finds every
subclass of `Rule` there; nothing is registered by hand. Rules never walk the tree: the
interpreter walks once and calls `on_<event>` on every enabled rule that defines it.

Events (see `tensorlint.interp.Interpreter.emit`):
  on_layer_call(ctx, ev)       a layer or model called with values      ev: LayerCall
  on_loss_call(ctx, ev)        a loss object or loss function called    ev: LossCall
  on_tensor_created(ctx, ev)   a tensor factory call                    ev: TensorCreated
  on_method_call(ctx, ev)      a method called on a tensor              ev: MethodCall
  on_grad_assign(ctx, ev)      `t.grad = value`                         ev: GradAssign
  on_grad_outputs(ctx, ev)     `autograd.grad(outputs, inputs, grad_outputs)`, `t.backward(gradient)` ev: GradOutputs
  on_optimizer(ctx, ev)        an optimizer built on parameters         ev: OptimizerCreated
  on_fit(ctx, ev)              keras fit/evaluate/predict/train_on_batch ev: FitCall
  on_compile(ctx, ev)          keras compile                            ev: CompileCall
  on_function(ctx, ev)         a user function or method definition     ev: FunctionDef
  on_user_call(ctx, ev)        a call of the program's own function, class or model ev: UserCall
  on_compare(ctx, ev)          a comparison                             ev: Compare
  on_subscript(ctx, ev)        `x[i]` with a tensor among the indexes   ev: Subscript
  on_matmul(ctx, ev)           `a @ b`, torch.matmul/mm/bmm, tf.matmul  ev: MethodCall
  on_elementwise(ctx, ev)      `a + b` (any arithmetic operator, `+=`), tf.add/multiply/maximum/equal...
                               with a tensor operand: ev.receiver, ev.args[0] the operands, ev.method the
                               operator's name (Add, Divide, ...)       ev: MethodCall
  on_join(ctx, ev)             torch.cat/stack, tf.concat, Concatenate  ev: Join
  on_reduce(ctx, ev)           a mean or sum                            ev: Reduce
  on_model(ctx, ev)            a Keras Sequential with declared input   ev: ModelBuilt
  on_feed(ctx, ev)             a value fed to a TF1 placeholder          ev: Feed
  on_fetch(ctx, ev)            a TF1 graph run (`sess.run`, `t.eval`)    ev: Fetch
  on_graph_gradients(ctx, ev)  `tf.gradients(ys, xs)` of a TF1 graph      ev: GraphGradients
  on_graph_minimize(ctx, ev)   `optimizer.minimize(loss)` of a TF1 graph loss ev: GraphMinimize
  on_unbound_name(ctx, ev)     a name read that no frame the run made holds ev: cst.Name
  on_unpack(ctx, ev)           a tuple or list target given a value     ev: Unpack
  on_module(ctx, ev)           once, after the whole file has run        ev: ModuleDone
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .findings import Applicability, Severity

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety")


class Rule:
    code: str = ""
    name: str = ""
    severity: Severity = Severity.ERROR
    default: bool = True  # False: opt-in, runs only when selected
    python3_only: bool = False  # True: the mistake exists only in Python 3 (not reported in a Python 2 program)
    fix: Applicability | None = None  # applicability of the fix the rule offers, if any
    summary: str = ""  # one line: what triggers it
    # Words of which a file's text must hold one for the rule to report anything (each handler
    # of the rule returns at once otherwise); empty: any file. The engine neither imports nor
    # runs a rule whose words the file lacks (see `tensorlint.rule_index`).
    triggers: tuple[str, ...] = ()
    # Examples for tests and docs. Lines that must be flagged end with `# TLxxx`
    # (the rule's own code) in `failing`; `passing` and `lookalikes` must stay silent.
    failing: tuple[str, ...] = ()
    passing: tuple[str, ...] = ()
    lookalikes: tuple[str, ...] = ()

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        text = cls.docs()
        parts = re.split(r"^## (.+)$", text, flags=re.M)
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}

    @classmethod
    def handlers(cls) -> dict[str, str]:
        return dict(_handlers(cls))  # a rule set is built per file: the class is read once


@lru_cache(maxsize=None)
def _handlers(cls) -> tuple[tuple[str, str], ...]:
    return tuple((name[3:], name) for name in dir(cls) if name.startswith("on_") and callable(getattr(cls, name)))


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class in `tensorlint.rules`, sorted by code."""
    from . import rules as package

    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Rule) and obj is not Rule and obj.code:
                if obj.code in found and found[obj.code] is not obj:
                    raise RuntimeError(f"rule code {obj.code} defined twice")
                found[obj.code] = obj
    return tuple(found[c] for c in sorted(found))


def python3_only_codes() -> frozenset:
    """The codes of the rules whose mistake Python 2 does not make (`dict.keys()` is a list there)."""
    from .rule_index import RULES

    return frozenset(code for code, _, _, _, python3_only, _ in RULES if python3_only)


def rule_class(code: str, module: str) -> type[Rule]:
    """The class of the rule `code`, defined in `tensorlint.rules.<module>`: that module alone is
    imported (once)."""
    got = _LOADED.get(code)
    if got is None:
        loaded = importlib.import_module(f"{__package__}.rules.{module}")
        for obj in vars(loaded).values():
            if inspect.isclass(obj) and issubclass(obj, Rule) and obj.code:
                _LOADED.setdefault(obj.code, obj)
        got = _LOADED.get(code)
        if got is None:
            raise RuntimeError(f"tensorlint.rules.{module} defines no rule {code}: tensorlint/rule_index.py "
                               "is stale (python scripts/gen_rule_index.py writes it again)")
    return got


_LOADED: dict[str, type[Rule]] = {}


def rule_by_code(code: str) -> type[Rule] | None:
    """The rule of this code or name (its module alone imported); None for an unknown one."""
    from .rule_index import RULES

    code = code.strip()
    for row_code, name, module, *_ in RULES:
        if code.upper() == row_code or code.lower() == name:
            return rule_class(row_code, module)
    return None


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    by_event: dict[str, list] = field(default_factory=dict)
    # the calls of the text the rules were chosen for (`triggers.Calls`), where the choice read
    # them: the rules read them again instead of searching the text for each name they call for
    text_calls: object = None

    @classmethod
    def build(cls, classes) -> "RuleSet":
        rs = cls()
        rules = rs.rules
        rules.extend(klass() for klass in classes)
        rs.by_event = {event: [getattr(rules[i], method) for i, method in entries]
                       for event, entries in _plan(tuple(classes))}
        return rs


@lru_cache(maxsize=64)
def _plan(classes: tuple) -> tuple:
    """(event, ((index of the rule class in `classes`, its handler's name)...)) for each event
    a class of `classes` handles, in the order of first appearance, the handlers in the order
    of the classes: what a rule set of those classes binds, worked out once per tuple of classes
    (a run builds one rule set per file, of the same classes)."""
    by_event: dict = {}
    for i, klass in enumerate(classes):
        for event, method in _handlers(klass):
            by_event.setdefault(event, []).append((i, method))
    return tuple((event, tuple(entries)) for event, entries in by_event.items())
