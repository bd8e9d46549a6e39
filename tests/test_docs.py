"""`pmgraph docs -o DIR` writes the HTML reference of the ontology, RACI table included."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from conftest import run
from rdflib.namespace import RDFS

from pmgraph.render.reference import reference_html, write_docs
from pmgraph.ontology import load_ontology

PM = "https://w3id.org/pmgraph#"
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/pmgraph")


class Page(HTMLParser):
    """What the tests read in a page: its anchors, its RACI cells and its text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.anchors: set[str] = set()
        self.raci: dict[tuple[str, str], str] = {}
        self.text: list[str] = []
        self._cell: tuple[str, str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.anchors.add(attributes["id"])
        if tag == "td" and "data-role" in attributes:
            self._cell = (attributes["data-role"], attributes["data-responsibility"])
            self.raci[self._cell] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self.raci[self._cell] += data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    folder = tmp_path_factory.mktemp("site") / "docs"
    return run("docs", "-o", folder), folder


@pytest.fixture(scope="module")
def page(built) -> Page:
    _, folder = built
    return Page((folder / "index.html").read_text(encoding="utf-8"))


def test_docs_writes_index_html_and_says_where(built):
    result, folder = built
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{folder / 'index.html'}\n"
    assert result.stderr == ""
    assert [path.name for path in folder.iterdir()] == ["index.html"]


def test_every_pm_term_has_an_anchor(page):
    ontology = load_ontology()
    terms = {
        str(term).removeprefix(PM)
        for term in ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)
        if str(term).startswith(PM)
    }
    assert len(terms) > 100
    assert terms - page.anchors == set()
    sections = {"reference-model", "raci", "classes", "object-properties", "datatype-properties", "alignments"}
    assert sections <= page.anchors
    assert {"instances-of-Role", "instances-of-Responsibility", "instances-of-KpiType", "instances-of-Methodology",
            "instances-of-LifecycleStatus", "instances-of-RaciLevel"} <= page.anchors


def test_the_raci_table_has_the_letters_of_the_reference_model(page):
    assert page.raci[("ProjectManager", "Budgeting")] == "A"
    assert page.raci[("Sponsor", "Budgeting")] == "C"
    assert page.raci[("ProductOwner", "BacklogManagement")] == "A"
    assert page.raci[("ProductOwner", "Prioritization")] == "R"
    assert page.raci[("ProductManager", "BacklogManagement")] == "I"
    assert page.raci[("Stakeholder", "Budgeting")] == ""
    # Every role by every responsibility, one letter at most (a role holds a responsibility at one level).
    assert len(page.raci) == 9 * 18
    assert set(page.raci.values()) == {"", "R", "A", "C", "I"}


def test_a_term_block_shows_label_definition_source_domain_range_and_mappings():
    page = reference_html(load_ontology(alignments=True))
    block = page[page.index('id="partOf"'):]
    block = block[: block.index("</div>")]
    assert "part of" in block
    assert "Relates a project to the program or portfolio it belongs to" in block
    assert (
        '<dt>Domain</dt><dd><a href="#Project"><code>pm:Project</code></a> or '
        '<a href="#Program"><code>pm:Program</code></a></dd>'
    ) in block
    assert "related match" in block and "proj:wasSubActivityOf" in block
    project = page[page.index('id="Project"'):]
    project = project[: project.index("</div>")]
    assert "A Guide to the Project Management Body of Knowledge (PMBOK Guide)" in project
    assert "close match <a href=\"https://schema.org/Project\"><code>schema:Project</code></a>" in project


def test_a_deprecated_term_is_marked_with_its_replacement():
    page = reference_html(load_ontology())
    block = page[page.index('id="Programme"'):]
    block = block[: block.index("</div>")]
    assert 'class="term deprecated"' in page[page.index('id="Programme"') - 40 : page.index('id="Programme"')]
    assert '<dt>Deprecated</dt><dd>replaced by <a href="#Program"><code>pm:Program</code></a></dd>' in block


def test_the_same_ontology_gives_the_same_bytes(tmp_path):
    first = write_docs(tmp_path / "a").read_bytes()
    second = write_docs(tmp_path / "b").read_bytes()
    assert first == second


def test_without_alignments_no_mapping_is_shown(tmp_path):
    result = run("docs", "-o", tmp_path, "--no-alignments")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "close match" not in text
    assert "schema:Project" not in text


def test_a_file_where_the_folder_should_be_is_exit_2_in_one_line(tmp_path):
    occupied = tmp_path / "docs"
    occupied.write_text("not a folder")
    result = run("docs", "-o", occupied)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"pmgraph: error: {occupied}: it is a file, not a folder\n"
    assert occupied.read_text() == "not a folder"


def test_docs_needs_an_output_folder():
    result = run("docs")
    assert result.returncode == 2
    assert "-o/--output" in result.stderr
