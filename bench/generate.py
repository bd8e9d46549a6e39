"""Generate a realistic portfolio in pmgraph's core vocabulary, of any size, with known defects.

The organisation has portfolios of programs of projects, products with feature teams, people with
role assignments over time (Project, Program, Product and Portfolio Managers, Product Owners, Scrum
Masters, Sponsors, Stakeholders; some in the short form), explicit RACI assignments, budgets and
dates. Defects of every rule are injected at a fixed rate; each is recorded with the focus node the
validator must report, so that a benchmark or a differential test can check the findings.

    python bench/generate.py --triples 100000 -o /tmp/portfolio-100k.nt [--defects defects.json]

The output is N-Triples (fast to write and to parse). The same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

PM = "https://w3id.org/pmgraph#"
EX = "https://example.org/generated/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS_BROADER = "http://www.w3.org/2004/02/skos/core#broader"

# Roughly how many triples one unit of scale brings (measured; used to size the output).
TRIPLES_PER_UNIT = 46

DEFECT_KINDS = (
    "blank_node_project",  # rule 1
    "project_without_label",  # rule 1
    "ends_before_start",  # rule 2
    "project_without_end_date",  # rule 2
    "two_programs",  # rule 3
    "negative_budget",  # rule 3
    "role_on_wrong_scope",  # rule 4
    "allocation_above_one",  # rule 4
    "project_without_manager",  # rule 5
    "two_accountable",  # rule 6
    "program_with_one_project",  # warning
    "product_without_owner",  # warning
    "over_allocated_person",  # warning
)


@dataclass
class Portfolio:
    """The triples generated so far, and the defects injected with their focus nodes."""

    lines: list[str] = field(default_factory=list)
    defects: list[dict[str, str]] = field(default_factory=list)

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.append(f"{subject} {predicate} {obj} .\n")

    def defect(self, kind: str, focus: str) -> None:
        self.defects.append({"kind": kind, "focus": focus.strip("<>")})


def iri(local: str) -> str:
    return f"<{EX}{local}>"


def pm(local: str) -> str:
    return f"<{PM}{local}>"


def text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def date(year: int, month: int, day: int) -> str:
    return f'"{year:04d}-{month:02d}-{day:02d}"^^<{XSD}date>'


def number(value: int | float, datatype: str = "decimal") -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def generate(units: int, seed: int = 7, defect_rate: float = 0.02) -> Portfolio:
    """A portfolio of ``units`` units of scale (about ``TRIPLES_PER_UNIT`` triples each)."""
    rng = random.Random(seed)
    out = Portfolio()
    a, label = f"<{RDF_TYPE}>", f"<{LABEL}>"
    assignment_count = 0

    def person(n: int) -> str:
        return iri(f"person/{n}")

    people = max(12, units * 4)
    for n in range(people):
        out.add(person(n), a, pm("Person"))
        out.add(person(n), label, text(f"Person {n}"))
        if n:
            out.add(person(n), pm("reportsTo"), person(rng.randrange(0, max(1, n // 8) + 1) if n > 8 else 0))

    def assign(agent: str, role: str, scope: str, start: tuple[int, int, int] | None,
               end: tuple[int, int, int] | None, allocation: float | None) -> str:
        nonlocal assignment_count
        node = iri(f"assignment/{assignment_count}")
        assignment_count += 1
        out.add(node, a, pm("RoleAssignment"))
        out.add(node, pm("agent"), agent)
        out.add(node, pm("role"), role)
        out.add(node, pm("scope"), scope)
        if start:
            out.add(node, pm("startDate"), date(*start))
        if end:
            out.add(node, pm("endDate"), date(*end))
        if allocation is not None:
            out.add(node, pm("allocation"), number(allocation))
        return node

    # A custom role, broader than a core one, as organisations write them.
    tpm = iri("role/technical-program-manager")
    out.add(tpm, a, pm("Role"))
    out.add(tpm, label, text("Technical Program Manager"))
    out.add(tpm, f"<{SKOS_BROADER}>", pm("ProgramManager"))

    portfolios = max(1, units // 200)
    programs = max(2, units // 8)
    for n in range(portfolios):
        node = iri(f"portfolio/{n}")
        out.add(node, a, pm("Portfolio"))
        out.add(node, label, text(f"Portfolio {n}"))
        out.add(node, pm("budget"), number(rng.randrange(5, 50) * 1_000_000, "integer"))
        assign(person(rng.randrange(people)), pm("PortfolioManager"), node, (2022, 1, 1), None, 0.5)

    def defective(kind: str) -> bool:
        return rng.random() < defect_rate / len(DEFECT_KINDS) * 13

    person_cursor = 0

    def next_person() -> str:
        nonlocal person_cursor
        person_cursor = (person_cursor + 1) % people
        return person(person_cursor)

    project_count = 0
    for g in range(programs):
        program = iri(f"program/{g}")
        out.add(program, a, pm("Program"))
        out.add(program, label, text(f"Program {g}"))
        out.add(program, pm("partOf"), iri(f"portfolio/{g % portfolios}"))
        out.add(program, pm("startDate"), date(2023, 1, 1))
        out.add(program, pm("endDate"), date(2026, 12, 31))
        out.add(program, pm("budget"), number(rng.randrange(1, 20) * 500_000, "integer"))
        role = tpm if g % 5 == 0 else pm("ProgramManager")
        assign(next_person(), role, program, (2023, 1, 1), None, 1.0)
        assign(next_person(), pm("Sponsor"), program, (2023, 1, 1), None, None)
        one_project = defective("program_with_one_project")
        if one_project:
            out.defect("program_with_one_project", program)
        for _ in range(1 if one_project else 8):
            project = iri(f"project/{project_count}")
            project_count += 1
            start_month = rng.randrange(1, 12)
            out.add(project, a, pm("Project"))
            if defective("project_without_label"):
                out.defect("project_without_label", project)
            else:
                out.add(project, label, text(f"Project {project_count}"))
            out.add(project, pm("partOf"), program)
            if defective("two_programs"):
                out.add(project, pm("partOf"), iri(f"program/{(g + 1) % programs}"))
                out.defect("two_programs", project)
            out.add(project, pm("startDate"), date(2024, start_month, 1))
            if defective("ends_before_start"):
                out.add(project, pm("endDate"), date(2023, 6, 30))
                out.defect("ends_before_start", project)
            elif defective("project_without_end_date"):
                out.defect("project_without_end_date", project)
            else:
                out.add(project, pm("endDate"), date(2025, start_month, 28))
            budget = -50_000 if defective("negative_budget") else rng.randrange(1, 40) * 25_000
            if budget < 0:
                out.defect("negative_budget", project)
            out.add(project, pm("budget"), number(budget, "integer"))
            out.add(project, pm("delivers"), iri(f"product/{rng.randrange(max(1, units // 4))}"))
            if project_count > 1 and rng.random() < 0.3:
                out.add(project, pm("dependsOn"), iri(f"project/{rng.randrange(project_count - 1)}"))
            if defective("project_without_manager"):
                out.defect("project_without_manager", project)
            elif rng.random() < 0.25:
                out.add(project, pm("projectManager"), next_person())
            else:
                manager = next_person()
                allocation = 1.4 if defective("allocation_above_one") else 0.5
                node = assign(manager, pm("ProjectManager"), project, (2024, start_month, 1), (2025, start_month, 28), allocation)
                if allocation > 1:
                    out.defect("allocation_above_one", node)
                if defective("two_accountable"):
                    assign(next_person(), pm("ProjectManager"), project, (2024, start_month, 1), None, 0.2)
                    out.defect("two_accountable", project)
            if defective("blank_node_project"):
                blank = f"_:project{project_count}"
                out.add(blank, a, pm("Project"))
                out.add(blank, label, text(f"Unnamed project {project_count}"))
                out.add(blank, pm("startDate"), date(2024, 1, 1))
                out.add(blank, pm("endDate"), date(2024, 12, 31))
                out.add(blank, pm("projectManager"), next_person())
                out.defect("blank_node_project", "_:")
            if defective("role_on_wrong_scope"):
                node = assign(next_person(), pm("ScrumMaster"), project, (2024, 1, 1), None, None)
                out.defect("role_on_wrong_scope", node)
            raci = iri(f"raci/{project_count}")
            out.add(raci, a, pm("ResponsibilityAssignment"))
            out.add(raci, pm("agent"), next_person())
            out.add(raci, pm("responsibility"), pm("RequirementsAnalysis"))
            out.add(raci, pm("scope"), project)
            out.add(raci, pm("raci"), pm("Consulted"))

    for n in range(max(1, units // 4)):
        product = iri(f"product/{n}")
        out.add(product, a, pm("Product"))
        out.add(product, label, text(f"Product {n}"))
        if defective("product_without_owner"):
            out.defect("product_without_owner", product)
        else:
            assign(next_person(), pm("ProductManager"), product, (2023, 1, 1), None, 0.5)
        for t in range(3):
            team = iri(f"team/{n}-{t}")
            out.add(team, a, pm("Team"))
            out.add(team, label, text(f"Team {n}-{t}"))
            out.add(team, pm("worksOn"), product)
            owner, master = next_person(), next_person()
            out.add(owner, pm("memberOf"), team)
            out.add(master, pm("memberOf"), team)
            assign(owner, pm("ProductOwner"), team, (2023, 3, 1), None, 0.5)
            assign(master, pm("ScrumMaster"), team, (2023, 3, 1), None, 0.4)

    if defective("over_allocated_person") or units >= 50:
        busy = person(people - 1)
        for k in range(3):
            assign(busy, pm("Stakeholder"), iri(f"product/{k % max(1, units // 4)}"), (2024, 1, 1), None, 0.5)
        out.defect("over_allocated_person", busy)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many triples to write")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the N-Triples file to write")
    parser.add_argument("--defects", type=Path, help="write the injected defects here, as JSON")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    portfolio = generate(max(1, args.triples // TRIPLES_PER_UNIT), seed=args.seed)
    args.output.write_text("".join(portfolio.lines), encoding="utf-8")
    if args.defects:
        args.defects.write_text(json.dumps(portfolio.defects, indent=1))
    print(f"{len(portfolio.lines)} triples, {len(portfolio.defects)} defects -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
