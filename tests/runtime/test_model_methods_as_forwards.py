"""Models a program runs only through their own methods (runtime/method_forwards.py).

A module with no `forward`, or one whose `forward` only raises NotImplementedError, is run by the
methods its program wrote: `model.pi(state)` and `model.v(state)` of an actor-critic,
`policy.evaluate(states, actions)` of a PPO policy. Each such call runs as that model's forward
pass on the program's own arguments: its layers are recorded, an error in them is the program's at
its line, and a loss on its output is checked as any loss on a model's output is. Before, the
check called the model itself on an input it made up and stopped at "missing the required
forward function", or did not run the method at all.
"""
from __future__ import annotations

ACTOR_CRITIC = """\
import torch
import torch.nn as nn
import torch.nn.functional as F


class ActorCritic(nn.Module):
    def __init__(self):
        super().__init__()
        self.data = []
        self.fc1 = nn.Linear(4, 64)
        self.fc_pi = nn.Linear(64, 2)
        self.fc_v = nn.Linear(64, 1)
        self.optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)

    def pi(self, x, softmax_dim=0):
        x = F.relu(self.fc1(x))
        return F.softmax(self.fc_pi(x), dim=softmax_dim)

    def v(self, x):
        x = F.relu(self.fc1(x))
        return self.fc_v(x)

    def put_data(self, item):
        self.data.append(item)

{train}

model = ActorCritic()
states = torch.randn(16, {features})
returns = torch.randn({returns})
for step in range(100):
{loop}
"""

# the program calls the methods itself, in its loop
AT_TOP = ("", """\
    probs = model.pi(states, softmax_dim=1)
    value = model.v(states)
    loss = F.mse_loss(value, returns)
    model.optimizer.zero_grad()
    loss.backward()
    model.optimizer.step()""")
# the program acts with one method and calls a training method of the model, which calls the
# others on `self`
IN_A_METHOD = ("""\
    def train_net(self, s, r):
        value = self.v(s)
        loss = F.smooth_l1_loss(value, r)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()""", """\
    probs = model.pi(states[0])
    model.put_data(probs)
    model.train_net(states, returns)""")

POLICY = """\
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class Policy(nn.Module):
    def __init__(self, state_dim, n_actions):
        super().__init__()
        self.actor = nn.Sequential(nn.Linear(state_dim, 32), nn.Tanh(), nn.Linear(32, n_actions), nn.Softmax(dim=-1))
        self.critic = nn.Sequential(nn.Linear(state_dim, 32), nn.Tanh(), nn.Linear(32, 1))

    def forward(self):
        raise NotImplementedError

    def evaluate(self, state, action):
        probs = self.actor(state)
        dist = Categorical(probs)
        return dist.log_prob(action), self.critic(state), dist.entropy()


policy = Policy(4, 2)
optimizer = torch.optim.Adam(policy.parameters(), lr=1e-3)
states = torch.randn(32, 4)
actions = torch.randint(0, 2, (32,))
returns = torch.randn(32)
for epoch in range(4):
    logprobs, values, entropy = policy.evaluate(states, actions)
    value_loss = F.mse_loss({values}, returns)
    loss = -(logprobs * returns).mean() + 0.5 * value_loss - 0.01 * entropy.mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


def errors(report) -> list:
    return [(d.line, d.message) for d in report.diagnostics() if d.severity == "error"]


def test_a_method_of_a_model_without_forward_fails_in_its_layer_on_the_programs_input(torch_python, text_check):
    for train, loop in (AT_TOP, IN_A_METHOD):
        text = ACTOR_CRITIC.format(train=train, loop=loop, features=3, returns="16, 1")
        report = text_check(text)
        assert report.status == "errors", (loop, report.message)
        fc1 = line_of(text, "x = F.relu(self.fc1(x))")
        found = errors(report)
        assert found and found[0][0] in (fc1, fc1 + 4), found  # inside pi() or v(), whichever runs first
        assert "x3 and 4x64" in found[0][1], found
        assert "missing the required" not in report.message


def test_the_same_methods_on_the_right_input_run_and_say_what_ran(torch_python, text_check):
    for train, loop in (AT_TOP, IN_A_METHOD):
        text = ACTOR_CRITIC.format(train=train, loop=loop, features=4, returns="16, 1")
        report = text_check(text)
        assert not errors(report), (loop, report.message)
        line = line_of(text, "value = model.v(states)" if train == "" else "value = self.v(s)")
        call = report.call(line, "forward")
        assert call is not None and call["status"] == "ok" and call.get("via") == "v", call
        assert call["output"]["shape"] == [16, 1], call["output"]
        assert [row["path"] for row in call["layers"]] == ["fc1", "fc_v"], call["layers"]
        assert not call.get("synthesized_input")


def test_a_loss_on_a_methods_output_is_checked_like_any_models(torch_python, text_check):
    # [16, 1] values against [16] returns: every value meets every return
    for train, loop in (AT_TOP, IN_A_METHOD):
        text = ACTOR_CRITIC.format(train=train, loop=loop, features=4, returns="16")
        report = text_check(text)
        line = line_of(text, "loss = F.mse_loss(value" if train == "" else "loss = F.smooth_l1_loss(value")
        assert report.status == "errors", (loop, report.message)
        assert [ln for ln, _ in errors(report)] == [line], errors(report)
        assert "[16, 16]" in errors(report)[0][1], errors(report)


def test_a_policy_whose_forward_raises_runs_by_its_evaluate(torch_python, text_check):
    text = POLICY.format(values="values")
    report = text_check(text)
    line = line_of(text, "value_loss = F.mse_loss")
    assert report.status == "errors", report.message
    assert [ln for ln, _ in errors(report)] == [line], errors(report)
    call = report.call(line_of(text, "logprobs, values, entropy"), "forward")
    assert call is not None and call.get("via") == "evaluate" and call["status"] == "ok", call

    text = POLICY.format(values="values.squeeze(-1)")
    report = text_check(text)
    assert report.status == "ok", report.message
    assert not errors(report)


def test_a_model_with_a_forward_of_its_own_keeps_its_helpers_as_they_were(torch_python, text_check):
    # the program calls the model itself; `model.v(...)` beside it is no forward pass of the check's
    text = ACTOR_CRITIC.format(train="""\
    def forward(self, x):
        return self.pi(x, softmax_dim=1), self.v(x)""", loop="""\
    probs, value = model(states)
    loss = F.mse_loss(value, returns)
    model.optimizer.zero_grad()
    loss.backward()
    model.optimizer.step()""", features=4, returns="16, 1")
    report = text_check(text)
    assert not errors(report), report.message
    assert not [c for c in report.calls if c.get("via")], [c.get("text") for c in report.calls]
    assert report.call(line_of(text, "probs, value = model(states)"), "forward")["status"] == "ok"


def test_which_methods_are_forward_passes():
    import libcst as cst

    from tensorlint.runtime.method_forwards import method_forwards

    text = ACTOR_CRITIC.format(train=IN_A_METHOD[0], loop=IN_A_METHOD[1], features=4, returns="16, 1")
    # pi and v take an input and run a layer; put_data runs none; train_net runs v, a method
    assert method_forwards(cst.parse_module(text)) == {"ActorCritic": {"pi", "v"}}
    assert method_forwards(cst.parse_module(POLICY.format(values="values"))) == {"Policy": {"evaluate"}}
    with_forward = text.replace("    def put_data", "    def forward(self, x):\n        return self.v(x)\n\n    def put_data")
    assert method_forwards(cst.parse_module(with_forward)) == {}
    plain = text.replace("class ActorCritic(nn.Module):", "class ActorCritic(object):")
    assert method_forwards(cst.parse_module(plain)) == {}
    static = text.replace("    def v(self, x):", "    @staticmethod\n    def v(self, x):")
    assert method_forwards(cst.parse_module(static)) == {"ActorCritic": {"pi"}}
    # a method that trains the layers it runs, or one that only calls nn.Module's own methods
    trains = text.replace("        value = self.v(s)", "        value = self.fc_v(F.relu(self.fc1(s)))")
    assert method_forwards(cst.parse_module(trains)) == {"ActorCritic": {"pi", "v"}}
    loads = text.replace("    def put_data(self, item):\n        self.data.append(item)",
                         "    def restore(self, path):\n        self.load_state_dict(torch.load(path))")
    assert method_forwards(cst.parse_module(loads)) == {"ActorCritic": {"pi", "v"}}
