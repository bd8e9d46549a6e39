"""RACI matrices and role assignments kept in spreadsheets: ``import-raci``, ``export-raci``,
``import-assignments``.

The CSV files in tests/fixtures/exchange/ are what a PMO keeps today: the Checkout API's RACI
matrix with people as columns, one written by hand (semicolons, labels, lowercase letters), a
matrix of the PMO's own roles, a list of role assignments, and broken files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from rdflib import RDF, XSD, Graph, Literal

import pmgraph
from pmgraph.analysis.assignments import responsibility_holdings, role_holdings
from pmgraph.namespace import PM
from pmgraph.errors import SpreadsheetError
from pmgraph.exchange.raci_matrix import raci_from_csv
from pmgraph.exchange.spreadsheets import raci_to_csv, role_assignments_from_csv

EXCHANGE = Path(__file__).parent / "fixtures" / "exchange"
ACME = {"acme": "https://example.org/acme/"}
PREFIX = "--prefix=acme=https://example.org/acme/"


def short(term) -> str:
    return str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def raci_rows(graph: Graph) -> list[tuple[str, str, str, str]]:
    return [
        (short(h.scope), short(h.agent), short(h.responsibility), short(h.raci)) for h in responsibility_holdings(graph)
    ]


def test_people_columns_become_responsibility_assignments_on_the_scope():
    graph = raci_from_csv(EXCHANGE / "raci_checkout_api.csv", scope="acme:checkout-api", prefixes=ACME)

    assert raci_rows(graph) == [
        ("checkout-api", "erin-castillo", "Budgeting", "Accountable"),
        ("checkout-api", "erin-castillo", "Budgeting", "Responsible"),
        ("checkout-api", "grace-liu", "Budgeting", "Consulted"),
        ("checkout-api", "erin-castillo", "QualityManagement", "Accountable"),
        ("checkout-api", "jon-park", "QualityManagement", "Responsible"),
        ("checkout-api", "erin-castillo", "Scheduling", "Accountable"),
        ("checkout-api", "grace-liu", "Scheduling", "Informed"),
        ("checkout-api", "jon-park", "Scheduling", "Responsible"),
    ]
    # named from scope, person, responsibility and level: importing again gives the same IRIs
    assert sorted(map(str, graph.subjects(RDF.type, PM.ResponsibilityAssignment)))[:2] == [
        "https://example.org/acme/checkout-api-raci-erin-castillo-budgeting-accountable",
        "https://example.org/acme/checkout-api-raci-erin-castillo-budgeting-responsible",
    ]
    assert len(graph) == 8 * 5


def test_a_matrix_written_by_hand_is_read_the_same_way():
    # semicolons, an IRI column, labels in any case, pm: names and IRIs as rows, a blank row,
    # lowercase letters and several letters per cell ("A R", "c, i")
    graph = raci_from_csv(EXCHANGE / "raci_written_by_hand.csv", scope="acme:checkout-api", prefixes=ACME)

    assert raci_rows(graph) == [
        ("checkout-api", "erin-castillo", "QualityManagement", "Accountable"),
        ("checkout-api", "jon-park", "QualityManagement", "Responsible"),
        ("checkout-api", "erin-castillo", "RiskManagement", "Accountable"),
        ("checkout-api", "erin-castillo", "RiskManagement", "Responsible"),
        ("checkout-api", "jon-park", "Scheduling", "Informed"),
        ("checkout-api", "erin-castillo", "StakeholderReporting", "Consulted"),
        ("checkout-api", "erin-castillo", "StakeholderReporting", "Informed"),
        ("checkout-api", "jon-park", "StakeholderReporting", "Accountable"),
    ]


def test_role_columns_become_the_roles_reference_model():
    graph = raci_from_csv(EXCHANGE / "raci_roles.csv", data=pmgraph.load(EXCHANGE / "team_a"))

    assert sorted((short(s), short(p), short(o)) for s, p, o in graph) == [
        ("release-manager", "accountableFor", "DeliveryCoordination"),
        ("release-manager", "informedOn", "StakeholderReporting"),
        ("technical-program-manager", "consultedOn", "StakeholderReporting"),
        ("technical-program-manager", "responsibleFor", "DeliveryCoordination"),
    ]


def test_a_matrix_goes_back_to_the_same_csv(tmp_path):
    turtle = tmp_path / "raci.ttl"
    assert run("import-raci", "raci_checkout_api.csv", "--scope", "acme:checkout-api", PREFIX, "-o", turtle, cwd=EXCHANGE).returncode == 0

    result = run("export-raci", turtle, "--scope", "acme:checkout-api", cwd=EXCHANGE)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (EXCHANGE / "raci_checkout_api.csv").read_text()


def test_a_role_matrix_goes_back_to_the_same_csv(tmp_path):
    turtle = tmp_path / "roles.ttl"
    assert run("import-raci", "raci_roles.csv", "--data", "team_a", "-o", turtle, cwd=EXCHANGE).returncode == 0
    csv_file = tmp_path / "roles.csv"

    result = run("export-raci", turtle, "-o", csv_file, cwd=EXCHANGE)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert csv_file.read_text() == (EXCHANGE / "raci_roles.csv").read_text()


def test_export_shows_the_raci_already_in_the_data():
    result = run("export-raci", "team_a", "--scope", "https://example.org/acme/checkout-api", cwd=EXCHANGE)

    assert result.stdout == "Responsibility,acme:grace-liu\nBudgeting,C\n"


def test_the_reference_model_of_the_ontology_exports_as_a_matrix():
    csv_text = raci_to_csv(pmgraph.load_ontology())

    lines = csv_text.splitlines()
    assert lines[0] == (
        "Responsibility,pm:DirectorOfProduct,pm:PortfolioManager,pm:ProductManager,pm:ProductOwner,"
        "pm:ProgramManager,pm:ProjectManager,pm:ScrumMaster,pm:Sponsor,pm:Stakeholder"
    )
    assert "Budgeting,C,A,C,,A,A,,C," in lines


def test_role_columns_need_the_data_that_declares_the_roles():
    result = run("import-raci", "raci_roles.csv", PREFIX, cwd=EXCHANGE)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: raci_roles.csv: the columns acme:release-manager, acme:technical-program-manager are "
        "people or teams: give the scope they hold on (--scope)"
    ]


def test_with_the_data_every_column_must_be_declared():
    result = run("import-raci", "raci_checkout_api.csv", "--scope", "acme:checkout-api", "--data", "team_b", cwd=EXCHANGE)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pmgraph: error: raci_checkout_api.csv:1: column B: acme:erin-castillo is not a person, team or role of the data",
        "pmgraph: error: raci_checkout_api.csv:1: column C: acme:grace-liu is not a person, team or role of the data",
    ]


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path):
    out = tmp_path / "raci.ttl"
    out.write_text("# the last good import\n")

    result = run("import-raci", "raci_bad_rows.csv", "--scope", "acme:checkout-api", PREFIX, "-o", out, cwd=EXCHANGE)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: raci_bad_rows.csv:2: column A: unknown responsibility 'Budgetting': give a pm: name "
        "(Budgeting), a label (Quality management), a prefixed name or an IRI, or --base IRI to make new terms "
        "for such names",
        "pmgraph: error: raci_bad_rows.csv:3: column B: 'X' under acme:erin-castillo is not R, A, C or I "
        "(or several, such as A/R)",
        "pmgraph: error: raci_bad_rows.csv:4: 4 cells, but the header has 3",
        "pmgraph: error: raci_bad_rows.csv:5: column B: 'A/Q' under acme:erin-castillo is not R, A, C or I "
        "(or several, such as A/R)",
    ]
    assert out.read_text() == "# the last good import\n"
    assert [path.name for path in tmp_path.iterdir()] == ["raci.ttl"]


def test_the_library_raises_every_bad_row_at_once():
    with pytest.raises(SpreadsheetError) as raised:
        raci_from_csv(EXCHANGE / "raci_bad_rows.csv", scope="acme:checkout-api", prefixes=ACME)

    assert [(Path(p.path).name, p.line) for p in raised.value.problems] == [
        ("raci_bad_rows.csv", 2),
        ("raci_bad_rows.csv", 3),
        ("raci_bad_rows.csv", 4),
        ("raci_bad_rows.csv", 5),
    ]
    assert len(str(raised.value).splitlines()) == 4


def test_a_bad_header_names_the_columns():
    result = run("import-raci", "raci_bad_header.csv", "--scope", "acme:checkout-api", PREFIX, cwd=EXCHANGE)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pmgraph: error: raci_bad_header.csv:1: column C: unknown prefix 'crm' in 'crm:erin' (declare it with --prefix crm=IRI)",
        "pmgraph: error: raci_bad_header.csv:1: column D: acme:erin-castillo has two columns",
    ]


def test_a_file_that_is_not_utf8_is_one_line():
    result = run("import-raci", "raci_not_utf8.csv", "--scope", "acme:checkout-api", PREFIX, cwd=EXCHANGE)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pmgraph: error: raci_not_utf8.csv: not UTF-8 text (byte 24); save the spreadsheet as CSV UTF-8"
    ]


def test_a_bad_prefix_option_is_a_usage_error():
    result = run("import-raci", "raci_checkout_api.csv", "--scope", "acme:checkout-api", "--prefix", "acme", cwd=EXCHANGE)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pmgraph: error: --prefix 'acme': write NAME=IRI, such as acme=https://example.org/acme/"
    ]


def test_role_assignments_are_read_from_a_csv():
    graph = role_assignments_from_csv(EXCHANGE / "assignments.csv", prefixes=ACME)

    def share(text: str) -> Literal:
        return Literal(text, datatype=XSD.decimal, normalize=False)

    assert [(short(h.assignment), short(h.agent), short(h.role), h.period, h.allocation) for h in role_holdings(graph)] == [
        ("checkout-api-project-manager-erin-castillo-2024-01-15", "erin-castillo", "ProjectManager",
         "2024-01-15 to 2024-04-30", share("0.5")),
        ("checkout-api-project-manager-jon-park-2024-05-01", "jon-park", "ProjectManager", "from 2024-05-01", share("0.5")),
        ("checkout-team-product-owner-priya-nair-2023-03-01", "priya-nair", "ProductOwner", "from 2023-03-01", share("1")),
        ("digital-portfolio-portfolio-manager-hannah-scholz", "hannah-scholz", "PortfolioManager", "", None),
    ]


def test_the_assignments_command_writes_turtle(tmp_path):
    out = tmp_path / "assignments.ttl"

    result = run("import-assignments", "assignments.csv", PREFIX, "-o", out, cwd=EXCHANGE)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    text = out.read_text()
    assert (
        "acme:checkout-team-product-owner-priya-nair-2023-03-01 a pm:RoleAssignment ;\n"
        "\tpm:agent acme:priya-nair ;\n"
        '\tpm:allocation "1"^^xsd:decimal ;\n'
        "\tpm:role pm:ProductOwner ;\n"
        "\tpm:scope acme:checkout-team ;\n"
        '\tpm:startDate "2023-03-01"^^xsd:date .\n'
    ) in text


def test_every_bad_assignment_row_is_reported_and_nothing_is_written(tmp_path):
    out = tmp_path / "assignments.ttl"

    result = run("import-assignments", "assignments_bad_rows.csv", PREFIX, "-o", out, cwd=EXCHANGE)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: assignments_bad_rows.csv:3: role: 'Project Boss' is not a role "
        "(ProjectManager, Project Manager, pm:ProjectManager)",
        "pmgraph: error: assignments_bad_rows.csv:4: start: '2023-02-30' is not a valid date written YYYY-MM-DD",
        "pmgraph: error: assignments_bad_rows.csv:5: end 2024-01-01 is before start 2024-06-01",
        "pmgraph: error: assignments_bad_rows.csv:6: allocation: '1.5' is not a number from 0 to 1, such as 0.5",
        "pmgraph: error: assignments_bad_rows.csv:7: person: missing",
        "pmgraph: error: assignments_bad_rows.csv:8: the same person, role, scope and start as row 2",
    ]
    assert not out.exists()
