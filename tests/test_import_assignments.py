"""``import-assignments`` on large files: rows written as they are read, in bounded memory, with the
very bytes that the in-memory reading (``dump(role_assignments_from_csv(...))``) gives.
"""

from __future__ import annotations

import io
import resource
import subprocess
from pathlib import Path

import pytest
from conftest import PMGRAPH, REPO, one_line_error, run

from pmgraph.exchange.spreadsheets import role_assignments_from_csv, write_role_assignments
from pmgraph.rdf.reading import load
from pmgraph.rdf.writing import dump

EXCHANGE = Path(__file__).parent / "fixtures" / "exchange"
ACME = {"acme": "https://example.org/acme/"}
PREFIX = "--prefix=acme=https://example.org/acme/"

# Rows that the writer must write as dump does: IRIs in brackets, urn: IRIs, no prefix that fits,
# an allocation that is not a Turtle number, labels of roles, a semicolon-separated file.
ODD_ROWS = (
    "person;role;scope;start;end;allocation\n"
    "<https://example.org/acme/erin>;Project Manager;acme:api;2024-01-15;2024-03-01;1\n"
    "urn:person:jon;pm:ProductOwner;<https://other.example/team/a>;;;0.50\n"
    "acme:priya;ScrumMaster;acme:api-v2;2024-01-15;;\n"
    "acme:priya;Scrum Master;acme:api;2024-01-15;;.5\n"
    "https://example.org/acme/dana;Director of Product;acme:shop;;;\n"
)


@pytest.fixture
def odd_rows(tmp_path: Path) -> Path:
    path = tmp_path / "odd.csv"
    path.write_text(ODD_ROWS)
    return path


@pytest.mark.parametrize("data", [False, True])
@pytest.mark.parametrize("name", ["assignments.csv", "odd.csv"])
def test_the_command_writes_what_the_in_memory_reading_dumps(name, data, odd_rows, tmp_path):
    source = odd_rows if name == "odd.csv" else EXCHANGE / name
    given = ["--data", REPO / "examples" / "acme"] if data else []
    expected = dump(role_assignments_from_csv(source, prefixes=ACME, data=load(REPO / "examples" / "acme") if data else None))

    to_file = run("import-assignments", source, PREFIX, *given, "-o", tmp_path / "out.ttl")
    to_stdout = run("import-assignments", source, PREFIX, *given)

    assert (to_file.returncode, to_file.stderr) == (0, "")
    assert (tmp_path / "out.ttl").read_text() == expected
    assert (to_stdout.returncode, to_stdout.stdout) == (0, expected)


def test_the_library_writes_to_an_open_file(odd_rows):
    out = io.BytesIO()
    write_role_assignments(odd_rows, out, prefixes=ACME)
    assert out.getvalue().decode() == dump(role_assignments_from_csv(odd_rows, prefixes=ACME))


def test_an_empty_table_writes_nothing(tmp_path):
    (tmp_path / "empty.csv").write_text("person,role,scope\n")
    result = run("import-assignments", tmp_path / "empty.csv", "-o", tmp_path / "out.ttl")
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / "out.ttl").read_text() == dump(role_assignments_from_csv(tmp_path / "empty.csv")) == ""


def test_a_bad_row_at_the_end_writes_nothing_to_stdout(tmp_path):
    rows = "".join(f"acme:p{i},Project Manager,acme:api{i}\n" for i in range(5000))
    (tmp_path / "late.csv").write_text("person,role,scope\n" + rows + "acme:x,Project Boss,acme:api\n")
    result = run("import-assignments", tmp_path / "late.csv", PREFIX)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"pmgraph: error: {tmp_path / 'late.csv'}:5002: role: 'Project Boss' is not a role "
        "(ProjectManager, Project Manager, pm:ProjectManager)"
    ]


def limit_memory_to_1_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_100k_rows_are_written_within_1_gib(tmp_path):
    """Reading the whole table in memory first took 1.6 GB at 100k rows (13.5 GB at 1M)."""
    roles = ["Project Manager", "ProductOwner", "pm:ProgramManager", "Scrum Master", "Product Manager"]
    with open(tmp_path / "many.csv", "w") as file:
        file.write("person,role,scope,start,end,allocation\n")
        for i in range(100_000):
            file.write(f"acme:person{i},{roles[i % 5]},acme:project{i % 997},2024-{1 + i % 12:02d}-01,,0.{i % 10}\n")

    result = run("import-assignments", "many.csv", PREFIX, "-o", "many.ttl", cwd=tmp_path, preexec_fn=limit_memory_to_1_gib)

    assert (result.returncode, result.stderr) == (0, "")
    text = (tmp_path / "many.ttl").read_text()
    assert text.count(" a pm:RoleAssignment ;\n") == 100_000
    assert text.startswith(
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix acme: <https://example.org/acme/> .\n@prefix pm: <https://w3id.org/pmgraph#> .\nacme:"
    )
    assert "<http" not in text.split("\nacme:", 1)[1]  # every IRI of every batch written short
    assert "acme:project0-project-manager-person0-2024-01-01 a pm:RoleAssignment ;\n" in text


def test_a_table_read_from_a_pipe_writes_what_the_file_gives(odd_rows):
    """A pipe cannot be read twice (a file is checked to be UTF-8, then read): it is read once, whole."""
    with open(odd_rows, "rb") as table:
        cat = subprocess.Popen(["cat"], stdin=table, stdout=subprocess.PIPE)
        piped = subprocess.run([PMGRAPH, "import-assignments", "/dev/stdin", PREFIX], stdin=cat.stdout,
                               capture_output=True, text=True, timeout=300, check=False)
        cat.wait()

    assert (piped.returncode, piped.stderr) == (0, "")
    assert piped.stdout == dump(role_assignments_from_csv(odd_rows, prefixes=ACME))


def test_a_table_that_is_not_utf8_is_refused_before_its_rows_are_read(tmp_path):
    # a bad header and a bad row: the file is refused as a whole, as when it was read whole first
    (tmp_path / "latin1.csv").write_bytes(b"who,what\n" + b"acme:p,Project Manager,acme:api\n" * 20_000 + b"acme:r\xe9,x,y\n")
    result = run("import-assignments", "latin1.csv", PREFIX, "-o", "out.ttl", cwd=tmp_path)
    assert one_line_error(result) == (
        f"pmgraph: error: latin1.csv: not UTF-8 text (byte {9 + 32 * 20_000 + 7}); save the spreadsheet as CSV UTF-8"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["latin1.csv"]
