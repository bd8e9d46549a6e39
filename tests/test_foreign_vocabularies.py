"""``pmgraph import --from org|schema|doap|proj``: data in the vocabularies other teams publish, as pm: data.

Each fixture is written the way the vocabulary's own documentation writes its examples (the W3C ORG
Recommendation's memberships and posts, schema.org's Role example and a Project in the same style
with "@context": "https://schema.org", DOAP's description of itself, PROJ's proj:Project example).
Each test checks the exact Turtle pmgraph writes, that it validates, and that a shipped question
answers on it.
"""

from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
import rdflib
import rdflib.compare
from conftest import PMGRAPH, files_in_wheel, one_line_error, run

from pmgraph.exchange.vocabularies import VOCABULARIES, import_vocabulary, mapping_file

FIXTURES = Path(__file__).parent / "fixtures" / "vocabularies"
BASE = "https://example.org/imported/"
PM = "https://w3id.org/pmgraph#"

EXAMPLES = {
    "org_membership_and_post.ttl": "org",
    "schema_role_49ers.jsonld": "schema",
    "schema_project_with_roles.jsonld": "schema",
    "doap_doap.ttl": "doap",
    "proj_project1.ttl": "proj",
}


def imported(tmp_path: Path, vocabulary: str, fixture: str) -> Path:
    """Run ``pmgraph import`` on a fixture into a file of tmp_path, and return that file."""
    output = tmp_path / (Path(fixture).stem + ".ttl")
    result = run("import", "--from", vocabulary, FIXTURES / fixture, "--base", BASE, "-o", output)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    return output


def answers(question: str, data: Path, *params: str, at: str) -> list[dict[str, str]]:
    """The rows a shipped question gives on the data, as CSV dictionaries without empty cells."""
    arguments = [item for param in params for item in ("--param", param)]
    result = run("query", question, data, *arguments, "--at", at, "--format", "csv")
    assert result.returncode == 0, result.stderr
    return [{key: value for key, value in row.items() if value} for row in csv.DictReader(io.StringIO(result.stdout))]


@pytest.mark.parametrize("fixture", EXAMPLES)
def test_each_documented_example_comes_out_as_the_expected_pm_data(fixture):
    result = run("import", "--from", EXAMPLES[fixture], FIXTURES / fixture, "--base", BASE)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (FIXTURES / "expected" / (Path(fixture).stem + ".ttl")).read_text(encoding="utf-8")


@pytest.mark.parametrize("fixture", EXAMPLES)
def test_each_converted_example_validates(fixture, tmp_path):
    result = run("validate", imported(tmp_path, EXAMPLES[fixture], fixture))
    assert result.returncode == 0, result.stdout
    # DOAP says nothing of a product's managers or KPIs: those two warnings remain, and only those.
    warnings = 2 if fixture == "doap_doap.ttl" else 0
    assert f"0 violations, {warnings} warnings, 0 info in 1 file" in result.stdout
    if warnings:
        assert "Product 'DOAP' has no Product Manager or Product Owner" in result.stdout
        assert "Product 'DOAP' has no KPI" in result.stdout


def test_org_a_membership_and_a_post_answer_who_holds_the_roles(tmp_path):
    data = imported(tmp_path, "org", "org_membership_and_post.ttl")
    team = "http://www.example.com/org#id"
    assert answers("role-holders", data, f"scope={team}", "role=http://www.example.com/roles#ceo", at="2012-05-01") == [{
        "agent": "http://www.example.com/people#ljames", "name": "Lucy James",
        "heldRole": "http://www.example.com/roles#ceo",
        "assignment": BASE + "lucy-james-chief-executive-officer-platform-team-2011-01-01",
        "start": "2011-01-01", "end": "2013-06-30", "scope": team, "role": "http://www.example.com/roles#ceo",
        "at": "2012-05-01",
    }]
    # the membership ended on 2013-06-30
    assert answers("role-holders", data, f"scope={team}", "role=http://www.example.com/roles#ceo", at="2014-01-01") == []
    # the org:Role labelled "Scrum Master" is pmgraph's Scrum Master
    assert answers("role-holders", data, f"scope={team}", "role=pm:ScrumMaster", at="2024-01-01") == [{
        "agent": "http://www.example.com/people#cbrown", "name": "Charlie Brown", "heldRole": PM + "ScrumMaster",
        "assignment": BASE + "charlie-brown-scrum-master-platform-team", "scope": team, "role": PM + "ScrumMaster",
        "at": "2024-01-01",
    }]


def test_schema_org_the_role_example_answers_who_played_when(tmp_path):
    data = imported(tmp_path, "schema", "schema_role_49ers.jsonld")
    team, quarterback = BASE + "san-francisco-49ers", BASE + "role-quarterback"
    assert answers("role-holders", data, f"scope={team}", f"role={quarterback}", at="1985-06-01") == [{
        "agent": BASE + "joe-montana", "name": "Joe Montana", "heldRole": quarterback,
        "assignment": BASE + "joe-montana-quarterback-san-francisco-49ers-1979-01-01",
        "start": "1979-01-01", "end": "1992-12-31", "scope": team, "role": quarterback, "at": "1985-06-01",
    }]
    assert answers("role-holders", data, f"scope={team}", f"role={quarterback}", at="1993-01-01") == []


def test_schema_org_a_project_answers_who_is_accountable_and_who_funds_it(tmp_path):
    data = imported(tmp_path, "schema", "schema_project_with_roles.jsonld")
    project = "https://example.org/projects/checkout-api"
    rows = answers("accountable-for", data, f"scope={project}", "responsibility=pm:Budgeting", at="2024-06-01")
    assert [(row["name"], row["role"]) for row in rows] == [("Erin Castillo", PM + "ProjectManager")]
    rows = answers("role-holders", data, f"scope={project}", "role=pm:Sponsor", at="2024-06-01")
    assert [(row["agent"], row["name"]) for row in rows] == [("https://example.org/acme", "Acme Shop")]


def test_doap_the_maintainers_hold_the_maintainer_role_on_the_product(tmp_path):
    data = imported(tmp_path, "doap", "doap_doap.ttl")
    rows = answers("role-holders", data, f"scope={BASE}doap", f"role={BASE}role-maintainer", at="2024-01-01")
    assert [row["name"] for row in rows] == ["Edd Wilder-James", "Kjetil Kjernsmo"]


def test_proj_the_leader_is_the_project_manager_and_the_project_keeps_its_budget(tmp_path):
    data = imported(tmp_path, "proj", "proj_project1.ttl")
    project = "http://example.org/Project1"
    rows = answers("role-holders", data, f"scope={project}", "role=pm:ProjectManager", at="2016-01-01")
    assert [(row["agent"], row["name"]) for row in rows] == [("http://example.org/johnholland-kbr", "johnholland-kbr")]
    rows = answers("overdue-projects", data, at="2017-04-01")
    assert [row.get("project", row.get("scope")) for row in rows] == [project]


def test_proj_data_in_the_namespace_of_before_2022_reads_the_same(tmp_path):
    old = run("import", "--from", "proj", FIXTURES / "proj_project1_old_namespace.ttl", "--base", BASE)
    assert old.returncode == 0, old.stderr
    assert old.stdout == (FIXTURES / "expected" / "proj_project1.ttl").read_text(encoding="utf-8")


def test_the_schema_org_context_is_read_offline_in_python(monkeypatch):
    # Any attempt of Python code to reach the network fails the test.
    def no_network(*args, **kwargs):
        raise AssertionError(f"pmgraph tried to reach the network: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    graph = import_vocabulary("schema", FIXTURES / "schema_role_49ers.jsonld", base=BASE)
    expected = rdflib.Graph().parse(FIXTURES / "expected" / "schema_role_49ers.ttl")
    assert rdflib.compare.isomorphic(graph, expected)


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare (util-linux)")
def test_the_schema_org_context_is_read_with_no_network_at_all():
    # In a network namespace of its own, with no interface but a loopback that is down, the command
    # could reach nothing, pyoxigraph's parser included.
    if subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot make a network namespace here (needs root or user namespaces)")
    result = run("--net", PMGRAPH, "import", "--from", "schema", FIXTURES / "schema_role_49ers.jsonld", "--base", BASE,
                 program="unshare")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (FIXTURES / "expected" / "schema_role_49ers.ttl").read_text(encoding="utf-8")


def test_another_remote_context_is_refused_in_one_line_and_never_fetched(tmp_path):
    output = tmp_path / "out.ttl"
    result = run("import", "--from", "schema", FIXTURES / "schema_remote_context.jsonld", "-o", output)
    assert one_line_error(result).endswith(
        "schema_remote_context.jsonld: invalid JSON-LD: its @context is a URL, and pmgraph never fetches anything: "
        "write the context in the file"
    )
    assert not output.exists()


def test_without_base_nodes_without_an_iri_are_named_in_the_first_file(tmp_path):
    source = tmp_path / "team.jsonld"
    source.write_bytes((FIXTURES / "schema_role_49ers.jsonld").read_bytes())
    result = run("import", "--from", "schema", source)
    assert result.returncode == 0, result.stderr
    assert f"<{source.as_uri()}#joe-montana> a pm:Person" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "foaf", FIXTURES / "doap_doap.ttl"], "pmgraph: error: --from 'foaf': choose one of org, schema, doap, proj"),
        (["--from", "org", "missing.ttl"], "pmgraph: error: missing.ttl: no such file or directory"),
        (["--from", "org", FIXTURES / "doap_doap.ttl", "--base", "not an iri"],
         "pmgraph: error: --base 'not an iri': not an absolute IRI, such as https://example.org/acme/"),
    ],
    ids=["unknown-vocabulary", "missing-file", "bad-base"],
)
def test_bad_arguments_are_one_line_exit_2_and_nothing_is_written(arguments, message, tmp_path):
    output = tmp_path / "out.ttl"
    result = run("import", *arguments, "-o", output)
    assert one_line_error(result) == message
    assert not output.exists()


def test_an_unreadable_or_invalid_file_is_one_line_naming_the_file_and_line(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix org: <http://www.w3.org/ns/org#> .\n[] a org:Membership ;\n", encoding="utf-8")
    output = tmp_path / "out.ttl"
    result = run("import", "--from", "org", broken, "-o", output)
    assert one_line_error(result).startswith(f"pmgraph: error: {broken}:")
    assert not output.exists()
    locked = tmp_path / "locked.ttl"
    locked.write_text("", encoding="utf-8")
    locked.chmod(0)
    if _can_read(locked):  # root reads any file: nothing to refuse
        return
    assert one_line_error(run("import", "--from", "org", locked, "-o", output)).endswith("permission denied")
    assert not output.exists()


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True


def test_each_vocabulary_ships_a_mapping_that_says_what_it_does():
    for vocabulary in VOCABULARIES:
        text = mapping_file(vocabulary).read_text(encoding="utf-8")
        assert text.startswith("# "), vocabulary
        assert "CONSTRUCT" in text and "VALUES ?base { UNDEF }" in text, vocabulary


@pytest.mark.slow
def test_the_wheel_ships_the_mappings(wheel):
    assert files_in_wheel(wheel, "pmgraph/exchange/mappings/") == {f"{vocabulary}.rq" for vocabulary in VOCABULARIES}
