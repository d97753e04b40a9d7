"""The check has no network: a model or tokenizer the program downloads from the Hugging Face hub
(`BertModel.from_pretrained('bert-base-uncased')`) is said to be missing at once, at its line,
instead of the hub's retries running out the check's time ("stopped after 90 s")."""
from __future__ import annotations

import time

PROGRAM = """\
import torch
from transformers import {cls}

bert = {cls}.from_pretrained('bert-base-uncased')
head = torch.nn.Linear(768, 2)
ids = torch.randint(0, 30522, (2, 6))
out = head(bert(ids)[0][:, 0])
"""


def test_a_hub_download_is_missing_at_once(installed, text_check):
    installed("transformers")
    for cls in ("BertModel", "AutoModel"):
        start = time.monotonic()
        report = text_check(PROGRAM.format(cls=cls), timeout=120)
        assert time.monotonic() - start < 60, report.message
        assert report.status != "timeout", report.message
        setup = [d for d in report.diagnostics() if d.kind == "setup" and d.line == 4]
        assert setup and "huggingface" in setup[0].message.lower(), report.to_text()
        assert not [d for d in report.diagnostics() if d.severity == "error"], report.to_text()
        assert report.status == "could-not-check", (report.status, report.message)
