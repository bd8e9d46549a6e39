"""pmgraph's ontology as an rdflib graph, with or without its alignments to other vocabularies.

The ontology is ``ontology/pmgraph.ttl``. Its mappings to W3C ORG, PROV-O, FOAF, schema.org,
SKOS, DOAP, FIBO and the CSIRO PROJ ontology are separate ontologies, one file per vocabulary in
``ontology/alignments/`` (with the same mappings as an SSSOM table, ``pmgraph.sssom.tsv``). Each
alignment imports nothing: the few external terms its axioms use are declared in it, so that
reasoners work offline.

Examples
--------
>>> import rdflib
>>> from rdflib.namespace import RDFS, SKOS
>>> PM = rdflib.Namespace("https://w3id.org/pmgraph#")
>>> core = load_ontology()
>>> (PM.Project, SKOS.closeMatch, rdflib.URIRef("https://schema.org/Project")) in core
False
>>> aligned = load_ontology(alignments=True)
>>> (PM.Project, SKOS.closeMatch, rdflib.URIRef("https://schema.org/Project")) in aligned
True
>>> (PM.Project, RDFS.subClassOf, rdflib.URIRef("https://schema.org/Project")) in aligned
False
"""

from __future__ import annotations

from pathlib import Path

import rdflib

from pmgraph._resources import data_path, ontology_file

__all__ = ["load_ontology", "alignment_files", "add_ontology", "ONTOLOGY_GRAPH"]

#: The ontology's IRI, and the named graph in which a store that keeps one graph per file holds it.
ONTOLOGY_GRAPH = "https://w3id.org/pmgraph"


def alignment_files() -> list[Path]:
    """Return the alignment ontologies, ``ontology/alignments/*.ttl``, sorted by name.

    Returns
    -------
    list of pathlib.Path
        One Turtle file per aligned vocabulary, such as ``org-alignment.ttl``.

    Examples
    --------
    >>> [path.name for path in alignment_files()][:3]
    ['doap-alignment.ttl', 'fibo-alignment.ttl', 'foaf-alignment.ttl']
    """
    return sorted((data_path("ontology") / "alignments").glob("*.ttl"))


def load_ontology(alignments: bool = False) -> rdflib.Graph:
    """Read pmgraph's ontology into a new graph.

    Parameters
    ----------
    alignments : bool, default False
        Also read the alignment ontologies of :func:`alignment_files` into the same graph.

    Returns
    -------
    rdflib.Graph
        A new graph, the caller's to change: the ontology, plus the alignments when asked.

    Examples
    --------
    >>> len(load_ontology(alignments=True)) > len(load_ontology())
    True
    """
    graph = rdflib.Graph()
    for path in [ontology_file(), *(alignment_files() if alignments else [])]:
        graph.parse(path, format="turtle")
    return graph


def add_ontology(store: object, graph: object = None) -> None:
    """Load pmgraph's ontology into the default graph of a pyoxigraph store (as
    :func:`pmgraph.rdf.reading.load_store` holds the data), or into ``graph``.

    In the one graph, a term that the data states again (``pm:ProjectManager a pm:Role``) is
    there once, and counts once.
    """
    import pyoxigraph

    store.load(  # type: ignore[attr-defined]
        path=str(ontology_file()), format=pyoxigraph.RdfFormat.TURTLE, to_graph=graph or pyoxigraph.DefaultGraph()
    )
