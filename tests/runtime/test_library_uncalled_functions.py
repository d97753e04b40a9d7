"""Functions of a library file that nothing in the file calls, run on made-up arguments to reach a
line whose static finding raises whatever the values (runtime/probes.py, child/probe_calls.py): a
shape method subscripted or measured without being called (TL108), an integer tensor the
function makes asked for gradients (TL103). The error is the program's only where that line
raised it itself; what else the run does on the check's arguments is not, and a function without
such a line is not run at all."""
from __future__ import annotations

from tensorlint.engine import analyze
from tensorlint.runtime.probes import probes

# a TF1 attention block whose unit count falls back to the queries' width; {width} is how it reads it
TF1_ATTENTION = """\
import tensorflow as tf


def attention(queries, keys, num_units=None, scope="attention"):
    with tf.variable_scope(scope):
        if num_units is None:
            num_units = {width}
        q = tf.layers.dense(queries, num_units)
        k = tf.layers.dense(keys, num_units)
        return tf.matmul(q, k, transpose_b=True)
"""

# a trainer whose constructor needs no argument and whose step is never called; {rank} is how it
# reads the rank of its condition
TRAINER = """\
import tensorflow as tf


class Trainer:
    def __init__(self, channels=None):
        self.channels = channels
        self.dense = tf.keras.layers.Dense(4)

    def step(self, condition):
        if self.channels is None:
            rank = {rank}
            return self.dense(tf.reshape(condition, [-1, condition.shape[rank - 1]]))
        return self.dense(condition)
"""

# a PyTorch helper that makes its time steps with an integer dtype and asks for their gradients;
# {dtype} is the dtype it writes
TORCH_SCHEDULE = """\
import torch


def time_weights(x, steps=4):
    t = torch.zeros(steps, dtype={dtype}, requires_grad=True)
    return x.sum(-1, keepdim=True) * t
"""


def errors(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if d.severity == "error"}


def verdict(report, code: str) -> str:
    return next(v.verdict for v in report.findings if v.code == code)


def probed(text: str) -> list[dict]:
    return probes(text, analyze(text, "lib.py").findings)


def attention_after(statement: str) -> str:
    """The failing attention block with `statement` run first, before its line."""
    return TF1_ATTENTION.format(width="queries.get_shape().as_list[-1]").replace(
        "    with tf.variable_scope(scope):\n", f"    {statement}\n    with tf.variable_scope(scope):\n")


def fails_at(report, line: int, words: str, code: str) -> dict[int, str]:
    """The program's error at `line`, saying `words`, confirming the finding `code`."""
    assert report.status == "errors", report.message
    found = errors(report)
    assert line in found and words in found[line], report.diagnostics()
    assert verdict(report, code) == "confirmed"
    return found


def not_blamed(report, said: str) -> None:
    assert not errors(report), report.diagnostics()
    assert report.status == "could-not-check", report.message
    assert said in report.message, report.message


def test_a_tf1_function_that_subscripts_the_method_fails_at_that_line(tf_python, text_check):
    report = text_check(TF1_ATTENTION.format(width="queries.get_shape().as_list[-1]"))
    fails_at(report, 7, "'method' object is not subscriptable", "TL108")
    assert any("`attention` (line 4), which nothing in the file calls, was called with made-up arguments" in n
               and "does not depend on the arguments the check made up" in n for n in report.notes), report.notes


def test_the_same_function_calling_the_method_is_not_run(tf_python, text_check):
    report = text_check(TF1_ATTENTION.format(width="queries.get_shape().as_list()[-1]"))
    assert report.status == "could-not-check", report.message
    assert not errors(report) and not report.calls, report.diagnostics()


def test_a_trainer_method_that_measures_the_method_fails_at_that_line(tf_python, text_check):
    report = text_check(TRAINER.format(rank="len(condition.get_shape)"))
    fails_at(report, 11, "object of type 'method' has no len()", "TL108")
    assert any("`Trainer.step` (line 9)" in n for n in report.notes), report.notes


def test_the_trainer_calling_the_method_is_not_run(tf_python, text_check):
    report = text_check(TRAINER.format(rank="len(condition.get_shape())"))
    assert not errors(report), report.diagnostics()
    assert report.status == "could-not-check", report.message


def test_a_torch_function_asking_gradients_of_integers_fails_at_that_line(torch_python, text_check):
    found = fails_at(text_check(TORCH_SCHEDULE.format(dtype="torch.long")), 5, "can require gradients", "TL103")
    assert set(found) <= {4, 5}, found


def test_the_same_torch_function_with_floats_is_not_run(torch_python, text_check):
    report = text_check(TORCH_SCHEDULE.format(dtype="torch.float32"))
    assert not errors(report), report.diagnostics()
    assert report.status == "could-not-check", report.message
    assert not any(c.get("probe") for c in report.calls), report.calls


def test_an_error_of_the_made_up_arguments_before_the_line_is_not_the_programs(tf_python, text_check):
    # the made-up queries [2, 8, 24] do not reshape to [5, 7]: the run stops before the finding's line
    report = text_check(attention_after("queries = tf.reshape(queries, [5, 7])"))
    not_blamed(report, "called on arguments the check made up")
    assert "depends on those arguments" in report.message, report.message
    assert verdict(report, "TL108") == "not exercised"


def test_which_functions_are_probed():
    bug = TF1_ATTENTION.format(width="queries.get_shape().as_list[-1]")
    assert [(p["name"], p["params"], p["lines"], p["code"]) for p in probed(bug)] == \
        [("attention", ["queries", "keys"], [7], "TL108")]
    # a caller in the file (or the function passed on) gives its arguments: not probed
    assert probed(bug + "\n\nout = attention(tf.zeros([2, 3, 4]), tf.zeros([2, 5, 4]))\n") == []
    assert probed(bug + "\n\nblocks = [attention]\n") == []
    # decorated: what runs is not the body as written
    assert probed(bug.replace("def attention", "@tf.function\ndef attention")) == []
    # a finding inside a function the function defines is not reached by calling it
    inner = "import tensorflow as tf\n\n\ndef outer(x):\n    def inner(y):\n        return y.get_shape().as_list[-1]\n" \
            "    return x\n"
    assert probed(inner) == []
    # a method of a class whose constructor needs an argument: the instance would be made up
    trainer = TRAINER.format(rank="len(condition.get_shape)")
    assert [p["name"] for p in probed(trainer)] == ["Trainer.step"]
    assert probed(trainer.replace("def __init__(self, channels=None)", "def __init__(self, channels)")) == []


def test_a_probed_function_that_does_not_return_is_stopped(tf_python, text_check):
    # it waits before its line for what the made-up arguments never give: stopped, not blamed
    not_blamed(text_check(attention_after("while queries is not None:\n        pass")), "did not return within 20 s")


# a helper of the file called with one argument more than it takes; {call} is the call
ARITY = """\
import torch


def scale(x, factor):
    return x * factor


def normalize(x):
    y = {call}
    return y / y.sum()
"""


def test_a_call_with_an_argument_too_many_fails_at_its_line(torch_python, text_check):
    fails_at(text_check(ARITY.format(call="scale(x, 2.0, 3.0)")), 9, "scale() takes 2 positional arguments but 3 were given",
             "TL443")


def test_the_same_call_with_its_arguments_is_not_run(torch_python, text_check):
    report = text_check(ARITY.format(call="scale(x, 2.0)"))
    assert not errors(report), report.diagnostics()
    assert not any(c.get("probe") for c in report.calls), report.calls


def test_a_type_error_of_the_made_up_value_on_that_line_is_not_the_programs(torch_python, text_check):
    # the same line also gives the made-up tensor to an op that refuses it before the call raises
    report = text_check(ARITY.format(call="scale(torch.cat(x, 'a'), 2.0, 3.0)"))
    assert not errors(report), report.diagnostics()
    assert report.status == "could-not-check", report.message
