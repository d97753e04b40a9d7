"""Losses a program adds up: `loss += criterion(output, target[t])` over the steps of a sequence,
`loss = loss_a + loss_b` over the heads of a network.

Each added loss runs as a loss call of its own, on the program's values, where the statement that
adds it runs (an RNN's first step of the loop, as for any loop): an error of that loss is the
program's, at its line. A call of the file's function with its arguments unpacked from a value
(`train(*random_pair(n))`) is followed into the function as a call with named arguments is.

The gradients of one term alone are not those of the sum the program differentiates: a layer only
another term reaches gets none from this one, and an RNN's recurrent weights get zero gradients
from its first step alone. So a term's gradients are not judged (no "received no gradient", no
"all-zero gradient", nothing confirmed or refuted by them); its error and its targets still are.
"""
from __future__ import annotations

RNN = """\
import torch
import torch.nn as nn


class CharRNN(nn.Module):
    def __init__(self, n_chars, hidden):
        super().__init__()
        self.encoder = nn.Embedding(n_chars, hidden)
        self.gru = nn.GRU(hidden, hidden)
        self.decoder = nn.Linear(hidden, n_chars)

    def forward(self, inp, hidden):
        x = self.encoder(inp.view(1, -1))
        out, hidden = self.gru(x.view(1, 1, -1), hidden)
        return self.decoder(out.view(1, -1)), hidden


text = "the quick brown fox jumps over the lazy dog " * 10
chars = sorted(set(text))
model = CharRNN(len(chars), 16)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
CHUNK = 20


def random_pair(n):
    ids = torch.tensor([chars.index(c) for c in text[:n + 1]])
    return ids[:-1], ids[1:]


def train(inp, target):
    hidden = torch.zeros(1, 1, 16)
    model.zero_grad()
    loss = 0
    for c in range(CHUNK):
        output, hidden = model(inp[c], hidden)
        loss += criterion(output, target[c]{fix})
    loss.backward()
    optimizer.step()
    return loss.item() / CHUNK


for epoch in range(100):
    {call}
"""

UNPACKED = "loss = train(*random_pair(CHUNK))"
NAMED = "inp, target = random_pair(CHUNK)\n    loss = train(inp, target)"

# a function whose arguments cannot be bound by unpacking one value: not followed
WITH_DEFAULT = RNN.replace("def train(inp, target):", "def train(inp, target=None):")

HEADS = """\
import torch
import torch.nn as nn


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(4, 8)
        self.classes = nn.Linear(8, 3)
        self.flags = nn.Linear(8, 2)

    def forward(self, x):
        z = torch.relu(self.body(x))
        return self.classes(z), self.flags(z)


net = TwoHeads()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
ce = nn.CrossEntropyLoss()
x = torch.randn(16, 4)
y_classes = torch.randint(0, 3, (16,))
y_flags = torch.randint(0, 2, (16,))
for step in range(10):
    out_classes, out_flags = net(x)
{losses}
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""

SUMMED = "    loss_a = ce(out_classes, y_classes)\n    loss_b = ce(out_flags, y_flags)\n    loss = loss_a + 0.5 * loss_b"
ADDED = "    loss = ce(out_classes, y_classes)\n    loss += ce(out_flags, y_flags)"
IN_ONE_LINE = "    loss = ce(out_classes, y_classes) + ce(out_flags, y_flags)"
IN_A_LIST = ("    losses = []\n    loss_a = ce(out_classes, y_classes)\n    losses.append(loss_a)\n"
             "    loss_b = ce(out_flags, y_flags)\n    losses.append(loss_b)\n    loss = sum(losses)")

# one loss alone, whose head the other output never reaches: that head gets no gradient, and says so
ONE_HEAD = "    loss = ce(out_classes, y_classes)"


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


def errors(report) -> list:
    return [d for d in report.diagnostics() if d.severity == "error"]


def gradient_facts(report) -> list:
    return [(d.line, d.message) for d in report.diagnostics() if d.kind == "gradient"]


def test_a_loss_added_up_over_the_steps_fails_at_its_line(torch_python, text_check):
    for call in (UNPACKED, NAMED):
        text = RNN.format(fix="", call=call)
        report = text_check(text)
        line = line_of(text, "loss += criterion")
        assert report.status == "errors", (call, report.message)
        assert [d.line for d in errors(report)] == [line], (call, [(d.line, d.message) for d in errors(report)])
        assert "batch_size" in errors(report)[0].message, errors(report)[0].message


def test_the_same_loss_with_a_target_of_one_step_is_ok_and_its_gradients_are_not_judged(torch_python, text_check):
    for fix in (".view(1)", ".unsqueeze(0)"):
        for call in (UNPACKED, NAMED):
            text = RNN.format(fix=fix, call=call)
            report = text_check(text)
            assert report.status == "ok", (fix, call, report.message)
            loss = report.call(line_of(text, "loss += criterion"), "loss")
            assert loss is not None and loss["status"] == "ok" and loss.get("term"), loss
            # the first step's recurrent weights get zero gradients from that step alone: not said
            assert not gradient_facts(report), gradient_facts(report)


def test_a_function_whose_parameters_an_unpacked_value_cannot_bind_is_not_followed(torch_python, text_check):
    report = text_check(WITH_DEFAULT.format(fix="", call=UNPACKED))
    assert report.call(line_of(WITH_DEFAULT, "loss += criterion"), "loss") is None, report.calls


def test_losses_of_two_heads_added_up_say_nothing_of_either_head_s_gradients(torch_python, text_check):
    for losses in (SUMMED, ADDED, IN_ONE_LINE, IN_A_LIST):
        text = HEADS.format(losses=losses)
        report = text_check(text)
        assert report.status == "ok", (losses, report.message)
        ran = [c for c in report.calls if c.get("kind") == "loss"]
        assert ran and all(c["status"] == "ok" for c in ran), (losses, ran)
        assert not gradient_facts(report), (losses, gradient_facts(report))
        assert not [v for v in report.findings if v.verdict != "not exercised"], (losses, report.findings)


def test_one_loss_alone_still_says_which_head_gets_no_gradient(torch_python, text_check):
    text = HEADS.format(losses=ONE_HEAD)
    report = text_check(text)
    facts = gradient_facts(report)
    assert any(line == line_of(text, "loss = ce(") and "flags.weight" in message for line, message in facts), facts
