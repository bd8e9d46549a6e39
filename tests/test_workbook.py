"""A PMO's portfolio workbook: ``import-portfolio`` and ``export-portfolio``.

A workbook (an .xlsx file or a folder of CSV files, one sheet per kind of thing) becomes Turtle that
validates; every bad cell is named by sheet, row and column; the workbook written back from that
Turtle has the same sheets, and the example organisation comes back as the same graph.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from conftest import REPO, run, union
from pmgraph.errors import InputError, SpreadsheetError
from pmgraph.exchange.sheets import read_rows
from pmgraph.exchange.workbook import SHEETS, portfolio_from_workbook, workbook_sheets
from pmgraph.namespace import PM
from pmgraph.rdf.reading import load

FIXTURES = REPO / "tests" / "fixtures" / "workbook"
EXAMPLE = REPO / "examples" / "workbook"
ACME = REPO / "examples" / "acme"


def as_xlsx(folder: Path, path: Path) -> Path:
    """The CSV files of a folder as the sheets of one workbook, every cell as the text it is."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for file in sorted(folder.glob("*.csv")):
        sheet = workbook.create_sheet(file.stem)
        for row in csv.reader(file.read_text(encoding="utf-8").splitlines()):
            sheet.append(row)
    workbook.save(path)
    return path


def csv_files(folder: Path) -> dict[str, str]:
    return {file.name: file.read_text(encoding="utf-8") for file in sorted(folder.glob("*.csv"))}


# --- reading: the exact triples of a small workbook ----------------------------------------------


def test_a_small_workbook_gives_exactly_its_triples():
    """Headers in any case, order and alias (Name, Program, Start date); a role by its label; a status
    in any case; several references in one cell; assignment ids made of their cells when empty."""
    graph = portfolio_from_workbook(FIXTURES / "small")

    assert set(graph) == set(Graph().parse(FIXTURES / "small.ttl"))
    budget = graph.value(URIRef("https://example.org/acme/checkout-api"), PM.budget)
    assert (str(budget), budget.datatype) == ("310000.00", XSD_DECIMAL)  # as written


def test_the_same_workbook_as_xlsx_gives_the_same_triples(tmp_path):
    workbook = as_xlsx(FIXTURES / "small", tmp_path / "small.xlsx")

    assert set(portfolio_from_workbook(workbook)) == set(portfolio_from_workbook(FIXTURES / "small"))


def test_plain_ids_are_made_under_the_base(tmp_path):
    (tmp_path / "people.csv").write_text("id,label\nerin,Erin Castillo\n")

    graph = portfolio_from_workbook(tmp_path, base="https://example.org/acme/")

    assert URIRef("https://example.org/acme/erin") in set(graph.subjects())
    with pytest.raises(SpreadsheetError) as refused:
        portfolio_from_workbook(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path / 'people.csv'}: row 2, column A (id): 'erin' is a plain name: give a base IRI (--base, or a "
        "row of sheet prefixes with an empty prefix) to make IRIs of plain names, or write a prefixed name"
    )


# --- reading: every bad cell, by sheet, row and column, all at once ------------------------------

BAD_CELLS = [
    "notes.csv: unknown sheet 'notes': the sheets are prefixes, portfolios, programs, projects, products, "
    "teams, people, role assignments, raci",
    "people.csv: row 3, column B (label): empty: every row needs its label",
    "people.csv: row 4, column A (id): the id 'erin' is also in row 2",
    "prefixes.csv: row 3, column B (namespace): 'not an iri' is not an IRI",
    "projects.csv: row 2, column C (part of): 'nowhere' is not the id of a row of sheet programs or portfolios",
    "projects.csv: row 2, column D (start): '2024-13-01' is not a date YYYY-MM-DD",
    "projects.csv: row 2, column F (budget): '-5' is not a number that is not negative, such as 500000 or 125000.50",
    "projects.csv: row 2, column G (status): 'Done' is not a status (Planned, Active, OnHold or Closed)",
    "projects.csv: row 3, column E (end): ends (2024-01-31) before it starts (2024-06-01)",
    "projects.csv: row 3, column F (budget): '1,200,000' is not a number that is not negative, such as 500000 or "
    "125000.50",
    "projects.csv: row 3, column H (project manager): unknown prefix 'foo' in 'foo:jon': declare it in sheet prefixes",
    "raci.csv: row 2, column B (responsibility): 'Budgetting' is not a responsibility of the ontology (Budgeting, "
    "Quality management, pm:Budgeting)",
    "raci.csv: row 3, column D (raci): 'X' is not R, A, C or I (or Responsible, Accountable, Consulted, Informed)",
    "role_assignments.csv: row 2, column B (role): 'Project Boss' is not a role of the ontology (ProjectManager, "
    "Project Manager, pm:ProjectManager)",
    "role_assignments.csv: row 2, column E (allocation): '1.5' is not a number from 0 to 1, such as 0.5",
    "role_assignments.csv: row 4: the same agent, role, scope and start as row 3",
    "teams.csv: row 1, column C: unknown column 'owner': the columns of sheet teams are id, label, works on, status, "
    "methodology, product owner",
]


def test_every_bad_cell_of_a_folder_is_told_at_once_and_nothing_is_written(tmp_path):
    out = tmp_path / "portfolio.ttl"

    result = run("import-portfolio", ".", "-o", out, cwd=FIXTURES / "bad_cells")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"pmgraph: error: {line}" for line in BAD_CELLS]
    assert not out.exists()


def test_every_bad_cell_of_a_workbook_is_told_with_its_sheet(tmp_path):
    as_xlsx(FIXTURES / "bad_cells", tmp_path / "portfolio.xlsx")

    result = run("import-portfolio", "portfolio.xlsx", cwd=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    expected = []
    for line in BAD_CELLS:
        file, _, reason = line.partition(": ")
        sheet = file.removesuffix(".csv")
        expected.append(
            f"pmgraph: error: portfolio.xlsx: {reason}" if reason.startswith("unknown sheet")
            else f"pmgraph: error: portfolio.xlsx: sheet {sheet}, {reason}"
        )
    assert result.stderr.splitlines() == expected
    assert "portfolio.xlsx: sheet projects, row 2, column D (start): '2024-13-01' is not a date YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"projects.csv": "id,label,start\nacme:api,API,2024-01-01\n"},
         "projects.csv: row 1: no end column: sheet projects needs one"),
        ({"prefixes.csv": "prefix,namespace\nacme,https://example.org/\n", "projects.csv": "ID,id\n"},
         "projects.csv: row 1, column B: a second id column"),
        ({"prefixes.csv": "prefix,namespace\nacme,https://example.org/\n",
          "project.csv": "id,label,start,end\n", "projects.csv": "id,label,start,end\n"},
         "projects.csv: 'projects' is a second projects sheet"),
        ({"prefixes.csv": "prefix,namespace\nacme,https://example.org/\n",
          "role_assignments.csv": "id,agent,role,scope\nacme:a,acme:erin,Sponsor,acme:api\n"},
         "role_assignments.csv: row 2, column B (agent): 'acme:erin' is not the id of a row of sheet people or teams"),
        ({"prefixes.csv": "prefix,namespace\nacme,https://example.org/\n",
          "people.csv": "id,label,reports to\nacme:erin,Erin,acme:jon; acme:ann\n",
          "projects.csv": "id,label,start,end,part of\nacme:api,API,2024-01-01,2024-02-01,acme:a; acme:b\n"},
         "people.csv: row 2, column C (reports to): 'acme:jon' is not the id of a row of sheet people"),
        ({"prefixes.csv": "prefix,namespace\nacme,https://example.org/\n",
          "people.csv": "id,label\nacme:erin,Erin,Castillo\n"},
         "people.csv: row 2, column C: 'Castillo' is in no column: the header has none there"),
    ],
    ids=["missing required column", "two id columns", "two sheets of one kind", "agent not in the workbook",
         "a reference to no row", "a cell beyond the header"],
)
def test_a_bad_sheet_or_header_is_told(tmp_path, files, problem):
    for name, text in files.items():
        (tmp_path / name).write_text(text)

    with pytest.raises(SpreadsheetError) as refused:
        portfolio_from_workbook(tmp_path)

    assert f"{tmp_path}/{problem}" in str(refused.value).splitlines()


def test_a_single_reference_column_takes_one_reference(tmp_path):
    (tmp_path / "prefixes.csv").write_text("prefix,namespace\nacme,https://example.org/\n")
    (tmp_path / "people.csv").write_text("id,label\nacme:erin,Erin\nacme:jon,Jon\n")
    (tmp_path / "role_assignments.csv").write_text("agent,role,scope\nacme:erin; acme:jon,Sponsor,acme:api\n")
    (tmp_path / "projects.csv").write_text("id,label,start,end\nacme:api,API,2024-01-01,2024-02-01\n")

    with pytest.raises(SpreadsheetError) as refused:
        portfolio_from_workbook(tmp_path)

    assert str(refused.value) == (
        f"{tmp_path}/role_assignments.csv: row 2, column A (agent): 'acme:erin; acme:jon' names 2 things; give one"
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [("missing", "no such file or folder"), ("notes.txt", "not a portfolio workbook: give an .xlsx workbook or a "
                                                          "folder of CSV files")],
)
def test_what_is_not_a_workbook_is_one_line(tmp_path, name, problem):
    if name.endswith(".txt"):
        (tmp_path / name).write_text("hello\n")

    result = run("import-portfolio", tmp_path / name)

    assert result.returncode == 2
    assert result.stderr == f"pmgraph: error: {tmp_path / name}: {problem}\n"


# --- the bundled example -----------------------------------------------------------------------


def test_the_example_workbook_imports_to_turtle_that_validates(tmp_path):
    assert run("import-portfolio", EXAMPLE, "-o", tmp_path / "globex.ttl").returncode == 0

    validated = run("validate", tmp_path / "globex.ttl")

    assert validated.returncode == 0, validated.stdout
    assert "0 violations" in validated.stdout


def test_the_example_as_xlsx_imports_to_the_same_graph(tmp_path):
    workbook = as_xlsx(EXAMPLE, tmp_path / "globex.xlsx")

    assert set(portfolio_from_workbook(workbook)) == set(portfolio_from_workbook(EXAMPLE))


# --- round trips ------------------------------------------------------------------------------


def test_workbook_to_turtle_to_workbook_gives_the_same_files(tmp_path):
    assert run("import-portfolio", EXAMPLE, "-o", tmp_path / "globex.ttl").returncode == 0

    exported = run("export-portfolio", tmp_path / "globex.ttl", "-o", tmp_path / "back")

    assert (exported.returncode, exported.stderr) == (0, "")
    assert csv_files(tmp_path / "back") == csv_files(EXAMPLE)


def test_turtle_to_xlsx_to_turtle_keeps_the_graph_and_the_sheets(tmp_path):
    turtle = tmp_path / "globex.ttl"
    assert run("import-portfolio", EXAMPLE, "-o", turtle).returncode == 0

    assert run("export-portfolio", turtle, "-o", tmp_path / "globex.xlsx").returncode == 0
    assert run("import-portfolio", tmp_path / "globex.xlsx", "-o", tmp_path / "again.ttl").returncode == 0

    assert (tmp_path / "again.ttl").read_bytes() == turtle.read_bytes()
    for sheet in SHEETS:
        file = EXAMPLE / f"{sheet.name.replace(' ', '_')}.csv"
        shown = [row.cells for row in read_rows(tmp_path / "globex.xlsx", sheet.name)]
        assert shown == [row.cells for row in read_rows(file)], sheet.name


def test_the_xlsx_has_date_and_number_cells(tmp_path):
    workbook_sheets(portfolio_from_workbook(EXAMPLE)).write(tmp_path / "globex.xlsx")

    projects = openpyxl.load_workbook(tmp_path / "globex.xlsx")["projects"]

    header = [cell.value for cell in projects[1]]
    login = next(row for row in projects.iter_rows(min_row=2, values_only=True) if row[0] == "login-revamp")
    values = dict(zip(header, login, strict=True))
    assert (values["start"].date().isoformat(), values["budget"], values["actual cost"]) == (
        "2024-03-01", 350000, "362000.50"
    )


def test_the_acme_example_comes_back_as_the_same_graph_but_what_no_sheet_holds(tmp_path):
    """examples/acme/ through a workbook and back: every statement a sheet holds comes back as it was,
    except ``"310000"^^xsd:decimal``, a decimal without a decimal point, which a cell writes ``310000``
    and Turtle reads back as the same number typed xsd:integer."""
    acme = union(load(ACME))
    workbook = workbook_sheets(load(ACME))
    workbook.write(tmp_path / "acme.xlsx")

    back = portfolio_from_workbook(tmp_path / "acme.xlsx")

    _, only_in_acme, only_back = graph_diff(to_isomorphic(acme - workbook.left_out), to_isomorphic(back))
    checkout_api = URIRef("https://example.org/acme/checkout-api")
    assert [(s, p, str(o), o.datatype) for s, p, o in only_in_acme] == [(checkout_api, PM.budget, "310000", XSD_DECIMAL)]
    assert [(s, p, str(o), o.datatype) for s, p, o in only_back] == [(checkout_api, PM.budget, "310000", XSD_INTEGER)]
    assert (len(acme), len(workbook.left_out), len(back)) == (337, 113, 224)
    assert workbook_sheets(back).sheets == workbook.sheets


XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


def test_export_says_what_no_column_holds(tmp_path):
    result = run("export-portfolio", ACME, "-o", tmp_path / "acme")

    assert result.returncode == 0
    assert result.stderr == (
        "pmgraph: warning: 113 statements have no column in the workbook and are left out: rdf:type (22), "
        "rdfs:label (15), pm:endDate (10), pm:startDate (10), pm:measuredValue (7), pm:measurement (7), "
        "pm:targetValue (7), pm:kpi (6), pm:kpiType (6), pm:unit (6), pm:realizedBy (4), pm:roadmapItem (3), "
        "pm:roadmap (2), pm:featureOf (1), pm:inProductLine (1), pm:measuredBy (1), pm:objective (1), pm:post (1), "
        "pm:postRole (1), pm:postScope (1), pm:produces (1)\n"
    )
    assert sorted(path.name for path in (tmp_path / "acme").iterdir()) == sorted(
        f"{sheet.name.replace(' ', '_')}.csv" for sheet in SHEETS
    )


def test_export_with_a_base_writes_plain_ids(tmp_path):
    workbook = workbook_sheets(load(ACME), base="https://example.org/acme/")

    assert workbook.sheets["prefixes"] == (("prefix", "namespace"), ("", "https://example.org/acme/"))
    assert workbook.sheets["portfolios"][1][0] == "digital-portfolio"


# --- openpyxl is optional ---------------------------------------------------------------------


def test_writing_xlsx_without_openpyxl_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    workbook = workbook_sheets(portfolio_from_workbook(EXAMPLE))

    with pytest.raises(SpreadsheetError) as refused:
        workbook.write(tmp_path / "globex.xlsx")

    assert str(refused.value) == f"{tmp_path / 'globex.xlsx'}: writing .xlsx needs openpyxl: pip install 'pmgraph[xlsx]'"
    assert not (tmp_path / "globex.xlsx").exists()


def test_a_bad_base_is_one_error():
    with pytest.raises(InputError, match="the base 'not an iri' is not an IRI"):
        portfolio_from_workbook(EXAMPLE, base="not an iri")


def test_the_documented_sheets_and_columns_are_those_read():
    """docs/exchange.md lists each sheet's columns, bold where every row needs one."""
    page = (REPO / "docs" / "exchange.md").read_text(encoding="utf-8")
    documented = {}
    for line in page.split("## A portfolio workbook", 1)[1].split("\n## ", 1)[0].splitlines():
        if line.startswith("| `"):
            _, sheet, columns, _ = line.split("|")
            documented[sheet.strip().strip("`")] = columns.strip()

    assert documented == {
        sheet.name: ", ".join(
            f"**`{column.header}`**" if column.required else f"`{column.header}`" for column in sheet.columns
        )
        for sheet in SHEETS
    }
