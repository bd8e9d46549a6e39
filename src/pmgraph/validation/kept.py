"""Findings kept beside an on-disk store, so that validating a store does not validate it again.

A store (:mod:`pmgraph.stores.disk`) is written by ``pmgraph push`` and then read many times.
Validating it queries RocksDB, which is several times slower than validating the same data in
memory; so ``pmgraph push --store DIR`` validates what it has just written once, in memory, and
keeps the findings of pmgraph's own rules in ``DIR/pmgraph-findings.json``. ``pmgraph validate
--store DIR`` (and :func:`pmgraph.validate` of :meth:`pmgraph.Organisation.open_store`) then reads
them instead of running the rules.

Findings are used only when they belong to the data as it is and to the rules as they are: the
record names the version of the store they were computed on
(:func:`pmgraph.stores.disk.store_version`, which changes with every write, by pmgraph or anyone
else) and a digest of the rules (pmgraph's version, its shapes and its ontology). Anything else, a
record that is missing, damaged, written by another version, or of another state of the store,
is ignored and the store is validated as it is; reading never writes.

Examples
--------
>>> import pathlib, tempfile, rdflib
>>> with tempfile.TemporaryDirectory() as folder:
...     store = pathlib.Path(folder, "store")
...     store.mkdir()
...     write_kept(store, "sha256:1", [], {}, rdflib.Graph())
...     kept = read_kept(store, "sha256:1", rdflib.Graph())
...     other = read_kept(store, "sha256:2", rdflib.Graph())
>>> kept, other
(([], {}), None)
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.namespace import SH

from pmgraph._resources import ontology_file, shape_files
from pmgraph.rdf.terms import oxigraph_term, rdflib_term
from pmgraph.validation.engine import Finding

__all__ = ["FINDINGS_FILE", "read_kept", "write_kept", "rules_digest"]

#: The file, in a store's folder, where ``pmgraph push`` keeps the findings of pmgraph's rules.
FINDINGS_FILE = "pmgraph-findings.json"
_FORMAT = 1


def rules_digest() -> str:
    """A digest of what pmgraph's rules find: its version, its shapes and its ontology."""
    digest = hashlib.sha256(f"pmgraph {importlib.metadata.version('pmgraph')}\n".encode())
    for path in (*shape_files(), ontology_file()):
        digest.update(Path(path).read_bytes())
    return "sha256:" + digest.hexdigest()


def write_kept(
    folder: str | os.PathLike[str],
    store_version: str,
    findings: list[Finding],
    labels: Mapping[rdflib.term.Node, str],
    shapes: rdflib.Graph,
) -> None:
    """Keep the findings of pmgraph's rules (``shapes``) on one version of a store, with the labels of their focus nodes.

    The record is replaced atomically: a reader sees the old one or the new one.
    """
    from pmgraph.rdf.writing import write_atomically

    record = {
        "format": _FORMAT,
        "store": store_version,
        "rules": rules_digest(),
        "findings": [
            {
                "severity": str(finding.severity),
                "focus": _written(finding.focus),
                "path": None if finding.path is None else _written(finding.path),
                "value": None if finding.value is None else _written(finding.value),
                "message": finding.message,
                "shape": _shape_written(finding.shape, shapes),
            }
            for finding in findings
        ],
        "labels": {_written(node): label for node, label in labels.items()},
    }
    write_atomically(Path(folder) / FINDINGS_FILE, json.dumps(record, ensure_ascii=False).encode("utf-8"))


def read_kept(
    folder: str | os.PathLike[str], store_version: str, shapes: rdflib.Graph
) -> tuple[list[Finding], dict[rdflib.term.Node, str]] | None:
    """The findings of pmgraph's rules (``shapes``) kept for this version of the store, and their labels.

    None when there are none that hold.
    """
    try:
        record = json.loads((Path(folder) / FINDINGS_FILE).read_bytes())
        if record.get("format") != _FORMAT or record.get("store") != store_version or record.get("rules") != rules_digest():
            return None
        findings = [
            Finding(
                severity=rdflib.URIRef(item["severity"]),
                focus=_term(item["focus"]),
                path=None if item["path"] is None else _term(item["path"]),
                value=None if item["value"] is None else _term(item["value"]),
                message=str(item["message"]),
                shape=_shape(item["shape"], shapes),
            )
            for item in record["findings"]
        ]
        labels = {_term(node): str(label) for node, label in record["labels"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, LookupError):
        return None  # no record, or one that cannot be read: the store is validated as it is
    return findings, labels


def _written(term: rdflib.term.Node) -> str:
    """A term as N-Triples writes it."""
    return str(oxigraph_term(term))


def _term(text: str) -> rdflib.term.Node:
    """The term that N-Triples ``text`` writes (ValueError if it is not one)."""
    try:
        quad = next(iter(pyoxigraph.parse(f"<urn:s> <urn:p> {text} .\n".encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)))
    except (SyntaxError, StopIteration) as error:
        raise ValueError(f"not an N-Triples term: {text!r}") from error
    return rdflib_term(quad.object)


def _shape_written(shape: rdflib.term.Node, shapes: rdflib.Graph) -> str | dict[str, str]:
    """A shape's IRI; a property shape without one by its node shape and what it says."""
    if not isinstance(shape, rdflib.BNode):
        return _written(shape)
    node = next(iter(shapes.subjects(SH.property, shape)), None)
    if node is None:
        raise ValueError("a finding of a blank shape that no node shape holds")
    return {"node": _written(node), "says": _says(shape, shapes)}


def _shape(written: str | dict[str, str], shapes: rdflib.Graph) -> rdflib.term.Node:
    """The shape that ``_shape_written`` wrote, in this process's graph of the rules."""
    if isinstance(written, str):
        return _term(written)
    for shape in shapes.objects(_term(written["node"]), SH.property):
        if _says(shape, shapes) == written["says"]:
            return shape
    raise LookupError("a property shape that the rules no longer have")


def _says(shape: rdflib.term.Node, shapes: rdflib.Graph) -> str:
    """What a blank property shape states, written the same in every process (its nested blank nodes as ``[]``)."""
    statements = sorted(
        f"{predicate.n3()} {'[]' if isinstance(value, rdflib.BNode) else value.n3()}"
        for predicate, value in shapes.predicate_objects(shape)
    )
    return hashlib.sha256("\n".join(statements).encode("utf-8")).hexdigest()
