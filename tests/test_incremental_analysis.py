"""Incremental analysis (the language server's) gives exactly what a full analysis gives, after
any edit: findings with their messages and positions, and the hover values."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis, chunk_names, dirty_chunks, IncrementalParser

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "examples").glob("*.py")) + sorted((ROOT / "tests" / "corpus").glob("*.py"))[::3]
CONFIG = Config(select=("ALL",))


def _key(result):
    findings = sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)
    values = sorted((v.span.start.line, v.span.start.column, v.text) for v in result.values)
    return findings, values


def _edits(text: str, rnd: random.Random, count: int):
    lines = text.splitlines(keepends=True)
    for _ in range(count):
        i = rnd.randrange(len(lines))
        op = rnd.choice(["dup", "del", "blank", "comment"])
        new = list(lines)
        if op == "dup":
            new.insert(i, lines[i])
        elif op == "del":
            del new[i]
        elif op == "blank":
            new.insert(i, "\n")
        else:
            new.insert(i, " " * (len(lines[i]) - len(lines[i].lstrip())) + "# note\n")
        lines = new
        yield "".join(new)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_incremental_equals_full_analysis(path):
    text = path.read_text()
    inc = IncrementalAnalysis()
    assert _key(inc.analyze(text, str(path), CONFIG)) == _key(analyze(text, str(path), CONFIG, collect_values=True))
    for edited in _edits(text, random.Random(path.name), 5):
        full = analyze(edited, str(path), CONFIG, collect_values=True)
        if full.syntax_error:
            continue
        assert _key(inc.analyze(edited, str(path), CONFIG)) == _key(full)


def test_an_edit_inside_an_uncalled_function_reruns_only_its_chunk():
    text = (
        "import torch\nimport torch.nn as nn\n\nmodel = nn.Linear(4, 2)\nx = torch.randn(3, 4)\n"
        "out = model(x)\n\n\ndef helper(t):\n    return t * 2\n\n\nprint(out)\n"
    )
    inc = IncrementalAnalysis()
    inc.analyze(text, "m.py", CONFIG)
    inc.analyze(text.replace("t * 2", "t * 3"), "m.py", CONFIG)
    assert inc.last_run["ran"] == 1


def test_a_changed_definition_reaches_only_code_after_it():
    chunks = IncrementalParser().parse(
        "import torch\n\ndef f():\n    return 1\n\na = f()\n\ndef f():\n    return 2\n\nb = f()\n"
    )
    names = [chunk_names(c.module) for c in chunks]
    first_def = next(i for i, c in enumerate(chunks) if "return 1" in c.text)
    use_a = next(i for i, c in enumerate(chunks) if c.text.startswith("a ="))
    use_b = next(i for i, c in enumerate(chunks) if c.text.startswith("b ="))
    dirty = dirty_chunks(names, {first_def}, set())
    assert use_a in dirty and use_b not in dirty


# -- segments: a name rebound from scratch cuts the file into independent parts ------------------

SECTION = (
    "model = nn.Linear(4, 2)\n"
    "x = torch.randn(3, 4)\n"
    "out = model(x)\n"
    "print(out)\n\n\n"
)
BUGGY_SECTION = (
    "model = nn.Linear(4, 2)\n"
    "x = torch.randint(0, 5, (3, 4))\n"
    "out = model(x)\n"
    "print(out)\n\n\n"
)


def _script(sections):
    return "import torch\nimport torch.nn as nn\n\n" + "".join(sections)


def _same_as_full(inc, text):
    got = inc.analyze(text, "m.py", CONFIG)
    assert _key(got) == _key(analyze(text, "m.py", CONFIG, collect_values=True))
    return got


def test_an_edit_in_one_section_reruns_that_section_only():
    sections = [SECTION] * 8 + [BUGGY_SECTION] + [SECTION] * 8
    text = _script(sections)
    inc = IncrementalAnalysis()
    first = _same_as_full(inc, text)
    assert [f.code for f in first.findings] == ["TL101"]
    edited = _script([SECTION] * 3 + [SECTION.replace("randn(3, 4)", "randn(5, 4)")] + [SECTION] * 4
                     + [BUGGY_SECTION] + [SECTION] * 8)
    after = _same_as_full(inc, edited)
    assert inc.last_run["ran"] <= 4  # the section's own statements, not the other 16 sections
    assert [(f.code, f.span.start.line) for f in after.findings] == [(f.code, f.span.start.line) for f in first.findings]


def test_a_statement_that_reads_the_name_joins_the_sections_around_it():
    # `x = x.double()` reads x: it does not start a section of its own
    text = _script([SECTION, "x = x.double()\n", "y = model(x)\n", SECTION])
    inc = IncrementalAnalysis()
    first = _same_as_full(inc, text)
    assert [f.code for f in first.findings] == ["TL102"]  # float64 input into a float32 model
    edited = text.replace("x = torch.randn(3, 4)\n", "x = torch.randn(3, 4).float()\n", 1)
    assert [f.code for f in _same_as_full(inc, edited).findings] == ["TL102"]
    assert _same_as_full(inc, edited.replace("x = x.double()\n", "")).findings == []


def test_a_mutating_call_reaches_the_rest_of_its_section():
    text = _script([SECTION, "x = x.double()\n", "model.double()\n", "y = model(x)\n", SECTION])
    inc = IncrementalAnalysis()
    assert _same_as_full(inc, text).findings == []
    second = _same_as_full(inc, text.replace("model.double()\n", "model.train()\n"))
    assert [f.code for f in second.findings] == ["TL102"]
    assert _same_as_full(inc, text).findings == []  # undo


def test_a_function_reading_a_global_sees_it_where_it_is_called():
    body = "def run():\n    return model(torch.randn(3, 4).double())\n\n\n"
    text = _script([SECTION, body, SECTION, "run()\n"])
    inc = IncrementalAnalysis()
    assert [f.code for f in _same_as_full(inc, text).findings] == ["TL102"]
    edited = text.replace("model = nn.Linear(4, 2)\n", "model = nn.Linear(4, 2).double()\n", 1)
    assert [f.code for f in _same_as_full(inc, edited).findings] == ["TL102"]
    last = text[::-1].replace("model = nn.Linear(4, 2)\n"[::-1], "model = nn.Linear(4, 2).double()\n"[::-1], 1)[::-1]
    assert _same_as_full(inc, last).findings == []


def test_removing_a_section_start_merges_it_with_the_one_before():
    text = _script([SECTION, "model.double()\n", SECTION.replace("randn(3, 4)", "randn(3, 4).double()")])
    inc = IncrementalAnalysis()
    assert [f.code for f in _same_as_full(inc, text).findings] == ["TL102"]
    second_start = text.rindex("model = nn.Linear(4, 2)\n")
    merged = text[:second_start] + text[second_start:].replace("model = nn.Linear(4, 2)\n", "", 1)
    assert _same_as_full(inc, merged).findings == []  # the doubled model of the first section
    assert [f.code for f in _same_as_full(inc, text).findings] == ["TL102"]


def test_a_redefined_function_between_two_definitions_keeps_each_reader_on_its_own():
    text = ("import torch\n\n\ndef step(t):\n    return t.float()\n\n\na = step(torch.ones(2))\n\n\n"
            "def step(t):\n    return t.double()\n\n\nb = step(torch.ones(2))\n")
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    _same_as_full(inc, text.replace("return t.double()", "return t.half()"))
    _same_as_full(inc, text.replace("return t.float()", "return t.int()"))


SNIPPETS = [
    "model = None\n", "x = torch.randn(4, 3)\n", "model = nn.Linear(3, 2)\n", "model.half()\n",
    "y = model(x)\n", "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n", "loss = 0\n",
    "def train_step(a, b):\n    return model(a)\n", "import torch\n", "del model\n", "x = x.double()\n",
]


@pytest.mark.parametrize("seed", range(4))
def test_random_edit_sequences_on_a_long_script(seed):
    """Several example programs in one file (names rebound many times), then a run of edits:
    after each, the incremental analysis says what a full analysis says."""
    rnd = random.Random(seed)
    pool = sorted((ROOT / "examples").glob("*.py")) + sorted((ROOT / "tests" / "corpus").glob("*.py"))
    text = "".join(p.read_text() if p.read_text().endswith("\n") else p.read_text() + "\n" for p in rnd.sample(pool, 5))
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    done = 0
    while done < 12:
        lines = text.splitlines(keepends=True)
        i = rnd.randrange(len(lines))
        op = rnd.choice(["dup", "del", "snippet", "move"])
        if op == "dup":
            lines.insert(i, lines[rnd.randrange(len(lines))])
        elif op == "del":
            del lines[i]
        elif op == "snippet":
            lines.insert(i, rnd.choice(SNIPPETS))
        else:
            lines.insert(rnd.randrange(len(lines)), lines.pop(i))
        new = "".join(lines)
        if analyze(new, "m.py", CONFIG).syntax_error:
            continue
        text = new
        _same_as_full(inc, text)
        done += 1


def test_a_function_that_rebinds_a_global_connects_its_callers_to_the_readers():
    text = _script([
        SECTION,
        "def swap():\n    global model\n    model = nn.Linear(4, 2).double()\n\n\n",
        "swap()\n",
        "y = model(torch.randn(3, 4).double())\n",
        SECTION,
    ])
    inc = IncrementalAnalysis()
    assert _same_as_full(inc, text).findings == []
    edited = text.replace("model = nn.Linear(4, 2).double()", "model = nn.Linear(4, 2).float()")
    assert [f.code for f in _same_as_full(inc, edited).findings] == ["TL102"]
    assert _same_as_full(inc, text).findings == []


def test_an_edit_inside_a_function_that_reads_globals_reruns_its_own_section():
    train = "def train():\n    return model(torch.randn(3, 4))\n\n\n"
    sections = [SECTION + train + "train()\n"] * 8
    text = _script(sections)
    inc = IncrementalAnalysis()
    assert _same_as_full(inc, text).findings == []
    buggy = train.replace("torch.randn(3, 4)", "torch.randn(3, 4).double()")
    edited = _script(sections[:3] + [SECTION + buggy + "train()\n"] + sections[4:])
    after = _same_as_full(inc, edited)
    line = edited.splitlines().index("    return model(torch.randn(3, 4).double())") + 1
    assert [(f.code, f.span.start.line) for f in after.findings] == [("TL102", line)]
    # the function, its call, and the statements around `model` that the call sees
    assert inc.last_run["ran"] <= 6


def test_a_tf1_program_whose_placeholders_are_fed_gives_what_a_full_analysis_gives():
    """The values fed in the session refine the graph built above them: the editor's analysis
    sees the feed as the command line does, before and after an edit elsewhere."""
    text = (
        "import tensorflow as tf\nfrom tensorflow.examples.tutorials.mnist import input_data\n\n"
        "mnist = input_data.read_data_sets('MNIST_data/', one_hot=True)\n"
        "x = tf.placeholder(tf.float32)\ny = tf.placeholder(tf.int64)\n"
        "W = tf.Variable(tf.zeros([784, 10]))\nlogits = tf.matmul(x, W)\n"
        "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))\n\n\n"
        "sess = tf.Session()\nfor i in range(100):\n    xb, yb = mnist.train.next_batch(100)\n"
        "    sess.run(loss, feed_dict={x: xb, y: yb})\n"
    )
    inc = IncrementalAnalysis()
    first = inc.analyze(text, "tf1.py", CONFIG)
    assert ("TL303", 9) in {(f.code, f.span.start.line) for f in first.findings}
    assert _key(first) == _key(analyze(text, "tf1.py", CONFIG, collect_values=True))
    edited = text.replace("sess = tf.Session()\n", "sess = tf.Session()\nprint('training')\n")
    assert _key(inc.analyze(edited, "tf1.py", CONFIG)) == _key(analyze(edited, "tf1.py", CONFIG, collect_values=True))


def _module_class(name: str, width: int) -> str:
    return (
        f"class {name}(nn.Module):\n"
        f"    def __init__(self):\n"
        f"        super().__init__()\n"
        f"        self.fc = nn.Linear({width}, 2)\n\n"
        f"    def forward(self, x):\n"
        f"        print(len(x))\n"
        f"        return self.fc(x)\n\n\n"
        f"net_{name} = {name}()\n"
        f"out_{name} = net_{name}(torch.randn(3, {width}))\n\n\n"
    )


@pytest.mark.parametrize("edit", [
    ("self.fc = nn.Linear(6, 2)", "self.fc = nn.Linear(6, 2)\n        self.extra = 1"),  # __init__, harmless
    ("self.fc = nn.Linear(6, 2)", "self.fc = nn.Linear(5, 2)"),  # __init__: a fact forward and module code read
    ("print(len(x))", "print(x)"),  # a builtin no longer read
])
def test_an_edit_in_one_class_does_not_rerun_other_classes_reading_the_same_builtins(edit):
    # every class reads `super`, `print`, `len`; a class that no longer reads one of them hands
    # nothing over through it, so the other classes and their users stay as they were
    text = _script([_module_class(f"Net{i}", 4 if i != 3 else 6) for i in range(8)])
    inc = IncrementalAnalysis()
    first = _same_as_full(inc, text)
    after = _same_as_full(inc, text.replace(*edit, 1))
    assert inc.last_run["ran"] <= 3  # the class, its instance, the call
    if "Linear(5" in edit[1]:
        assert [f.code for f in after.findings] != [f.code for f in first.findings]


def test_values_a_kept_chunk_left_in_an_edited_class_are_not_kept_at_their_old_place():
    """A method's body gets its hover values from the chunks that call it. When the class above
    them is edited and those callers are not run again, what they left inside the class stood at
    its old lines: the hover named a tensor one line below where it is."""
    names = ["tf_reshape_wrong_size.py", "torch_zero_grad_outside_loop.py", "torch_actor_critic_target_drops_terminated.py",
             "keras3_gray_lambda_declares_rgb_shape.py", "tf1_ddpg_soft_update_zip_truncated.py"]
    lines = "".join((ROOT / "tests" / "corpus" / n).read_text() for n in names).splitlines(keepends=True)
    inc = IncrementalAnalysis()
    _same_as_full(inc, "".join(lines))
    lines.insert(200, "def train_step(a, b):\n    return model(a)\n")
    _same_as_full(inc, "".join(lines))
    del lines[129]
    _same_as_full(inc, "".join(lines))
    critic = next(i for i, line in enumerate(lines) if line.startswith("class Critic"))
    assert lines[critic + 2] == "        super().__init__()\n"
    del lines[critic + 2]
    _same_as_full(inc, "".join(lines))
    assert inc.last_run["ran"] < inc.last_run["chunks"] // 4  # the callers below were kept, not run again


@pytest.mark.parametrize("inserted", ["x = x.double()\n", "x = torch.randn(4, 5)\n", "x.requires_grad = True\n"])
def test_a_global_rebound_above_the_same_caller_reaches_the_function_it_calls(inserted):
    """A class whose `__init__` reads a global, made by a chunk that is not edited, and the
    global bound again after it: a chunk inserted above that caller gives the global another
    value there. The class's own chunk was
    kept with the hover values its `__init__` had with the old value (a float32 tensor where the
    program now holds a float64 one)."""
    text = _script([
        "x = torch.randn(4, 8)\n\n\n",
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(8, 2)\n        self.probe = self.fc(x)\n\n\n",
        "net = Net()\n\n\n",
        "x = torch.randn(2, 3)\nprint(x)\n",  # (function bodies are run again with the last value of `x`)
    ])
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    edited = text.replace("\n\n\nclass Net", "\n" + inserted + "\n\nclass Net", 1)
    _same_as_full(inc, edited)
    probe = edited.splitlines().index("        self.probe = self.fc(x)") + 1
    assert any(line == probe for line, _, _ in _key(inc.analyze(edited, "m.py", CONFIG))[1])  # the hover is there


KERAS2_LOSS = (
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "from tensorflow import keras\n\n"
    "model = keras.models.Sequential([keras.layers.Dense(8, activation='relu', input_shape=[4]),"
    "                                 keras.layers.Dense(1)])\n"
    "optimizer = keras.optimizers.Adam(lr=1e-3)\n"
    "states = np.random.rand(32, 4).astype('float32')\n"
    "targets = tf.reduce_max(model(states), axis=1)\n"
    "with tf.GradientTape() as tape:\n"
    "    loss = tf.reduce_mean(keras.losses.mean_squared_error(targets, model(states)))\n"
    "grads = tape.gradient(loss, model.trainable_variables)\n"
    "optimizer.apply_gradients(zip(grads, model.trainable_variables))\n\n\n"
)


@pytest.mark.parametrize("where", ["above", "below"])
def test_an_edit_that_changes_a_fact_of_the_whole_text_reaches_the_sections_kept(where):
    # `Adam(lr=...)` is Keras 2's spelling only in a file that does not import torch (there it is
    # torch's own): an `import torch` added in another section decides whether the Keras 2 loss
    # function's broadcast is reported in a section whose text did not change
    tail = "for step in range(3):\n    print(step)\n\n\n"
    text = KERAS2_LOSS + tail
    inc = IncrementalAnalysis()
    assert [f.code for f in _same_as_full(inc, text).findings] == ["TL205"]
    edited = ("import torch\n" + text) if where == "above" else (KERAS2_LOSS + tail.replace("print(step)", "import torch"))
    assert "TL205" not in [f.code for f in _same_as_full(inc, edited).findings]
    assert [f.code for f in _same_as_full(inc, text).findings] == ["TL205"]
