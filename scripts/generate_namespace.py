"""Write src/pmgraph/namespace.py from ontology/pmgraph.ttl: one annotated name per pm: term.

Run after changing the ontology; tests/test_ontology.py fails when the two drift apart.

    python scripts/generate_namespace.py
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
PM = "https://w3id.org/pmgraph#"

HEADER = '''"""``PM``: the pmgraph vocabulary as an rdflib namespace that fails on a misspelt term.

Generated from ``ontology/pmgraph.ttl`` by ``scripts/generate_namespace.py``; do not edit by hand.

>>> from pmgraph.namespace import PM
>>> PM.ProjectManager
rdflib.term.URIRef('https://w3id.org/pmgraph#ProjectManager')
>>> PM.ProjectManagr
Traceback (most recent call last):
...
AttributeError: term 'ProjectManagr' not in namespace 'https://w3id.org/pmgraph#'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["PM"]


class PM(DefinedNamespace):
    """The terms of ``https://w3id.org/pmgraph#``."""

    _fail = True
    _NS = Namespace("https://w3id.org/pmgraph#")

'''


def terms(ontology: rdflib.Graph) -> list[tuple[str, str]]:
    """(local name, label) of every term the ontology declares in the pm: namespace."""
    found = {}
    for subject in set(ontology.subjects(RDFS.isDefinedBy, None)):
        if isinstance(subject, rdflib.URIRef) and str(subject).startswith(PM):
            label = ontology.value(subject, SKOS.definition) or ontology.value(subject, RDFS.label) or ""
            found[str(subject)[len(PM):]] = str(label)
    return sorted(found.items(), key=lambda item: (item[0].lower(), item[0]))


def source(ontology: rdflib.Graph) -> str:
    lines = [HEADER]
    for name, definition in terms(ontology):
        lines.append(f"    {name}: URIRef  # {definition[:80].rstrip()}\n")
    return "".join(lines)


if __name__ == "__main__":
    graph = rdflib.Graph().parse(ROOT / "ontology" / "pmgraph.ttl")
    (ROOT / "src" / "pmgraph" / "namespace.py").write_text(source(graph))
