"""How the slicer follows a program's structure: the blocks it flattens (try, with, if), the
entry points it follows into (`main()`, `train(model, loader)`, `__main__` bodies), the TF1 graph
contexts it enters and the GradientTape blocks it marks."""
from __future__ import annotations

import libcst as cst

from .syntax import Bindings, callee_name, called_names, dotted_name, import_setup_only, small_statements, is_main_guard, \
    names_read, root_name, target_names
from .callnames import READ_METHODS
from .kept import Replayed, caller_names
from .sinks import summed_calls
from .uncalled import returns_a_value, uncalled_functions
from .units import Expr, Unit

# methods that change their receiver in place
MUTATORS = frozenset({"append", "extend", "insert", "update", "add", "setdefault", "pop", "remove", "clear", "sort",
                      "reverse", "fill_", "copy_", "zero_", "put", "appendleft"})
# holders whose calls are not run where they are written (a lambda's body, a comprehension's element)
DEFERRED = (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)

# context managers entered during the replay: those a TF1 graph is built and run in (variable_scope,
# name_scope, arg_scope, strategy.scope()), and PyTorch's gradient modes, which decide what the
# body's tensors are (an output made under `no_grad` does not require grad; `.numpy()` takes it)
GRAPH_CONTEXTS = ("Session", "scope", "as_default", "Graph", "no_grad", "inference_mode", "set_grad_enabled", "enable_grad")


def names_bound_in_functions(module: cst.Module) -> set[str]:
    """Names assigned in, or parameters of, the module's functions: once an entry point is
    followed into one, they hold models and losses as module names do."""
    out: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            b = Bindings()
            for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else []:
                stmt.visit(b)
            out.update(b.assigned)
            p = node.params
            out.update(param.name.value for param in [*p.posonly_params, *p.params, *p.kwonly_params])

    module.visit(V())
    return out


def reads_a_file(node, callee: str) -> bool:
    """`open(path)`, `open(path, "rb")`, `gzip.open(path)`: opened for reading only, so that the
    data the program reads comes in (or the check says which file it lacks); never for writing."""
    if callee.rsplit(".", 1)[-1] != "open" or not isinstance(node, cst.Call):
        return False
    mode = None
    for i, arg in enumerate(node.args):
        if (arg.keyword is not None and arg.keyword.value == "mode") or (arg.keyword is None and i == 1):
            mode = arg.value
    if mode is None:
        return True
    return isinstance(mode, cst.SimpleString) and not set(str(mode.evaluated_value)) & set("wax+")


class Follow:
    """Mixed into the slicer (see slicer.py for the attributes it uses)."""

    def flatten(self, body) -> list[cst.CSTNode]:
        """Statements of a block with try/with wrappers removed (their bodies stay)."""
        out: list[cst.CSTNode] = []
        for stmt in body:
            if not self.inlining:
                self.at_line = self.pos[stmt].start.line
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    out.extend(self.inline(small) or [small])
            elif isinstance(stmt, cst.With) and not self.is_tape(stmt):
                enters, exits = self.contexts(stmt)
                out.extend([*enters, *self.flatten(stmt.body.body), *exits])
            elif isinstance(stmt, cst.Try) and stmt.handlers and import_setup_only(stmt.body.body):
                # `try: import x` / `except ImportError: x = None` (also with a `sys.path` edit
                # before the import and a flag set after it): replayed whole, so that the
                # program's own fallback runs where the module is missing
                line, _, code = self.source(stmt)
                b = Bindings()
                stmt.visit(b)
                out.append(Replayed(code, line, sorted(b.assigned | b.defined), names_read(stmt), always=True))
            elif isinstance(stmt, (cst.Try, cst.TryStar, cst.With)):
                if isinstance(stmt, cst.With):
                    self.under_tape.update(id(small) for small in small_statements(stmt))
                out.extend(self.flatten(stmt.body.body))
            elif isinstance(stmt, cst.If):
                if is_main_guard(stmt):  # the script's own entry: replayed like module code
                    out.extend(self.flatten(stmt.body.body))
                    continue
                if self.has_call_site(stmt):
                    out.extend(self.flatten(stmt.body.body))
                    orelse = stmt.orelse
                    while orelse is not None:
                        out.extend(self.flatten(orelse.body.body))
                        orelse = getattr(orelse, "orelse", None)
                else:
                    out.append(stmt)
            else:
                out.append(stmt)
        return out

    def inline(self, small: cst.BaseSmallStatement) -> list | None:
        """`main()`, `model = build(args)`, `train(model, loader)`: a call of a function of this file
        that builds or runs a model is replayed as its body (an entry point followed), after its
        parameters are bound to the call's arguments; `x = f(...)` binds x to what f returns last."""
        value = small.value if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign)) else None
        if not isinstance(value, cst.Call):
            return None
        self.note_instance(small, value)
        receiver, made = None, None
        if isinstance(value.func, cst.Name):
            defs = self.function_defs.get(value.func.value) or []
            before = [d for d in defs if self.pos[d].start.line < self.at_line]
            fn = before[-1] if before else (defs[-1] if defs else None)
            key = value.func.value
        elif isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.Name) \
                and value.func.value.value in self.instances and self.forward_method(value.func) is None:
            # `net.train(sess, ...)` on `net = NeuralNet(...)`: the method's body, `self` bound to net
            receiver = value.func.value.value
            cls = self.instances[receiver]
            fn = self.methods.get(cls, {}).get(value.func.attr.value)
            key = f"{cls}.{value.func.attr.value}"
        elif isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.Call) \
                and isinstance(value.func.value.func, cst.Name) and value.func.value.func.value in self.methods:
            # `Trainer(model, loader).train()`: the instance made on the spot is the receiver
            ctor, cls = value.func.value, value.func.value.func.value
            receiver = f"_tensorlint_{cls}_instance"
            made = Replayed(f"{receiver} = ({self.source(ctor)[2]})", self.pos[small].start.line, [receiver],
                            names_read(ctor))
            fn = self.methods.get(cls, {}).get(value.func.attr.value)
            key = f"{cls}.{value.func.attr.value}"
        else:
            return None
        if fn is None or key in self.inlining or not isinstance(fn.body, cst.IndentedBlock):
            return None
        params = [*fn.params.posonly_params, *fn.params.params]
        if receiver is not None and params:
            # calls through it (`self.model(x)`) may reach a model: from now on they are call sites
            # (the statements followed are classified after this returns)
            self.receivers.add(params[0].name.value)
        if not (self.has_call_site(fn.body) or self.builds_in(fn.body)):
            return None
        line = self.pos[small].start.line
        binds = self.parameter_bindings(fn, value, line, receiver)
        if binds is None:
            return None
        self.inlining.add(key)
        own = params[0].name.value if receiver is not None and params else None
        outer = self.instances.get(own) if own else None
        if own:
            self.instances[own] = key.split(".")[0]  # `self.train_fn(i)` in the method is followed too
        try:
            body = self.flatten(fn.body.body)
        finally:
            self.inlining.discard(key)
            if own and outer is not None:
                self.instances[own] = outer
            elif own:
                self.instances.pop(own, None)
        last = self.replayed_last(fn.body.body[-1]) if fn.body.body else None
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(last, cst.SimpleStatementLine) \
                and isinstance(last.body[-1], cst.Return) and last.body[-1].value is not None:
            ret = last.body[-1].value
            target = self.source(small.targets[0].target)[2]
            rline, _, rcode = self.source(ret)
            body.append(Replayed(f"{target} = ({rcode})", rline, target_names(small.targets[0].target)[0], names_read(ret)))
        save, restore = caller_names(fn, line, target_names(small.targets[0].target)[0] if isinstance(small, cst.Assign) else [])
        return [*([made] if made is not None else []), save, *binds, *body, restore]

    def replayed_last(self, stmt):
        """The statement of a followed body that the replay runs last: inside a trailing `with`
        (`with tf.name_scope(name): ... return act`), and, in a trailing `if` whose branches are
        all replayed (it holds a call site: `if random() < eps: return randint(n)` / `else: q =
        model.predict(s); return argmax(q)`), the last statement of its final `else`, the branch
        run last, whose return the caller's target then holds. An `if` without an `else` (the
        function may return nothing) or replayed whole gives no return to bind."""
        while True:
            if isinstance(stmt, cst.With) and stmt.body.body:
                stmt = stmt.body.body[-1]
            elif isinstance(stmt, cst.If) and not is_main_guard(stmt) and self.has_call_site(stmt):
                orelse = stmt.orelse
                while isinstance(orelse, cst.If):  # elif
                    orelse = orelse.orelse
                if not isinstance(orelse, cst.Else) or not orelse.body.body:
                    return None
                stmt = orelse.body.body[-1]
            else:
                return stmt

    def note_instance(self, small, value: cst.Call) -> None:
        """`name = Cls(...)` for a class of the file: `name.method(...)` is then followed into it."""
        targets = small.targets if isinstance(small, cst.Assign) else [small] if isinstance(small, cst.AnnAssign) else []
        for t in targets:
            if isinstance(t.target, cst.Name):
                if isinstance(value.func, cst.Name) and value.func.value in self.methods:
                    self.instances[t.target.value] = value.func.value
                else:
                    self.instances.pop(t.target.value, None)

    def parameter_bindings(self, fn: cst.FunctionDef, call: cst.Call, line: int, receiver: str | None = None) -> list | None:
        params = [*fn.params.posonly_params, *fn.params.params]
        out, given = [], set()
        if receiver is not None:
            if not params or any(isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod")
                                 for d in fn.decorators):
                return None
            first = params.pop(0).name.value
            out.append(Replayed(f"{first} = ({receiver})", line, [first], [receiver]))
            given.add(first)
        by_name = {p.name.value: p for p in [*params, *fn.params.kwonly_params]}
        for i, arg in enumerate(call.args):
            if arg.star:
                rest = params[i:]
                # `train(*random_pair(n))` as the call's last argument: the parameters left, none with
                # a default and no `*args` after them, take the items of the value in order, as the
                # call itself would (it fails alike when their counts differ)
                if arg.star != "*" or arg is not call.args[-1] or not rest or isinstance(fn.params.star_arg, cst.Param) \
                        or any(p.default is not None for p in rest):
                    return None
                names = [p.name.value for p in rest]
                given.update(names)
                out.append(Replayed(f"{', '.join(names)}, = ({self.source(arg.value)[2]})", line, names,
                                    names_read(arg.value)))
                break
            name = arg.keyword.value if arg.keyword is not None else (params[i].name.value if i < len(params) else None)
            if name is None or name not in by_name:
                return None
            given.add(name)
            out.append(Replayed(f"{name} = ({self.source(arg.value)[2]})", line, [name], names_read(arg.value)))
        for name, p in by_name.items():
            if name not in given and p.default is not None:
                out.append(Replayed(f"{name} = ({self.source(p.default)[2]})", line, [name], names_read(p.default)))
        return out

    def contexts(self, stmt: cst.With) -> tuple[list, list]:
        """`with tf.Session() as sess:`, `with tf.variable_scope(...)`, `with torch.no_grad():`: the graph
        contexts a TF1 program builds in and the gradient modes are entered before the body and left
        after it; any other context manager (devices, writers...) is left out, its body replayed."""
        enters, exits = [], []
        line, end = self.pos[stmt].start.line, self.pos[stmt].end.line
        for i, item in enumerate(stmt.items):
            node = item.item
            callee = dotted_name(node.func) if isinstance(node, cst.Call) else ""
            if not callee.endswith(GRAPH_CONTEXTS) and not reads_a_file(node, callee):
                continue
            var = f"__tensorlint_context_{line}_{i}__"
            code = f"{var} = ({self.source(node)[2]})\n"
            binds = [var]
            if item.asname is not None:
                target = self.source(item.asname.name)[2]
                code += f"{target} = {var}.__enter__()"
                binds += target_names(item.asname.name)[0]
            else:
                code += f"{var}.__enter__()"
            shown = f"with {self.source(item)[2]}"
            enters.append(Replayed(code, self.pos[node].start.line, binds, names_read(node), always=True, display=shown))
            exits.insert(0, Replayed(f"{var}.__exit__(None, None, None)", end, [], [var], always=True,
                                     display=f"the end of `{shown}`"))
        return enters, exits

    def is_tape(self, stmt: cst.With) -> bool:
        """`with tf.GradientTape() as tape:`, or `with tape:` for a tape made earlier."""
        for item in stmt.items:
            node = item.item
            if isinstance(node, cst.Call) and dotted_name(node.func).endswith("GradientTape"):
                return True
            if isinstance(node, cst.Name) and node.value in self.tapes:
                return True
        return False

    def builds_in(self, body: cst.CSTNode) -> bool:
        return any(isinstance(s, (cst.Assign, cst.AnnAssign)) and self.builds_model(s.value) for s in small_statements(body))

    def forward_method(self, func) -> str | None:
        """`pi` of `model.pi(x)` (or of `self.pi(x)` in a method followed) on an instance of a class
        of the file that the program runs only by its methods (method_forwards.py)."""
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            name, cls = func.value.value, self.instances.get(func.value.value)
            if func.attr.value in (self.method_forwards.get(cls, ()) if cls is not None and name not in self.receivers
                                   else set().union(*self.method_forwards.values()) if name in self.receivers else ()):
                return func.attr.value  # (on `self`, the driver checks that it is the model's method)
        return None

    # -- calls inside calls ------------------------------------------------------------------------

    def reaches_model(self, call: cst.Call, methods: bool = False) -> bool:
        """`model(x)`, `net(x)`, `self.model(x)`: a call of a value (not of a function or class of
        the file) that may be a model; the driver decides from what it is when it runs. With
        `methods`, also `model.predict(x)` and the other methods that read a model (READ_METHODS)."""
        func = call.func
        if not call.args or any(a.star for a in call.args):
            return False
        if self.forward_method(func) is not None:
            return True
        if methods and isinstance(func, cst.Attribute) and func.attr.value in READ_METHODS:
            func = func.value
        if isinstance(func, cst.Name):
            name = func.value
            return name in self.callable_values and name not in self.function_defs and name not in self.classes
        return isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in self.receivers

    def inner_calls(self, node: cst.CSTNode, methods: bool = False) -> list[cst.Call]:
        """The outermost calls in `node` that may reach a model, in the order they run."""
        found: list[cst.Call] = []
        outer = self

        class V(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> bool:
                if outer.reaches_model(call, methods):
                    found.append(call)
                    return False
                return True

            def visit_IfExp(self, n: cst.IfExp) -> bool:
                n.test.visit(self)  # its branches run only on a condition
                return False

            def visit_BooleanOperation(self, n: cst.BooleanOperation) -> bool:
                n.left.visit(self)  # `a or model(x)`: the right side may never run
                return False

            def on_visit(self, n) -> bool:
                return not isinstance(n, DEFERRED) and super().on_visit(n)

        node.visit(V())
        return found

    def lift_calls(self, stmt, unit, holders: list, methods: bool = False) -> None:
        """`loss = criterion(model(x), y)`, `out = model(x).squeeze(1)`: each call in `holders` that
        may reach a model becomes a call unit of its own, run first, whose value the statement then
        reads from a name of the check's (`criterion(__tensorlint_call_8_0__, y)`). The units are
        kept in `self.lifted` under the statement's unit, for `block()` to put before it."""
        calls = [c for h in holders for c in self.inner_calls(h, methods)]
        lifted, names, terms = [], {}, summed_calls(stmt)
        for i, call in enumerate(calls):
            site = self.call_site(call, None)
            if site is None:
                continue
            site.summed = id(call) in terms  # `loss += criterion(out, y)`: one term of what trains
            tmp = f"__tensorlint_call_{unit.line}_{i}__"
            site.target = tmp
            site.outside_tape = unit.call.outside_tape if unit.call is not None else \
                self.uses_tape and id(stmt) not in self.under_tape
            line, end, src = self.source(call)
            lifted.append(Unit("call", line, end, f"{tmp} = {src}", binds=[tmp], call=site, display=src,
                               uses=[*site.func.names, *(n for e in [*site.args, *site.kwargs.values()] for n in e.names)]))
            names[id(call)] = tmp
        if not lifted:
            return

        class Replace(cst.CSTTransformer):
            def on_leave(self, original, updated):
                return cst.Name(names[id(original)]) if id(original) in names else updated

        new = stmt.visit(Replace())
        unit.display = unit.display or unit.code.splitlines()[0]
        unit.code = self.module.code_for_node(new)
        if unit.call is not None:
            value = new.value
            old_args = [a for a in unit.call.args]
            args = [a for a in value.args if a.keyword is None]
            unit.call.args = [Expr(o.line, self.module.code_for_node(a.value), names_read(a.value))
                              for o, a in zip(old_args, args)]
            unit.call.kwargs = {a.keyword.value: Expr(unit.call.kwargs[a.keyword.value].line,
                                                      self.module.code_for_node(a.value), names_read(a.value))
                                for a in value.args if a.keyword is not None}
        self.lifted[id(unit)] = lifted

    def calls_inside_effect(self, stmt: cst.Expr):
        """`print(model(x).shape)`, `writer.add_scalar("loss", criterion(model(x), y))`: the
        statement prints or writes and is left out, but the calls in it that may reach a model
        are the program's calls of that model and run (as units of their own, like those of
        `lift_calls`); the statement itself becomes `pass`."""
        if not self.inner_calls(stmt.value, methods=True):
            return None, [], [], [], False
        line, end, code = self.source(stmt)
        unit = Unit("exec", line, end, code, binds=[])
        self.lift_calls(stmt, unit, [stmt.value], methods=True)  # `print(model.predict(x))` too
        if id(unit) not in self.lifted:
            return None, [], [], [], False
        unit.display = code.splitlines()[0]
        unit.code = "pass"
        return unit, [], [], [], False

    # -- statements left out ---------------------------------------------------------------------

    def effects(self, stmt: cst.CSTNode) -> set[str]:
        """The calls that make `stmt` something the replay leaves out (it trains, prints, writes);
        `open(path)` for reading is not one: the data it reads comes in, or the check says which
        file it lacks."""
        found = called_names(stmt) & self.side_effects
        if "open" in found:
            opens: list[cst.Call] = []

            class V(cst.CSTVisitor):
                def visit_Call(self, call: cst.Call) -> None:
                    if callee_name(call) == "open":
                        opens.append(call)

            stmt.visit(V())
            if all(reads_a_file(c, dotted_name(c.func)) for c in opens):
                found.discard("open")
        return found

    def changed_in(self, stmt: cst.CSTNode) -> set[str]:
        """Names a compound statement assigns, or changes in place: an attribute or an item it
        assigns (`args.width = 4`, `cfg["lr"] = 0.1`), a list it appends to."""
        b = Bindings()
        stmt.visit(b)
        changed = set(b.assigned)
        for small in small_statements(stmt):
            if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                bound, modified = self.bound_by(small)
                changed.update(bound + modified)
            elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) \
                    and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value in MUTATORS:
                root = root_name(small.value.func.value)
                if root:
                    changed.add(root)
        return changed

    def omitted(self, stmt: cst.CSTNode):
        """A compound statement left out for its side effects, as a unit that marks the names it
        assigns or changes in place (`texts.append(t)`) partly made, so that what fails on them
        later is not blamed on the program (`block` keeps it only when they are read later)."""
        changed = self.changed_in(stmt)
        line, end = self.pos[stmt].start.line, self.pos[stmt].end.line
        why = ", ".join(sorted(self.effects(stmt)))
        unit = Unit("omit", line, end, self.lines[line - 1].strip(), display=f"it calls {why}")
        return unit, [], [], sorted(changed), False


def self_tests(module: cst.Module, follow: "Follow") -> list[cst.FunctionDef]:
    """The module's functions a user runs by hand to try its models: they take no argument (or only
    defaulted ones), nothing in the file names them (`# test()` left commented out), they return
    nothing (a function that returns its model is a factory), and their body builds or gets a
    value and calls it (`net = ShuffleNetG2(); y = net(torch.randn(1, 3, 32, 32))`),
    so they make their model and its input themselves: running one invents nothing."""
    out = []
    for stmt in uncalled_functions(module):
        if returns_a_value(stmt.body):
            continue  # a factory (`def YoloV3(size=None, classes=80): ... return Model(...)`): made for its result
        if follow.has_call_site(stmt.body) and any(
                isinstance(s, (cst.Assign, cst.AnnAssign)) and isinstance(s.value, cst.Call) for s in small_statements(stmt.body)):
            out.append(stmt)
    return out
