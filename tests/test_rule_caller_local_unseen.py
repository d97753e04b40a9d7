"""TL006 caller-local-unseen: a function (or method) reading a name that the module binds only in
a top-level loop, while every caller binds its own variable of that name and does not pass it:
a Keras DQN agent's method called through `self`, a torch helper called from a training
function, a TF2 step called from two functions; and the look-alikes that stay silent: a setting
bound once at the top level, a caller at the top level, a caller without its own variable, the
name passed as an argument, a `global` declaration, a function also used as a value, a nested
function. Each case marks its expected findings with `# expect: TL006`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "keras-agent-method": """
        import random
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense

        class Agent:
            def __init__(self):
                self.q = Sequential([Dense(2, input_shape=(4,))])
                self.memory = []

            def target(self, next_state):
                return reward + 0.99 * np.amax(self.q.predict(next_state)[0])  # expect: TL006

            def replay(self, n):
                for state, action, reward, next_state, done in random.sample(self.memory, n):
                    q = self.q.predict(state)
                    q[0][action] = reward if done else self.target(next_state)
                    self.q.fit(state, q, verbose=0)

        agent = Agent()
        if __name__ == "__main__":
            for episode in range(100):
                state, action, reward, next_state, done = np.zeros((1, 4)), 0, 1.0, np.zeros((1, 4)), False
                agent.memory.append((state, action, reward, next_state, done))
                agent.replay(1)
    """,
    "torch-helper-from-training-function": """
        import torch

        model = torch.nn.Linear(8, 1)

        def scaled_loss(pred):
            return ((pred - y) ** 2).mean()  # expect: TL006

        def train(loader, opt):
            for x, y in loader:
                opt.zero_grad()
                loss = scaled_loss(model(x))
                loss.backward()
                opt.step()

        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in [(torch.zeros(4, 8), torch.zeros(4, 1))]:
            print(x.shape, y.shape)
        train([(torch.zeros(4, 8), torch.zeros(4, 1))], opt)
    """,
    "tf2-step-from-two-functions": """
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])

        def weight_of(batch):
            return tf.cast(epoch + 1, tf.float32) * tf.reduce_mean(model(batch))  # expect: TL006

        def fit(data, epochs):
            for epoch in range(epochs):
                weight_of(data)

        def evaluate(data, epoch=0):
            return weight_of(data)

        while True:
            for epoch in range(2):
                pass
            break
        fit(tf.zeros((2, 3)), 2)
    """,
    # -- silent ----------------------------------------------------------------------------
    "setting-bound-once": """
        import torch

        GAMMA = 0.9

        def discount(r):
            return GAMMA * r

        def run(rewards):
            GAMMA = 0.5
            return [discount(r) for r in rewards]

        for GAMMA in (0.9, 0.99):
            pass
    """,
    "caller-at-top-level": """
        import torch

        def show():
            print(step)

        for step in range(3):
            show()
    """,
    "caller-without-its-own-or-name-passed": """
        import torch

        def show():
            print(step)

        def report(step):
            return step

        def run():
            show()
            report(2)

        for step in range(3):
            run()
    """,
    "declared-global": """
        import torch

        def show():
            print(step)

        def run():
            global step
            for step in range(3):
                show()

        for step in range(3):
            run()
    """,
    "function-used-as-value": """
        import torch

        def show():
            print(step)

        def run(items):
            for step in items:
                show()

        callbacks = [show]
        for step in range(3):
            run([step])
    """,
    "nested-function-reads-enclosing": """
        import torch

        def outer(batches):
            for step in batches:
                def inner():
                    return step
                inner()

        for step in range(3):
            outer([step])
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_caller_local_unseen_written_several_ways(name):
    marked, found = marked_and_found("TL006", name, CASES[name])
    assert found == marked


def test_message_names_the_caller_and_its_binding():
    f = only_finding("TL006", CASES["keras-agent-method"], Config())
    assert "`reward` in `target` is the module's `reward`" in f.message
    assert "its caller `replay` (line 17)" in f.message


def test_cli_on_a_script(tmp_path, capsys):
    import textwrap

    from tensorlint.cli import main

    path = tmp_path / "dqn.py"
    path.write_text(textwrap.dedent(CASES["torch-helper-from-training-function"]).lstrip("\n"))
    code = main([str(path)])
    out = capsys.readouterr().out
    assert code == 1 and f"{path}:6:21: TL006" in out


def _edits_in_each_function(text):
    """The text with a statement added at the top of each function's body, one function at a
    time, and with a line added at the end."""
    import textwrap

    lines = textwrap.dedent(text).lstrip("\n").split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("def ") and line.rstrip().endswith(":"):
            body = next(ln for ln in lines[i + 1:] if ln.strip())
            indent = body[: len(body) - len(body.lstrip())]
            yield "\n".join(lines[: i + 1] + [f"{indent}pause = 0"] + lines[i + 1:])
    yield "\n".join(lines) + "\nlast = 1\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_edit_in_any_function_gives_what_the_whole_file_gives(name):
    import textwrap

    from tensorlint.engine import analyze
    from tensorlint.incremental import IncrementalAnalysis

    config = Config(select=("ALL",))

    def key(result):
        return sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)

    original = textwrap.dedent(CASES[name]).lstrip("\n")
    for edited in _edits_in_each_function(CASES[name]):
        inc = IncrementalAnalysis()
        inc.analyze(original, "m.py", config)
        for text in (edited, original, edited):  # the edit, taken back, made again
            assert key(inc.analyze(text, "m.py", config)) == key(analyze(text, "m.py", config))
