"""What the documentation build draws from the project itself, so that no page copies it by hand.

mkdocs runs these hooks (``hooks:`` in ``mkdocs.yml``):

- ``ontology/index.html``, the ontology reference, is written by ``pmgraph docs`` during the build
  (:func:`pmgraph.render.reference.write_docs`) and never committed.
- A page may hold a placeholder, an HTML comment, that the build replaces with text drawn from the
  ontology or from the command line:

  ``<!-- pmgraph:class-hierarchy -->``
      the class hierarchy of the ontology, as a Mermaid class diagram;
  ``<!-- pmgraph:main-relations -->``
      the main relations (their domains and ranges in the ontology), as a Mermaid diagram;
  ``<!-- pmgraph:reference-model -->``
      the reference model, role-level RACI, as a table of responsibilities by core roles;
  ``<!-- pmgraph:applies-to -->``
      where each core role may be held (``pm:appliesTo``), as a table;
  ``<!-- pmgraph:help COMMAND -->``
      the ``--help`` of ``pmgraph COMMAND`` (of ``pmgraph`` itself when COMMAND is ``pmgraph``);
  ``<!-- pmgraph:shapes -->``
      every shape of ``shapes/``, with its severity and its messages, as a table;
  ``<!-- pmgraph:shipped-queries -->``
      the menu of shipped questions that ``pmgraph query --list`` prints.

A placeholder the build does not know, or a command of ``pmgraph --help`` that ``cli.md`` does not
document, stops the build.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import rdflib
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

PM = rdflib.Namespace("https://w3id.org/pmgraph#")
PLACEHOLDER = re.compile(r"<!-- pmgraph:([a-z-]+)(?: ([a-z-]+))? -->")

#: The relations the "main relations" diagram draws: the structure of an organisation, who holds
#: which role where, and the RACI. Their domains and ranges come from the ontology.
MAIN_RELATIONS = [
    "partOf", "delivers", "worksOn", "memberOf", "dependsOn", "reportsTo",
    "agent", "role", "scope", "responsibility", "raci", "accountableFor",
]

#: The core roles, in the order a reader meets them, and the responsibilities of the model.
CORE_ROLES = [
    "PortfolioManager", "ProgramManager", "ProjectManager", "ProductManager", "ProductOwner",
    "DirectorOfProduct", "ScrumMaster", "Sponsor", "Stakeholder",
]
RACI = {PM.responsibleFor: "R", PM.accountableFor: "A", PM.consultedOn: "C", PM.informedOn: "I"}


def on_files(files, config):
    """Add the ontology reference that ``pmgraph docs`` writes, as ``ontology/index.html``."""
    from pmgraph.render.reference import write_docs

    folder = Path(tempfile.mkdtemp(prefix="pmgraph-ontology-reference-"))
    page = write_docs(folder / "ontology").read_text(encoding="utf-8")
    files.append(File.generated(config, "ontology/index.html", content=page))
    return files


def on_page_markdown(markdown, page, config, files):
    """Replace each placeholder of the page with what it stands for."""

    def replace(match: re.Match[str]) -> str:
        what, argument = match.group(1), match.group(2)
        if what == "help" and argument:
            return _help(argument)
        if argument is None and what in _DRAWN:
            return _DRAWN[what]()
        raise PluginError(f"{page.file.src_uri}: unknown placeholder {match.group(0)}")

    text = PLACEHOLDER.sub(replace, markdown)
    if page.file.src_uri == "cli.md":
        missing = [command for command in _commands() if f"<!-- pmgraph:help {command} -->" not in markdown]
        if missing:
            raise PluginError(f"cli.md does not document: {', '.join(missing)}")
    return text


# ---------------------------------------------------------------------------------------------
# The ontology, drawn
# ---------------------------------------------------------------------------------------------


@functools.cache
def _ontology() -> rdflib.Graph:
    from pmgraph.ontology import load_ontology

    return load_ontology()


def _local(term: rdflib.term.Node) -> str:
    return str(term).removeprefix(str(PM))


def _members(node: rdflib.term.Node) -> list[rdflib.URIRef]:
    """The pm: classes a domain or range names: the class itself, or each class of its union."""
    ontology = _ontology()
    union = ontology.value(node, OWL.unionOf)
    nodes = list(Collection(ontology, union)) if union is not None else [node]
    return [n for n in nodes if isinstance(n, rdflib.URIRef) and str(n).startswith(str(PM))]


def _class_hierarchy() -> str:
    """The pm: classes that are not deprecated under their superclasses (pm: or of another
    vocabulary), then a line naming those that have neither a superclass nor a subclass."""
    ontology = _ontology()
    classes = sorted(
        (c for c in ontology.subjects(RDF.type, OWL.Class)
         if str(c).startswith(str(PM)) and not ontology.value(c, OWL.deprecated)),
        key=_local,
    )
    edges = sorted(
        (_node_id(parent), _local(child), parent)
        for child in classes
        for parent in ontology.objects(child, RDFS.subClassOf)
        if isinstance(parent, rdflib.URIRef)  # restrictions are not drawn
    )
    if not edges:
        raise PluginError("the ontology has no pm: subclass to draw")
    lines = ["```mermaid", "classDiagram"]
    for name, parent in sorted({(name, parent) for name, _, parent in edges if not str(parent).startswith(str(PM))}):
        lines.append(f'    class {name}["{ontology.namespace_manager.normalizeUri(parent)}"]')
    lines += [f"    {parent} <|-- {child}" for parent, child, _ in edges]
    drawn = {name for edge in edges for name in edge[:2]}
    alone = [f"`pm:{_local(c)}`" for c in classes if _local(c) not in drawn]
    return "\n".join([*lines, "```", "", "Classes with neither a superclass nor a subclass: " + ", ".join(alone) + "."])


def _node_id(term: rdflib.URIRef) -> str:
    """A Mermaid name for a class: its local name for pm:, prefix_name for other vocabularies."""
    if str(term).startswith(str(PM)):
        return _local(term)
    return re.sub(r"\W", "_", _ontology().namespace_manager.normalizeUri(term))


def _main_relations() -> str:
    ontology = _ontology()
    lines = ["```mermaid", "classDiagram"]
    for name in MAIN_RELATIONS:
        prop = PM[name]
        domains = [c for d in ontology.objects(prop, RDFS.domain) for c in _members(d)]
        ranges = [c for r in ontology.objects(prop, RDFS.range) for c in _members(r)]
        if not domains or not ranges:
            raise PluginError(f"pm:{name} has no pm: domain or range in the ontology")
        lines += [f"    {_local(d)} --> {_local(r)} : {name}" for d in domains for r in ranges]
    return "\n".join([*lines, "```"])


def _label(term: rdflib.URIRef) -> str:
    return str(_ontology().value(term, RDFS.label) or _local(term))


def _reference_model() -> str:
    ontology = _ontology()
    cells: dict[tuple[str, str], str] = {}
    for prop, letter in RACI.items():
        for role, responsibility in ontology.subject_objects(prop):
            key = (_local(role), _local(responsibility))
            cells[key] = "/".join(sorted({*cells.get(key, "").split("/"), letter} - {""}, key="RACI".index))
    responsibilities = sorted({r for _, r in cells}, key=lambda r: _label(PM[r]).lower())
    header = "| responsibility | " + " | ".join(_label(PM[role]) for role in CORE_ROLES) + " |"
    lines = [header, "|---|" + "---|" * len(CORE_ROLES)]
    for responsibility in responsibilities:
        row = [cells.get((role, responsibility), "") for role in CORE_ROLES]
        lines.append(f"| [{_label(PM[responsibility])}](ontology/index.html#{responsibility}) | " + " | ".join(row) + " |")
    return "\n".join(lines)


def _applies_to() -> str:
    ontology = _ontology()
    lines = ["| role | may be held on |", "|---|---|"]
    for role in CORE_ROLES:
        scopes = sorted(_local(c) for c in ontology.objects(PM[role], PM.appliesTo))
        held = ", ".join(f"`pm:{scope}`" for scope in scopes) if scopes else "any scope"
        lines.append(f"| {_label(PM[role])} (`pm:{role}`) | {held} |")
    return "\n".join(lines)


def _shapes() -> str:
    from pmgraph._resources import shape_files

    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    lines = ["| shape | severity | message |", "|---|---|---|"]
    for path in shape_files():
        shapes = rdflib.Graph().parse(path)
        for shape in sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, rdflib.URIRef)):
            parts = [shape, *shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]
            severities = sorted({str(v).rsplit("#", 1)[-1] for n in parts for v in shapes.objects(n, SH.severity)})
            messages = sorted({str(m) for n in parts for m in shapes.objects(n, SH.message)})
            if not messages:
                continue
            name = str(shape).rsplit("#", 1)[-1]
            text = "<br>".join(m.replace("|", "\\|") for m in messages)
            lines.append(f"| `{name}` ({path.name}) | {', '.join(severities) or 'Violation'} | {text} |")
    return "\n".join(lines)


_DRAWN = {
    "class-hierarchy": _class_hierarchy,
    "main-relations": _main_relations,
    "reference-model": _reference_model,
    "applies-to": _applies_to,
    "shapes": _shapes,
    "shipped-queries": lambda: "```text\n" + _run_pmgraph("query", "--list").rstrip() + "\n```",
}


# ---------------------------------------------------------------------------------------------
# The command line, as --help tells it
# ---------------------------------------------------------------------------------------------


def _run_pmgraph(*args: str) -> str:
    environment = {**os.environ, "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "pmgraph", *args], capture_output=True, text=True, env=environment, timeout=120
    )
    if result.returncode != 0:
        raise PluginError(f"pmgraph {' '.join(args)} failed: {result.stderr}")
    return result.stdout


@functools.cache
def _commands() -> list[str]:
    """The commands that ``pmgraph --help`` lists."""
    text = _run_pmgraph("--help")
    block = text.split("commands:", 1)[1]
    return re.findall(r"^    ([a-z][a-z-]+)", block, flags=re.MULTILINE)


@functools.cache
def _help(command: str) -> str:
    text = _run_pmgraph("--help") if command == "pmgraph" else _run_pmgraph(command, "--help")
    return "```text\n" + text.rstrip() + "\n```"
