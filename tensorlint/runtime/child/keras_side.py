"""Keras: the forward pass under a GradientTape, probes, fit()/predict() and the compiled loss."""
from __future__ import annotations

import sys

from .common import ANSI, KEEPS_LAYOUT, SPATIAL, same_tf, sample_count, take_samples
from .keras2 import scalar_list
from .layer_lines import keras_lines
from .output_axes import layer_shapes, shapes
from .keras_values import fed_targets, softmax_of_one
from .stubs import StubValueError, describe, reaching, stub_in


class KerasSide:
    # -- keras forward ---------------------------------------------------------------------------

    def take_input_samples(self, model, value, n: int, which: str):
        """The first `n` samples of a model's data: of each array when the model has several
        `which` ("inputs" or "outputs") and gets one per each (`fit([text, question], answers)`,
        `fit({"text": t, "question": q}, ...)`); else of the one array or list."""
        try:
            count = len(getattr(model, which, None) or [])
        except TypeError:
            count = 0
        if isinstance(value, dict) and count > 1:
            return {k: take_samples(v, n) for k, v in value.items()}
        if isinstance(value, (list, tuple)) and count > 1 and len(value) == count \
                and all(hasattr(v, "shape") and len(v.shape) > 0 for v in value):
            return type(value)(take_samples(v, n) for v in value)
        return take_samples(value, n)

    def keras_children(self, layer):
        flatten = getattr(layer, "_flatten_layers", None)
        if flatten is not None:
            return list(flatten(include_self=False, recursive=False))
        return list(getattr(layer, "layers", []))

    def keras_forward(self, record: dict, model, args, kwargs, scope, loss_fn=None, y=None):
        """Forward pass with per-layer recording under an open GradientTape (closed by the loss)."""
        tf = self.tf
        record["device"] = self.tf_device
        record["inputs"] = [self.describe(a) for a in args]
        rows: list[dict] = []
        calls: list[tuple] = []
        wrapped = []

        def wrap(layer, path, depth):
            original = layer.call

            def call(*a, **k):
                row = {"path": path, "type": type(layer).__name__, "depth": depth}
                if a:
                    row["input"] = self.describe(a[0])
                    if not record.get("synthesized_input"):  # a made-up input says nothing of the program's ids
                        self.fractional_ids(row, layer, a[0])
                rows.append(row)
                out = original(*a, **k)
                row["output"] = self.describe(out)
                if a and getattr(layer, "_output_shape", None) is not None:
                    self.declared_output(row, layer, a[0], out)
                row.update(softmax_of_one(self.tf, layer, out))
                calls.append((row, layer, a, k, out))
                return out

            object.__setattr__(layer, "call", call)
            wrapped.append(layer)
            for child in self.keras_children(layer):
                wrap(child, f"{path}.{child.name}", depth + 1)

        wrap(model, record["model"], 0)
        tape = tf.GradientTape(persistent=True)
        out = None
        try:
            with tf.device(self.tf_device):
                tape.__enter__()
                out = model(*args, **kwargs)
            record["status"] = "ok"
            record["output"] = self.describe(out)
        except Exception as exc:  # noqa: BLE001
            tape.__exit__(None, None, None)
            tape = None
            self.forward_failed(record, exc, rows)
        finally:
            for layer in wrapped:
                try:
                    object.__delattr__(layer, "call")
                except AttributeError:
                    pass
        if tape is not None:
            # ops outside the model's forward are not recorded until a loss needs them
            tape._pop_tape() if hasattr(tape, "_pop_tape") else None
            if record.get("outside_tape"):
                # the program's own tapes do not see this forward pass: neither may the check's
                # (its gradients would hide that the program's are all None)
                scope.untaped.add(record["id"])
            else:
                scope.tapes[record["id"]] = tape
        for row in rows:
            layer = next((c[1] for c in calls if c[0] is row), None)
            try:
                row["params"] = int(layer.count_params()) if layer is not None and layer.built else 0
            except Exception:  # noqa: BLE001 - unbuilt layers have no count
                row["params"] = 0
        record["layers"] = rows
        self.forward_leaves[record["id"]] = (layer_shapes(calls, self.keras_children), [shapes(a) for a in args])
        record["probes"] = self.keras_probes(calls)
        self.format_mismatches(calls)
        return out

    def format_mismatches(self, calls) -> None:
        """A layer of one data_format reading what a layer of the other made (a channels_first
        convolution, then a pooling of the default channels_last): it takes another axis for the
        channels, so it pools or slides across channels. Followed through the layers that keep the
        axes as they are (normalization, activation, dropout); any other layer ends what is known."""
        formats: dict[int, dict] = {}  # id of an output -> the format and the layer that set it
        for row, layer, a, k, out in calls:
            if not a:
                continue
            got = formats.get(id(a[0]))
            own = getattr(layer, "data_format", None)
            if own in ("channels_first", "channels_last") and SPATIAL.search(type(layer).__name__):
                try:
                    rank = len(a[0].shape)
                except (AttributeError, TypeError, ValueError):  # no shape, or an unknown rank
                    rank = 0
                if got is not None and got["format"] != own and rank >= 3:
                    row["format_mismatch"] = {"format": own, "other": got["format"], "line": getattr(layer, "_tensorlint_made_at", None),
                                              "by": got["by"], "by_type": got["by_type"], "by_line": got["by_line"]}
                    # it pooled or slid over other axes but kept their order: what reads its output
                    # after it reads the layout of the layer before it
                    formats[id(out)] = got
                    continue
                formats[id(out)] = {"format": own, "by": row["path"], "by_type": row["type"],
                                    "by_line": getattr(layer, "_tensorlint_made_at", None)}
            elif got is not None and type(layer).__name__ in KEEPS_LAYOUT:
                formats[id(out)] = got

    def fractional_ids(self, row: dict, layer, x) -> None:
        """An Embedding given floating-point values that are not whole numbers: Keras casts them
        to ids silently, so features (normalized, scaled) are looked up as truncated token ids."""
        if not type(layer).__name__.endswith("Embedding"):
            return
        tf = self.tf
        try:
            if not tf.as_dtype(getattr(x.dtype, "name", x.dtype)).is_floating or not tf.executing_eagerly():
                return
            values = tf.convert_to_tensor(x)
            if bool(tf.reduce_any(tf.not_equal(values, tf.round(values)))):
                row["fractional_ids"] = {"dtype": str(getattr(x.dtype, "name", x.dtype)),
                                         "line": getattr(layer, "_tensorlint_made_at", None)}
        except Exception:  # noqa: BLE001 - a symbolic input (the model being built): no values to look at
            return

    def declared_output(self, row: dict, layer, x, out) -> None:
        """A layer told its output shape (`Lambda(f, output_shape=g)`) whose function returns
        another: Keras 2 gave the declared shape to every layer, target and check after it."""
        try:
            if not self.tf.executing_eagerly():
                return
            shapes = [tuple(int(d) for d in v.shape) for v in x] if isinstance(x, (list, tuple)) else tuple(int(d) for d in x.shape)
            declared = list(layer.compute_output_shape(shapes))
            actual = [int(d) for d in out.shape]
            if any(isinstance(d, (list, tuple)) for d in declared):
                return  # several outputs
            declared = [None if d is None else int(d) for d in declared]
        except Exception:  # noqa: BLE001 - a declaration the check cannot evaluate says nothing
            return
        if len(declared) != len(actual) or any(d is not None and d != a for d, a in zip(declared, actual)):
            row["declared_output"] = {"declared": declared, "actual": actual,
                                      "line": getattr(layer, "_tensorlint_made_at", None)}

    def keras_probes(self, calls) -> list[dict]:
        tf = self.tf
        probes, seen = [], set()
        for row, layer, a, k, out in calls:
            lines = self.user_code_range(type(layer).call)
            if lines is None or id(layer) in seen or not a:
                continue
            seen.add(id(layer))
            x = a[0]
            probe = {"layer": row["path"], "type": row["type"], "lines": lines}
            try:
                # fresh inputs of the recorded shape: the recorded one may be a symbolic tensor
                # traced while the model was built
                dtype = tf.as_dtype(getattr(x.dtype, "name", x.dtype) if not isinstance(x.dtype, str) else x.dtype)
                if not dtype.is_floating:
                    continue
                shape = [2 if d is None else int(d) for d in x.shape]
                with tf.device(self.tf_device):
                    x1 = tf.random.normal(shape, dtype=dtype)
                    first = layer(x1)
                    second = layer(x1 + tf.random.normal(shape, dtype=dtype) + 1.0)
                probe["unchanged"] = bool(same_tf(tf, first, second))
            except Exception as exc:  # noqa: BLE001
                probe["error"] = f"{type(exc).__name__}: {ANSI.sub('', str(exc))}"[:500]
            probes.append(probe)
        return probes

    def symbolic_build(self, model, inputs, out) -> None:
        """A subclassed model the program built with `build(input_shape)` ran on symbolic inputs of
        those shapes (keras2.subclass_build): a call of the model at that line, on no made-up data."""
        self.called_models.add(id(model))
        name = self.model_name(model) or type(model).__name__
        self.emit("call", id=self.new_id(), kind="forward", line=self.current_line, text=f"{name}.build(...)",
                  model=name, model_type=type(model).__name__, status="ok", method="build", device=self.tf_device,
                  inputs=[self.describe(inputs)], output=self.describe(out), layers=[])

    def keras_method(self, unit: dict, model, scope) -> None:
        """model.fit(x, y) & co.: one forward pass on the first batch, the compiled loss, gradients."""
        site = unit["call"]
        method = site["method"]
        self.called_models.add(id(model))
        record_base = {"line": unit["line"], "text": site["text"], "model": site["func"]["code"], "method": method}
        try:
            input_error = self.not_available([n for e in [*site["args"], *site["kwargs"].values()] for n in e["names"]],
                                             scope)
            if input_error is not None:
                raise LookupError(input_error["message"])
            args = [self.eval_expr(a, scope.ns) for a in site["args"]]
            kwargs = {k: self.eval_expr(e, scope.ns) for k, e in site["kwargs"].items()}
            given = {"inputs": kwargs.get("x", args[0] if args else None), "targets": kwargs.get("y", args[1] if len(args) > 1 else None)}
            x, y = (scalar_list(self, value, unit["line"], what) for what, value in given.items())
            # the lists of numbers Keras 3 refuses, read as Keras 2 read them: the call as written fails here
            listed = [what for what, value, read in zip(given, given.values(), (x, y)) if read is not value]
            targets_fed = fed_targets(model, method, given, unit["line"])
        except Exception as exc:  # noqa: BLE001
            input_error = input_error or self.error_info(exc)
            x = y = None
            kwargs, listed, targets_fed = {}, [], None
        if stub_in([x]) is not None:  # a value of a module the check could not import: run_forward says so
            self.run_forward(dict(unit, call=dict(site, target=None)), model, scope, args=[x])
            return
        y_stub = stub_in([y])
        if y_stub is not None:
            y = None
        if x is not None and ((hasattr(x, "take") and hasattr(x, "element_spec")) or hasattr(x, "__next__")
                              or (hasattr(x, "__getitem__") and hasattr(x, "__len__") and not hasattr(x, "shape")
                                  and not isinstance(x, (list, tuple, dict)))):
            # a tf.data.Dataset, a generator (fit_generator, ImageDataGenerator.flow), a keras Sequence
            batch = next(iter(x)) if not hasattr(x, "__next__") else next(x)
            x, y = (batch[0], batch[1]) if isinstance(batch, (tuple, list)) and len(batch) > 1 else (batch, None)
        elif x is not None:
            size = kwargs.get("batch_size") if method in ("fit", "evaluate", "predict") else None
            size = size or (32 if method in ("fit", "evaluate", "predict") else None)
            if size:
                x = self.take_input_samples(model, x, size, "inputs")
                y = self.take_input_samples(model, y, size, "outputs") if y is not None else None
            if sample_count(x) is not None and y is not None and sample_count(y) is not None \
                    and sample_count(x) != sample_count(y) and method in ("fit", "evaluate"):
                pass  # Keras reports this itself below when it converts the data
        synthesized = None
        if x is None:
            spec, how = self.guess_input(model)
            if spec is None:
                self.emit("call", id=self.new_id(), kind="forward", status="skipped", input_error=input_error,
                          reason="its input could not be built", **record_base)
                return
            x = self.make_input(spec)
            synthesized = f"{list(spec['shape'])} from {how}"
            y = None
        fake_unit = dict(unit, call=dict(site, target=None), python_lists=listed, fed_targets=targets_fed)
        record = self.run_forward(fake_unit, model, scope, synthesized=synthesized, args=[x], input_error=input_error)
        if method == "predict":
            self.bind_predictions(unit, model, scope, record, synthesized)
        if method in ("fit", "train_on_batch", "evaluate", "test_on_batch") and record["status"] == "ok":
            loss_fn = self.keras_compiled_loss(model)
            if loss_fn is None:
                self.emit("call", id=self.new_id(), kind="loss", status="skipped", forward=record["id"],
                          reason="the model has no compiled loss", **record_base)
            else:
                _, out = scope.forward_state[record["id"]]
                loss_record = {"id": self.new_id(), "kind": "loss", "forward": record["id"],
                               "loss_line": getattr(model, "_tensorlint_compiled_at", None), **record_base,
                               "weighted": bool({"sample_weight", "class_weight"} & set(kwargs))}
                if y_stub is not None:  # targets from a module the check could not import
                    self.emit("call", status="error", error=self.error_info(StubValueError(
                        f"the targets are {describe(y_stub)}, which the check cannot import: the loss was not computed")),
                        **loss_record)
                    return
                if y is None:
                    y, how = self.keras_targets(loss_fn, out)
                    if y is None:
                        self.emit("call", status="skipped", reason="no targets", **loss_record)
                        return
                    loss_record["synthesized_input"] = how
                y = self.keras_align(y, out)
                with reaching():
                    self.loss_and_gradients(loss_record, loss_fn, [y, out], {}, 0, scope, record["id"], keras_order=True)

    def keras_targets(self, loss_fn, out):
        """Targets the compiled loss accepts for `out`, when the program's could not be built:
        class ids in range for a sparse loss, one-hot rows for a categorical one, 0/1 for a
        binary one, values of the output's shape otherwise. (targets, how) or (None, None)."""
        tf = self.tf
        try:
            shape = [int(d) for d in out.shape]
        except (TypeError, ValueError):
            return None, None
        name = " ".join(str(x) for x in (getattr(loss_fn, "name", ""), getattr(loss_fn, "__name__", ""),
                                          type(loss_fn).__name__)).lower()
        classes = shape[-1] if shape else 1
        if "sparse" in name:
            y, kind = tf.random.uniform(shape[:-1], 0, classes, dtype=tf.int64), "class ids"
        elif "categorical" in name:
            y, kind = tf.one_hot(tf.random.uniform(shape[:-1], 0, classes, dtype=tf.int64), classes), "one-hot rows"
        elif "binary" in name or "hinge" in name:
            y, kind = tf.cast(tf.random.uniform(shape, 0, 2, dtype=tf.int64), tf.float32), "0/1 labels"
        else:
            y, kind = tf.random.normal(shape), "values"
        return y, f"targets made up for the compiled loss: {kind} of shape {list(y.shape)}"

    def keras_align(self, y, out):
        """Targets brought to the output's rank as Keras's own fit() does (labels [n] against
        outputs [n, 1]), so that only what fit() itself rejects is an error."""
        try:
            from keras.src.losses.loss import squeeze_or_expand_to_same_rank
        except ImportError:
            return y
        try:
            aligned, _ = squeeze_or_expand_to_same_rank(self.tf.convert_to_tensor(y), out)
            return aligned
        except Exception:  # noqa: BLE001 - the loss itself will say what is wrong
            return y

    def keras_compiled_loss(self, model):
        loss = getattr(model, "loss", None)
        if loss is None:
            return None
        if isinstance(loss, (list, tuple, dict)):
            return None
        fn = self.keras.losses.get(loss) if isinstance(loss, str) else loss
        try:
            from keras.src.losses.losses import LossFunctionWrapper
        except ImportError:  # Keras 2: its fit() calls the function as it is
            return fn
        if callable(fn) and not isinstance(fn, self.keras.losses.Loss):
            # as fit() does: Keras 3's compile wraps a loss function, which then gets its targets
            # as floats, brought to the output's rank, and its per-sample values averaged
            fn = LossFunctionWrapper(fn, name=loss if isinstance(loss, str) else getattr(fn, "__name__", None))
        return fn


    def keras_gradients(self, model, loss, tape) -> dict:
        tf = self.tf
        variables = list(model.trainable_variables)
        facts = {"parameters": len(variables)}
        try:
            grads = tape.gradient(loss, variables)
        except Exception as exc:  # noqa: BLE001
            facts["backward_error"] = self.error_info(exc)
            return facts
        names = [getattr(v, "path", None) or v.name for v in variables]
        facts["no_grad"] = [n for n, g in zip(names, grads) if g is None]
        facts["nonfinite"] = [n for n, g in zip(names, grads)
                              if g is not None and not bool(tf.reduce_all(tf.math.is_finite(tf.convert_to_tensor(g))))]
        facts["zero"] = [n for n, g in zip(names, grads)
                         if g is not None and not bool(tf.reduce_any(tf.not_equal(tf.convert_to_tensor(g), 0)))]
        made_at = keras_lines(self.keras_children, model, variables, names, facts["no_grad"] + facts["zero"])
        if made_at:
            facts["made_at"] = made_at
        return facts

    def never_called(self, model) -> list[dict]:
        """Layers of the model that make weights when first called (their class has its own
        build) and that no call has built: the forward pass never used them, so they have no
        weights and do not train (Keras makes a layer's weights on its first call)."""
        base = self.keras.layers.Layer.build
        out: list[dict] = []

        def walk(layer, depth):
            for child in self.keras_children(layer):
                if depth > 8:
                    return
                if not getattr(child, "built", True) and type(child).build is not base:
                    out.append({"name": child.name, "type": type(child).__name__,
                                "line": getattr(child, "_tensorlint_made_at", None)})
                else:
                    walk(child, depth + 1)

        try:
            walk(model, 0)
        except Exception:  # noqa: BLE001 - a model whose layers cannot be listed says nothing here
            return []
        return out

    def unread_layers(self, model) -> list[dict]:
        """The ends of branches of a functional model's graph that nothing reads: layers with
        weights, made by the program and called on tensors that come from the model's inputs,
        whose outputs reach neither the model's outputs nor those of any other model the run made
        (a head built and then bypassed). Their weights get no gradient from any loss. Each end is
        given with the lines of the layers with weights that feed only it."""
        try:
            from keras.src.models.functional import Functional
        except Exception:  # noqa: BLE001 - a Keras without functional models
            return []
        if not isinstance(model, Functional):
            return []
        try:
            return self.branches_unread(model)
        except Exception:  # noqa: BLE001 - a graph that cannot be walked says nothing here
            return []

    def branches_unread(self, model) -> list[dict]:
        made = [layer for layer in self.keras_layers_made if layer is not None]
        held = {id(part) for m in made if isinstance(m, self.keras.Model)
                for part in m._flatten_layers(include_self=True, recursive=True)}
        sources = {id(t) for t in model.inputs}
        seen: dict[int, bool] = {}

        def from_inputs(tensor, depth=0) -> bool:
            key = id(tensor)
            if key in sources:
                return True
            if key in seen or depth > 500:
                return seen.get(key, False)
            seen[key] = False
            history = getattr(tensor, "_keras_history", None)
            if history is None:
                return False
            nodes = getattr(history.operation, "_inbound_nodes", None) or []
            node = nodes[history.node_index] if history.node_index < len(nodes) else None
            seen[key] = node is not None and any(from_inputs(t, depth + 1) for t in node.input_tensors)
            return seen[key]

        loose = [layer for layer in made if id(layer) not in held and getattr(layer, "trainable_weights", None)
                 and any(from_inputs(t) for node in getattr(layer, "_inbound_nodes", []) for t in node.input_tensors)]
        if not loose:
            return []
        ids = {id(layer) for layer in loose}

        def feeds(layer) -> set[int]:
            """The loose layers whose inputs come from `layer`'s outputs, directly or through layers without weights."""
            out: set[int] = set()
            for node in getattr(layer, "_outbound_nodes", []) or []:
                op = getattr(node, "operation", None)
                if op is None:
                    continue
                if id(op) in ids:
                    out.add(id(op))
                elif not getattr(op, "trainable_weights", None) and id(op) not in held:
                    out |= feeds(op)
            return out

        fed = {id(layer): feeds(layer) for layer in loose}
        for _ in loose:  # what each feeds through the others
            for key, targets in fed.items():
                fed[key] = targets.union(*(fed[t] for t in targets))
        ends = [layer for layer in loose if not fed[id(layer)]]
        out = []
        for end in ends:
            before = sorted({getattr(layer, "_tensorlint_made_at", None) or 0 for layer in loose
                             if layer is not end and id(end) in fed[id(layer)]} - {0, getattr(end, "_tensorlint_made_at", 0)})
            out.append({"name": end.name, "type": type(end).__name__, "line": getattr(end, "_tensorlint_made_at", None),
                        "before": before, "model_line": getattr(model, "_tensorlint_made_at", None)})
        return out

    def remember_compile_lines(self) -> None:
        """Each Keras model remembers the line of the program that compiled it: a compiled loss
        that fails, or is given the wrong targets, is reported there too."""
        model_class = self.keras.Model
        original = model_class.compile
        if getattr(original, "_tensorlint", False):
            return
        path = self.path

        def compile(model, *args, **kwargs):
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename != path:
                frame = frame.f_back
            if frame is not None:
                try:
                    object.__setattr__(model, "_tensorlint_compiled_at", frame.f_lineno)
                except Exception:  # noqa: BLE001
                    pass
            return original(model, *args, **kwargs)

        compile._tensorlint = True
        model_class.compile = compile
        layer_class = self.keras.layers.Layer
        made = self.keras_layers_made
        original_init = layer_class.__init__
        if getattr(original_init, "_tensorlint", False):
            return

        def init(layer, *args, **kwargs):
            original_init(layer, *args, **kwargs)
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename != path:
                frame = frame.f_back
            if frame is not None and getattr(layer, "_tensorlint_made_at", None) is None:
                try:  # the line that made each layer: a fact about a layer is shown there
                    object.__setattr__(layer, "_tensorlint_made_at", frame.f_lineno)
                except Exception:  # noqa: BLE001
                    pass
                made.append(layer)

        init._tensorlint = True
        layer_class.__init__ = init
