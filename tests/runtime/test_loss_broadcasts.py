"""PyTorch's elementwise losses (`mse_loss`, `l1_loss`, `smooth_l1_loss`, `huber_loss`, functional
or `nn` modules) broadcast an input and a target of different sizes and only warn. When both grow
(a [batch, 1] output against a [batch] target gives [batch, batch]) the loss compares every output
with every target: the check reports it as an error at the program's line, with the shapes. A
warning where one side alone grows (a [1] value against a 0-dim return, every output against one
constant) pairs each element with the one value it is meant to meet and stays silent, as do two
operands of one rank that were each given their unit axis (a pairwise comparison)."""
from __future__ import annotations

TRAIN = """\
import torch
import torch.nn as nn
import torch.nn.functional as F

net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(32, 4)
y = torch.randn(32)
for step in range(100):
    optimizer.zero_grad()
    out = net(x)
    loss_mse = F.mse_loss(out, y)
    loss_module = nn.MSELoss()(out, y)
    loss_l1 = nn.L1Loss(reduction="sum")(out, y)
    loss_smooth = F.smooth_l1_loss(y, out)
    loss_huber = nn.HuberLoss()(out, y)
    loss = loss_mse + loss_module + loss_l1 + loss_smooth + loss_huber
    loss.backward()
    optimizer.step()
"""

LOOK_ALIKES = """\
import torch
import torch.nn as nn
import torch.nn.functional as F

net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(32, 4)
y = torch.randn(32, 2)
for step in range(100):
    optimizer.zero_grad()
    out = net(x)
    same = F.mse_loss(out, y)
    one_column = F.mse_loss(out, y[:, :1])
    constant = nn.L1Loss()(out, torch.zeros(1))
    first = F.smooth_l1_loss(out[0, :1], y[0, 0])
    flat = F.huber_loss(out[:, 0], y[:, 0])
    pairwise = F.mse_loss(out.unsqueeze(1), out.unsqueeze(0))
    loss = same + one_column + constant + first + flat + pairwise
    loss.backward()
    optimizer.step()
"""

# the loss inside the program's own function, under a filter that hides every warning
IN_A_FUNCTION = """\
import warnings
import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 1)

    def forward(self, s):
        return self.fc(s)


critic = Critic()
optimizer = torch.optim.Adam(critic.parameters(), lr=1e-3)


def train_step(states, returns):
    value = critic(states)
    loss = F.smooth_l1_loss(value, returns{fix})
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


states = torch.randn(16, 3)
returns = torch.randn(16)
train_step(states, returns)
"""


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


def errors(report) -> list:
    return [d for d in report.diagnostics() if d.severity == "error"]


def test_each_elementwise_loss_of_a_column_against_a_vector_fails_at_its_line(torch_python, text_check):
    report = text_check(TRAIN)
    assert report.status == "errors", report.message
    lines = [line_of(TRAIN, f"loss_{name} =") for name in ("mse", "module", "l1", "smooth", "huber")]
    assert sorted(d.line for d in errors(report)) == lines, [(d.line, d.message) for d in errors(report)]
    first = errors(report)[0].message
    assert "LossBroadcastError" in first and "[32, 1]" in first and "[32]" in first and "[32, 32]" in first, first
    smooth = report.call(line_of(TRAIN, "loss_smooth ="), "loss")
    assert "input of shape [32] and a target of shape [32, 1]" in smooth["error"]["message"], smooth["error"]


def test_losses_whose_operands_match_or_meet_one_value_stay_silent(torch_python, text_check):
    report = text_check(LOOK_ALIKES)
    assert report.status == "ok", report.message
    for name in ("same", "one_column", "constant", "first", "flat", "pairwise"):
        call = report.call(line_of(LOOK_ALIKES, f"{name} ="), "loss")
        assert call is not None and call["status"] == "ok", (name, call)


def test_a_loss_in_the_program_s_function_fails_there_whatever_its_warning_filters(torch_python, text_check):
    text = IN_A_FUNCTION.format(fix="")
    report = text_check(text)
    assert report.status == "errors", report.message
    inner = line_of(text, "loss = F.smooth_l1_loss")
    assert {d.line for d in errors(report)} == {inner}, [(d.line, d.message) for d in errors(report)]
    assert any("[16, 1]" in d.message and "[16, 16]" in d.message for d in errors(report) if d.line == inner)


def test_the_same_function_with_a_column_of_returns_is_ok(torch_python, text_check):
    report = text_check(IN_A_FUNCTION.format(fix=".unsqueeze(1)"))
    assert report.status == "ok", report.message
    assert not errors(report)


def test_a_static_silent_broadcast_is_confirmed_by_the_run(torch_python, text_check):
    report = text_check(TRAIN)
    verdicts = {(v.code, v.line): v for v in report.findings}
    line = line_of(TRAIN, "loss_mse =")
    assert ("TL205", line) in verdicts, sorted(verdicts)
    assert verdicts[("TL205", line)].verdict == "confirmed", verdicts[("TL205", line)]
    assert "[32, 32]" in verdicts[("TL205", line)].evidence


def test_a_static_silent_broadcast_is_refuted_only_by_operands_of_one_shape():
    from tensorlint.findings import Finding, Severity, Span
    from tensorlint.runtime.report import Report
    from tensorlint.runtime.verdicts import judge

    def loss(line, a, b):
        return {"id": line, "kind": "loss", "line": line, "status": "ok", "text": "F.mse_loss(out, y)",
                "elementwise_operands": [{"shape": a, "dtype": "float32"}, {"shape": b, "dtype": "float32"}]}

    report = Report(path="train.py", status="ok", message="", calls=[loss(5, [32, 1], [32, 1]), loss(9, [32, 2], [32, 1])])
    found = [Finding(code="TL205", name="silent-broadcast-in-loss", message="", severity=Severity.WARNING,
                     span=Span.of(line, 0, line, 10)) for line in (5, 9, 12)]
    assert [v.verdict for v in judge(found, report)] == ["refuted", "not exercised", "not exercised"]
