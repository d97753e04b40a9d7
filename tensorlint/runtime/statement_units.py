"""How the slicer reads one statement (see slicer.py): whether a call is a call site the driver
replays (a model's forward pass, a loss, a Keras fit/predict/evaluate), the unit of a small
statement, the names a statement binds and changes, and whether a value builds a model."""
from __future__ import annotations

import libcst as cst

from .units import CallSite, Unit
from .syntax import Bindings, alias_name, dotted_name, loops_in, small_statements, names_read, root_name, target_names
from .callnames import LOSS_NAME, MODEL_FACTORY, MODEL_METHODS, STATE_MODULES


class StatementUnits:
    """The slicer's reading of single statements; mixed into the slicer, whose positions, source
    text and bindings (`source`, `expr`, `callable_values`, `modules`...) it uses."""

    # -- classification ------------------------------------------------------------------------

    def call_site(self, call: cst.Call, target: cst.BaseExpression | None) -> CallSite | None:
        func = call.func
        method = via = None
        if isinstance(func, cst.Attribute) and func.attr.value == "run" and self.tf1:
            method = "run"  # sess.run(train_op, feed_dict=...): the training step of a TF1 graph
            callee = func.value
        elif (via := self.forward_method(func)) is not None:
            callee = func.value  # `model.pi(state)` of a module the program runs only by its methods
        elif isinstance(func, cst.Attribute) and func.attr.value in MODEL_METHODS:
            method = func.attr.value
            callee = func.value
        elif isinstance(func, cst.Attribute) and func.attr.value == "build" and isinstance(func.value, cst.Name) \
                and func.value.value in self.callable_values:
            method = "build"  # model.build(input_shape): Keras 2 ran a subclassed model's call there
            callee = func.value
        elif isinstance(func, cst.Name) and func.value in self.callable_values:
            callee = func
        elif isinstance(func, cst.Call):
            callee = func  # e.g. nn.MSELoss()(output, target)
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in self.receivers:
            callee = func  # self.model(x), self.criterion(out, y) in a method followed (Follow.inline)
        elif isinstance(func, cst.Attribute) and LOSS_NAME.search(func.attr.value):
            callee = func  # e.g. F.cross_entropy(out, y), keras.losses.mean_squared_error(y, p)
        else:
            return None
        if not call.args:
            return None
        args, kwargs = [], {}
        for arg in call.args:
            if arg.star:
                return None
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = self.expr(arg.value)
            else:
                args.append(self.expr(arg.value))
        target_code = self.source(target)[2] if target is not None else None
        return CallSite(
            func=self.expr(callee),
            method=method,
            args=args,
            kwargs=kwargs,
            target=target_code,
            text=self.source(call)[2], forward_method=via,
        )

    def small(self, stmt: cst.BaseSmallStatement) -> Unit | None:
        """A unit for one small statement, or None when it is never replayed."""
        line, end, code = self.source(stmt)
        if isinstance(stmt, (cst.Import, cst.ImportFrom)):
            binds = []
            if isinstance(stmt, cst.ImportFrom) and isinstance(stmt.names, cst.ImportStar):
                binds = ["*"]
            else:
                binds = [alias_name(a) for a in stmt.names]
            return Unit("exec", line, end, code, binds=binds)
        value, target = None, None
        if isinstance(stmt, cst.Assign):
            value = stmt.value
            target = stmt.targets[0].target if len(stmt.targets) == 1 else None
        elif isinstance(stmt, (cst.AnnAssign, cst.AugAssign)):
            value, target = stmt.value, stmt.target
        elif isinstance(stmt, cst.Expr):
            value = stmt.value
        else:
            return None
        # `loss += criterion(model(x), y)` is no call of its own: its calls are lifted out of it (below)
        if isinstance(value, cst.Call) and not isinstance(stmt, cst.AugAssign):
            site = self.call_site(value, target if not isinstance(stmt, cst.Expr) else None)
            if site is not None:
                site.outside_tape = self.uses_tape and id(stmt) not in self.under_tape
                unit = Unit("call", line, end, code, binds=self.bound_by(stmt)[0], call=site)
                if self.differentiated is not None and unit.binds:
                    site.differentiated = bool(set(unit.binds) & self.differentiated)
                site.summed = bool(set(unit.binds) & self.summed)
                self.lift_calls(stmt, unit, [a.value for a in value.args])  # criterion(model(x), y)
                return unit
        if isinstance(stmt, cst.Expr) and not isinstance(value, cst.Call):
            return None  # docstrings, bare names
        unit = Unit("exec", line, end, code, binds=self.bound_by(stmt)[0])
        chained = value
        while isinstance(chained, (cst.Attribute, cst.Subscript)) or (
                isinstance(chained, cst.Call) and isinstance(chained.func, cst.Attribute)):
            chained = chained.func.value if isinstance(chained, cst.Call) else chained.value
        if chained is not value and isinstance(chained, cst.Call) and self.reaches_model(chained):
            self.lift_calls(stmt, unit, [chained])  # model(x).squeeze(1), model(x)[0]
        elif isinstance(stmt, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and value is not None:
            # `loss = tf.reduce_mean(tf.square(model(x) - y))`: a model called inside an expression
            # runs as a call of its own, as it would when the statement runs (not where it runs only
            # on a condition: `model(x) if ready else x`)
            self.lift_calls(stmt, unit, [value])
        return unit

    def bound_by(self, stmt: cst.CSTNode) -> tuple[list[str], list[str]]:
        bound, modified = [], []
        if isinstance(stmt, cst.Assign):
            for t in stmt.targets:
                b, m = target_names(t.target)
                bound += b
                modified += m
        elif isinstance(stmt, cst.AnnAssign):
            bound, modified = target_names(stmt.target)
        elif isinstance(stmt, cst.AugAssign):
            b, m = target_names(stmt.target)
            modified = b + m
        elif isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
            root = root_name(stmt.value.func)
            # `os.fork()`, `shutil.rmtree(d)`: a module's function changes nothing the file binds
            if root in self.modules and self.modules[root].split(".")[0] not in STATE_MODULES:
                root = None
            modified = [root] if root else []
            for arg in stmt.value.args:
                r = root_name(arg.value)
                if r:
                    modified.append(r)
        return bound, modified

    def builds_model(self, value) -> bool:
        """`Net()`, `nn.Sequential(...)`, `torchvision.models.resnet18()`, `keras.Model(...)`, and
        the same moved or converted: `Net().to(device)`, `Net().cuda().double()`."""
        if not isinstance(value, cst.Call):
            return False
        while isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.Call):
            value = value.func.value
        dotted = dotted_name(value.func)
        last = dotted.rsplit(".", 1)[-1]
        if isinstance(value.func, cst.Name) and value.func.value in self.classes:
            return True
        return last in ("Sequential", "Model", "Functional") or bool(MODEL_FACTORY.search(dotted))

    def changed_by(self, stmt: cst.For | cst.While) -> list[str]:
        """Names a loop may bind or change: its targets, the receivers and arguments of the calls
        it makes on their own lines, and (for `for`) what it iterates over, whose items it may
        change (`for p in model.parameters(): p.requires_grad = False`)."""
        b = Bindings()
        stmt.visit(b)
        changed = set(b.assigned)
        modified: set[str] = set()
        for small in small_statements(stmt.body):
            bound, mod = self.bound_by(small)
            changed.update(bound)
            modified.update(mod)
        changed |= modified
        for node in [stmt, *loops_in(stmt)]:
            if isinstance(node, cst.For) and set(target_names(node.target)[0]) & modified:
                changed.update(names_read(node.iter))
        return sorted(changed - self.files.paths_written(stmt))  # `torch.save(sd, PATH)` leaves PATH as it was

    def has_call_site(self, node: cst.CSTNode) -> bool:
        found = []
        outer = self

        class V(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                if outer.call_site(call, None) is not None:
                    found.append(call)

            def visit_FunctionDef(self, n) -> bool:
                return False

            def visit_ClassDef(self, n) -> bool:
                return False

        node.visit(V())
        return bool(found)
