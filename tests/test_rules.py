"""The business rules of docs/design.md (the rules; docs/rules.md), told as small stories.

Each story is a Turtle file in ``tests/fixtures/rules/`` whose first line says what it shows. A story
that breaks a rule breaks that rule only, so the test states the exact set of results it gives; a
story that follows a rule follows every other rule too, so it gives no result at all. Results are
compared as ``(severity, focus, shape, path, value)`` with well-known IRIs abbreviated (``ex:``,
``pm:``, ``pmsh:``, ...) and every blank node written ``_:``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from pmgraph.validation.validator import ValidationReport, ValidationResult, rules, validate

TESTS = Path(__file__).parent
RULES = TESTS / "fixtures" / "rules"
EXAMPLES = TESTS.parent / "examples"
BROKEN_EXAMPLES = sorted((EXAMPLES / "broken").glob("*.ttl"))
ACME = tuple(sorted((EXAMPLES / "acme").glob("*.ttl")))

# Longest namespace first, so that https://example.org/broken/x is broken:x, not ex:broken/x.
PREFIXES = (
    ("https://w3id.org/pmgraph/shapes#", "pmsh:"),
    ("https://w3id.org/pmgraph#", "pm:"),
    ("https://example.org/broken/", "broken:"),
    ("https://example.org/", "ex:"),
    ("http://www.w3.org/2000/01/rdf-schema#", "rdfs:"),
)

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def graph_of(*files: str | Path) -> rdflib.Graph:
    """One graph holding every triple of the files; a bare name is a story in tests/fixtures/rules."""
    graph = rdflib.Graph()
    for file in files:
        graph.parse(RULES / file, format="turtle")  # RULES / an absolute path is that path
    return graph


@functools.cache
def report_of(*files: str | Path, engine: str = "pmgraph") -> ValidationReport:
    """The (frozen, so cacheable) validation report of the files taken together."""
    return validate(graph_of(*files), engine=engine)


def short(term: str | None) -> str | None:
    """A result's IRI as a CURIE, a blank node as ``_:``, anything else unchanged."""
    if term is None or term.startswith("_:"):
        return term and "_:"
    for namespace, prefix in PREFIXES:
        if term.startswith(namespace):
            return prefix + term[len(namespace) :]
    return term


def as_tuple(result: ValidationResult) -> tuple[str, str | None, str | None, str | None, str | None]:
    return (result.severity, short(result.focus), short(result.shape), short(result.path), short(result.value))


def results_of(*files: str | Path, engine: str = "pmgraph") -> set[tuple]:
    """The results of validating the files together, as (severity, focus, shape, path, value)."""
    return {as_tuple(result) for result in report_of(*files, engine=engine).results}


def in_any_order(message: str) -> str:
    """The message with the items of each ", "-separated list in parentheses sorted.

    The order of such lists comes from SPARQL's GROUP_CONCAT, which each engine chooses.

    >>> in_any_order("accountable (Jon Park, Erin Castillo); ends (2024-01-15)")
    'accountable (Erin Castillo, Jon Park); ends (2024-01-15)'
    """
    return re.sub(r"\(([^()]*)\)", lambda m: "(" + ", ".join(sorted(m.group(1).split(", "))) + ")", message)


def violation(focus: str, shape: str, path: str | None = None, value: str | None = None) -> tuple:
    return ("Violation", focus, "pmsh:" + shape, path, value)


def warning(focus: str, shape: str, path: str | None = None, value: str | None = None) -> tuple:
    return ("Warning", focus, "pmsh:" + shape, path, value)


def accountable_twice(scope: str, *responsibilities: str) -> set[tuple]:
    """Rule 6 broken on a scope: one result per responsibility with two accountable agents at once."""
    return {violation(scope, "OneAccountableShape", value="pm:" + name) for name in responsibilities}


CHECKOUT_API = "ex:checkout-api"
DATA_WAREHOUSE = "ex:data-warehouse"
SAM_AS_TECH_LEAD = "ex:sam-leads-checkout-team"
END_BEFORE_START = "EndNotBeforeStartShape"
HELD_WHERE_IT_APPLIES = "RoleHeldWhereItAppliesShape"
RESPONSIBILITY_ASSIGNMENT = "ResponsibilityAssignmentShape"

PROJECT_MANAGER_ACCOUNTABILITIES = (
    "ProjectDelivery", "Budgeting", "Scheduling", "Resourcing", "QualityManagement", "RiskManagement",
    "StakeholderReporting",
)  # fmt: skip
PROGRAM_MANAGER_ACCOUNTABILITIES = (
    "DeliveryCoordination", "Scheduling", "Resourcing", "Budgeting", "RiskManagement", "StakeholderReporting",
)  # fmt: skip
TWO_PROJECT_MANAGERS = accountable_twice("ex:payments-integration", *PROJECT_MANAGER_ACCOUNTABILITIES)


def breaks(file: str, *results: tuple) -> pytest.param:
    """A story that breaks a rule, and the exact results it gives."""
    return pytest.param((file,), set(results), id=Path(file).stem)


def follows(*files: str) -> pytest.param:
    """A story (in one file or several validated together) that follows every rule: no result."""
    return pytest.param(files, id="+".join(Path(f).stem for f in files))


# ---------------------------------------------------------------------------------------------
# Stories that break a rule: the exact results
# ---------------------------------------------------------------------------------------------

BREAKS = [
    # Rule 1: IRIs and names.
    breaks("project_as_blank_node.ttl", violation("_:", "NamedByIriShape", value="_:")),
    breaks("role_assignment_as_blank_node.ttl", violation("_:", "NamedByIriShape", value="_:")),
    breaks("person_without_name.ttl", violation("ex:erin", "HasNameShape", "rdfs:label")),
    breaks("team_without_name.ttl", violation("ex:checkout-team", "HasNameShape", "rdfs:label")),
    breaks(
        "unlabelled_blank_assignment_ends_before_it_starts.ttl",
        violation("_:", "NamedByIriShape", value="_:"),
        violation("_:", "EndNotBeforeStartShape", "pm:endDate", "2024-02-01"),
    ),
    # Rule 2: dates.
    breaks("project_without_end_date.ttl", violation(CHECKOUT_API, "ProjectDatesShape", "pm:endDate")),
    breaks("date_as_string.ttl", violation(CHECKOUT_API, "DateTypeShape", "pm:startDate", "2024-01-15")),
    breaks("impossible_calendar_date.ttl", violation(CHECKOUT_API, "DateTypeShape", "pm:endDate", "2024-02-30")),
    breaks("two_start_dates.ttl", violation(CHECKOUT_API, "DateTypeShape", "pm:startDate")),
    breaks("project_ends_before_it_starts.ttl", violation(CHECKOUT_API, END_BEFORE_START, "pm:endDate", "2023-09-30")),
    breaks(
        "assignment_ends_before_it_starts.ttl",
        violation("ex:erin-manages-checkout-api", END_BEFORE_START, "pm:endDate", "2024-01-15"),
    ),
    # Rule 3: one program per project; budgets.
    breaks("project_in_two_programs.ttl", violation("ex:card-vault", "OneProgramPerProjectShape", "pm:partOf", "ex:card-vault")),
    breaks("negative_budget.ttl", violation(CHECKOUT_API, "BudgetShape", "pm:budget", "-20000")),
    breaks("budget_as_string.ttl", violation(CHECKOUT_API, "BudgetShape", "pm:budget", "500000")),
    breaks(
        "budget_as_double.ttl",
        violation(CHECKOUT_API, "BudgetShape", "pm:budget", "500000.0"),  # as written, not canonical
    ),
    # Rule 4: role assignments, where a role may be held, the short form.
    breaks("assignment_without_agent.ttl", violation("ex:checkout-api-manager", "RoleAssignmentShape", "pm:agent")),
    breaks("negative_allocation.ttl", violation("ex:erin-manages-checkout-api", "RoleAssignmentShape", "pm:allocation", "-0.5")),
    breaks("role_not_a_role.ttl", violation("ex:sam-tech-lead", "RoleAssignmentShape", "pm:role", "ex:tech-lead")),
    breaks(
        "scrum_master_on_project.ttl",
        violation("ex:tom-scrum-master", HELD_WHERE_IT_APPLIES, "pm:scope", "ex:search-revamp"),
    ),
    breaks(
        "technical_program_manager_broader_role.ttl",
        violation("ex:erin-tpm-checkout-api", HELD_WHERE_IT_APPLIES, "pm:scope", CHECKOUT_API),
        *accountable_twice("ex:checkout-modernisation", *PROGRAM_MANAGER_ACCOUNTABILITIES),
    ),
    breaks("short_form_on_wrong_scope.ttl", violation("ex:checkout-team", "ShortFormShape", "pm:projectManager", "ex:erin")),
    breaks(
        "short_form_manager_not_a_person.ttl",
        violation(CHECKOUT_API, "ShortFormShape", "pm:projectManager", "ex:checkout-team"),
    ),
    breaks(  # alone, file b assigns a role on a scope it knows nothing about
        "accountability_split_across_two_files_b.ttl",
        violation("ex:jon-manages-data-warehouse", "RoleAssignmentShape", "pm:scope", "ex:data-warehouse"),
        violation("ex:jon-manages-data-warehouse", HELD_WHERE_IT_APPLIES, "pm:scope", "ex:data-warehouse"),
    ),
    # Rule 5: every project has a Project Manager (alone, file a has a project without its manager).
    breaks("project_without_manager.ttl", violation(DATA_WAREHOUSE, "ProjectHasManagerShape", value=DATA_WAREHOUSE)),
    breaks(
        "accountability_split_across_two_files_a.ttl",
        violation(DATA_WAREHOUSE, "ProjectHasManagerShape", value=DATA_WAREHOUSE),
    ),
    # Rule 6: one accountable agent per scope, responsibility and day.
    breaks("two_project_managers_at_once.ttl", *TWO_PROJECT_MANAGERS),
    breaks("project_managers_overlap_by_one_day.ttl", *TWO_PROJECT_MANAGERS),
    breaks("short_form_manager_and_assigned_manager.ttl", *TWO_PROJECT_MANAGERS),
    breaks(
        "explicit_accountable_beside_project_manager.ttl",
        *accountable_twice("ex:payments-integration", "Budgeting"),
    ),
    # Warnings.
    breaks(
        "program_with_one_project.ttl",
        warning("ex:checkout-modernisation", "ProgramHasProjectsShape", value="ex:checkout-modernisation"),
    ),
    breaks("product_without_manager.ttl", warning("ex:acme-shop", "ProductHasManagerShape", value="ex:acme-shop")),
    breaks(
        "project_ends_after_its_program.ttl",
        warning("ex:fraud-detection", "ProjectWithinProgramShape", "pm:partOf", "ex:checkout-modernisation"),
    ),
    breaks("person_over_allocated.ttl", warning("ex:erin", "PersonOverAllocatedShape", value="ex:erin-fraud-detection")),
    breaks("custom_role_without_name.ttl", warning("ex:delivery-lead", "RoleOrResponsibilityHasNameShape", "rdfs:label")),
    breaks("po_and_scrum_master_same_team.ttl", warning("ex:checkout-team", "ProductOwnerAndScrumMasterShape", value="ex:priya")),
    breaks("deprecated_role_in_use.ttl", warning("ex:tech-lead", "DeprecatedTermShape", value=SAM_AS_TECH_LEAD)),
    breaks("deprecated_role_without_replacement.ttl", warning("ex:tech-lead", "DeprecatedTermShape", value=SAM_AS_TECH_LEAD)),
    breaks("responsibility_assignment_without_raci.ttl", warning("ex:grace-budget", RESPONSIBILITY_ASSIGNMENT, "pm:raci")),
    breaks("raci_level_not_one_of_four.ttl", warning("ex:grace-budget", RESPONSIBILITY_ASSIGNMENT, "pm:raci", "ex:approver")),
    # Warnings on the vocabulary beyond the core: KPIs and lifecycle status.
    breaks("product_without_kpi.ttl", warning("ex:acme-shop", "ProductHasKpiShape", value="ex:acme-shop")),
    breaks(
        "measurement_with_text_value.ttl",
        warning("ex:acme-shop-revenue-2024-q1", "MeasurementShape", "pm:measuredValue", "about three"),
    ),
    breaks(
        "closed_project_ending_in_the_future.ttl",
        warning(CHECKOUT_API, "ClosedScopeHasEndedShape", "pm:endDate", CHECKOUT_API),
    ),
    breaks("project_with_unknown_status.ttl", warning(CHECKOUT_API, "StatusShape", "pm:status", "ex:sleeping")),
]


@pytest.mark.parametrize(("files", "expected"), BREAKS)
def test_a_story_that_breaks_a_rule_gives_exactly_its_results(files, expected):
    assert results_of(*files) == expected


# ---------------------------------------------------------------------------------------------
# Stories that follow a rule (and every other): no result at all
# ---------------------------------------------------------------------------------------------

# Each story names the shape whose rule it shows being followed.
FOLLOWS = {
    "NamedByIriShape": ["everything_named_by_iri.ttl"],
    "HasNameShape": ["name_with_language_tag.ttl"],
    "ProjectDatesShape": ["program_without_dates.ttl"],
    "DateTypeShape": ["open_ended_assignment.ttl"],
    "EndNotBeforeStartShape": ["project_of_one_day.ttl"],
    "OneProgramPerProjectShape": ["project_in_program_and_portfolio.ttl"],
    "BudgetShape": ["budget_as_integer.ttl"],
    "RoleAssignmentShape": ["team_as_agent.ttl"],
    "RoleHeldWhereItAppliesShape": [
        "technical_program_manager_on_program.ttl",
        "custom_role_with_own_applies_to.ttl",
        "scrum_master_on_team_subclass.ttl",
    ],
    "ShortFormShape": ["product_owner_short_form_on_team.ttl"],
    "ProjectHasManagerShape": [
        "project_with_manager_short_form.ttl",
        "project_managed_by_delivery_lead.ttl",
        ("accountability_split_across_two_files_a.ttl", "accountability_split_across_two_files_b.ttl"),
    ],
    "OneAccountableShape": [
        "two_project_managers_one_after_another.ttl",
        "same_person_twice_as_project_manager.ttl",
        "sponsor_beside_project_manager.ttl",
        "program_manager_not_accountable_on_projects.ttl",
        "assistant_project_manager_with_own_raci.ttl",
    ],
    "ProgramHasProjectsShape": ["program_with_two_projects.ttl"],
    "ProductHasManagerShape": ["product_with_product_owner_only.ttl"],
    "ProjectWithinProgramShape": ["project_within_program_dates.ttl"],
    "PersonOverAllocatedShape": ["person_sequential_full_time_roles.ttl", "unknown_allocation_adds_nothing.ttl"],
    "RoleOrResponsibilityHasNameShape": ["custom_role_and_responsibility_with_names.ttl"],
    "ProductOwnerAndScrumMasterShape": ["po_then_scrum_master_of_same_team.ttl"],
    "DeprecatedTermShape": ["deprecated_role_no_longer_used.ttl"],
    "ResponsibilityAssignmentShape": ["responsibility_assignment_complete.ttl"],
    "ProductHasKpiShape": ["product_measured_by_revenue.ttl"],
    "MeasurementShape": ["product_measured_by_revenue.ttl"],
    "ClosedScopeHasEndedShape": ["closed_project_that_has_ended.ttl"],
    "StatusShape": ["project_on_hold.ttl"],
}
FOLLOWING = [
    follows(*files)
    for files in dict.fromkeys(
        files if isinstance(files, tuple) else (files,) for stories in FOLLOWS.values() for files in stories
    )
]


@pytest.mark.parametrize("files", FOLLOWING)
def test_a_story_that_follows_the_rules_gives_no_result(files):
    assert results_of(*files) == set()


def test_every_shape_has_a_story_that_breaks_it_and_one_that_follows_it():
    named_shapes = [shape for shape in rules().subjects(RDF.type, SH.NodeShape) if isinstance(shape, rdflib.URIRef)]
    shapes = {short(str(shape)) for shape in named_shapes}
    broken = {result[2] for case in BREAKS for result in case.values[1]}
    followed = {"pmsh:" + shape for shape in FOLLOWS}

    assert (broken, followed) == (shapes, shapes)


def test_every_fixture_is_a_story_of_this_module():
    told = {file for case in BREAKS + FOLLOWING for file in case.values[0]}

    assert sorted(path.name for path in RULES.glob("*.ttl")) == sorted(told)


def test_every_fixture_starts_with_a_comment_saying_what_it_shows():
    assert [path.name for path in RULES.glob("*.ttl") if not path.read_text().startswith("# ")] == []


# ---------------------------------------------------------------------------------------------
# What the user reads
# ---------------------------------------------------------------------------------------------

MESSAGES = {
    "project_ends_before_it_starts.ttl": "Project 'Checkout API' ends (2023-09-30) before it starts (2024-01-15)",
    "assignment_ends_before_it_starts.ttl": (
        "Role assignment 'https://example.org/erin-manages-checkout-api' ends (2024-01-15) before it starts (2024-09-30)"
    ),
    "project_in_two_programs.ttl": (
        "Project 'Card Vault' is part of 2 programs (Checkout Modernisation, Payments Platform); "
        "a project belongs to at most one program"
    ),
    "negative_budget.ttl": "A budget must be a number that is not negative, such as 500000 or 125000.50",
    "scrum_master_on_project.ttl": "Scrum Master cannot be held on Search Revamp: the role applies to team only",
    "short_form_on_wrong_scope.ttl": (
        "Project Manager cannot be held on Checkout Team: the role applies to project only"
    ),
    "project_without_manager.ttl": "Project 'Data Warehouse Migration' has no Project Manager",
    "explicit_accountable_beside_project_manager.ttl": (
        "Project 'Payments Integration': 2 agents are accountable for Budgeting at the same time "
        "(Grace Liu, Jon Park); a responsibility has one accountable agent"
    ),
    "program_with_one_project.ttl": (
        "Program 'Checkout Modernisation' has 1 project(s); a program groups at least two related projects"
    ),
    "product_without_manager.ttl": "Product 'Acme Shop' has no Product Manager or Product Owner",
    "project_ends_after_its_program.ttl": (
        "Project 'Fraud Detection' runs 2024-06-01 to 2026-06-30, "
        "outside its program 'Checkout Modernisation' (2024-01-01 to 2025-12-31)"
    ),
    "person_over_allocated.ttl": "Erin Castillo is allocated 1.2 of a full-time person from 2024-06-01 (more than 1)",
    "po_and_scrum_master_same_team.ttl": (
        "Priya Nair is both Product Owner and Scrum Master of team 'Checkout Team' at the same time"
    ),
    "closed_project_ending_in_the_future.ttl": "'Checkout API' is closed but its end date 2999-12-31 is in the future",
    "deprecated_role_in_use.ttl": (
        "https://example.org/sam-leads-checkout-team uses https://example.org/tech-lead, which is deprecated; "
        "use https://example.org/engineering-manager instead"
    ),
    "deprecated_role_without_replacement.ttl": (
        "https://example.org/sam-leads-checkout-team uses https://example.org/tech-lead, which is deprecated; "
        "use its replacement instead"
    ),
}


@pytest.mark.parametrize(("file", "message"), MESSAGES.items(), ids=[Path(f).stem for f in MESSAGES])
def test_the_message_says_what_is_wrong_in_words(file, message):
    assert [in_any_order(result.message) for result in report_of(file).results] == [in_any_order(message)]


def test_an_unlabelled_blank_node_is_still_named_in_the_message():
    (ends_before_start,) = [
        result.message
        for result in report_of("unlabelled_blank_assignment_ends_before_it_starts.ttl").results
        if result.shape.endswith("#EndNotBeforeStartShape")
    ]

    assert ends_before_start == "Role assignment '(unnamed)' ends (2024-02-01) before it starts (2024-05-01)"


# ---------------------------------------------------------------------------------------------
# The examples shipped with pmgraph
# ---------------------------------------------------------------------------------------------


def test_the_acme_organisation_follows_every_rule():
    assert results_of(*ACME) == set()


BROKEN_EXAMPLE_RESULTS = {
    "rule1-unnamed-project.ttl": {
        violation("_:", "NamedByIriShape", value="_:"),
        violation("broken:kim", "HasNameShape", "rdfs:label"),
    },
    "rule2-ends-before-it-starts.ttl": {
        violation("broken:checkout-api", "EndNotBeforeStartShape", "pm:endDate", "2023-09-30"),
    },
    "rule3-project-in-two-programs.ttl": {
        violation("broken:card-vault", "OneProgramPerProjectShape", "pm:partOf", "broken:card-vault"),
        violation("broken:card-vault", "BudgetShape", "pm:budget", "-20000"),
    },
    "rule4-role-on-wrong-scope.ttl": {
        violation("broken:tom-scrum-master", "RoleHeldWhereItAppliesShape", "pm:scope", "broken:search-revamp"),
        violation("broken:tom-scrum-master", "RoleAssignmentShape", "pm:allocation", "1.5"),
        warning("broken:tom", "PersonOverAllocatedShape", value="broken:tom-scrum-master"),
    },
    "rule5-project-without-manager.ttl": {
        violation("broken:data-warehouse", "ProjectHasManagerShape", value="broken:data-warehouse"),
    },
    "rule6-two-accountable.ttl": accountable_twice("broken:payments-integration", *PROJECT_MANAGER_ACCOUNTABILITIES),
}


@pytest.mark.parametrize("example", BROKEN_EXAMPLES, ids=[path.stem for path in BROKEN_EXAMPLES])
def test_each_broken_example_gives_its_violations(example):
    results = results_of(example)

    assert report_of(example).counts["Violation"] >= 1
    assert results == BROKEN_EXAMPLE_RESULTS[example.name]


# ---------------------------------------------------------------------------------------------
# validate() leaves its input alone
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["pmgraph", "pyshacl"])
def test_validate_never_changes_the_graph_it_is_given(engine):
    graph = graph_of("technical_program_manager_broader_role.ttl", "project_as_blank_node.ttl")
    before = graph_of("technical_program_manager_broader_role.ttl", "project_as_blank_node.ttl")
    size = len(graph)

    validate(graph, engine=engine)

    assert len(graph) == size
    assert isomorphic(graph, before)


NEGATIVE_BUDGET_NT = (
    "<https://e.org/p1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pmgraph#Project> .\n"
    '<https://e.org/p1> <http://www.w3.org/2000/01/rdf-schema#label> "P1" .\n'
    '<https://e.org/p1> <https://w3id.org/pmgraph#budget> "-010.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
)


@pytest.mark.parametrize(
    "written",
    [
        pytest.param(NEGATIVE_BUDGET_NT, id="N-Triples, found by its text"),
        pytest.param(NEGATIVE_BUDGET_NT.replace(" <https://w3id.org/pmgraph#budget> ", "\t<https://w3id.org/pmgraph#budget>\t"), id="N-Triples with tabs, parsed whole"),
        pytest.param(NEGATIVE_BUDGET_NT + '<https://e.org/p1> <http://www.w3.org/2000/01/rdf-schema#comment> "caf\\u00E9" .\n', id="N-Triples with an escape, parsed whole"),
    ],
)
def test_a_reported_number_is_the_one_the_file_writes(written, tmp_path):
    # The engine's store keeps numbers in canonical form (-10.5); the report names the file's.
    from pmgraph.rdf.reading import load_store
    from pmgraph.ontology import add_ontology
    from pmgraph.validation.validator import validate_store

    data = tmp_path / "portfolio.nt"
    data.write_text(written)
    store = load_store(data)
    add_ontology(store)

    budgets = [r for r in validate_store(store, sources=[data]).results if r.path == "https://w3id.org/pmgraph#budget"]

    assert [(r.focus, r.value) for r in budgets] == [("https://e.org/p1", "-010.50")]


@pytest.mark.parametrize("block_bytes", [1, 50, 1000])
def test_a_reported_number_is_found_in_a_file_read_in_blocks(block_bytes, tmp_path, monkeypatch):
    # A large file is searched block by block: lines cut at a block's end are still found whole.
    import pmgraph.rdf.places
    from pmgraph.rdf.reading import load_store
    from pmgraph.ontology import add_ontology
    from pmgraph.validation.validator import validate_store

    data = tmp_path / "portfolio.nt"
    data.write_text("".join(NEGATIVE_BUDGET_NT.replace("p1", f"p{n}").replace("-010.50", f"-0{n}.50") for n in range(1, 6)))
    store = load_store(data)
    add_ontology(store)
    monkeypatch.setattr(pmgraph.rdf.places, "BLOCK_BYTES", block_bytes)

    budgets = [r for r in validate_store(store, sources=[data]).results if r.path == "https://w3id.org/pmgraph#budget"]

    assert sorted((r.focus, r.value) for r in budgets) == [(f"https://e.org/p{n}", f"-0{n}.50") for n in range(1, 6)]


TURTLE_PREFIXES = """
@prefix pm: <https://w3id.org/pmgraph#> . @prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
SHARED_ASSIGNMENT = TURTLE_PREFIXES + """
ex:al a pm:Person ; rdfs:label "Al" .
ex:team a pm:Team ; rdfs:label "Team" .
ex:al-masters-team a pm:RoleAssignment ; pm:agent ex:al ; pm:role pm:ScrumMaster ; pm:scope ex:team ; pm:allocation 0.6 .
"""


def report_of_files(*files: Path, engine: str) -> ValidationReport:
    """The report of files as ``pmgraph validate`` makes it with each engine."""
    from pmgraph.rdf.reading import load, load_store
    from pmgraph.ontology import add_ontology
    from pmgraph.validation.validator import validate_store

    if engine == "pyshacl":
        return validate(load(*files), engine="pyshacl")
    store = load_store(*files)
    add_ontology(store)
    return validate_store(store, sources=files)


@pytest.mark.parametrize("engine", ["pmgraph", "pyshacl"])
def test_a_statement_two_files_both_make_counts_once(engine, tmp_path):
    # Teams exchange files that overlap: Al's 0.6 stated in both is still 0.6, not an over-allocation.
    ours, theirs, second = tmp_path / "ours.ttl", tmp_path / "theirs.ttl", tmp_path / "second.ttl"
    ours.write_text(SHARED_ASSIGNMENT)
    theirs.write_text(SHARED_ASSIGNMENT)
    second.write_text(
        TURTLE_PREFIXES + 'ex:other-team a pm:Team ; rdfs:label "Other team" .\n'
        "ex:al-masters-other-team a pm:RoleAssignment ; pm:agent ex:al ; pm:role pm:ScrumMaster ; pm:scope ex:other-team ; pm:allocation 0.5 .\n"
    )

    assert report_of_files(ours, theirs, engine=engine).results == ()
    over = "Al is allocated 1.1 of a full-time person from the start (more than 1)"
    assert {(r.focus, r.value, r.message) for r in report_of_files(ours, theirs, second, engine=engine).results} == {
        ("https://example.org/al", "https://example.org/al-masters-team", over),
        ("https://example.org/al", "https://example.org/al-masters-other-team", over),
    }
