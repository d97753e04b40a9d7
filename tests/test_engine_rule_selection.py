"""Which rules run is decided per configuration and per file path, also when the same
configuration analyzes many files in a row (the set is worked out once and reused)."""
from tensorlint.config import Config
from tensorlint.engine import analyze

PROGRAM = "import torch\n\nhidden = 256\nhead = torch.nn.Linear(hidden, hidden / 2)\n"


def _codes(config: Config, path: str) -> list[str]:
    return [f.code for f in analyze(PROGRAM, path, config).findings]


def test_per_file_ignores_apply_to_their_paths_only_in_a_run_of_files():
    config = Config(per_file_ignores=(("legacy/*.py", ("TL110",)),), root="/project")
    for _ in range(2):  # the second round reuses what the first worked out
        assert _codes(config, "/project/train.py") == ["TL110"]
        assert _codes(config, "/project/legacy/old.py") == []
        assert _codes(config, "/project/models/net.py") == ["TL110"]


def test_another_configuration_gets_its_own_rules():
    assert _codes(Config(), "a.py") == ["TL110"]
    assert _codes(Config(ignore=("TL110",)), "a.py") == []
    assert _codes(Config(select=("TL1",)), "a.py") == ["TL110"]
    assert _codes(Config(select=("TL2",)), "a.py") == []
    assert _codes(Config(), "a.py") == ["TL110"]
