"""pmgraph's own engine and pySHACL give the same answer (docs/design.md, the rules).

``validate(engine="pmgraph")`` runs each SPARQL rule once on pyoxigraph; ``engine="pyshacl"`` leaves
everything to pySHACL, one query per focus node. On every story of the rule tests, every broken
example and the Acme organisation, both give the same results, and the same messages up to the order
of the items of a list (GROUP_CONCAT's order is each engine's own). Blank nodes are compared as
``_:`` only, since each engine names them its own way.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from test_rules import (
    ACME,
    BROKEN_EXAMPLES,
    RULES,
    as_tuple,
    in_any_order,
    report_of,
)

def case(*files: Path, id: str) -> pytest.param:
    return pytest.param(files, id=id)


CASES = [
    *(case(path, id=path.stem) for path in sorted(RULES.glob("*.ttl"))),
    case(*sorted(RULES.glob("accountability_split_across_two_files_*.ttl")), id="accountability_split_as_a_union"),
    *(case(path, id="examples/broken/" + path.stem) for path in BROKEN_EXAMPLES),
    case(*ACME, id="examples/acme"),
]


def findings(files: tuple[Path, ...], engine: str) -> Counter:
    """The multiset of (severity, focus, shape, path, value, message) that the engine reports."""
    report = report_of(*files, engine=engine)
    return Counter((*as_tuple(result), in_any_order(result.message)) for result in report.results)


@pytest.mark.parametrize("files", CASES)
def test_pyshacl_and_pmgraph_give_the_same_results(files):
    assert findings(files, "pyshacl") == findings(files, "pmgraph")


def validated_on_two_threads(*files: Path):
    """The report of ``pmgraph validate``: the checks on two threads, as the command runs them."""
    from pmgraph.rdf.reading import load_store
    from pmgraph.ontology import add_ontology
    from pmgraph.validation.validator import validate_store

    store = load_store(*files)
    add_ontology(store)
    return validate_store(store, threads=2, sources=files)


def test_two_threads_change_no_result():
    # The command runs the checks in two lanes (pmgraph.validation.running._Lanes), the library on one thread.
    one_thread = report_of(*BROKEN_EXAMPLES)

    report = validated_on_two_threads(*BROKEN_EXAMPLES)

    assert Counter(map(as_tuple, report.results)) == Counter(map(as_tuple, one_thread.results))
    assert len(report.results) == len(one_thread.results) > 0


def test_a_check_that_fails_raises_in_its_turn_and_stops_the_lanes():
    import pyoxigraph

    from pmgraph.validation.engine import Check, run_checks

    store = pyoxigraph.Store()
    a, p = pyoxigraph.NamedNode("https://e.org/a"), pyoxigraph.NamedNode("https://e.org/p")
    store.add(pyoxigraph.Quad(a, p, pyoxigraph.Literal("x")))
    good = Check(None, None, ("found",), "SELECT ?this WHERE { ?this ?p ?o }", value_is_focus=True)
    broken = Check(None, None, (), "SELECT ?this WHERE { ?this", joins=True)
    findings = run_checks(store, [good, broken, good], threads=2)

    assert next(findings).message == "found"
    with pytest.raises(SyntaxError):
        next(findings)
