"""Configuration: discovery per file, --config, --isolated, validation with clear messages."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import BROKEN, write
from tensorlint.config import ConfigError
from tensorlint.findings import Severity
from tensorlint.settings import Overrides, Resolver, load_config


def test_closest_configuration_applies_to_each_file(tl, tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.tensorlint]\nignore = []\n",
        "a.py": BROKEN,
        "sub/pyproject.toml": '[tool.tensorlint]\nignore = ["TL001"]\n',
        "sub/b.py": BROKEN,
        "sub/deeper/c.py": BROKEN,
        "other/pyproject.toml": "[project]\nname = 'x'\n",  # no [tool.tensorlint]: passed over
        "other/d.py": BROKEN,
    })
    flagged = {line.split(":")[0] for line in tl("check", ".").out.splitlines() if "TL001" in line}
    assert flagged == {"a.py", "other/d.py"}


def test_tensorlint_toml_wins_over_pyproject_in_the_same_folder(tl, tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.tensorlint]\nignore = []\n",
        "tensorlint.toml": 'ignore = ["TL0"]\n',
        "a.py": BROKEN,
    })
    assert tl("check", ".").code == 0


def test_config_flag_and_isolated(tl, tmp_path):
    write(tmp_path, {
        "pyproject.toml": '[tool.tensorlint]\nignore = ["TL001"]\n',
        "strict.toml": "select = [\"ALL\"]\n",
        "a.py": BROKEN,
    })
    assert tl("check", ".").code == 0
    assert tl("check", "--isolated", ".").code == 1
    assert tl("check", "--config", "strict.toml", ".").code == 1
    r = tl("check", "--config", "missing.toml", ".")
    assert r.code == 2 and "missing.toml" in r.err


@pytest.mark.parametrize("body, named", [
    ("selct = [\"TL1\"]", "selct"),
    ("select = \"TL1,TL2\"", "select"),
    ("select = [\"E501\"]", "select"),
    ("ignore = [1]", "ignore"),
    ("per-file-ignores = [\"x\"]", "per-file-ignores"),
    ("per-file-ignores = {\"tests/*\" = [\"nope\"]}", "per-file-ignores"),
    ("severity = {TL101 = \"fatal\"}", "severity.TL101"),
    ("severity = {XYZ = \"error\"}", "severity"),
    ("exclude = \"build\"", "exclude"),
    ("extend-exclude = [\"\"]", "extend-exclude"),
    ("cache-dir = 3", "cache-dir"),
    ("target-torch-version = \"two\"", "target-torch-version"),
    ("respect-gitignore = \"yes\"", "respect-gitignore"),
    ("shapecheck = 1", "shapecheck"),
    ("src = \"lib\"", "src"),
    ("follow-imports = 1", "follow-imports"),
])
def test_bad_key_or_value_is_one_line_naming_it(tl, tmp_path, body, named):
    write(tmp_path, {"pyproject.toml": f"[tool.tensorlint]\n{body}\n", "a.py": "x = 1\n"})
    r = tl("check", ".")
    assert r.code == 2
    message = r.err.strip()
    assert "\n" not in message and "Traceback" not in message
    assert named in message and "pyproject.toml" in message


def test_unknown_key_suggests_the_close_one(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.tensorlint]\nextend_select = [\"TL5\"]\n"})
    with pytest.raises(ConfigError, match="did you mean 'extend-select'"):
        load_config(tmp_path)


def test_broken_toml_is_a_config_error(tl, tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.tensorlint\nselect = \n", "a.py": "x = 1\n"})
    r = tl("check", ".")
    assert r.code == 2 and "not valid TOML" in r.err


def test_every_key_reaches_the_config(tmp_path):
    write(tmp_path, {"pyproject.toml": """
[tool.tensorlint]
select = ["tl1", "TL2"]
ignore = ["TL103"]
extend-select = ["TL501"]
per-file-ignores = {"tests/*" = ["TL2"]}
severity = {TL2 = "warning", TL301 = "info"}
exclude = ["legacy/"]
extend-exclude = ["*_pb2.py"]
cache-dir = ".cache/tl"
target-torch-version = "2.4"
respect-gitignore = false

[tool.tensorlint.shapecheck]
device = "meta"
timeout = 30
inputs = {x = [1, 3, 28, 28]}
"""})
    c = load_config(tmp_path / "train.py")
    assert c.select == ("TL1", "TL2") and c.ignore == ("TL103",) and c.extend_select == ("TL501",)
    assert c.per_file_ignores == (("tests/*", ("TL2",)),)
    assert c.severity_for("TL201", Severity.ERROR) is Severity.WARNING
    assert c.severity_for("TL301", Severity.ERROR) is Severity.INFO
    assert c.exclude == ("legacy/",) and c.extend_exclude == ("*_pb2.py",)
    assert c.cache_dir == ".cache/tl" and c.target_torch_version == (2, 4) and c.respect_gitignore is False
    assert dict(c.shapecheck) == {"device": "meta", "timeout": 30, "inputs": {"x": [1, 3, 28, 28]}}
    assert c.root == str(tmp_path.resolve())
    assert not c.is_enabled("TL201", True, str(tmp_path / "tests" / "test_x.py"))
    assert c.is_enabled("TL201", True, str(tmp_path / "src" / "x.py"))


def test_shapecheck_table_is_checked_then_passed_through_untouched(tmp_path):
    write(tmp_path, {"tensorlint.toml": '[shapecheck]\ndevice = "cpu"\ntimeout = 30\n'})
    assert dict(load_config(tmp_path).shapecheck) == {"device": "cpu", "timeout": 30}
    write(tmp_path, {"tensorlint.toml": '[shapecheck]\nanything = {goes = [1, "two"]}\n'})
    with pytest.raises(ConfigError, match="shapecheck].anything: unknown key"):
        load_config(tmp_path)


def test_exclude_and_extend_exclude_skip_files(tl, tmp_path):
    write(tmp_path, {
        "pyproject.toml": '[tool.tensorlint]\nexclude = ["legacy"]\nextend-exclude = ["*_gen.py"]\n',
        "legacy/a.py": BROKEN, "src/model_gen.py": BROKEN, "src/b.py": BROKEN,
    })
    flagged = {line.split(":")[0] for line in tl("check", ".").out.splitlines() if "TL001" in line}
    assert flagged == {"src/b.py"}
    flagged = {line.split(":")[0] for line in tl("check", "--extend-exclude", "src/b.py", ".").out.splitlines() if "TL001" in line}
    assert flagged == set()


def test_severity_override_shows_in_the_output(tl, tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.tensorlint]\nseverity = {TL001 = "warning"}\n', "a.py": BROKEN})
    assert tl("check", "--format", "json", ".").json()[0]["severity"] == "warning"


def test_respect_gitignore_setting(tl, tmp_path):
    write(tmp_path, {".git/HEAD": "", ".gitignore": "gen.py\n", "gen.py": BROKEN,
                     "pyproject.toml": "[tool.tensorlint]\nrespect-gitignore = false\n"})
    assert tl("check", ".").code == 1


def test_command_line_selection_replaces_the_files_selection(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.tensorlint]\nselect = ["TL1"]\nignore = ["TL001"]\n'})
    cfg = Resolver(overrides=Overrides(select=("TL0",)), cwd=tmp_path).for_path(tmp_path)
    assert cfg.is_enabled("TL001", True) and not cfg.is_enabled("TL101", True)
    cfg = Resolver(overrides=Overrides(extend_select=("TL001",)), cwd=tmp_path).for_path(tmp_path)
    assert cfg.is_enabled("TL001", True) and cfg.is_enabled("TL101", True)


def test_configuration_outside_any_project_is_the_default(tmp_path):
    c = load_config(tmp_path / "x.py")
    assert c.select is None and c.ignore == () and Path(c.root) == Path.cwd().resolve()
