"""A loop the check runs once keeps the statements after its last model call when what follows the
loop reads what they make (`losses.append(loss)` in an episode, `torch.cat(losses)` after it):
the code after the loop then meets the values one pass makes, as the program's would, instead of
an empty list "only partly made". Statements after the last call that nothing after the loop
reads (printing, logging, a file written) stay left out."""
from __future__ import annotations

import pytest

# each: a loop whose body, after its model call, keeps what a function after the loop reads; {tail}
# is that statement, buggy (a 0-dim tensor indexed, a view of the wrong size) or fixed
EPISODES = [
    # lists the episode fills, read by the update after it (an actor-critic's rewards)
    ("""\
import torch
from torch import nn
import torch.nn.functional as F

model = nn.Linear(4, 1)
values, rewards = [], []


def finish():
    returns = torch.tensor(rewards)
    loss = F.mse_loss(torch.cat(values).squeeze(-1), returns)
    loss.backward()


for step in range(5):
    value = model(torch.randn(1, 4))
    reward = value.detach().sum()
    values.append(value)
    {tail}
    print("step", step)
finish()
""", "rewards.append(reward[0])", "rewards.append(reward.item())"),
    # a `while` loop inside the entry point; the list is an attribute of the model
    ("""\
import torch
from torch import nn
import torch.nn.functional as F


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 1)
        self.losses = []

    def forward(self, x):
        return self.fc(x)


critic = Critic()


def update():
    total = F.l1_loss(torch.tensor(critic.losses), torch.zeros(len(critic.losses)))
    print(total)


def main():
    done, t = False, 0
    while not done:
        value = critic(torch.randn(1, 3))
        loss = F.smooth_l1_loss(value, torch.ones(1, 1))
        t += 1
        {tail}
        done = t >= 3
    update()


if __name__ == "__main__":
    main()
""", "critic.losses.append(loss.data[0])", "critic.losses.append(loss.item())"),
    # a dict of lists filled after the call, read by a loss after the loop
    ("""\
import torch
from torch import nn
import torch.nn.functional as F

net = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 4))
record = {"pred": []}
for batch in range(3):
    pred = net(torch.randn(2, 6))
    {tail}
final = F.mse_loss(torch.cat(record["pred"]), torch.zeros(2, 4))
""", 'record["pred"].append(pred.view(-1, 3))', 'record["pred"].append(pred.view(-1, 4))'),
]


@pytest.mark.parametrize("program,bad,good", EPISODES)
def test_a_statement_after_the_last_call_of_a_loop_runs_when_later_code_reads_it(torch_python, text_check, program,
                                                                                  bad, good):
    buggy = program.replace("{tail}", bad)
    report = text_check(buggy)
    assert report.status == "errors", report.message
    line = next(i for i, ln in enumerate(buggy.splitlines(), 1) if ln.strip() == bad)
    assert line in [d.line for d in report.diagnostics() if d.severity == "error"], report.message
    fixed = text_check(program.replace("{tail}", good))
    assert fixed.status == "ok", fixed.message
    assert not [d for d in fixed.diagnostics() if "could not run" in d.message], fixed.message


def test_an_unknown_value_the_tail_appends_is_not_blamed_on_the_program(torch_python, text_check):
    program = """\
import torch
from torch import nn
import torch.nn.functional as F

model = nn.Linear(4, 1)
weights = []
for step in range(5):
    out = model(torch.randn(1, 4))
    weights.append(float(open("weights.txt").read()))
total = F.l1_loss(torch.tensor(weights), torch.zeros(5, 1))
"""
    report = text_check(program)
    assert report.status != "errors", report.message
    assert any("weights.txt" in d.message and "could not run" in d.message for d in report.diagnostics())
    assert not [d for d in report.diagnostics() if d.severity == "error"], report.message


def test_a_tail_nothing_after_the_loop_reads_stays_left_out(torch_python, text_check):
    program = """\
import torch
from torch import nn
import torch.nn.functional as F

model = nn.Linear(4, 1)
seen = []
for step in range(5):
    out = model(torch.randn(1, 4))
    seen.append(out[0][5])
    open("train.log", "a").write(str(out))
final = F.l1_loss(model(torch.randn(3, 4)), torch.zeros(3, 1))
"""
    report = text_check(program)
    assert report.status == "ok", report.message
    assert not report.diagnostics() or not [d for d in report.diagnostics() if d.severity == "error"], report.message
