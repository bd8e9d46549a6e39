"""Data written in other vocabularies, turned into pmgraph's: W3C ORG, schema.org, DOAP and PROJ.

Each vocabulary has a mapping, a SPARQL CONSTRUCT query shipped in ``exchange/mappings/``
(``org.rq``, ``schema.rq``, ``doap.rq``, ``proj.rq``) that a user can read, copy and extend.
:func:`import_vocabulary` reads the files with pyoxigraph, puts pmgraph's ontology beside them in
the graph ``<https://w3id.org/pmgraph>`` (so that a role labelled "Project Manager" becomes
``pm:ProjectManager``), runs the query with ``?base`` bound to the IRI under which terms without
an IRI are named (its ``VALUES ?base { UNDEF }``, where a user running the query elsewhere writes
the IRI), and returns what it builds.

A JSON-LD document whose ``"@context"`` is ``"https://schema.org"`` (as every schema.org example
writes it) is read offline: that one context is replaced by :data:`SCHEMA_ORG_CONTEXT`, which
pmgraph ships; nothing is fetched. Terms in ``https://schema.org/`` are read as the
``http://schema.org/`` ones that schema.org's own context gives.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "team.jsonld")
...     _ = path.write_text('''{"@context": "https://schema.org", "@type": "Organization",
...         "@id": "https://example.org/mobile", "name": "Mobile Team",
...         "member": {"@type": "OrganizationRole", "roleName": "Product Owner", "startDate": "2024-02-01",
...                    "member": {"@type": "Person", "@id": "https://example.org/aisha", "name": "Aisha Khan"}}}''')
...     graph = import_vocabulary("schema", path, base="https://example.org/")
>>> from pmgraph.namespace import PM
>>> [(str(a), str(graph.value(a, PM.role))) for a in graph.subjects(PM.agent, None)]
[('https://example.org/aisha-khan-product-owner-mobile-team-2024-02-01', 'https://w3id.org/pmgraph#ProductOwner')]
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
import rdflib


__all__ = ["VOCABULARIES", "SCHEMA_ORG_CONTEXT", "mapping_file", "import_vocabulary"]

#: The vocabularies pmgraph reads, each with its mapping file ``exchange/mappings/<name>.rq``.
VOCABULARIES = ("org", "schema", "doap", "proj")

#: The context pmgraph reads in place of ``"https://schema.org"``: every term in schema.org's
#: namespace (as schema.org's own context, in ``http://schema.org/``), ``id`` and ``type`` as
#: ``@id`` and ``@type``, and the properties whose values are things named by an IRI.
SCHEMA_ORG_CONTEXT: dict[str, object] = {
    "@vocab": "http://schema.org/",
    "schema": "http://schema.org/",
    "id": "@id",
    "type": "@type",
    **{name: {"@type": "@id"} for name in ("url", "sameAs", "additionalType", "image", "logo")},
}

# The IRIs by which documents name schema.org's context: pmgraph ships its own for all of them.
_SCHEMA_ORG_CONTEXT_IRIS = {
    "https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/",
    "https://schema.org/docs/jsonldcontext.jsonld", "http://schema.org/docs/jsonldcontext.jsonld",
}
_SCHEMA_HTTPS = "https://schema.org/"
_SCHEMA_HTTP = "http://schema.org/"


def mapping_file(vocabulary: str) -> Path:
    """The shipped CONSTRUCT query that maps a vocabulary into pmgraph's.

    Examples
    --------
    >>> mapping_file("org").name
    'org.rq'
    """
    if vocabulary not in VOCABULARIES:
        raise ValueError(f"unknown vocabulary {vocabulary!r}: choose one of {', '.join(VOCABULARIES)}")
    return Path(__file__).with_name("mappings") / f"{vocabulary}.rq"


def import_vocabulary(
    vocabulary: str, *paths: str | os.PathLike[str], base: str | None = None
) -> rdflib.Graph:
    """Read files written in another vocabulary and return them as pmgraph data.

    Parameters
    ----------
    vocabulary : str
        ``"org"``, ``"schema"``, ``"doap"`` or ``"proj"`` (:data:`VOCABULARIES`).
    *paths : str or os.PathLike
        RDF files or folders (any syntax pmgraph reads: Turtle, JSON-LD, RDF/XML, ...).
    base : str, optional
        The IRI under which nodes without an IRI (blank nodes, roles given only by name) are
        named; by default the first file's ``file:`` URI followed by ``#``.

    Returns
    -------
    rdflib.Graph
        The pm: data the mapping builds, with the prefixes ``pm``, ``rdfs`` and ``xsd`` bound.

    Raises
    ------
    InputError
        If a file cannot be read or is not valid in its syntax.
    ValueError
        If `vocabulary` is not one of :data:`VOCABULARIES`.
    """
    from pmgraph.ontology import ONTOLOGY_GRAPH, add_ontology
    from pmgraph.rdf.reading import rdf_files

    query = mapping_file(vocabulary).read_text(encoding="utf-8")
    files = rdf_files(*paths)
    store = pyoxigraph.Store()
    for path in files:
        store.extend(_read(path))
    add_ontology(store, pyoxigraph.NamedNode(ONTOLOGY_GRAPH))
    if base is None:
        base = Path(os.path.abspath(files[0])).as_uri() + "#"
    # the mapping's one parameter, its `VALUES ?base { UNDEF }` given a value (SPARQL SEP-0007)
    return _graph(store.query(query, substitutions={pyoxigraph.Variable("base"): pyoxigraph.NamedNode(base)}))


def _read(path: Path) -> Iterable[pyoxigraph.Quad]:
    """The statements of one file, in the default graph, blank nodes kept apart from other files'."""
    from pmgraph.rdf.reading import read_rdf_file, syntax_error

    rdf_format, content = read_rdf_file(path)
    if not content:
        return []
    if rdf_format == pyoxigraph.RdfFormat.JSON_LD:
        content = _with_schema_org_context(path, content)
    file_uri = Path(os.path.abspath(path)).as_uri()
    default = pyoxigraph.DefaultGraph()
    try:
        parser = pyoxigraph.parse(input=content, format=rdf_format, base_iri=file_uri, rename_blank_nodes=True)
        return [pyoxigraph.Quad(_in_http_schema(q.subject), _in_http_schema(q.predicate), _in_http_schema(q.object), default)
                for q in parser]
    except SyntaxError as error:
        raise syntax_error(path, rdf_format, error) from error


def _with_schema_org_context(path: Path, content: bytes) -> bytes:
    """The JSON-LD document with every ``"@context": "https://schema.org"`` replaced by
    :data:`SCHEMA_ORG_CONTEXT`, so that nothing is fetched; other documents as they are."""
    try:
        document = json.loads(content)
    except (ValueError, RecursionError):
        return content  # the parser says what is wrong, with the line
    changed = False

    def replace(node: object) -> object:
        nonlocal changed
        if isinstance(node, dict):
            result = {}
            for key, value in node.items():
                if key == "@context":
                    value = _replace_context(value)
                    changed = changed or value != node[key]
                    result[key] = value
                else:
                    result[key] = replace(value)
            return result
        if isinstance(node, list):
            return [replace(item) for item in node]
        return node

    document = replace(document)
    return json.dumps(document).encode("utf-8") if changed else content


def _replace_context(context: object) -> object:
    """A context, its schema.org IRIs (alone or in a list) replaced by :data:`SCHEMA_ORG_CONTEXT`."""
    if isinstance(context, str) and context.rstrip() in _SCHEMA_ORG_CONTEXT_IRIS:
        return SCHEMA_ORG_CONTEXT
    if isinstance(context, list):
        return [_replace_context(item) for item in context]
    return context


def _in_http_schema(term: object) -> object:
    """A term of ``https://schema.org/`` as the ``http://schema.org/`` one; any other term as it is."""
    if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(_SCHEMA_HTTPS):
        return pyoxigraph.NamedNode(_SCHEMA_HTTP + term.value.removeprefix(_SCHEMA_HTTPS))
    return term


def _graph(triples: Iterable[pyoxigraph.Triple]) -> rdflib.Graph:
    """The CONSTRUCT result as an rdflib graph, with the prefixes of pm: data."""
    from pmgraph.namespace import PM
    from pmgraph.rdf.terms import rdflib_term

    graph = rdflib.Graph()
    graph.bind("pm", str(PM._NS))
    for triple in triples:
        graph.add((rdflib_term(triple.subject), rdflib_term(triple.predicate), rdflib_term(triple.object)))
    return graph
