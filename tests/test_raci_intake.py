"""RACI matrices as found in the wild: ``pmgraph import-raci`` reads them with one command, no edits.

The matrices in tests/fixtures/raci_wild/ are modelled on public ones: a project template with
phase section rows in Markdown bold and free-text roles and deliverables
(project_template_phases.csv), a model-governance matrix with a ``Step Id`` column and numbered
section rows (governance_step_id.csv), a transposed ``Activity,R,A,C,I`` matrix with names in the
cells and a Notes column (transposed_activity.csv), and a platform team's matrix whose columns are
teams and a person of the organisation's data, with ``GitHub Infrastructure,,`` section rows
(platform_team.csv). expected/ holds the Turtle each gives, read and checked cell by cell.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import run
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

import pmgraph
from pmgraph.errors import SpreadsheetError
from pmgraph.exchange.raci_matrix import raci_letters, read_raci_matrix
from pmgraph.namespace import PM

WILD = Path(__file__).parent / "fixtures" / "raci_wild"
ACME = "https://example.org/acme/"
PREFIX = f"--prefix=acme={ACME}"


def turtle(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def assignments(graph: Graph) -> set[tuple[str, str, str]]:
    """What a graph says of RACI, as (agent or role, responsibility, letter), whichever form it takes."""
    letter = {PM.Responsible: "R", PM.Accountable: "A", PM.Consulted: "C", PM.Informed: "I"}
    found = {
        (str(graph.value(node, PM.agent)), str(graph.value(node, PM.responsibility)), letter[graph.value(node, PM.raci)])
        for node in graph.subjects(RDF.type, PM.ResponsibilityAssignment)
    }
    for prop, level in ((PM.responsibleFor, "R"), (PM.accountableFor, "A"), (PM.consultedOn, "C"), (PM.informedOn, "I")):
        found |= {(str(role), str(responsibility), level) for role, responsibility in graph.subject_objects(prop)}
    return found


#: Each matrix of the wild, the options it is imported with, and what import-raci says of it.
MATRICES = {
    "project_template_phases.csv": (
        ["--base", "acme:"],
        ["project_template_phases.csv: 33 assignments (33 in the reference model of roles), "
         "7 new terms (2 roles, 5 responsibilities), 3 sections"],
    ),
    "governance_step_id.csv": (
        ["--scope", "acme:credit-model", "--base", "acme:"],
        ["governance_step_id.csv: 24 assignments (24 in the reference model of roles), "
         "9 new terms (3 roles, 6 responsibilities), 3 sections",
         "governance_step_id.csv:1: column A: 'Step Id' holds ids, not responsibilities: column skipped"],
    ),
    "transposed_activity.csv": (
        ["--base", "acme:"],
        ["transposed_activity.csv: 19 assignments (19 in the reference model of roles), "
         "5 new terms (3 roles, 2 responsibilities), 2 sections",
         "transposed_activity.csv:1: column F: 'Notes' is not R, A, C or I: column skipped"],
    ),
    "platform_team.csv": (
        ["--scope", "acme:developer-platform", "--base", "acme:", "--data", "platform_org.ttl"],
        ["platform_team.csv: 20 assignments (20 on acme:developer-platform), 4 new terms (4 responsibilities), "
         "3 sections"],
    ),
}


def wild(name: str) -> Graph:
    """A matrix of the wild read by the library, as import-raci reads it."""
    options, _ = MATRICES[name]
    given = dict(zip(options[::2], options[1::2], strict=True))
    data = pmgraph.load(WILD / given["--data"]) if "--data" in given else None
    return read_raci_matrix(WILD / name, scope=given.get("--scope"), base=given["--base"], prefixes={"acme": ACME},
                            data=data).graph


@pytest.mark.parametrize("name", MATRICES)
def test_a_matrix_from_the_wild_imports_with_one_command(tmp_path, name):
    out = tmp_path / "raci.ttl"
    options, told = MATRICES[name]

    result = run("import-raci", name, *options, PREFIX, "-o", out, cwd=WILD)

    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [f"pmgraph: {line}" for line in told]
    assert isomorphic(turtle(out), turtle(WILD / "expected" / name.replace(".csv", ".ttl")))
    validation = run("validate", out, *([WILD / "platform_org.ttl"] if "--data" in options else []))
    assert validation.returncode == 0, validation.stdout


def test_phase_rows_group_the_rows_under_them_and_labels_name_roles_and_responsibilities():
    graph = wild("project_template_phases.csv")

    # core roles and responsibilities by their labels; new roles and responsibilities for the others
    assert (PM.ProjectManager, PM.accountableFor, PM.Budgeting) in graph
    assert (PM.Sponsor, PM.informedOn, URIRef(ACME + "project-charter")) in graph
    assert set(graph.predicate_objects(URIRef(ACME + "tech-lead"))) >= {
        (RDF.type, PM.Role), (RDFS.label, Literal("Tech Lead"))
    }
    assert set(graph.predicate_objects(URIRef(ACME + "use-case-approval"))) == {
        (RDF.type, PM.Responsibility), (RDFS.label, Literal("Use-case approval"))
    }
    # the bold phase rows are groups of the rows under them, not responsibilities
    planning = URIRef(ACME + "section-planning-phase")
    assert set(graph.predicate_objects(planning)) == {
        (RDF.type, SKOS.Collection), (RDFS.label, Literal("Planning Phase")),
        (SKOS.member, PM.Scheduling), (SKOS.member, PM.Budgeting), (SKOS.member, URIRef(ACME + "test-strategy")),
    }


def test_numbered_sections_are_named_on_the_scope_by_their_text():
    graph = wild("governance_step_id.csv")

    framing = URIRef(ACME + "credit-model-raci-section-problem-framing")
    assert graph.value(framing, RDFS.label) == Literal("Problem framing")
    assert {str(label) for label in graph.objects(None, RDFS.label)} >= {"Use-case approval", "Model Risk Officer"}
    assert not {str(label) for label in graph.objects(None, RDFS.label)} & {"1", "1.1", "Step Id"}


def test_names_in_transposed_cells_are_split_on_commas_and_semicolons():
    graph = wild("transposed_activity.csv")

    approval = URIRef(ACME + "use-case-approval")
    assert set(graph.subjects(PM.responsibleFor, approval)) == {PM.ProductOwner, URIRef(ACME + "tech-lead")}
    assert set(graph.subjects(PM.consultedOn, approval)) == {URIRef(ACME + "security"), URIRef(ACME + "legal")}
    assert (PM.DirectorOfProduct, PM.accountableFor, PM.MarketAnalysis) in graph


def test_teams_of_the_data_get_assignments_on_the_scope():
    graph = wild("platform_team.csv")

    # "Platform Team" is the team labelled so in the data; "Secrets management" its responsibility
    assignment = URIRef(ACME + "developer-platform-raci-platform-secrets-management-responsible")
    assert set(graph.predicate_objects(assignment)) == {
        (RDF.type, PM.ResponsibilityAssignment), (PM.agent, URIRef(ACME + "platform")),
        (PM.responsibility, URIRef(ACME + "secrets-management")), (PM.scope, URIRef(ACME + "developer-platform")),
        (PM.raci, PM.Responsible),
    }
    assert (URIRef(ACME + "secrets-management"), RDF.type, PM.Responsibility) not in graph  # declared already
    github = URIRef(ACME + "developer-platform-raci-section-github-infrastructure")
    assert set(graph.objects(github, SKOS.member)) == {
        URIRef(ACME + "repository-settings"), URIRef(ACME + "branch-protection-rules")
    }


def test_the_assignments_of_a_matrix_of_people_round_trip_through_export_raci(tmp_path):
    imported, exported, again = tmp_path / "raci.ttl", tmp_path / "raci.csv", tmp_path / "again.ttl"
    assert run("import-raci", "platform_team.csv", "--scope", "acme:developer-platform", "--base", "acme:",
               "--data", "platform_org.ttl", "-o", imported, cwd=WILD).returncode == 0

    result = run("export-raci", imported, "--scope", "acme:developer-platform", "-o", exported, cwd=WILD)

    assert (result.returncode, result.stderr) == (0, "")
    assert exported.read_text() == (
        "Responsibility,acme:app-teams,acme:platform,acme:priya-nair,acme:security\n"
        "acme:branch-protection-rules,C,R,,A\n"
        "acme:dashboards,C,R/A,I,\n"
        "acme:pipeline-templates,C,R/A,I,C\n"
        "acme:repository-settings,I,R/A,,C\n"
        "acme:secrets-management,I,R,C,A\n"
    )
    assert run("import-raci", exported, "--scope", "acme:developer-platform", "--data", "platform_org.ttl",
               "--data", imported, "-o", again, cwd=WILD).returncode == 0
    assert assignments(turtle(again)) == assignments(turtle(imported))
    assert len(assignments(turtle(imported))) == 20


@pytest.mark.parametrize("matrix", ["project_template_phases.csv", "transposed_activity.csv"])
def test_the_assignments_of_a_matrix_of_roles_round_trip_through_export_raci(tmp_path, matrix):
    imported, exported, again = tmp_path / "raci.ttl", tmp_path / "raci.csv", tmp_path / "again.ttl"
    assert run("import-raci", matrix, "--base", "acme:", PREFIX, "-o", imported, cwd=WILD).returncode == 0

    assert run("export-raci", imported, "-o", exported).returncode == 0
    result = run("import-raci", exported, "--data", imported, "-o", again)

    assert result.returncode == 0, result.stderr
    assert assignments(turtle(again)) == assignments(turtle(imported))
    assert len(assignments(turtle(imported))) == {"project_template_phases.csv": 33, "transposed_activity.csv": 19}[matrix]


def governance_workbook(path: Path) -> Path:
    """The governance matrix as a spreadsheet program saves it: a title, numbers as numbers, a second sheet."""
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook holds the model-governance RACI; see the RACI sheet."])
    sheet = book.create_sheet("RACI")
    sheet.append(["Model governance RACI"])
    for line in (WILD / "governance_step_id.csv").read_text().splitlines():
        cells = line.split(",")
        step = cells[0]
        sheet.append([int(step) if step.isdigit() else float(step) if step[0].isdigit() else step, *cells[1:]])
    book.save(path)
    return path


def test_a_sheet_of_an_xlsx_workbook_imports_as_its_csv_does(tmp_path):
    workbook = governance_workbook(tmp_path / "governance.xlsx")
    out = tmp_path / "raci.ttl"

    result = run("import-raci", workbook, "--sheet", "RACI", "--scope", "acme:credit-model", "--base", "acme:",
                 PREFIX, "-o", out)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"pmgraph: {workbook}: 24 assignments (24 in the reference model of roles), "
        "9 new terms (3 roles, 6 responsibilities), 3 sections",
        f"pmgraph: {workbook}:1: sheet RACI: 'Model governance RACI' is a title above the header: skipped",
        f"pmgraph: {workbook}:2: sheet RACI, column A: 'Step Id' holds ids, not responsibilities: column skipped",
    ]
    assert isomorphic(turtle(out), turtle(WILD / "expected" / "governance_step_id.ttl"))


def test_a_bad_cell_of_a_workbook_is_named_by_sheet_row_and_column(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "RACI"
    for row in (["Activity", "Project Manager", "Sponsor"], ["Budgeting", "A", "X"], ["Scheduling", "Owner", None]):
        book.active.append(row)
    book.save(tmp_path / "raci.xlsx")

    result = run("import-raci", "raci.xlsx", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: raci.xlsx:2: sheet RACI, column C: 'X' under Sponsor is not R, A, C or I (or several, such as A/R)",
        "pmgraph: error: raci.xlsx:3: sheet RACI, column B: 'Owner' under Project Manager is not R, A, C or I "
        "(or several, such as A/R)",
    ]


def test_an_unknown_sheet_is_one_line_naming_the_sheets(tmp_path):
    workbook = governance_workbook(tmp_path / "governance.xlsx")

    result = run("import-raci", workbook.name, "--sheet", "Raci", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: governance.xlsx: no sheet 'Raci'; its sheets are 'Read me', 'RACI'"
    ]


def test_without_openpyxl_a_workbook_says_how_to_install_it(tmp_path):
    workbook = governance_workbook(tmp_path / "governance.xlsx")
    # an environment where openpyxl is not installed: its import fails as a missing module's does
    hidden = tmp_path / "hidden"
    (hidden / "openpyxl").mkdir(parents=True)
    (hidden / "openpyxl" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'openpyxl'\", name='openpyxl')\n"
    )

    result = run("import-raci", workbook.name, cwd=tmp_path, env={"PYTHONPATH": str(hidden)})

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: governance.xlsx: reading .xlsx needs openpyxl: pip install 'pmgraph[xlsx]'"
    ]


def test_without_a_base_every_unknown_name_is_reported_and_nothing_is_written(tmp_path):
    out = tmp_path / "raci.ttl"
    out.write_text("# the last good import\n")

    result = run("import-raci", "unknown_names.csv", PREFIX, "-o", out, cwd=WILD)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: unknown_names.csv:1: column C: unknown person, team or role 'Tech Lead': give a prefixed "
        "name or an IRI, the label of a core role (Product Owner) or of a person, team or role in --data, "
        "or --base IRI to make new terms for such names",
        "pmgraph: error: unknown_names.csv:1: column D: unknown prefix 'crm' in 'crm:erin' "
        "(declare it with --prefix crm=IRI)",
        "pmgraph: error: unknown_names.csv:4: column A: unknown responsibility 'Use-case approval': give a pm: name "
        "(Budgeting), a label (Quality management), a prefixed name or an IRI, or --base IRI to make new terms "
        "for such names",
    ]
    assert out.read_text() == "# the last good import\n"
    assert [path.name for path in tmp_path.iterdir()] == ["raci.ttl"]


def test_unknown_names_in_a_transposed_matrix_are_named_by_cell():
    result = run("import-raci", "transposed_unknown_names.csv", PREFIX, cwd=WILD)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: transposed_unknown_names.csv:2: column B: unknown person, team or role 'Tech Lead': give a "
        "prefixed name or an IRI, the label of a core role (Product Owner) or of a person, team or role in --data, "
        "or --base IRI to make new terms for such names",
        "pmgraph: error: transposed_unknown_names.csv:3: column A: unknown responsibility 'Use-case approval': give "
        "a pm: name (Budgeting), a label (Quality management), a prefixed name or an IRI, or --base IRI to make new "
        "terms for such names",
        "pmgraph: error: transposed_unknown_names.csv:3: column C: unknown person, team or role 'Head of Legal': "
        "give a prefixed name or an IRI, the label of a core role (Product Owner) or of a person, team or role in "
        "--data, or --base IRI to make new terms for such names",
    ]


def test_one_text_cannot_be_made_both_a_role_and_a_responsibility():
    result = run("import-raci", "role_and_responsibility_alike.csv", "--base", "acme:", PREFIX, cwd=WILD)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: role_and_responsibility_alike.csv:2: column A: 'Security' would be acme:security, "
        "which this matrix makes a role and a responsibility"
    ]


def test_people_named_in_a_transposed_matrix_need_a_scope(tmp_path):
    matrix = tmp_path / "raci.csv"
    matrix.write_text("Task,Responsible,Accountable\nSecrets management,Platform Team,Security Team\n")

    result = run("import-raci", matrix.name, "--data", WILD / "platform_org.ttl", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: raci.csv: the names acme:platform, acme:security are people or teams: "
        "give the scope they hold on (--scope)"
    ]


def test_a_bad_base_is_one_line():
    result = run("import-raci", "transposed_activity.csv", "--base", "not an iri", cwd=WILD)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "pmgraph: error: transposed_activity.csv: the base 'not an iri' is not an IRI or a prefixed name with a known prefix"
    ]


def test_leading_columns_before_the_letters_and_headings_with_no_rows_are_skipped_and_said(tmp_path):
    matrix = tmp_path / "raci.csv"
    matrix.write_text(
        "Domain,Capability,Activity,Responsible (R),Accountable (A),Consulted,Informed\n"
        "Finance,Planning,Budgeting,Project Manager,Sponsor,,\n"
        "_Legend_,,,,,,\n"
    )

    result = read_raci_matrix(matrix)

    assert sorted(result.notes) == [
        f"{matrix}:1: column A: 'Domain' is not the responsibilities' column: column skipped",
        f"{matrix}:1: column B: 'Capability' is not the responsibilities' column: column skipped",
        f"{matrix}:3: 'Legend' has no RACI letter and no rows under it: skipped",
    ]
    assert assignments(result.graph) == {
        (str(PM.ProjectManager), str(PM.Budgeting), "R"), (str(PM.Sponsor), str(PM.Budgeting), "A")
    }


def test_sections_without_a_scope_or_a_base_are_said_and_left_out(tmp_path):
    matrix = tmp_path / "raci.csv"
    matrix.write_text("Activity,Product Owner\n**Discovery**\nBacklog management,A\n")

    result = read_raci_matrix(matrix)

    assert result.notes == (f"{matrix}:2: section 'Discovery' not kept: give --scope or --base to name it",)
    assert set(result.graph) == {(PM.ProductOwner, PM.accountableFor, PM.BacklogManagement)}


def test_names_resolve_by_iri_then_core_label_then_data_label_then_base(tmp_path):
    data = Graph().parse(format="turtle", data=f"""
        @prefix pm: <https://w3id.org/pmgraph#> . @prefix acme: <{ACME}> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        acme:po-guild a pm:Team ; rdfs:label "Product Owner" .          # a core role's label wins over it
        acme:erin a pm:Person ; skos:prefLabel "Erin Castillo" .
        acme:intake a pm:Responsibility ; rdfs:label "Use-case intake" .
    """)
    matrix = tmp_path / "names.csv"
    matrix.write_text("Activity,product owner,Erin Castillo,acme:erin\nBudgeting,A,,R\n")
    with pytest.raises(SpreadsheetError) as twice:  # by label and by prefixed name: one column too many
        read_raci_matrix(matrix, scope="acme:api", base="acme:", data=data)
    assert str(twice.value) == f"{matrix}:1: column D: acme:erin has two columns"
    matrix.write_text(
        "Activity,product owner,Erin Castillo,Data Steward\nuse-case INTAKE,A,,\nQuality Management,,R,C\n"
    )

    result = read_raci_matrix(matrix, scope="acme:api", base="acme:", data=data)

    assert assignments(result.graph) == {
        (str(PM.ProductOwner), ACME + "intake", "A"),
        (ACME + "erin", str(PM.QualityManagement), "R"),
        (ACME + "data-steward", str(PM.QualityManagement), "C"),
    }
    assert result.new_terms == (URIRef(ACME + "data-steward"),)


def test_a_cell_holds_letters_or_the_words_of_the_levels():
    assert raci_letters("A / R") == ["R", "A"]
    assert raci_letters("c/i") == ["C", "I"]
    assert raci_letters("Accountable") == ["A"]
    assert raci_letters("RACI") == ["R", "A", "C", "I"]
    assert raci_letters("") == []
    assert raci_letters("S") is None
    assert raci_letters("Owner") is None


def test_the_library_gives_what_the_cells_meant():
    result = pmgraph.read_raci_matrix(WILD / "platform_team.csv", scope="acme:developer-platform", base="acme:",
                                      data=pmgraph.load(WILD / "platform_org.ttl"))

    assert (result.assignments, result.reference, result.new_roles, result.sections, result.notes) == (20, 0, 0, 3, ())
    assert [str(term).removeprefix(ACME) for term in result.new_terms] == [
        "branch-protection-rules", "dashboards", "pipeline-templates", "repository-settings"
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("\n,,\n", "empty file: expected a header row of people or roles"),
        ("Activity\nBudgeting\n",
         "no header row: expected a row naming the responsibilities' column, then people or roles"),
    ],
    ids=["blank", "one column"],
)
def test_a_file_with_no_matrix_is_one_line(tmp_path, content, reason):
    (tmp_path / "raci.csv").write_text(content)

    result = run("import-raci", "raci.csv", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [f"pmgraph: error: raci.csv: {reason}"]
