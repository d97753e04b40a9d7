"""Modules the check cannot import get stubs without values: the program runs on while it only
passes their values around (a plot, a logger, a helper that shows images), and a call that one
of their values reaches is "could not check", naming the module, never the program's error."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlint.runtime.child.stubs import StubModule, StubValue, StubValueError, guarded_imports, reaching

# -- the stub values themselves (no subprocess) ---------------------------------------------------


def test_a_stub_value_is_opaque_and_never_becomes_a_real_value():
    module = StubModule("missing_pkg_for_test")
    value = module.load("data.bin").values[0] * 2 + 1
    assert isinstance(value, StubValue)
    for use in (bool, len, int, float, list, np.asarray, lambda v: 3 in v, lambda v: range(v)):
        with pytest.raises(StubValueError, match="missing_pkg_for_test"):
            use(value)
    with pytest.raises(StubValueError):
        if value > 0:
            pass


def test_inside_a_model_call_touching_a_stub_value_at_all_raises():
    value = StubModule("missing_pkg_for_test").activation
    assert isinstance(value(1), StubValue)
    with reaching():
        with pytest.raises(StubValueError, match="while a model, loss or session ran"):
            value(1)
    assert isinstance(value.relu, StubValue)  # outside again


def test_imports_in_a_try_that_handles_their_failure_are_found():
    source = (
        "try:\n    import fast_io\nexcept ImportError:\n    fast_io = None\n"
        "try:\n    from plots import show\nexcept (ModuleNotFoundError, KeyError):\n    show = print\n"
        "try:\n    import other\nexcept KeyError:\n    pass\n"
        "try:\n    import bare\nexcept:\n    pass\n"
    )
    ranges = guarded_imports(source)
    assert (2, 2) in ranges and (6, 6) in ranges and (14, 14) in ranges
    assert not any(a <= 10 <= b for a, b in ranges)  # KeyError does not catch a failed import
    assert guarded_imports("def (:\n") == []


# -- whole programs ------------------------------------------------------------------------------

TORCH_PLOTTED = """\
import torch
import torch.nn as nn
{imports}

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear({hidden}, 3))
x = torch.randn(8, 10)
y = torch.randint(0, 3, (8,))
{before}
out = model(x)
loss = nn.CrossEntropyLoss()(out, y)
loss.backward()
{after}
"""

# a module the check cannot import, used only around the model: three ways of writing it
ASIDE = [
    ("import pretty_plots_nowhere as pp", "pp.style.use('dark')\nfig, ax = pp.subplots(1, 2)", "pp.plot(loss.item())"),
    ("from run_tracker_nowhere import Tracker, log_every", "tracker = Tracker('run-1', every=log_every(10))",
     "tracker.log({'loss': loss.item()})\ntracker.close()"),
    ("import helper_nowhere\nfrom helper_nowhere.images import show_batch", "show_batch(x[:4])",
     "helper_nowhere.view_classify(x[0], out[0].softmax(0))"),
]


@pytest.mark.parametrize("imports,before,after", ASIDE)
def test_a_stub_used_only_around_the_model_lets_the_check_find_the_bug(torch_python, text_check, imports, before, after):
    report = text_check(TORCH_PLOTTED.format(imports=imports, hidden=16, before=before, after=after))
    assert report.status == "errors", report.message
    line = TORCH_PLOTTED.format(imports=imports, hidden=16, before=before, after=after).splitlines().index("out = model(x)") + 1
    assert report.call(line, "forward")["error"]["type"] == "RuntimeError"
    assert report.stubs and report.stubs[0]["module"].split(".")[0].endswith("_nowhere")
    assert any("a stub without values stood in for it" in n for n in report.notes)
    fixed = text_check(TORCH_PLOTTED.format(imports=imports, hidden=32, before=before, after=after))
    assert fixed.status == "ok", fixed.message
    assert not [d for d in fixed.diagnostics() if d.severity == "error"]


# a value of the stub reaches the model, its input, a layer, or the targets: could not check
REACHES = [
    # the input
    ("import data_io_nowhere", "x = data_io_nowhere.load('train.bin')", "`data_io_nowhere`"),
    # the input, computed from the stub's value
    ("from data_io_nowhere import read_features", "x = torch.as_tensor(read_features('a.csv')).float()",
     "`data_io_nowhere`"),
    # the targets
    ("import labels_nowhere", "y = labels_nowhere.targets()", "`labels_nowhere`"),
    # inside the model: a layer's forward calls the stub
    ("import act_nowhere\nclass Act(nn.Module):\n    def forward(self, h):\n        return act_nowhere.mish(h)",
     "model = nn.Sequential(nn.Linear(10, 32), Act(), nn.Linear(32, 3))", "`act_nowhere`"),
]


@pytest.mark.parametrize("imports,before,module", REACHES)
def test_a_stub_value_that_reaches_the_model_or_the_loss_is_could_not_check(torch_python, text_check, imports, before,
                                                                            module):
    report = text_check(TORCH_PLOTTED.format(imports=imports, hidden=32, before=before, after=""))
    assert report.status == "could-not-check", report.message
    assert module in report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"]


def test_an_import_whose_failure_the_program_handles_is_not_stubbed(torch_python, text_check):
    text = TORCH_PLOTTED.format(imports="try:\n    import fast_act_nowhere as act\nexcept ImportError:\n    act = None",
                                hidden=16, before="if act is not None:\n    x = act.prepare(x)", after="")
    report = text_check(text)
    assert report.stubs == []
    assert report.status == "errors", report.message


# an optional import set up with a path edit and a flag, in the ways programs write it
OPTIONAL = [
    "import sys\ntry:\n    sys.path.append('./fast_amp_nowhere')\n    from fast_amp_nowhere import amp\n"
    "    has_amp = True\nexcept:\n    has_amp = False",
    "import sys\nhas_amp = False\ntry:\n    sys.path.insert(0, 'vendor')\n    import fast_amp_nowhere as amp\n"
    "    has_amp = True\nexcept ImportError:\n    pass",
]


@pytest.mark.parametrize("imports", OPTIONAL)
def test_an_optional_import_behind_a_path_edit_runs_the_programs_fallback(torch_python, text_check, imports):
    before = "if has_amp:\n    model = amp.initialize(model)"
    report = text_check(TORCH_PLOTTED.format(imports=imports, hidden=16, before=before, after=""))
    assert report.stubs == []
    assert report.status == "errors", report.message
    fixed = text_check(TORCH_PLOTTED.format(imports=imports, hidden=32, before=before, after=""))
    assert fixed.status == "ok", fixed.message


KERAS = """\
import numpy as np
from tensorflow import keras
{imports}

model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense({units}, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
x = np.random.rand(64, 20).astype("float32")
y = keras.utils.to_categorical(np.random.randint(0, 4, 64), 4)
{before}
model.fit(x, y, epochs=1, batch_size=16)
"""


def test_keras_programs_with_stubs(tf_python, text_check):
    aside = dict(imports="import wandb_nowhere as wb", before="wb.init(project='p')\nwb.config.update({'lr': 1e-3})")
    report = text_check(KERAS.format(units=3, **aside))
    assert report.status == "errors", report.message
    assert [s["module"] for s in report.stubs] == ["wandb_nowhere"]
    assert text_check(KERAS.format(units=4, **aside)).status == "ok"
    for before in ("x = loader_nowhere.features()", "y = loader_nowhere.onehot_labels()"):
        report = text_check(KERAS.format(units=4, imports="import loader_nowhere", before=before))
        assert report.status == "could-not-check", report.message
        assert "`loader_nowhere`" in report.message
        assert not [d for d in report.diagnostics() if d.severity == "error"]


TF1 = """\
import numpy as np
import tensorflow as tf
{imports}

x = tf.placeholder(tf.float32, [None, 20])
y = tf.placeholder(tf.float32, [None, 4])
w = tf.Variable(tf.zeros([{rows}, 4]))
logits = tf.matmul(x, w)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
{batch}
_, value = sess.run([train_op, loss], feed_dict={{x: batch_x, y: batch_y}})
{after}
"""
OWN_BATCH = "batch_x = np.random.rand(8, 20).astype('float32')\nbatch_y = np.eye(4)[np.random.randint(0, 4, 8)]"


def test_tf1_graphs_with_stubs(tf_python, text_check):
    aside = dict(imports="import progress_nowhere as progress", batch=OWN_BATCH, after="progress.report(value)")
    report = text_check(TF1.format(rows=20, **aside))
    assert report.status == "ok", report.message
    assert [s["module"] for s in report.stubs] == ["progress_nowhere"]
    report = text_check(TF1.format(rows=10, **aside))  # the graph itself is wrong: found with the stub there
    assert report.status == "errors", report.message
    fed = dict(imports="import feeder_nowhere", after="",
               batch="batch_x = feeder_nowhere.images(8)\nbatch_y = np.eye(4)[np.random.randint(0, 4, 8)]")
    report = text_check(TF1.format(rows=20, **fed))
    assert report.status == "could-not-check", report.message
    assert "feeder_nowhere" in report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"]


def test_asking_whether_a_module_is_there_is_not_answered_with_a_stub(torch_python, text_check):
    text = TORCH_PLOTTED.format(
        imports="import importlib.util\nHAS_FAST = importlib.util.find_spec('fast_kernels_nowhere') is not None",
        hidden=16, before="assert not HAS_FAST", after="")
    report = text_check(text)
    assert report.status == "errors", report.message
    assert report.stubs == []
