"""Incremental analysis of TF1 programs that feed placeholders: a chunk that feeds runs again
without the whole file when what it declares and feeds is what it was; when that changes, the
file runs again through (what is fed anywhere refines the graph everywhere). Either way the
result is the whole-file analysis's."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

CONFIG = Config(select=("ALL",))

HEAD = "import numpy as np\nimport tensorflow as tf\n\n"

SCALER = (
    "class Scaler:\n"
    "    def __init__(self):\n"
    "        self.k = 2.0\n\n"
    "    def apply(self, a):\n"
    "        return a * self.k\n\n\n"
)

# the graph at module level, fed in a loop that calls what the edited class made
MODULE_GRAPH = HEAD + SCALER + (
    "x = tf.placeholder(tf.float32, [None, 784])\n"
    "y = tf.placeholder(tf.int64, [None])\n"
    "W = tf.Variable(tf.zeros([784, 10]))\n"
    "logits = tf.matmul(x, W)\n"
    "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))\n"
    "sess = tf.Session()\n"
    "scaler = Scaler()\n\n"
    "for step in range(10):\n"
    "    xb = scaler.apply(np.random.rand(32, 784).astype(np.float32))\n"
    "    yb = np.random.randint(0, 10, 32)\n"
    "    sess.run(loss, feed_dict={x: xb, y: yb})\n\n"
    "print('done')\nw = np.zeros(3)\nprint(w)\n"
)

# the graph built in a method, fed in another, the object made and trained at module level
METHOD_GRAPH = HEAD + SCALER + (
    "class Classifier:\n"
    "    def build(self, n_in):\n"
    "        self.X = tf.placeholder(tf.float32, [None, n_in])\n"
    "        self.y = tf.placeholder(tf.int32, [None])\n"
    "        logits = tf.layers.dense(self.X, 3)\n"
    "        self.loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=self.y, logits=logits))\n"
    "        self.sess = tf.Session()\n\n"
    "    def fit(self, X, y, scaler):\n"
    "        self.build(X.shape[1])\n"
    "        for epoch in range(5):\n"
    "            self.sess.run(self.loss, feed_dict={self.X: scaler.apply(X), self.y: y})\n\n\n"
    "scaler = Scaler()\n"
    "Classifier().fit(np.random.rand(100, 8).astype(np.float32), np.random.randint(0, 3, 100), scaler)\n"
    "print('done')\nw = np.zeros(3)\nprint(w)\n"
)

# fed what the program cannot know (a data set read at run time): nothing is refined
UNKNOWN_FEED = HEAD + SCALER + (
    "from tensorflow.examples.tutorials.mnist import input_data\n"
    "mnist = input_data.read_data_sets('MNIST_data/', one_hot=False)\n"
    "x = tf.placeholder(tf.float32)\n"
    "y = tf.placeholder(tf.int64)\n"
    "logits = tf.layers.dense(x, 10)\n"
    "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))\n"
    "sess = tf.Session()\n"
    "scaler = Scaler()\n"
    "for i in range(100):\n"
    "    xb, yb = mnist.train.next_batch(100)\n"
    "    sess.run(loss, feed_dict={x: scaler.apply(xb), y: yb})\n"
    "print('done')\nw = np.zeros(3)\nprint(w)\n"
)

PROGRAMS = {"module graph": MODULE_GRAPH, "method graph": METHOD_GRAPH, "unknown feed": UNKNOWN_FEED}


def _key(result):
    findings = sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)
    values = sorted((v.span.start.line, v.span.start.column, v.text) for v in result.values)
    return findings, values


def _same_as_full(inc, text):
    got = inc.analyze(text, "m.py", CONFIG)
    assert _key(got) == _key(analyze(text, "m.py", CONFIG, collect_values=True))
    return got


@pytest.mark.parametrize("name", PROGRAMS)
@pytest.mark.parametrize("edit", ["        return a * self.k  # scaled\n", "        b = 1\n        return a * self.k\n"])
def test_an_edit_that_reaches_a_feeding_chunk_runs_it_alone_again(name, edit):
    """An edit in a method that the feeding code calls: the feeds are what they were, so the
    graph is refined as before and the file does not run again through."""
    text = PROGRAMS[name]
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    edited = text.replace("        return a * self.k\n", edit, 1)
    _same_as_full(inc, edited)
    assert inc.last_run["ran"] < inc.last_run["chunks"] - 3  # (the prints at the end stay)
    _same_as_full(inc, text)  # and back


@pytest.mark.parametrize("name", PROGRAMS)
@pytest.mark.parametrize("new", [
    "        return a[:, :4] * self.k\n",  # another shape fed
    "        return (a * self.k).astype(np.int32)\n",  # another dtype
    "        return [a]\n",  # no tensor at all
])
def test_an_edit_that_changes_what_is_fed_gives_the_whole_analysis(name, new):
    """What the feeding code feeds changes with the edit: the refinement may differ, and the
    result is still the whole-file analysis's (which runs everything again)."""
    text = PROGRAMS[name]
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    edited = text.replace("        return a * self.k\n", new, 1)
    _same_as_full(inc, edited)
    _same_as_full(inc, text)


def test_a_feed_moved_before_its_placeholder_gives_the_whole_analysis():
    """A chunk that now runs before the placeholder it feeds is declared feeds nothing known."""
    text = MODULE_GRAPH
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    feed = "sess.run(loss, feed_dict={x: np.zeros((4, 784), np.float32), y: np.zeros(4, np.int64)})\n"
    _same_as_full(inc, text + feed)
    early = text.replace("x = tf.placeholder(", feed.replace("loss", "W") + "x = tf.placeholder(", 1)
    if not analyze(early, "m.py", CONFIG).syntax_error:
        _same_as_full(inc, early + feed)


# the feeding code in a function that module-level code calls; the edits change its callers
CALLED_FEED = HEAD + (
    "x = tf.placeholder(tf.float32, [None, 784])\n"
    "y = tf.placeholder(tf.int64, [None])\n"
    "W = tf.Variable(tf.zeros([784, 10]))\n"
    "logits = tf.matmul(x, W)\n"
    "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))\n"
    "sess = tf.Session()\n\n\n"
    "def train_step(xb, yb):\n"
    "    return sess.run(loss, feed_dict={x: xb, y: yb})\n\n\n"
    "CALL"
    "print('done')\nw = np.zeros(3)\nprint(w)\n"
)
BATCH = "np.random.rand(32, 784).astype(np.float32), np.random.randint(0, 10, 32)"
CALLS = {
    "called": f"train_step({BATCH})\n",
    "called in a loop": f"for _ in range(3):\n    train_step({BATCH})\n",
    "called twice": f"train_step({BATCH})\ntrain_step({BATCH})\n",
    "not called": "pass\n",
}


@pytest.mark.parametrize("order", [
    ["called", "called in a loop", "called"],
    ["called", "called twice", "called in a loop"],
    ["called", "not called", "called", "not called"],
])
def test_a_feeding_function_whose_callers_change_equals_a_full_analysis(order):
    """The chunk of a function whose callers changed runs again (it reads the module's names as
    at its last call) and feeds from there, while the changed calling chunk feeds through it
    (the whole file then runs again): the result is the whole analysis's after every edit."""
    inc = IncrementalAnalysis()
    for name in order:
        _same_as_full(inc, CALLED_FEED.replace("CALL", CALLS[name]))


# a TF1 agent: placeholders declared in __init__, two of them alike and fed differently
AGENT = HEAD + (
    "class Agent(object):\n"
    "    def __init__(self, n_features, n_actions):\n"
    "        self.s = tf.placeholder(tf.float32, [None, n_features], name='s')\n"
    "        self.s_ = tf.placeholder(tf.float32, [None, n_features], name='s_')\n"
    "        self.a = tf.placeholder(tf.int32, [None, ], name='a')\n"
    "        w = tf.Variable(tf.zeros([n_features, n_actions]))\n"
    "        self.q = tf.matmul(self.s, w)\n"
    "        self.q_next = tf.matmul(self.s_, w)\n"
    "        q_a = tf.reduce_sum(self.q * tf.one_hot(self.a, n_actions), axis=1)\n"
    "        self.loss = tf.reduce_mean(tf.square(tf.stop_gradient(tf.reduce_max(self.q_next, axis=1)) - q_a))\n"
    "        self.train_op = tf.train.AdamOptimizer(0.01).minimize(self.loss)\n"
    "        self.sess = tf.Session()\n\n"
    "    def learn(self, s, a, s_):\n"
    "        return self.sess.run([self.train_op, self.loss], feed_dict={self.s: s, self.a: a, self.s_: s_})\n\n\n"
    "agent = Agent(4, 2)\n"
    "s = np.random.randn(16, 4).astype(np.float32)\n"
    "agent.learn(s, np.random.randint(0, 2, 16), s * 10 + 5)\n"
    "print('done')\nw = np.zeros(3)\nprint(w)\n"
)

# the graph built by a function that returns it
FUNCTION_GRAPH = HEAD + (
    "def build(n_in):\n"
    "    x = tf.placeholder(tf.float32, [None, n_in])\n"
    "    y = tf.placeholder(tf.int64, [None])\n"
    "    logits = tf.layers.dense(x, 10)\n"
    "    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))\n"
    "    return x, y, loss\n\n\n"
    "x, y, loss = build(784)\n"
    "sess = tf.Session()\n"
    "for step in range(10):\n"
    "    sess.run(loss, feed_dict={x: np.random.rand(32, 784).astype(np.float32), y: np.random.randint(0, 10, 32)})\n"
    "print('done')\nw = np.zeros(3)\nprint(w)\n"
)

DECLARING = {"method graph": (METHOD_GRAPH, "        self.X = tf.placeholder("),
             "agent": (AGENT, "        self.s = tf.placeholder("),
             "function graph": (FUNCTION_GRAPH, "    x = tf.placeholder(")}


def _before(text, line_start, new):
    return text.replace(line_start, new + line_start, 1)


@pytest.mark.parametrize("name", DECLARING)
@pytest.mark.parametrize("edit", ["step = 0\n", "# a note\n", "n = len('abc')\n"])
def test_an_edit_in_a_chunk_that_declares_placeholders_runs_it_and_its_readers_alone(name, edit):
    """A line added in the method (or function) that declares the placeholders, the
    declarations unchanged: the chunk runs again with the refinement the placeholders it
    declares again had (what is fed to them is what it was), not the whole file twice."""
    text, at = DECLARING[name]
    indent = at[: len(at) - len(at.lstrip())]
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    _same_as_full(inc, _before(text, at, indent + edit))
    assert inc.last_run["ran"] < inc.last_run["chunks"] - 3  # (the prints at the end stay)
    _same_as_full(inc, _before(text, at, indent + edit + indent + edit))  # and once more
    assert inc.last_run["ran"] < inc.last_run["chunks"] - 3
    _same_as_full(inc, text)  # and back


@pytest.mark.parametrize("name", DECLARING)
@pytest.mark.parametrize("change", [
    ("tf.placeholder(tf.float32, [None, ", "tf.placeholder(tf.float32, [8, "),  # another shape
    ("tf.placeholder(tf.float32, [None, ", "tf.placeholder(tf.float64, [None, "),  # another dtype
    ("tf.placeholder(tf.float32, [None, ", "tf.placeholder(tf.float32, shape=[None, "),  # the same, written otherwise
    ("tf.placeholder(tf.float32, [None, ", "tf.placeholder(tf.float32, [None, 2, "),  # another rank
])
def test_an_edit_of_a_declaration_gives_the_whole_analysis(name, change):
    """The declaration itself changes: the refinement may differ (or the feed no longer
    fits), and the result is still the whole-file analysis's."""
    text, _ = DECLARING[name]
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    edited = text.replace(*change, 1)
    assert edited != text
    _same_as_full(inc, edited)
    _same_as_full(inc, text)


FEEDS = [
    ("agent", "self.a: a, ", ""),  # a feed removed
    ("agent", "feed_dict={self.s: s, ", "feed_dict={self.s: s, self.s_: s, "),  # a feed added
    ("agent", "        self.s = tf.placeholder(tf.float32, [None, n_features], name='s')\n"
              "        self.s_ = tf.placeholder(tf.float32, [None, n_features], name='s_')\n",
     "        self.s_ = tf.placeholder(tf.float32, [None, n_features], name='s_')\n"
     "        self.s = tf.placeholder(tf.float32, [None, n_features], name='s')\n"),  # alike declarations swapped
    ("agent", "        self.a = tf.placeholder(", "        self.b = tf.placeholder(tf.float32)\n        self.a = tf.placeholder("),
    ("method graph", "        self.y = tf.placeholder(tf.int32, [None])\n", ""),  # a placeholder removed
    ("method graph", ", self.y: y}", "}"),
    ("function graph", "    y = tf.placeholder(", "    z = tf.placeholder(tf.float32)\n    y = tf.placeholder("),
    ("function graph", "feed_dict={x: ", "feed_dict={x: np.zeros((2, 784), np.float32), y: np.zeros(2, np.int64)})\n"
                                        "    sess.run(loss, feed_dict={x: "),
]


@pytest.mark.parametrize("name, old, new", FEEDS)
def test_an_edit_of_what_a_declaring_chunk_declares_or_feeds_gives_the_whole_analysis(name, old, new):
    """A placeholder or a feed added, removed, or two alike placeholders swapped, in or next to
    the chunk that declares them: the result is the whole-file analysis's."""
    text, _ = DECLARING[name]
    inc = IncrementalAnalysis()
    _same_as_full(inc, text)
    edited = text.replace(old, new, 1)
    assert edited != text
    _same_as_full(inc, edited)
    _same_as_full(inc, text)
