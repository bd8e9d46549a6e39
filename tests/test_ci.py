"""pmgraph in a team's CI: the pre-commit hook and the GitHub Action of the repository.

The hook is run for real by pre-commit (from PyPI) on a throw-away git repository: pre-commit
installs pmgraph from this checkout into a virtual environment of its own, in a fresh home, with
nothing but PyPI to reach. The action cannot run here; its file is read and checked to name the
command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import run

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tests" / "fixtures" / "sources"
GOOD = ROOT / "tests" / "fixtures" / "valid" / "minimal_project.ttl"


def test_the_pre_commit_hook_passes_a_good_file_and_fails_a_bad_one(tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    environment = {
        "HOME": str(home),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
        "GIT_AUTHOR_NAME": "team", "GIT_AUTHOR_EMAIL": "team@example.org",
        "GIT_COMMITTER_NAME": "team", "GIT_COMMITTER_EMAIL": "team@example.org",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=team, check=True, capture_output=True, env={**os.environ, **environment})

    def hook() -> subprocess.CompletedProcess[str]:
        return run(
            "try-repo", ROOT, "pmgraph-validate", "--all-files",
            program=Path(sys.executable).parent / "pre-commit", cwd=team, env=environment, timeout=900,
        )

    git("init", "-q")
    shutil.copy(GOOD, team / "portfolio.ttl")
    git("add", "portfolio.ttl")
    good = hook()
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^pmgraph validate\.+Passed$", good.stdout, re.MULTILINE), good.stdout

    shutil.copy(SOURCES / "apollo.ttl", team / "apollo.ttl")
    git("add", "apollo.ttl")
    bad = hook()
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert re.search(r"^pmgraph validate\.+Failed$", bad.stdout, re.MULTILINE), bad.stdout
    assert "apollo.ttl:6:1: Violation: Project 'Apollo' has no Project Manager" in bad.stdout.splitlines()


def test_the_hook_is_declared_for_every_rdf_syntax():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

    assert (hook["id"], hook["entry"], hook["language"]) == ("pmgraph-validate", "pmgraph validate", "python")
    for name in ("a.ttl", "b.nt", "c.nq", "d.trig", "e.jsonld", "f.rdf"):
        assert re.search(hook["files"], name)
    assert not re.search(hook["files"], "notes.md")


def test_the_action_installs_pmgraph_from_its_path_and_runs_validate_for_github(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))

    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert [step["run"] for step in steps[1:]] == [
        'python -m pip install "$GITHUB_ACTION_PATH"',
        "pmgraph validate --format github $PMGRAPH_PATHS",
    ]
    assert steps[2]["env"] == {"PMGRAPH_PATHS": "${{ inputs.paths }}"}
    assert action["inputs"]["paths"]["default"] == "."
    # what the last step runs, run here on the default input in a folder holding the bad file
    shutil.copy(SOURCES / "apollo.ttl", tmp_path / "apollo.ttl")
    result = subprocess.run(
        ["bash", "-c", steps[2]["run"]], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "PMGRAPH_PATHS": "."},
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[1] == (
        "::error file=apollo.ttl,line=6,col=1,title=ProjectHasManagerShape::"
        "Project 'Apollo' has no Project Manager (Apollo <https://example.org/sources/apollo>)"
    )
