"""Shapes checked before use, against the W3C's SHACL-for-SHACL shapes graph.

A shape with ``sh:datatype "xsd:decimal"`` (a string where an IRI belongs) or ``sh:minCount
"one"`` would run and report false violations, or none; the W3C's shapes for shapes graphs
(SHACL, appendix C, https://www.w3.org/TR/shacl/#shacl-shacl) say what a well-formed shapes graph
is. pySHACL ships that graph (``pyshacl/assets/shacl-shacl.ttl``, W3C Software and Document
License); it is read from there, not copied into pmgraph.

Examples
--------
>>> import rdflib
>>> shapes = rdflib.Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     @prefix ex: <https://example.org/> .
...     ex:Budget a sh:NodeShape ; sh:targetClass ex:Project ;
...         sh:property [ sh:path ex:budget ; sh:datatype "xsd:decimal" ] .
... ''')
>>> check_shapes_graph(shapes, "rules.ttl")
Traceback (most recent call last):
...
pmgraph.errors.InvalidShape: rules.ttl: shape https://example.org/Budget (property https://example.org/budget): sh:datatype "xsd:decimal" is not well-formed SHACL (SHACL-for-SHACL asks for sh:maxCount 1; sh:nodeKind sh:IRI)
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources

import rdflib
import rdflib.collection
from rdflib.namespace import SH, XSD

from pmgraph.errors import InvalidShape

__all__ = ["check_shapes_graph", "shacl_shacl"]


@cache
def _shacl_shacl_text() -> str:
    return resources.files("pyshacl").joinpath("assets", "shacl-shacl.ttl").read_text(encoding="utf-8")


def shacl_shacl() -> rdflib.Graph:
    """A new graph of the W3C's SHACL-for-SHACL shapes (as pySHACL ships them)."""
    return rdflib.Graph().parse(data=_shacl_shacl_text(), format="turtle")


_SHSH = rdflib.Namespace("http://www.w3.org/ns/shacl-shacl#")


def _without_recursion(meta: rdflib.Graph) -> rdflib.Graph:
    """SHACL-for-SHACL as pmgraph's engine can run it: the same verdicts, without recursion.

    Two references make the shapes recursive (so they would go to pySHACL, seconds for a small
    file): a list of shapes (``sh:or``...) asks each member to be a shape, and a property shape
    asks its path to be a path (``shsh:PathShape``, itself recursive). The first asks nothing new:
    every member with a constraint is a focus node of ``shsh:ShapeShape`` by its own targets. The
    second is the engine's (``_paths_read`` replaces each path the engine reads by an IRI, and
    refuses the others).
    """
    for members in list(meta.subjects(SH.node, _SHSH.ShapeShape)):
        meta.remove((members, SH.node, _SHSH.ShapeShape))
    for shape, alternatives in list(meta.subject_objects(SH["or"])):
        if _SHSH.PathShape in rdflib.collection.Collection(meta, alternatives):
            meta.remove((shape, SH["or"], alternatives))
            meta.add((shape, SH.nodeKind, SH.IRI))
    return meta


def check_shapes_graph(shapes: rdflib.Graph, file: str | os.PathLike[str]) -> None:
    """Raise :class:`InvalidShape` (one line naming ``file``, the shape and what is wrong) when
    ``shapes`` breaks the SHACL-for-SHACL shapes; return None when it is well-formed."""
    from pmgraph.rdf.terms import to_store
    from pmgraph.validation.engine import plan_shapes
    from pmgraph.validation.routing import check_shapes

    meta = _without_recursion(shacl_shacl())
    try:  # a SPARQL constraint that SHACL forbids, told with the file it is in
        plan_shapes(shapes)
    except InvalidShape as error:
        raise InvalidShape(f"{os.fspath(file)}: {error}") from None
    checked = _paths_read(shapes, file)
    findings = [f for f in check_shapes(to_store(checked), meta, lambda: checked) if f.severity == SH.Violation]
    if not findings:
        return
    first = min(findings, key=lambda f: (_name(shapes, f.focus), str(f.path), str(f.value)))
    what = _constraints(meta, first.shape)
    value = f" {_term(shapes, first.value)}" if first.value is not None and first.value != first.focus else ""
    prop = _term(shapes, first.path) if first.path is not None else "the shape"
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    raise InvalidShape(
        f"{os.fspath(file)}: shape {_name(shapes, first.focus)}: {prop}{value} is not well-formed SHACL "
        f"(SHACL-for-SHACL asks for {what}){more}"
    )


def _paths_read(shapes: rdflib.Graph, file: str | os.PathLike[str]) -> rdflib.Graph:
    """A copy of ``shapes`` with each sh:path that the engine reads replaced by one IRI.

    Paths are the engine's to read, as SHACL's own tests expect: a list that also has
    ``sh:inversePath`` is read as the sequence path it is (core/path/path-strange-002), though
    SHACL-for-SHACL refuses it; a path the engine cannot read is refused here.
    """
    from pmgraph.errors import UnsupportedShape
    from pmgraph.validation.engine import sparql_path

    copy = rdflib.Graph()
    copy += shapes
    for shape, path in list(shapes.subject_objects(SH.path)):
        if not isinstance(path, rdflib.BNode):
            continue  # an IRI, or a literal that SHACL-for-SHACL refuses
        try:
            sparql_path(shapes, path)
        except UnsupportedShape:
            raise InvalidShape(f"{os.fspath(file)}: shape {_name(shapes, shape)}: sh:path is not a SHACL path") from None
        copy.remove((shape, SH.path, path))
        copy.add((shape, SH.path, _READ_PATH))
    return copy


_READ_PATH = rdflib.URIRef("urn:pmgraph:path-read-by-the-engine")


def _name(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    """A shape's IRI; a blank property shape as its node shape's IRI and its path."""
    if isinstance(shape, rdflib.BNode):
        parent = shapes.value(predicate=SH.property, object=shape)
        path = shapes.value(shape, SH.path)
        if parent is not None:
            return f"{_name(shapes, parent)} (property {_term(shapes, path) if path is not None else '?'})"
        if path is not None:
            return f"[property {_term(shapes, path)}]"
    return str(shape)


def _term(graph: rdflib.Graph, term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return graph.namespace_manager.normalizeUri(term) if str(term).startswith((str(SH), str(XSD))) else str(term)
    if isinstance(term, rdflib.Literal):
        return str(term) if term.datatype in (XSD.integer, XSD.boolean) else term.n3()
    return "[]"


def _constraints(meta: rdflib.Graph, shape: rdflib.term.Node) -> str:
    """What a SHACL-for-SHACL shape asks, in its own words (``sh:nodeKind sh:IRI``)."""
    meta.bind("sh", SH)
    said = [
        f"{meta.namespace_manager.normalizeUri(p)} {_term(meta, o) if not isinstance(o, rdflib.BNode) else '(...)'}"
        for p, o in sorted(meta.predicate_objects(shape))
        if p not in (SH.path, rdflib.RDF.type, SH.severity, SH.message, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    ]
    return "; ".join(said) or str(shape)
