"""Role overlap: which roles share responsibilities, who holds overlapping or conflicting roles.

The numbers are computed by hand in the comments, from the fixtures and from the reference model
of ``ontology/pmgraph.ttl`` (section 8).
"""

from __future__ import annotations

import datetime
import html.parser
import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from conftest import run

import pmgraph
from pmgraph.analysis.overlap import (
    AccountabilityDuplicate,
    AccountabilityGap,
    ConcurrentRoles,
    ConflictingRoles,
    KeyPerson,
    LoadStep,
    Period,
    people_overlap,
    role_overlap,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "overlap"
ORGANISATION_ROLES = FIXTURES / "organisation_roles.ttl"
SEQUENTIAL_AND_CONCURRENT = FIXTURES / "sequential_and_concurrent_roles.ttl"
KNOWN_CONFLICTS = FIXTURES / "known_conflicts.ttl"
GAPS_AND_DUPLICATES = FIXTURES / "gaps_and_duplicates.ttl"
LOAD_AND_KEY_PEOPLE = FIXTURES / "load_and_key_people.ttl"
BROKEN = Path(__file__).parent / "fixtures" / "malformed" / "broken.ttl"

PM = "https://w3id.org/pmgraph#"
EX = "https://example.org/"
PLOT_EXTRA_MISSING = (
    "pmgraph: error: drawing the role-overlap heatmap needs matplotlib, which is not installed: "
    "pip install 'pmgraph[plot]'\n"
)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def period(start: str | None, end: str | None) -> Period:
    return Period(None if start is None else day(start), None if end is None else day(end))


@pytest.fixture
def without_matplotlib(tmp_path, monkeypatch) -> dict[str, str]:
    """The variables with which ``import matplotlib`` fails, as where the extra is not installed."""
    shadow = tmp_path / "no-matplotlib" / "matplotlib"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'matplotlib'\", name='matplotlib')\n"
    )
    return {"PYTHONPATH": str(shadow.parent)}


# ---------------------------------------------------------------------------------------------
# Role level
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def core_roles():
    return role_overlap(pmgraph.load(ORGANISATION_ROLES))


def test_project_and_program_manager_overlap_as_the_reference_model_says(core_roles):
    # Project Manager: A ProjectDelivery Budgeting Scheduling Resourcing QualityManagement
    #   RiskManagement StakeholderReporting, R DeliveryCoordination, C RequirementsAnalysis,
    #   I Roadmapping: 10 responsibilities.
    # Program Manager: A DeliveryCoordination Scheduling Resourcing Budgeting RiskManagement
    #   StakeholderReporting, C Roadmapping Prioritization, I QualityManagement: 9.
    # Shared: Budgeting DeliveryCoordination QualityManagement Resourcing RiskManagement Roadmapping
    #   Scheduling StakeholderReporting = 8; union 10 + 9 - 8 = 11.
    # Jaccard 8/11; overlap coefficient 8/9.
    # Weighted (A=4 R=3 C=2 I=1): min = Bud 4 + Sch 4 + Res 4 + Risk 4 + Rep 4 + Coord min(3,4)=3
    #   + Quality min(4,1)=1 + Road min(1,2)=1 = 25; max = 8 x 4 (ProjectDelivery Bud Sch Res
    #   Quality Risk Rep Coord) + Requirements 2 + Road 2 + Prioritization 2 = 38: 25/38.
    pair = core_roles.pair(PM + "ProjectManager", PM + "ProgramManager")

    assert (pair.a, pair.b) == (PM + "ProgramManager", PM + "ProjectManager")
    assert pair.jaccard == 8 / 11
    assert pair.overlap_coefficient == 8 / 9
    assert pair.weighted_jaccard == 25 / 38
    assert pair.shared == tuple(
        PM + name
        for name in [
            "Budgeting", "DeliveryCoordination", "QualityManagement", "Resourcing", "RiskManagement",
            "Roadmapping", "Scheduling", "StakeholderReporting",
        ]
    )
    assert pair.both_accountable == tuple(
        PM + name for name in ["Budgeting", "Resourcing", "RiskManagement", "Scheduling", "StakeholderReporting"]
    )


def test_product_owner_holds_a_subset_of_the_product_managers_responsibilities_at_other_levels(core_roles):
    # Product Manager: A ProductStrategy Roadmapping MarketAnalysis Prioritization,
    #   R StakeholderReporting, C RequirementsAnalysis Budgeting, I BacklogManagement: 8.
    # Product Owner: A BacklogManagement RequirementsAnalysis, R Prioritization,
    #   C Roadmapping ProductStrategy, I MarketAnalysis StakeholderReporting: 7, all among the 8.
    # Jaccard 7/8, overlap coefficient 1; weighted: min = Strategy 2 + Road 2 + Market 1 + Prio 3
    #   + Rep 1 + Requirements 2 + Backlog 1 = 12, max = 6 x 4 + Rep 3 + Budgeting 2 = 29: 12/29.
    pair = core_roles.pair(PM + "ProductManager", PM + "ProductOwner")

    assert (pair.jaccard, pair.overlap_coefficient, pair.weighted_jaccard) == (7 / 8, 1.0, 12 / 29)
    assert pair.both_accountable == ()


def test_organisation_roles_with_their_own_raci(core_roles):
    # Delivery Lead {Scheduling A, Budgeting A, DeliveryCoordination R, RiskManagement C} and
    # Release Manager {DeliveryCoordination A, Scheduling C, QualityManagement I}:
    # shared {DeliveryCoordination, Scheduling} = 2, union 4 + 3 - 2 = 5: Jaccard 2/5;
    # overlap coefficient 2/3; weighted: min = Coord min(3,4)=3 + Sch min(4,2)=2 = 5,
    # max = Sch 4 + Bud 4 + Coord 4 + Risk 2 + Quality 1 = 15: 5/15.
    pair = core_roles.pair(EX + "ReleaseManager", EX + "DeliveryLead")

    assert pair.to_json() == {
        "a": EX + "DeliveryLead",
        "b": EX + "ReleaseManager",
        "jaccard": 2 / 5,
        "shared": [PM + "DeliveryCoordination", PM + "Scheduling"],
        "overlap_coefficient": 2 / 3,
        "weighted_jaccard": 5 / 15,
        "both_accountable": [],
    }


def test_a_narrower_role_inherits_the_raci_only_when_it_states_none(core_roles):
    assert dict(core_roles.raci[EX + "JuniorDeliveryLead"]) == {
        PM + "Scheduling": "A",
        PM + "Budgeting": "A",
        PM + "DeliveryCoordination": "R",
        PM + "RiskManagement": "C",
    }
    assert core_roles.pair(EX + "JuniorDeliveryLead", EX + "DeliveryLead").jaccard == 1.0
    # the Delivery Coordinator states its own RACI: nothing of the Project Manager's
    assert dict(core_roles.raci[EX + "DeliveryCoordinator"]) == {PM + "Scheduling": "I"}


def test_every_pair_sharing_a_responsibility_is_listed_once(core_roles):
    roles = sorted(core_roles.raci)
    expected = {
        (a, b) for i, a in enumerate(roles) for b in roles[i + 1 :] if set(core_roles.raci[a]) & set(core_roles.raci[b])
    }

    assert len(roles) == 13  # the nine core roles and the four of the fixture
    assert [(pair.a, pair.b) for pair in core_roles.pairs] == sorted(
        expected, key=lambda ab: (-core_roles.pair(*ab).jaccard, *ab)
    )


def test_core_roles_cluster_into_delivery_and_product():
    result = role_overlap(pmgraph.load(SEQUENTIAL_AND_CONCURRENT))  # no role of its own

    assert result.clusters == (
        tuple(PM + name for name in ["PortfolioManager", "ProgramManager", "ProjectManager", "ScrumMaster", "Sponsor"]),
        tuple(PM + name for name in ["DirectorOfProduct", "ProductManager", "ProductOwner", "Stakeholder"]),
    )


def test_role_overlap_does_not_change_its_input():
    data = pmgraph.load(ORGANISATION_ROLES)
    before = len(data)

    role_overlap(data)

    assert len(data) == before


# ---------------------------------------------------------------------------------------------
# People level
# ---------------------------------------------------------------------------------------------


def test_concurrent_roles_are_listed_and_sequential_ones_are_not():
    result = people_overlap(pmgraph.load(SEQUENTIAL_AND_CONCURRENT))

    # Kim: Product Manager of Shop from 2024-01-01, Project Manager of Checkout 2024-03-01 to
    # 2024-06-30: they share March to June. Sam: Product Owner in 2023, Scrum Master from 2024.
    assert [person.person for person in result.people] == [EX + "kim"]
    [kim] = result.people
    assert kim.roles == (PM + "ProductManager", PM + "ProjectManager")
    assert kim.concurrent == (
        ConcurrentRoles(
            roles=(PM + "ProductManager", PM + "ProjectManager"),
            scopes=(EX + "shop", EX + "checkout"),
            assignments=(EX + "kim-product-manager", EX + "kim-project-manager"),
            period=period("2024-03-01", "2024-06-30"),
        ),
    )
    assert kim.conflicts == (
        ConflictingRoles(
            "product-manager-and-project-manager",
            (PM + "ProductManager", PM + "ProjectManager"),
            (EX + "shop", EX + "checkout"),
            period("2024-03-01", "2024-06-30"),
        ),
    )


def test_at_a_date_only_the_assignments_of_that_day_count():
    data = pmgraph.load(SEQUENTIAL_AND_CONCURRENT)

    assert people_overlap(data, at=day("2024-02-29")).people == ()
    assert [p.person for p in people_overlap(data, at=day("2024-03-01")).people] == [EX + "kim"]
    assert [p.person for p in people_overlap(data, at=day("2024-06-30")).people] == [EX + "kim"]
    assert people_overlap(data, at=day("2024-07-01")).people == ()


def test_known_conflicting_combinations():
    result = people_overlap(pmgraph.load(KNOWN_CONFLICTS))

    assert {person.person: [c.kind for c in person.conflicts] for person in result.people} == {
        EX + "dora": [],  # Director of Product and Stakeholder: concurrent, not a conflict
        EX + "gus": ["program-manager-and-project-manager"],
        EX + "olga": ["product-owner-and-scrum-master"],  # the Scrum Master through Agile Coach
        EX + "omar": ["product-owner-and-project-manager"],
        EX + "pia": ["product-manager-and-project-manager"],
        EX + "sol": ["sponsor-and-manager"],
    }
    olga = next(person for person in result.people if person.person == EX + "olga")
    assert olga.conflicts[0].period == period("2024-01-01", "2024-03-31")
    gus = next(person for person in result.people if person.person == EX + "gus")
    assert gus.conflicts[0].period == period(None, "2024-02-29")


def test_gaps_and_duplicates_of_accountability_over_time():
    result = people_overlap(pmgraph.load(GAPS_AND_DUPLICATES))

    assert result.gaps == (
        AccountabilityGap(EX + "apollo", PM + "Funding", period("2024-01-01", "2024-02-29")),
        AccountabilityGap(EX + "apollo", PM + "Funding", period("2024-04-01", "2024-12-31")),
        AccountabilityGap(EX + "zeus", PM + "BacklogManagement", period("2024-02-01", None)),
        AccountabilityGap(EX + "zeus", PM + "RequirementsAnalysis", period("2024-02-01", None)),
    )
    project_manager_accountable_for = [
        "Budgeting", "ProjectDelivery", "QualityManagement", "Resourcing", "RiskManagement", "Scheduling",
        "StakeholderReporting",
    ]
    assert result.duplicates == tuple(
        AccountabilityDuplicate(EX + "apollo", PM + name, (EX + "alice", EX + "bob"), period("2024-05-15", "2024-05-31"))
        for name in project_manager_accountable_for
    )


def test_gaps_and_duplicates_on_a_day():
    data = pmgraph.load(GAPS_AND_DUPLICATES)

    on_20_may = people_overlap(data, at=day("2024-05-20"))
    in_march = people_overlap(data, at=day("2024-03-15"))

    assert [(gap.scope, gap.responsibility) for gap in on_20_may.gaps] == [
        (EX + "apollo", PM + "Funding"),
        (EX + "zeus", PM + "BacklogManagement"),
        (EX + "zeus", PM + "RequirementsAnalysis"),
    ]
    assert len(on_20_may.duplicates) == 7
    assert [(gap.scope, gap.responsibility) for gap in in_march.gaps] == [
        (EX + "zeus", PM + "BacklogManagement"),
        (EX + "zeus", PM + "RequirementsAnalysis"),
    ]
    assert in_march.duplicates == ()


def test_load_is_a_step_series_of_stated_allocations_and_concurrent_assignments():
    result = people_overlap(pmgraph.load(LOAD_AND_KEY_PEOPLE))

    [erin] = [load for load in result.load if load.person == EX + "erin"]
    # the short form (Ops Team) holds all the time and states no allocation
    assert erin.steps == (
        LoadStep(period(None, "2023-12-31"), allocation=0.0, assignments=1, unstated=1),
        LoadStep(period("2024-01-01", "2024-03-31"), allocation=0.6, assignments=2, unstated=1),
        LoadStep(period("2024-04-01", "2024-06-30"), allocation=0.9, assignments=3, unstated=1),  # 0.6 + 0.3, exactly
        LoadStep(period("2024-07-01", None), allocation=0.3, assignments=2, unstated=1),
    )
    assert (erin.peak_allocation, erin.peak_assignments) == (0.9, 3)
    assert erin.roles == (PM + "ProductOwner", PM + "ProjectManager")
    # on a day, the one step of that day
    [erin_on_day] = [load for load in people_overlap(pmgraph.load(LOAD_AND_KEY_PEOPLE), at=day("2024-05-01")).load if load.person == EX + "erin"]
    assert erin_on_day.steps == (LoadStep(period("2024-04-01", "2024-06-30"), 0.9, 3, 1),)


def test_key_people_are_the_only_manager_of_a_scope_on_some_day():
    data = pmgraph.load(LOAD_AND_KEY_PEOPLE)

    assert people_overlap(data).key_people == (
        KeyPerson(EX + "erin", (EX + "apollo", EX + "hermes", EX + "ops-team")),
        KeyPerson(EX + "eve", (EX + "vega",)),
        KeyPerson(EX + "fay", (EX + "vega",)),
    )
    # in April Eve and Fay both manage Vega
    assert people_overlap(data, at=day("2024-04-01")).key_people == (
        KeyPerson(EX + "erin", (EX + "apollo", EX + "hermes", EX + "ops-team")),
    )


def test_people_json_keeps_the_designs_keys_first():
    answer = people_overlap(pmgraph.load(SEQUENTIAL_AND_CONCURRENT)).to_json()

    assert list(answer) == ["people", "at", "gaps", "duplicates", "load", "key_people", "labels"]
    assert answer["people"][0]["person"] == EX + "kim"
    assert answer["people"][0]["roles"] == [PM + "ProductManager", PM + "ProjectManager"]
    assert answer["people"][0]["concurrent"][0]["start"] == "2024-03-01"
    assert answer["labels"][EX + "kim"] == "Kim Lee"


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def test_cli_roles_json_is_the_designs():
    result = run("overlap", "--roles", ORGANISATION_ROLES, "--format", "json")

    assert (result.returncode, result.stderr) == (0, "")
    answer = json.loads(result.stdout)
    assert list(answer) == ["pairs", "clusters", "roles", "weights", "labels"]
    assert {"a": EX + "DeliveryLead", "b": EX + "ReleaseManager", "jaccard": 0.4} == {
        key: value for key, value in answer["pairs"][[p["b"] for p in answer["pairs"]].index(EX + "ReleaseManager")].items()
        if key in ("a", "b", "jaccard")
    }
    assert answer["weights"] == {"A": 4, "R": 3, "C": 2, "I": 1}


def test_cli_people_json_csv_and_table():
    as_json = run("overlap", "--people", SEQUENTIAL_AND_CONCURRENT, "--format", "json")
    as_csv = run("overlap", "--people", SEQUENTIAL_AND_CONCURRENT, "--format", "csv")
    as_table = run("overlap", "--people", SEQUENTIAL_AND_CONCURRENT)

    assert [person["person"] for person in json.loads(as_json.stdout)["people"]] == [EX + "kim"]
    assert as_csv.stdout == (
        "person,role_a,role_b,scope_a,scope_b,start,end,conflict\n"
        f"{EX}kim,{PM}ProductManager,{PM}ProjectManager,{EX}shop,{EX}checkout,2024-03-01,2024-06-30,"
        "product-manager-and-project-manager\n"
    )
    assert as_table.returncode == 0
    assert "  Kim Lee: Product Manager, Project Manager\n" in as_table.stdout
    assert "Sam Ortiz: " not in as_table.stdout.split("Conflicting roles")[0]


def test_cli_with_neither_flag_gives_both_analyses_in_one_json():
    result = run("overlap", SEQUENTIAL_AND_CONCURRENT, "--format", "json")

    answer = json.loads(result.stdout)
    assert list(answer) == [
        "pairs", "clusters", "roles", "weights", "people", "at", "gaps", "duplicates", "load", "key_people", "labels",
    ]
    assert answer["labels"][PM + "ProjectManager"] == "Project Manager"
    assert answer["labels"][EX + "kim"] == "Kim Lee"


def test_cli_at_restricts_to_a_day():
    result = run("overlap", "--people", SEQUENTIAL_AND_CONCURRENT, "--at", "2024-07-01", "--format", "json")

    assert json.loads(result.stdout)["people"] == []
    assert json.loads(result.stdout)["at"] == "2024-07-01"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--at", "2024-02-30"], "argument --at: not a date (YYYY-MM-DD): '2024-02-30'"),
        (["--format", "csv"], "--format csv writes one table: give --roles or --people"),
    ],
)
def test_cli_usage_errors_exit_2_in_one_line(args, message):
    result = run("overlap", SEQUENTIAL_AND_CONCURRENT, *args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].endswith(message)


def test_cli_unreadable_input_exits_2_naming_the_file_and_line():
    result = run("overlap", "--people", BROKEN)

    assert (result.returncode, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"pmgraph: error: {BROKEN}:")


def test_cli_plot_writes_a_png_heatmap(tmp_path):
    picture = tmp_path / "overlap.png"

    result = run("overlap", "--roles", ORGANISATION_ROLES, "--plot", picture)

    assert result.returncode == 0, result.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(tmp_path.iterdir()) == [picture]  # no temporary file left


def test_cli_plot_without_matplotlib_names_the_extra_and_writes_nothing(tmp_path, without_matplotlib):
    picture = tmp_path / "overlap.png"

    result = run("overlap", "--roles", ORGANISATION_ROLES, "--plot", picture, env=without_matplotlib)

    assert (result.returncode, result.stdout, result.stderr) == (2, "", PLOT_EXTRA_MISSING)
    assert not picture.exists()


def test_cli_plot_into_a_missing_folder_exits_2(tmp_path):
    picture = tmp_path / "missing" / "overlap.png"

    result = run("overlap", "--roles", ORGANISATION_ROLES, "--plot", picture)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"pmgraph: error: {picture}: no such file or directory\n"


def test_cli_graphml_holds_roles_responsibilities_and_people(tmp_path):
    path = tmp_path / "overlap.graphml"

    result = run("overlap", "--people", SEQUENTIAL_AND_CONCURRENT, "--graphml", path)

    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(path)
    assert graph.nodes[EX + "kim"] == {"kind": "person", "label": "Kim Lee"}
    assert graph.nodes[PM + "Budgeting"] == {"kind": "responsibility", "label": "Budgeting"}
    assert graph.edges[EX + "kim", PM + "ProjectManager"] == {
        "kind": "holds", "weight": 1.0, "concurrent": True, "conflicts": 1,
    }
    assert graph.edges[EX + "sam", PM + "ScrumMaster"]["concurrent"] is False
    assert graph.edges[PM + "ProjectManager", PM + "Budgeting"] == {"kind": "raci", "raci": "A", "weight": 4.0}
    assert graph.edges[PM + "ProgramManager", PM + "ProjectManager"]["weight"] == 8 / 11


def test_readme_overlap_command_runs_on_the_example_organisation():
    result = run("overlap", "--people", "examples/acme/", cwd=ROOT)

    assert (result.returncode, result.stderr) == (0, "")
    assert "Dana Whitfield: Director of Product, Product Manager" in result.stdout


# ---------------------------------------------------------------------------------------------
# The HTML report, as a person sees it in a browser
# ---------------------------------------------------------------------------------------------


class _VisibleText(html.parser.HTMLParser):
    """What a page shows: its headings, its cards, the cells of its table rows, its images."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.cards: list[str] = []
        self.rows: list[list[str]] = []
        self.images: list[dict[str, str | None]] = []
        self._capture: tuple[str, list[str]] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
        elif tag == "tr":
            self._row = []
        elif tag in ("h1", "h2", "h3", "td") or (tag == "div" and "card" in (attributes.get("class") or "").split()):
            self._capture = (tag, [])

    def handle_endtag(self, tag):
        if self._capture is not None and tag == self._capture[0]:
            text = " ".join(" ".join(self._capture[1]).split())
            {"td": self._row.append, "div": self.cards.append}.get(tag, self.headings.append)(text)
            self._capture = None
        elif tag == "tr" and self._row:
            self.rows.append(self._row)

    def handle_data(self, data):
        if self._capture is not None:
            self._capture[1].append(data)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[bytes]:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([browser, *flags, *args], capture_output=True, timeout=120)


def test_report_shows_validation_overlap_people_and_gaps_in_a_browser(tmp_path):
    page = tmp_path / "report.html"
    validation = pmgraph.validate(pmgraph.load(SEQUENTIAL_AND_CONCURRENT))

    result = run("report", SEQUENTIAL_AND_CONCURRENT, "-o", page)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile")
    seen = _VisibleText()
    seen.feed(dom.stdout.decode("utf-8"))
    assert seen.headings == [
        "Organisation report",
        "Validation",
        "Role overlap",
        "The 15 pairs that overlap most",
        "Clusters of roles that overlap most",
        "People with concurrent roles",
        "Conflicting roles (1)",
        "Accountability",
        "Gaps: nobody accountable (3)",
        "Duplicates: several accountable at once (0)",
        "Load and key people",
        "Load at its peak",
        "Key-person risk",
    ]
    assert seen.cards == [
        f"{validation.counts['Violation']} Violations",
        f"{validation.counts['Warning']} Warnings",
        "1 People with concurrent roles",
        "1 Conflicting roles",
        "3 Accountability gaps",
        "0 Duplicate accountability",
    ]
    assert ["Kim Lee", "Product Manager of Shop", "Project Manager of Checkout", "2024-03-01 to 2024-06-30"] in seen.rows
    assert ["Shop Team", "Backlog management", "from 2024-01-01"] in seen.rows
    assert ["Kim Lee", "0.9", "2"] in seen.rows  # load: 0.6 + 0.3
    assert ["Product Manager", "Product Owner", "0.88", "0.41"] == seen.rows[
        [row[:2] for row in seen.rows].index(["Product Manager", "Product Owner"])
    ][:4]
    [heatmap] = seen.images
    assert heatmap["src"].startswith("data:image/png;base64,")

    screenshot = tmp_path / "report.png"
    chromium("--window-size=1280,2400", f"--screenshot={screenshot}", page.as_uri(), profile=tmp_path / "profile")
    from PIL import Image

    with Image.open(screenshot) as image:
        assert image.size == (1280, 2400)
        assert len(image.convert("RGB").getcolors(maxcolors=1_000_000)) > 200  # drawn, not blank


def test_report_without_matplotlib_draws_the_matrix_as_a_table(tmp_path, without_matplotlib):
    page = tmp_path / "report.html"

    result = run("report", SEQUENTIAL_AND_CONCURRENT, "-o", page, env=without_matplotlib)

    assert (result.returncode, result.stderr) == (0, "")
    text = page.read_text(encoding="utf-8")
    assert "<img" not in text
    assert '<table class="matrix"><caption>Jaccard similarity between roles</caption>' in text
    assert "<th>Product Owner</th>" in text


def test_report_into_a_missing_folder_exits_2_and_writes_nothing(tmp_path):
    page = tmp_path / "missing" / "report.html"

    result = run("report", SEQUENTIAL_AND_CONCURRENT, "-o", page)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"pmgraph: error: {page}: no such file or directory\n"


def test_report_shows_at_most_200_rows_of_a_table_and_says_how_many_more():
    import types

    from pmgraph.analysis.overlap import PeopleOverlap
    from pmgraph.render.report import report_html
    from pmgraph.validation.validator import ValidationReport

    gaps = tuple(
        AccountabilityGap(f"{EX}project-{n:03}", PM + "Budgeting", period("2024-01-01", None)) for n in range(205)
    )
    people = PeopleOverlap(None, (), gaps, (), (), (), types.MappingProxyType({}))
    validation = ValidationReport(True, (), {"Violation": 0, "Warning": 0, "Info": 0})

    page = report_html(validation, role_overlap(pmgraph.load(ORGANISATION_ROLES)), people)

    assert page.count(f"{EX}project-") == 200
    assert "… and 5 more: <code>pmgraph overlap --format json</code> lists them all." in page
    assert '<span class="number">205</span><span class="what">Accountability gaps</span>' in page


def test_overlap_still_names_every_public_name_each_from_the_module_of_its_question():
    import importlib

    import pmgraph.analysis.overlap as overlap

    homes = {
        "role_overlap": ("RACI_WEIGHTS", "role_overlap", "RolePair", "RoleOverlap"),
        "people_overlap": ("CONFLICTS", "people_overlap", "ConcurrentRoles", "ConflictingRoles", "PersonOverlap", "PeopleOverlap"),
        "accountability": ("AccountabilityGap", "AccountabilityDuplicate"),
        "workload": ("LoadStep", "PersonLoad", "KeyPerson"),
        "reading": ("analysis_store",),
        "periods": ("Period",),
    }
    named_here = {"overlap_graph", "write_graphml"}
    assert set(overlap.__all__) == named_here | {name for names in homes.values() for name in names}
    for module, names in homes.items():
        home = importlib.import_module(f"pmgraph.analysis.{module}")
        for name in names:
            assert getattr(overlap, name) is getattr(home, name), name
            assert name in home.__all__, (module, name)


def test_the_people_analysis_reads_the_files_once(monkeypatch):
    """It asks two questions (the role model apart, for Virtuoso), of one organisation."""
    opened = []
    real_open = pmgraph.Organisation.open.__func__
    monkeypatch.setattr(pmgraph.Organisation, "open", classmethod(lambda cls, *paths: opened.append(paths) or real_open(cls, *paths)))
    result = pmgraph.people_overlap(str(ROOT / "examples" / "acme"))
    assert len(opened) == 1
    assert result.people  # the analysis ran on what was read
