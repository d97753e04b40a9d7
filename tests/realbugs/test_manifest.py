"""The real-bug set is well formed: every entry has its fields, its files and a real bug line."""
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = json.loads((HERE / "manifest.json").read_text())
FIELDS = {"id", "source_repo", "source_path", "commit", "framework", "category", "line", "alt_lines",
          "description", "has_fixed", "license", "source_so_id"}
RESERVED_REPOS = {"mohmehmo/defects4ml", "neuralint/neuralint", "tensfa/tensfa",
                  "ForeverZyh/TensorFlow-Program-Bugs", "mehilshah/Bug_Reproducibility_DL_Bugs",
                  "Wardat-ISU/DeepLocalize"}
RESERVED_SO = Path("/work/shared/realbugs/RESERVED_SO_IDS.txt")


def test_every_entry_has_its_fields_and_files():
    assert len({c["id"] for c in CASES}) == len(CASES)
    for c in CASES:
        assert FIELDS <= set(c), c["id"]
        assert c["framework"] in {"torch", "keras", "tf"}, c["id"]
        assert re.fullmatch(r"[0-9a-f]{40}", c["commit"]), c["id"]
        assert c["license"] and c["source_repo"] not in RESERVED_REPOS, c["id"]
        text = (HERE / "files" / f"{c['id']}.py").read_text().splitlines()
        for line in [c["line"], *c["alt_lines"]]:
            assert 1 <= line <= len(text) and text[line - 1].strip(), (c["id"], line)
        fixed = HERE / "files" / f"{c['id']}.fixed.py"
        assert fixed.exists() == c["has_fixed"], c["id"]
        if c["has_fixed"]:
            assert re.fullmatch(r"[0-9a-f]{40}", c["fix_commit"]), c["id"]
            assert fixed.read_text() != "\n".join(text) + "\n", c["id"]


def test_no_reserved_stack_overflow_question():
    if not RESERVED_SO.exists():
        return
    reserved = set(RESERVED_SO.read_text().split())
    assert not [c["id"] for c in CASES if c["source_so_id"] in reserved]


def test_project_files_are_there_beside_no_program():
    with_project = [c for c in CASES if "project_files" in c]
    assert with_project
    for c in with_project:
        for field, folder in (("project_files", f"{c['id']}.project"), ("fixed_project_files", f"{c['id']}.fixed.project")):
            listed = set(c.get(field, []))
            assert c["source_path"] not in listed, c["id"]
            root = HERE / "files" / folder
            present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()
            if field == "project_files":
                assert present == listed, (c["id"], present ^ listed)
            else:  # only the modules the fix changed; the others are the buggy version's
                assert present <= listed and listed - present <= set(c["project_files"]), c["id"]


def test_listed_second_bugs_point_at_lines_of_fixed_versions():
    listed = json.loads((HERE / "second_bugs.json").read_text())
    by_id = {c["id"]: c for c in CASES}
    assert listed
    for key, bugs in listed.items():
        if key.startswith("_"):
            continue
        assert by_id[key]["has_fixed"], key
        text = (HERE / "files" / f"{key}.fixed.py").read_text().splitlines()
        for b in bugs:
            assert re.fullmatch(r"TL\d{3}", b["code"]) and b["why"], key
            assert 1 <= b["line"] <= len(text) and text[b["line"] - 1].strip(), (key, b["line"])
