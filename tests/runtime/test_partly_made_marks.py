"""What the replay marks "partly made", and what an error on such a value excuses.

A loop the check runs once (or a statement it leaves out) leaves what it changes partly made, and
an error on a partly made value is not the program's. The marks must follow what the program
reads, neither more nor less:
- a statement that binds a name without reading it (`q = tf.reduce_sum(...)`) takes nothing from
  the value the name held before (a Q-table an earlier loop filled): an error on the new value is
  the program's;
- a library's module (`np`, whose random state a loop advances) is never partly made, so a
  function defined after such a loop that calls `np.max` is not excused for it;
- an error raised inside the program's own function is excused by the marks of the globals that
  function reads when it runs (`sample(8)` on a replay memory the check's pass left empty), and a
  loop whose pass failed to change a global in place (`memory.append(...)` in a function it
  follows) leaves that global not made;
- a function of the program handed on without being called (`Thread(target=collect)`,
  `observers=[save_frame]`, a lambda that calls it) changes its globals when code the check does
  not run calls it: after that statement they are partly made.
"""
from __future__ import annotations

import libcst as cst
import pytest

from tensorlint.runtime.callbacks import globals_changed_by_definitions, handed_on
from tensorlint.runtime.slicer import slice_source


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error"]


def assert_blamed(report, line):
    assert report.status == "errors", report.message
    assert [d.line for d in errors(report)] == [line], report.message


def assert_not_blamed(report):
    assert not errors(report), report.message


# -- a name bound without being read --------------------------------------------------------------

TORCH_REBOUND = """\
import torch
from torch import nn

model = nn.Linear(4, 2)
scores = torch.zeros(2)
for step in range(100):
    out = model(torch.randn(1, 4))
    scores += out.sum(0)
scores = torch.relu(model(torch.randn(5, 4)))
total = scores @ torch.ones({width}, 4)
y = model(total)
"""

KERAS_REBOUND = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.layers.Input(shape=(4,)), keras.layers.Dense(2)])
q_values = np.zeros((3, 2), dtype=np.float32)
for step in range(100):
    q = model(np.random.rand(1, 4).astype(np.float32))
    q_values[step % 3] += q.numpy()[0]
mask = tf.one_hot([0, 1, 1, 0, 1], 2)
with tf.GradientTape() as tape:
    q_values = tf.reduce_sum(model(np.random.rand(5, 4).astype(np.float32)) * mask, axis=1, keepdims=True)
    total = tf.matmul(tf.tile(q_values, [1, 2]), tf.ones(({width}, 4)))
    out = model(total)
"""

TUPLE_REBOUND = """\
import numpy as np
import torch
from torch import nn

model = nn.Linear(4, 2)
rewards = []
for episode in range(50):
    out = model(torch.randn(1, 4))
    rewards.append(float(out.sum()))
batch = (torch.randn(6, 4), torch.randn(6, 2))
states, rewards = batch
total = (model(states) + rewards) @ torch.ones({width}, 4)
y = model(total)
"""


@pytest.mark.parametrize("program,fixture,line", [
    (TORCH_REBOUND, "torch_python", 10),
    (KERAS_REBOUND, "tf_python", 13),
    (TUPLE_REBOUND, "torch_python", 12),
])
def test_a_name_bound_without_being_read_is_the_programs(request, text_check, program, fixture, line):
    python = request.getfixturevalue(fixture)
    assert_blamed(text_check(program.format(width=3), python=python), line)
    assert_not_blamed(text_check(program.format(width=2), python=python))


READS_ITS_PARTLY_MADE_VALUE = """\
import numpy as np
import torch
from torch import nn

model = nn.Linear(4, 2)
rewards = []
for episode in range(50):
    out = model(torch.randn(1, 4))
    rewards.append(float(out.sum()))
rewards = np.array(rewards).reshape(10, 5)
y = model(torch.randn(int(rewards.shape[1]) - 1, 4))
"""


def test_a_name_that_reads_its_partly_made_value_stays_excused(torch_python, text_check):
    # the one pass the check runs appends one reward, not fifty: the reshape fails on that
    report = text_check(READS_ITS_PARTLY_MADE_VALUE)
    assert_not_blamed(report)
    assert report.status != "ok", report.message


# -- a library's module is never partly made ------------------------------------------------------

MODULE_AFTER_LOOP = """\
import numpy as np
import torch
from torch import nn

model = nn.Linear(4, 2)
order = np.arange(100)
for epoch in range(20):
    np.random.shuffle(order)
    out = model(torch.randn(1, 4))


def features(n):
    return torch.from_numpy(np.ones((n, 2), dtype=np.float32))


total = features(5) @ torch.ones({width}, 4)
y = model(total)
"""


def test_a_function_reading_a_module_a_loop_used_is_the_programs(torch_python, text_check):
    assert_blamed(text_check(MODULE_AFTER_LOOP.format(width=3)), 16)
    assert_not_blamed(text_check(MODULE_AFTER_LOOP.format(width=2)))


# -- globals a function reads when it runs; a global a loop's pass failed to change ---------------

EMPTY_MEMORY = """\
import numpy as np
import torch
from torch import nn

model = nn.Linear(4, 2)
memory = []
episodes = np.load("episodes.npy")


def act(state):
    q = model(state)
    memory.append((episodes[0], q.detach()))
    return q


def sample(n):
    idx = np.random.randint(len(memory), size=n)
    return [memory[i] for i in idx]


for step in range(100):
    q = act(torch.randn(1, 4))
batch = sample(8)
out = model(torch.cat([q for s, q in batch]))
"""


def test_an_error_inside_a_function_on_a_memory_the_check_left_empty_is_not_blamed(torch_python, text_check):
    report = text_check(EMPTY_MEMORY)
    assert_not_blamed(report)


FILLED_MEMORY = """\
import numpy as np
import torch
from torch import nn

model = nn.Linear(4, 2)
memory = []


def act(state):
    q = model(state)
    memory.append(q.detach())
    return q


def sample(n):
    idx = np.random.randint(len(memory), size=n)
    return torch.cat([memory[i] for i in idx])


for step in range(100):
    q = act(torch.randn(1, 4))
batch = sample(8)
total = batch @ torch.ones({width}, 4)
y = model(total)
"""


def test_a_memory_the_pass_filled_is_read_as_it_is(torch_python, text_check):
    # what `sample` returns is the program's: the marks of what it reads excuse only an error inside it
    assert_blamed(text_check(FILLED_MEMORY.format(width=3)), 23)
    assert_not_blamed(text_check(FILLED_MEMORY.format(width=2)))


# -- functions handed on without being called -----------------------------------------------------

HANDED_ON = """\
import threading
import torch
from torch import nn

model = nn.Linear(4, 2)
head = nn.Linear(2, 3)
frames = []
best = torch.zeros(1, 5)


def collect(n):
    global best
    for _ in range(n):
        frames.append(model(torch.randn(1, 4)).detach())
    best = frames[-1]


worker = threading.Thread(target={target})
{rebuilt}data = {read}
y = head(data)
"""


@pytest.mark.parametrize("target", ["collect", "lambda: collect(5)"])
@pytest.mark.parametrize("read", ["torch.cat(frames)", "torch.stack(frames).squeeze(1) + best[:, :2]"])
def test_a_global_a_handed_on_function_changes_is_not_blamed(torch_python, text_check, target, read):
    # the function appends to `frames` in place (and rebinds `best` under `global`): the list
    # waits for the thread, which the check does not run. (A value it rebinds, given to a model as
    # it is, is the program's own value as any a loop leaves: partly made values excuse errors
    # of the lines that compute on them, not a model's.)
    report = text_check(HANDED_ON.format(target=target, rebuilt="", read=read))
    assert_not_blamed(report)


def test_a_global_rebuilt_after_the_hand_on_is_the_programs_again(torch_python, text_check):
    rebuilt = "frames = [torch.randn(2, 5)]\n"
    assert_blamed(text_check(HANDED_ON.format(target="collect", rebuilt=rebuilt, read="torch.cat(frames)")), 21)


# -- what the slicer finds ------------------------------------------------------------------------

DEFINITIONS = """\
import numpy as np
frames, stats, best, seen = [], {}, None, set()


def save(trajectory):
    global best
    frames.append(trajectory)
    best = trajectory


def count(x):
    stats["n"] += 1
    mark(x)


def mark(x):
    seen.add(x)


def local_only(x):
    frames = []
    frames.append(x)
    return frames


def parameter_only(stats):
    stats["n"] = 0
    return stats


def reads_only(x):
    return len(frames) + x
"""


def test_the_globals_each_function_changes():
    effects = globals_changed_by_definitions(cst.parse_module(DEFINITIONS))
    assert effects == {"save": {"frames", "best"}, "count": {"stats", "seen"}, "mark": {"seen"}}


@pytest.mark.parametrize("statement,handed", [
    ("driver = Driver(env, observers=[save, count])", {"frames": "save", "best": "save", "stats": "count", "seen": "count"}),
    ("t = Thread(target=lambda: mark(1))", {"seen": "mark"}),
    ("cb = Callback(on_end=save)", {"frames": "save", "best": "save"}),
    ("save(x)", {}),  # called here: the replay runs it
    ("y = count(2) + reads_only(3)", {}),
    ("cb = Callback(save=reads_only)", {}),  # a keyword named like a function is not the function
    ("obj.save = 3", {}),
    ("fn = local_only", {}),  # changes only its own names
])
def test_which_statements_hand_a_function_on(statement, handed):
    effects = globals_changed_by_definitions(cst.parse_module(DEFINITIONS))
    stmt = cst.parse_module(statement + "\n").body[0].body[0]
    assert handed_on(stmt, effects) == handed


def test_the_slice_keeps_the_statement_that_hands_on_for_a_later_read():
    text = HANDED_ON.format(target="collect", rebuilt="", read="best")
    units = {u.line: u for u in slice_source(text).units}
    assert units[18].hands_on == {"frames": "collect", "best": "collect"}
