"""Rules that read the whole file keep what they found per chunk tree: after an edit, they walk
the trees of the chunks the edit changed, not every chunk of the file again (the language
server's latency on a long file depends on it), and they find what a whole-file analysis finds."""
from __future__ import annotations

import importlib

import libcst as cst
import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

CONFIG = Config(select=("ALL",))
FILLER = 30  # unrelated top-level statements after the rule's example

_LOOP_AT_MODULE_LEVEL = "import keras\n\nx = keras.Input(shape=(8,))\nfor units in (16, 32, 64):\n    h = keras.layers.Dense(units)(x)\n"

# (rule module, code, the program: None for the rule's own failing example)
RULES = [
    ("tl002_dict_view_concatenation", "TL002", None),
    ("tl003_name_bound_nowhere", "TL003", None),
    # an option read bare at module level, beside `args.seed` in other chunks
    ("tl003_name_bound_nowhere", "TL003", "import argparse\nimport torch\nparser = argparse.ArgumentParser()\n"
     "parser.add_argument('--seed', type=int, default=0)\nargs = parser.parse_args()\ntorch.manual_seed(args.seed)\n"
     "print(seed)\n"),
    ("tl110_float_layer_size", "TL110", None),
    ("tl430_mean_over_whole_dataset", "TL430", None),
    ("tl425_parameter_ignored_for_literal", "TL425", None),
    ("tl214_embedding_rows_short", "TL214", None),
    ("tl417_batchnorm_updates_not_run", "TL417", None),
    # the collection read outside the block of the module-level graph the model is built in
    ("tl417_batchnorm_updates_not_run", "TL417",
     "import tensorflow.compat.v1 as tf\n\ngraph = tf.Graph()\nwith graph.as_default():\n"
     "    x = tf.placeholder(tf.float32, [None, 8])\n    h = tf.layers.batch_normalization(x, training=True)\n"
     "    step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))\n"
     "updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)\n"
     "with tf.Session(graph=graph) as sess:\n    sess.run([step, updates])\n"),
    ("tl421_missing_return_value", "TL421", None),
    ("tl423_update_outside_cond_branch", "TL423", None),
    ("tl424_epoch_length_from_other_split", "TL424", None),
    ("tl432_split_shares_transform", "TL432", None),
    ("tl433_init_given_module", "TL433", None),
    # a module-level layer given to an initializer (the module's bindings, read from every chunk)
    ("tl433_init_given_module", "TL433", "import torch.nn as nn\n\nlayer = nn.Linear(4, 4)\nnn.init.zeros_(layer)\n"),
    ("tl437_option_compared_outside_choices", "TL437", None),
    ("tl439_initialization_overwritten", "TL439", None),
    ("tl318_monitor_direction_reversed", "TL318", None),
    ("tl507_training_data_holds_validation_split", "TL507", None),
    ("tl217_scaler_fit_on_one_row", "TL217", None),
    # the scaler bound in one chunk, fitted in another
    ("tl217_scaler_fit_on_one_row", "TL217", "import numpy as np\nimport keras\nfrom sklearn.preprocessing import StandardScaler\n"
     "scaler = StandardScaler()\nprices = np.random.rand(50)\nscaled = scaler.fit_transform(prices.reshape(1, -1))\n"),
    # the hand-written early stopping of a loop at module level (the metric bound in another chunk)
    ("tl318_monitor_direction_reversed", "TL318", "import tensorflow as tf\nloss_metric = tf.keras.metrics.MeanSquaredError()\nbest, wait = 0, 0\n"
     "for epoch in range(10):\n    val_loss = loss_metric.result()\n    wait += 1\n"
     "    if val_loss > best:\n        best = val_loss\n        wait = 0\n    if wait >= 3:\n        break\n"),
    ("tl436_evaluation_data_holds_training_data", "TL436", None),
    ("tl455_tape_step_in_inference_mode", "TL455", None),
    # a module-level loop that overwrites each pass's layer output, read after the loop in another chunk
    ("tl220_loop_keeps_last_pass", "TL220", _LOOP_AT_MODULE_LEVEL + "model = keras.Model(x, h)\n"),
    ("tl220_loop_keeps_last_pass", "TL220", _LOOP_AT_MODULE_LEVEL.replace(
        "    h = keras.layers.Dense(units)(x)\n", "    dense = keras.layers.Dense(units)\n    h = dense(x)\n") + "print(h)\n"),
    ("tl434_backward_through_freed_graph", "TL434", None),
    ("tl113_keep_probability_as_drop_rate", "TL113", None),
    ("tl224_module_call_arity", "TL224", None),
    ("tl443_function_call_arity", "TL443", None),
    ("tl442_option_never_defined", "TL442", None),
    # the parser made in a function of one chunk, its options read in another
    ("tl442_option_never_defined", "TL442", "import argparse\nimport torch\n\ndef get_parser():\n    p = argparse.ArgumentParser()\n"
     "    p.add_argument('--lr', type=float)\n    return p\n\nparser = get_parser()\nargs = parser.parse_args()\n"
     "opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=args.learning_rate)\n"),
    # the function defined in one chunk, called with one argument too many in another
    ("tl443_function_call_arity", "TL443", "import torch\n\ndef evaluate(model, loader):\n    return model\n\n"
     "net = torch.nn.Linear(2, 2)\nevaluate(net, [], 'cpu')\n"),
    # Lightning's checkpoint in one chunk, the logged metric bound in a class of another
    ("tl318_monitor_direction_reversed", "TL318", "import torch\nimport pytorch_lightning as pl\nfrom torchmetrics import Accuracy\n\n"
     "class Net(pl.LightningModule):\n    def __init__(self):\n        super().__init__()\n"
     "        self.val_acc = Accuracy(task='binary')\n\n    def validation_step(self, batch, i):\n"
     "        self.log('val_acc', self.val_acc)\n\ncheckpoint = pl.callbacks.ModelCheckpoint(monitor='val_acc')\n"),
    ("tl322_loop_flag_never_reset", "TL322", None),
    ("tl227_misspelled_layer_keyword", "TL227", None),
    ("tl506_prediction_input_from_targets", "TL506", None),
    ("tl004_default_fails_assertion", "TL004", None),
    ("tl005_super_init_given_self", "TL005", None),
    ("tl006_caller_local_unseen", "TL006", None),
    ("tl453_fit_input_rebound_in_loop", "TL453", None),
    ("tl447_stored_parameter_bypassed", "TL447", None),
    ("tl325_partial_sum_over_total_count", "TL325", None),
    ("tl448_zip_truncates_variable_lists", "TL448", None),
    ("tl232_padding_mask_of_summed_features", "TL232", None),
    ("tl451_regularization_divided_by_batch", "TL451", None),
    ("tl231_channels_first_array_into_totensor", "TL231", None),
    ("tl438_shallow_copy_of_module", "TL438", None),
    ("tl219_softmax_over_batch_axis", "TL219", None),
    ("tl429_penalty_weight_per_element", "TL429", None),
    ("tl426_test_false_for_every_element", "TL426", None),
    ("tl505_normalization_never_adapted", "TL505", None),
    ("tl414_unused_layer_output", "TL414", "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\n"
     "h = tf.layers.dense(x, 8)\nh2 = tf.nn.relu(h)\nout = tf.layers.dense(h, 2)\n"),
    # one output of a module-level block call bound again, unread, by a layer fed an older value
    ("tl414_unused_layer_output", "TL414", "import keras\n\nclass TwoHeads(keras.Model):\n    def call(self, x):\n"
     "        return x, x\n\ninputs = keras.Input((16,))\nfeatures = keras.layers.Dense(16)(inputs)\nheads = TwoHeads()\n"
     "embedding, score = heads(features)\nembedding = keras.layers.Dense(8)(features)\n"
     "model = keras.Model(inputs, [embedding, score])\n"),
    # the functions a rule looks for called through an alias of their import
    ("tl325_partial_sum_over_total_count", "TL325",
     "import tensorflow as T\nfrom numpy import sum as total\n\ndef compute_loss(xent, fg):\n"
     "    loss = T.reduce_sum(xent * fg, axis=[1, 2, 3]) / total(fg)\n    return T.reduce_mean(loss)\n"),
    ("tl232_padding_mask_of_summed_features", "TL232",
     "import tensorflow as T\nfrom tensorflow import abs as magnitude\n\ndef mask(keys):\n"
     "    return T.sign(magnitude(T.reduce_sum(keys, axis=-1)))\n"),
    # a module-level flag beside a function that declares another name `global`: the declared
    # names are read from every chunk's tree
    ("tl322_loop_flag_never_reset", "TL322",
     "import torch\n\nsteps = 0\n\ndef bump():\n    global steps\n    steps += 1\n\ndef main(env):\n    done = False\n"
     "    for episode in range(3):\n        s = env.reset()\n        while not done:\n            bump()\n"
     "            s, r, done, info = env.step(0)\n"),
]
# the training loop of the example runs again (its rules see loops only when they run): TL413's
# check that a loss never calls the optimizer's model reads the module's bindings
LOOP_RULES = [
    ("tl413_parameters_without_gradient", "TL413", 2),
]
HELPERS = ("tensorlint.rules._untouched", "tensorlint.slices", "tensorlint.rules._bindings")  # they walk the trees rules give them


def _key(result):
    return sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)


def _rule(module_name):
    module = importlib.import_module(f"tensorlint.rules.{module_name}")
    return module, next(v for v in vars(module).values() if isinstance(v, type) and getattr(v, "code", None)
                        and v.__module__ == module.__name__)


@pytest.mark.parametrize("where", ["first", "last"])
@pytest.mark.parametrize("module_name, code, program", RULES)
def test_an_edit_walks_only_the_trees_it_changed(monkeypatch, module_name, code, program, where):
    module, rule = _rule(module_name)
    example = program or rule.failing[0]
    filler = "".join(f"setting_{i} = {i}\n" for i in range(FILLER))
    at = 0 if where == "first" else FILLER - 1
    before = example + filler
    _check_edit(monkeypatch, module, code, before, before.replace(f"setting_{at} = {at}\n", f"setting_{at} = {at + 100}\n"))


@pytest.mark.parametrize("where", ["first", "last"])
@pytest.mark.parametrize("module_name, code, example", LOOP_RULES)
def test_an_edit_of_a_loop_walks_only_the_loop(monkeypatch, module_name, code, example, where):
    module, rule = _rule(module_name)
    filler = "".join(f"setting_{i} = {i}\n" for i in range(FILLER))
    program = rule.failing[example]
    before = filler + program if where == "last" else program + filler
    # a statement added at the top of the loop's body
    head = next(line for line in program.splitlines() if line.startswith(("for ", "while ")))
    after = before.replace(head + "\n", head + "\n    print('step')\n")
    assert after != before
    _check_edit(monkeypatch, module, code, before, after)


def _check_edit(monkeypatch, module, code, before, after):
    inc = IncrementalAnalysis()
    first = inc.analyze(before, "m.py", CONFIG)
    assert code in [f.code for f in first.findings]
    old = {id(m) for m in inc.prev.modules}

    walked = []
    real = importlib.import_module("tensorlint.dataflow").descendants

    def counting(node, *args, **kwargs):
        if isinstance(node, cst.Module):
            walked.append(node)
        return real(node, *args, **kwargs)

    for m in (module, *map(importlib.import_module, HELPERS)):
        if hasattr(m, "descendants"):
            monkeypatch.setattr(m, "descendants", counting)
    got = inc.analyze(after, "m.py", CONFIG)
    monkeypatch.undo()
    assert _key(got) == _key(analyze(after, "m.py", CONFIG))
    assert code in [f.code for f in got.findings]
    new = [m for m in inc.prev.modules if id(m) not in old]
    assert len(new) == 1
    assert all(m is new[0] for m in walked), f"{code} walked {len(walked)} chunk trees after an edit of one"


@pytest.mark.parametrize("reader", ["model = keras.Model(x, h)\n", "print(h)\n", "outputs = [h]\n"])
def test_a_read_after_a_module_level_loop_added_and_taken_away(reader):
    """TL220 at module level: the loop's last output read in a chunk an edit adds (reported), then
    taken away again (silent): what each chunk's tree reads is kept with it."""
    filler = "".join(f"setting_{i} = {i}\n" for i in range(FILLER))
    bare = _LOOP_AT_MODULE_LEVEL + filler
    read = bare + reader
    inc = IncrementalAnalysis()
    for text, found in ((bare, False), (read, True), (bare, False), (read, True)):
        got = inc.analyze(text, "m.py", CONFIG)
        assert _key(got) == _key(analyze(text, "m.py", CONFIG))
        assert ("TL220" in [f.code for f in got.findings]) is found


def test_findings_of_the_whole_file_placed_where_their_chunks_moved():
    """A finding the module's rules make at the end of the run is placed through the index of
    which tree holds each node, kept from run to run: after edits that add and take away
    chunks before it (every later chunk moves), and one of its own chunk, it stands where a
    whole-file analysis puts it."""
    _, rule = _rule("tl002_dict_view_concatenation")
    head, _, rest = rule.failing[0].partition("\n")
    filler = "".join(f"setting_{i} = {i}\n" for i in range(FILLER))
    texts = [head + "\n" + filler + rest]
    texts.append(head + "\n" + "extra = 1\n" + filler + rest)  # a chunk more before it
    texts.append(head + "\n" + "extra = 1\nmore = [\n    2,\n]\n" + filler + rest)  # and one over three lines
    texts.append(head + "\n" + filler.replace("setting_3 = 3\n", "") + rest)  # one less
    texts.append(head + "\n" + filler + rest.replace("weights.values()", "list(weights.values())"))  # its own chunk
    texts.append(texts[0])
    inc = IncrementalAnalysis()
    for text in texts:
        got = inc.analyze(text, "m.py", CONFIG)
        want = analyze(text, "m.py", CONFIG)
        assert _key(got) == _key(want)
        assert [f.span for f in got.findings if f.code == "TL002"] == [f.span for f in want.findings if f.code == "TL002"]
    assert "TL002" in [f.code for f in got.findings]


class _CountingPattern:
    """A compiled pattern that records the length of each text it searches."""

    def __init__(self, pattern):
        self.pattern, self.searched = pattern, []

    def search(self, text, *args):
        self.searched.append(len(text))
        return self.pattern.search(text, *args)

    def finditer(self, text, *args):
        self.searched.append(len(text))
        return self.pattern.finditer(text, *args)


@pytest.mark.parametrize("module_name, code, gates, breaker", [
    ("tl443_function_call_arity", "TL443", ("_TOP_DEF", "_DYNAMIC"), "setattr(builtins, 'x', 1)\n"),
    ("tl442_option_never_defined", "TL442", ("_DYNAMIC",), "vars(args).update(extra=1)\n"),
    ("tl435_model_rebound_to_method_result", "TL435", ("_DEFINES_LOADER",),
     "class Store:\n    def load_weights(self, path):\n        return path\n"),
])
def test_text_gates_search_the_changed_chunk_alone(monkeypatch, module_name, code, gates, breaker):
    """A rule's search of the file's text for what silences it (`setattr(`, `import *`, a
    `def` of the method it judges) searches, after an edit, the text of the chunk the edit
    changed, not the whole file; and a chunk that says so, added and taken away, silences the
    rule and lets it speak again as a whole-file analysis does."""
    module, rule = _rule(module_name)
    filler = "".join(f"setting_{i} = {i}\n" for i in range(FILLER))
    before = rule.failing[0] + filler
    counting = []
    for name in gates:  # a gate is one compiled pattern or a tuple of them
        real = getattr(module, name)
        wrapped = tuple(_CountingPattern(p) for p in real) if isinstance(real, tuple) else _CountingPattern(real)
        monkeypatch.setattr(module, name, wrapped)
        counting.append(wrapped if isinstance(wrapped, tuple) else (wrapped,))
    inc = IncrementalAnalysis()
    assert code in [f.code for f in inc.analyze(before, "m.py", CONFIG).findings]
    for group in counting:
        for pattern in group:
            pattern.searched.clear()
    edited = before.replace("setting_5 = 5\n", "setting_5 = 105\n")
    got = inc.analyze(edited, "m.py", CONFIG)
    for group in counting:
        searched = [n for pattern in group for n in pattern.searched]
        assert searched and max(searched) < 40, searched
    assert _key(got) == _key(analyze(edited, "m.py", CONFIG))
    broken = edited.replace("setting_7 = 7\n", breaker)
    for text, found in ((broken, False), (edited, True), (broken, False)):
        got = inc.analyze(text, "m.py", CONFIG)
        assert _key(got) == _key(analyze(text, "m.py", CONFIG))
        assert (code in [f.code for f in got.findings]) is found


def test_what_statements_bind_is_kept_across_edits(monkeypatch):
    """TL418 reads back through the statements of a block to the value a name was last bound
    to; what each statement binds is kept with the statement from edit to edit, so an edit asks
    it of the statements of the chunk it changed alone, and the findings stay those of a
    whole-file analysis."""
    graph_ops = importlib.import_module("tensorlint.rules._graph_ops")
    walk = importlib.import_module("tensorlint.dataflow").descendants
    _, rule = _rule("tl418_training_flag_not_fed")
    filler = "".join(f"setting_{i} = {i}\n" for i in range(FILLER))
    before = rule.failing[0] + filler
    asked = []
    real = graph_ops._bound_by

    def counting(stmt):
        asked.append(stmt)
        return real(stmt)

    monkeypatch.setattr(graph_ops, "_bound_by", counting)
    inc = IncrementalAnalysis()
    assert "TL418" in [f.code for f in inc.analyze(before, "m.py", CONFIG).findings]
    assert asked
    for n in (105, 205):
        after = before.replace("setting_5 = 5\n", f"setting_5 = {n}\n")
        old = {id(m) for m in inc.prev.modules}
        asked.clear()
        got = inc.analyze(after, "m.py", CONFIG)
        changed = {id(node) for m in inc.prev.modules if id(m) not in old for node in walk(m)}
        assert asked and all(id(stmt) in changed for stmt in asked)
        assert _key(got) == _key(analyze(after, "m.py", CONFIG))
        assert "TL418" in [f.code for f in got.findings]


def test_expressions_compared_are_read_once_across_edits(monkeypatch):
    """TL428 compares the expressions two data sets are built from through their syntax; each
    expression's is read once and kept with its node, so an edit elsewhere reads none again, and
    the findings stay those of a whole-file analysis."""
    module, rule = _rule("tl428_split_built_like_another")
    filler = "".join(f"setting_{i} = {i}\n" for i in range(FILLER))
    before = rule.failing[0] + filler
    parsed = []
    real = module._parsed

    def counting(source):
        parsed.append(source)
        return real(source)

    monkeypatch.setattr(module, "_parsed", counting)
    inc = IncrementalAnalysis()
    assert "TL428" in [f.code for f in inc.analyze(before, "m.py", CONFIG).findings]
    assert parsed
    for n in (105, 205):
        after = before.replace("setting_5 = 5\n", f"setting_5 = {n}\n")
        parsed.clear()
        got = inc.analyze(after, "m.py", CONFIG)
        assert not parsed
        assert _key(got) == _key(analyze(after, "m.py", CONFIG))
        assert "TL428" in [f.code for f in got.findings]


@pytest.mark.parametrize("module_name, code", [("tl113_keep_probability_as_drop_rate", "TL113"),
                                               ("tl434_backward_through_freed_graph", "TL434")])
def test_the_file_s_calls_defs_and_bindings_are_gathered_from_kept_lists(monkeypatch, module_name, code):
    """Every call, every `def` and every module-level binding of the file (`_common.module_calls`,
    `function_defs`, `_reaching.bindings`): after an edit of one chunk, gathered from the lists
    of the last run and the changed chunk's tree, not by asking every chunk's facts again."""
    from tensorlint.interp.reporting import ReportingMixin

    _, rule = _rule(module_name)
    filler = "".join(f"setting_{i} = {i}\n" for i in range(FILLER))
    before = rule.failing[0] + filler
    asked = []
    real = ReportingMixin.tree_fact

    def counting(self, chunk, key, compute):
        asked.append((key, chunk))
        return real(self, chunk, key, compute)

    monkeypatch.setattr(ReportingMixin, "tree_fact", counting)
    inc = IncrementalAnalysis()
    assert code in [f.code for f in inc.analyze(before, "m.py", CONFIG).findings]
    asked.clear()
    after = before.replace("setting_5 = 5\n", "setting_5 = 105\n")
    old = {id(m) for m in inc.prev.modules}
    got = inc.analyze(after, "m.py", CONFIG)
    changed = {i for i, m in enumerate(inc.prev.modules) if id(m) not in old}
    gathered = [(k, i) for k, i in asked if k in (("calls by scope",), ("function defs",), ("reaching bindings",))]
    assert all(i in changed for _, i in gathered), gathered
    assert _key(got) == _key(analyze(after, "m.py", CONFIG))


@pytest.mark.parametrize("module_name", ["tl444_step_trains_other_network", "tl445_target_reads_other_placeholder",
                                         "tl506_prediction_input_from_targets", "tl005_super_init_given_self",
                                         "tl447_stored_parameter_bypassed"])
def test_removing_or_adding_a_statement_gives_the_whole_file_findings(module_name):
    """Rules that pair facts from several statements (a minimize() and a chained tf.gradients, a
    fit and a predict, a stored parameter and its default's call): after an edit that takes away
    or adds back any one top-level statement of the rule's example, the server's findings are a
    whole-file analysis's (a kept statement never keeps a finding that rested on one now gone)."""
    _, rule = _rule(module_name)
    example = rule.failing[0]
    lines = example.split("\n")
    tops = [i for i, line in enumerate(lines) if line and not line[0].isspace() and not line.startswith((")", "]", "}"))]
    for i in tops:
        without = "\n".join(lines[:i] + lines[i + 1:])
        inc = IncrementalAnalysis()
        inc.analyze(example, "m.py", CONFIG)
        assert _key(inc.analyze(without, "m.py", CONFIG)) == _key(analyze(without, "m.py", CONFIG)), lines[i]
        assert _key(inc.analyze(example, "m.py", CONFIG)) == _key(analyze(example, "m.py", CONFIG)), lines[i]


@pytest.mark.parametrize("module_name", ["tl227_misspelled_layer_keyword", "tl231_channels_first_array_into_totensor",
                                         "tl232_padding_mask_of_summed_features", "tl325_partial_sum_over_total_count",
                                         "tl451_regularization_divided_by_batch"])
def test_an_edit_reads_no_call_of_other_chunks_through_the_imports(monkeypatch, module_name):
    """Rules that look for a few functions among the file's calls take them from the calls
    indexed by callee per chunk tree (`_trees.calls_named`): after an edit of one chunk, the
    calls of the others, none of them a function the rule looks for, are not read through the
    imports again."""
    module, rule = _rule(module_name)
    filler = "".join(f"setting_{i} = max({i}, default=1)\n" for i in range(FILLER))
    before = rule.failing[0] + filler
    inc = IncrementalAnalysis()
    assert rule.code in [f.code for f in inc.analyze(before, "m.py", CONFIG).findings]
    read = []
    real = module.imported_qualname
    monkeypatch.setattr(module, "imported_qualname", lambda env, func: read.append(func) or real(env, func))
    after = before.replace("setting_5 = max(5, default=1)\n", "setting_5 = max(105, default=1)\n")
    got = inc.analyze(after, "m.py", CONFIG)
    assert not [f for f in read if isinstance(f, cst.Name) and f.value == "max"]
    assert _key(got) == _key(analyze(after, "m.py", CONFIG))
