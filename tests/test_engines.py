"""pmgraph's own engine and pySHACL give the same answer (DESIGN.md section 3).

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
