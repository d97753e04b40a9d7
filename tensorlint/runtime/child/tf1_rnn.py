"""The TF1 recurrent cells (`tf.contrib.rnn.*`, `tf.nn.rnn_cell.*`) for graph programs under
TensorFlow 2, where both paths are gone or need Keras 2: the same weights and equations as
TensorFlow 1.x's `rnn_cell_impl`, built on `get_variable`, so `tf.nn.dynamic_rnn` /
`static_rnn` run them and wrong sizes fail where they failed then.

Like TensorFlow 1.2 and later (cells were layers), a cell makes its weights on its first call and
reuses them on every later call: one cell object stacked twice in a `MultiRNNCell` meets inputs
of another width on its second use and fails, as it did.
"""
from __future__ import annotations

import collections
import types

LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))


def rnn_namespace(tf, variable) -> types.SimpleNamespace:
    """`tf.contrib.rnn` for TensorFlow `tf`; `variable(name, shape, initializer=...)` makes a weight."""
    v1 = tf.compat.v1

    class Cell:
        default_name = "rnn_cell"

        def __init__(self, num_units=None, activation=None, reuse=None, name=None, dtype=None, **_):
            self.num_units, self.activation = num_units, activation or tf.tanh
            self.name = name
            self.weights: dict | None = None

        @property
        def state_size(self):
            return self.num_units

        @property
        def output_size(self):
            return self.num_units

        def zero_state(self, batch_size, dtype):
            return _zeros(self.state_size, batch_size, dtype)

        def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
            return self.zero_state(batch_size, dtype)

        def __call__(self, inputs, state, scope=None):
            if self.weights is None:
                width = int(inputs.shape[-1])
                with v1.variable_scope(scope, default_name=self.name or self.default_name):
                    self.weights = self.make(width)
            return self.step(inputs, state)

        def weight(self, name, shape, initializer=None):
            return variable(name, shape, initializer=initializer)

    class BasicRNNCell(Cell):
        default_name = "basic_rnn_cell"

        def make(self, width):
            return {"kernel": self.weight("kernel", [width + self.num_units, self.num_units]),
                    "bias": self.weight("bias", [self.num_units], v1.zeros_initializer())}

        def step(self, x, h):
            out = self.activation(tf.matmul(tf.concat([x, h], 1), self.weights["kernel"]) + self.weights["bias"])
            return out, out

    class GRUCell(Cell):
        default_name = "gru_cell"

        def make(self, width):
            n = self.num_units
            return {"gates/kernel": self.weight("gates/kernel", [width + n, 2 * n]),
                    "gates/bias": self.weight("gates/bias", [2 * n], v1.constant_initializer(1.0)),
                    "candidate/kernel": self.weight("candidate/kernel", [width + n, n]),
                    "candidate/bias": self.weight("candidate/bias", [n], v1.zeros_initializer())}

        def step(self, x, h):
            w = self.weights
            gates = tf.sigmoid(tf.matmul(tf.concat([x, h], 1), w["gates/kernel"]) + w["gates/bias"])
            r, u = tf.split(gates, 2, axis=1)
            c = self.activation(tf.matmul(tf.concat([x, r * h], 1), w["candidate/kernel"]) + w["candidate/bias"])
            new_h = u * h + (1 - u) * c
            return new_h, new_h

    class LSTMCell(Cell):
        default_name = "lstm_cell"

        def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None,
                     proj_clip=None, num_unit_shards=None, num_proj_shards=None, forget_bias=1.0,
                     state_is_tuple=True, activation=None, reuse=None, name=None, dtype=None, **_):
            super().__init__(num_units, activation, name=name)
            self.peepholes, self.cell_clip, self.initializer = use_peepholes, cell_clip, initializer
            self.num_proj, self.proj_clip = num_proj, proj_clip
            self.forget_bias, self.tuple_state = forget_bias, state_is_tuple

        @property
        def state_size(self):
            h = self.num_proj or self.num_units
            return LSTMStateTuple(self.num_units, h) if self.tuple_state else self.num_units + h

        @property
        def output_size(self):
            return self.num_proj or self.num_units

        def make(self, width):
            n, h = self.num_units, self.num_proj or self.num_units
            w = {"kernel": self.weight("kernel", [width + h, 4 * n], self.initializer),
                 "bias": self.weight("bias", [4 * n], v1.zeros_initializer())}
            if self.peepholes:
                for part in ("w_f_diag", "w_i_diag", "w_o_diag"):
                    w[part] = self.weight(part, [n], self.initializer)
            if self.num_proj:
                w["projection/kernel"] = self.weight("projection/kernel", [n, self.num_proj], self.initializer)
            return w

        def step(self, x, state):
            w, act = self.weights, self.activation
            if self.tuple_state:
                c, h = state
            else:
                c, h = tf.split(state, [self.num_units, self.num_proj or self.num_units], axis=1)
            i, j, f, o = tf.split(tf.matmul(tf.concat([x, h], 1), w["kernel"]) + w["bias"], 4, axis=1)
            if self.peepholes:
                f, i = f + w["w_f_diag"] * c, i + w["w_i_diag"] * c
            new_c = tf.sigmoid(f + self.forget_bias) * c + tf.sigmoid(i) * act(j)
            if self.cell_clip is not None:
                new_c = tf.clip_by_value(new_c, -self.cell_clip, self.cell_clip)
            if self.peepholes:
                o = o + w["w_o_diag"] * new_c
            new_h = tf.sigmoid(o) * act(new_c)
            if self.num_proj:
                new_h = tf.matmul(new_h, w["projection/kernel"])
                if self.proj_clip is not None:
                    new_h = tf.clip_by_value(new_h, -self.proj_clip, self.proj_clip)
            new_state = LSTMStateTuple(new_c, new_h) if self.tuple_state else tf.concat([new_c, new_h], 1)
            return new_h, new_state

    class BasicLSTMCell(LSTMCell):
        default_name = "basic_lstm_cell"

        def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None,
                     name=None, dtype=None, **_):
            super().__init__(num_units, forget_bias=forget_bias, state_is_tuple=state_is_tuple,
                             activation=activation, name=name)

    class DropoutWrapper:
        def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                     variational_recurrent=False, input_size=None, dtype=None, seed=None, **_):
            self.cell = cell
            self.keep = (input_keep_prob, output_keep_prob, state_keep_prob)

        state_size = property(lambda self: self.cell.state_size)
        output_size = property(lambda self: self.cell.output_size)

        def zero_state(self, batch_size, dtype):
            return self.cell.zero_state(batch_size, dtype)

        def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
            return self.zero_state(batch_size, dtype)

        def __call__(self, inputs, state, scope=None):
            keep_in, keep_out, keep_state = self.keep
            out, new_state = self.cell(_drop(tf, inputs, keep_in), state, scope)
            new_state = tf.nest.map_structure(lambda s: _drop(tf, s, keep_state), new_state)
            return _drop(tf, out, keep_out), new_state

    class MultiRNNCell:
        def __init__(self, cells, state_is_tuple=True):
            if not cells:
                raise ValueError("Must specify at least one cell for MultiRNNCell.")
            self.cells, self.tuple_state = list(cells), state_is_tuple

        @property
        def state_size(self):
            return tuple(c.state_size for c in self.cells)

        @property
        def output_size(self):
            return self.cells[-1].output_size

        def zero_state(self, batch_size, dtype):
            return tuple(c.zero_state(batch_size, dtype) for c in self.cells)

        def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
            return self.zero_state(batch_size, dtype)

        def __call__(self, inputs, state, scope=None):
            out, new_states = inputs, []
            with v1.variable_scope(scope, default_name="multi_rnn_cell"):
                for k, (cell, s) in enumerate(zip(self.cells, state)):
                    with v1.variable_scope(f"cell_{k}"):
                        out, s = cell(out, s)
                    new_states.append(s)
            return out, tuple(new_states)

    return types.SimpleNamespace(
        RNNCell=Cell, BasicRNNCell=BasicRNNCell, GRUCell=GRUCell, LSTMCell=LSTMCell, BasicLSTMCell=BasicLSTMCell,
        LSTMStateTuple=LSTMStateTuple, DropoutWrapper=DropoutWrapper, MultiRNNCell=MultiRNNCell,
        static_rnn=v1.nn.static_rnn, static_bidirectional_rnn=v1.nn.static_bidirectional_rnn,
    )


def _zeros(size, batch_size, dtype):
    import tensorflow as tf

    if isinstance(size, tuple):
        return type(size)(*(_zeros(s, batch_size, dtype) for s in size)) if hasattr(size, "_fields") \
            else tuple(_zeros(s, batch_size, dtype) for s in size)
    return tf.zeros(tf.stack([batch_size, size]), dtype=dtype)


def _drop(tf, x, keep):
    if isinstance(keep, (int, float)) and float(keep) >= 1.0:
        return x
    return tf.nn.dropout(x, rate=1 - keep)
