"""The wheel, installed in a fresh virtual environment, carries everything it needs."""

from __future__ import annotations

import shutil
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run

MINIMAL_PROJECT = Path(__file__).parent / "fixtures" / "valid" / "minimal_project.ttl"


@pytest.mark.slow
def test_the_wheel_holds_the_package_ontology_and_shapes(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    assert {"pmgraph/__init__.py", "pmgraph/cli/main.py", "pmgraph/py.typed"} <= names
    assert "pmgraph/data/ontology/pmgraph.ttl" in names
    shapes_folder = "pmgraph/data/shapes/"
    shipped_shapes = {name.removeprefix(shapes_folder) for name in names if name.startswith(shapes_folder)}
    assert shipped_shapes == {path.name for path in (REPO / "shapes").iterdir() if path.is_file()}
    assert not any(name.startswith(("tests/", "ontology/", "shapes/")) for name in names)


@pytest.mark.slow
def test_the_installed_wheel_validates_a_file_from_anywhere(wheel, tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    bin_folder = environment / "bin"
    installed = run("-m", "pip", "install", "--quiet", wheel, program=bin_folder / "python", cwd=tmp_path, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # Outside the checkout, so that nothing can be found through the source tree.
    data = tmp_path / "work" / "apollo.ttl"
    data.parent.mkdir()
    shutil.copy(MINIMAL_PROJECT, data)

    result = run("validate", data, program=bin_folder / "pmgraph", cwd=data.parent)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "OK"
    found = run(
        "-c",
        "from pmgraph._resources import ontology_file, shape_files;"
        "print(ontology_file()); print(*shape_files(), sep='\\n')",
        program=bin_folder / "python",
        cwd=data.parent,
    )
    assert found.returncode == 0, found.stdout + found.stderr
    where = found.stdout.splitlines()
    site_packages = next(environment.glob("lib/python3*/site-packages")).resolve()
    assert len(where) >= 2
    for path in map(Path, where):
        assert path.is_file()
        assert path.resolve().is_relative_to(site_packages / "pmgraph" / "data")
