"""What changed between two versions of a portfolio, told by entity in the domain's words.

:func:`diff_versions` compares two graphs as RDF, not as text: the order of statements, prefixes, layout
and blank-node labels do not count (graphs with blank nodes are compared up to isomorphism, with
``rdflib.compare``). Each change is told on the entity it is about::

    Project 'Checkout API': end date 2024-09-30 → 2024-10-31; Project Manager Erin Castillo → Jon Park from 2024-05-01

- a fact with one value before and one after reads ``end date 2024-09-30 → 2024-10-31``; other
  facts read ``+ depends on Payments Integration`` (added) or ``− works on Acme Shop`` (removed);
- role assignments and short forms (``pm:projectManager``...) are told on their scope, by role:
  ``+ Project Manager Jon Park (from 2024-05-01)``, ``− Scrum Master Tom Becker``, a changed
  period ``Project Manager Erin Castillo: end date 2024-09-30 → 2024-04-30``, and a handover (one
  holder's assignment ends or goes, another's starts) ``Project Manager Erin Castillo → Jon Park
  from 2024-05-01``;
- responsibility assignments are told on their scope too: ``+ Grace Liu consulted on Budgeting``,
  ``Grace Liu on Budgeting: Consulted → Informed``.

Examples
--------
>>> from rdflib import Graph
>>> header = '''
...     @prefix pm: <https://w3id.org/pmgraph#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix acme: <https://example.org/acme/> .
...     acme:api a pm:Project ; rdfs:label "Checkout API" .
...     acme:erin rdfs:label "Erin Castillo" . acme:jon rdfs:label "Jon Park" .'''
>>> old = Graph().parse(format="turtle", data=header + '''
...     acme:api pm:endDate "2024-09-30"^^xsd:date .
...     acme:erin-api pm:agent acme:erin ; pm:role pm:ProjectManager ; pm:scope acme:api .''')
>>> new = Graph().parse(format="turtle", data=header + '''
...     acme:api pm:endDate "2024-10-31"^^xsd:date .
...     acme:erin-api pm:agent acme:erin ; pm:role pm:ProjectManager ; pm:scope acme:api ;
...         pm:endDate "2024-04-30"^^xsd:date .
...     acme:jon-api pm:agent acme:jon ; pm:role pm:ProjectManager ; pm:scope acme:api ;
...         pm:startDate "2024-05-01"^^xsd:date .''')
>>> print(diff_versions(old, new).to_text())
Project 'Checkout API': end date 2024-09-30 → 2024-10-31; Project Manager Erin Castillo → Jon Park from 2024-05-01
1 entity changed: 1 statement removed, 6 added
"""

from __future__ import annotations

import datetime
import os
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from pmgraph.analysis.assignments import (
    RACI_PROPERTIES,
    RESPONSIBILITY_ASSIGNMENT_PROPERTIES,
    ROLE_ASSIGNMENT_PROPERTIES,
    ResponsibilityHolding,
    RoleHolding,
    responsibility_holdings,
    role_holdings,
)
from pmgraph.render.names import PrefixedNames, entity_name, kind, label, name, property_name, value_text
from pmgraph.namespace import PM
from pmgraph.ontology import load_ontology
from pmgraph.rdf.prefixes import bind_prefixes

__all__ = ["Change", "EntityChange", "Diff", "diff_versions", "diff_files"]

_Triple = tuple[Node, Node, Node]
_Holding = RoleHolding | ResponsibilityHolding


@dataclass(frozen=True)
class Change:
    """One change to an entity, in words, with the statements it stands for.

    Attributes
    ----------
    text : str
        ``end date 2024-09-30 → 2024-10-31``, ``+ Project Manager Jon Park (from 2024-05-01)``...
    removed, added : tuple of str
        The statements (N-Triples, sorted) that went and that came.
    """

    text: str
    removed: tuple[str, ...]
    added: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "removed": list(self.removed), "added": list(self.added)}


@dataclass(frozen=True)
class EntityChange:
    """The changes told on one entity.

    Attributes
    ----------
    entity : str
        Its IRI (``_:label`` for a blank node).
    kind, name : str or None
        The label of its pm: class (``Project``) and its ``rdfs:label``.
    status : str
        ``"added"`` (it had no statement before), ``"removed"`` (it has none after) or ``"changed"``.
    changes : tuple of Change
    """

    entity: str
    kind: str | None
    name: str | None
    status: str
    heading: str
    changes: tuple[Change, ...]

    def __str__(self) -> str:
        status = "" if self.status == "changed" else f" ({self.status})"
        return f"{self.heading}{status}: {'; '.join(change.text for change in self.changes)}"

    def to_json(self) -> dict[str, object]:
        return {
            "entity": self.entity,
            "kind": self.kind,
            "name": self.name,
            "status": self.status,
            "text": str(self),
            "changes": [change.to_json() for change in self.changes],
        }


@dataclass(frozen=True)
class Diff:
    """What changed from an old graph to a new one.

    Attributes
    ----------
    removed_count, added_count : int
        How many statements went and came (blank nodes matched up to isomorphism).
    unchanged_count : int
        How many statements both hold.
    entities : tuple of EntityChange
        Sorted by heading (``Project 'Checkout API'``) and IRI.
    """

    removed_count: int
    added_count: int
    unchanged_count: int
    entities: tuple[EntityChange, ...]

    @property
    def same(self) -> bool:
        """Whether the two graphs are the same (isomorphic)."""
        return not self.removed_count and not self.added_count

    def to_text(self) -> str:
        """One line per changed entity, then a summary line."""
        if self.same:
            return f"No change: both hold the same {_count(self.unchanged_count, 'statement')}"
        lines = [str(entity) for entity in self.entities]
        lines.append(
            f"{_count(len(self.entities), 'entity', 'entities')} changed: "
            f"{_count(self.removed_count, 'statement')} removed, {self.added_count} added"
        )
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        """``{"same", "removed", "added", "unchanged", "entities": [...]}``, for tools."""
        return {
            "same": self.same,
            "removed": self.removed_count,
            "added": self.added_count,
            "unchanged": self.unchanged_count,
            "entities": [entity.to_json() for entity in self.entities],
        }


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _triples(graph: Graph) -> set[_Triple]:
    if isinstance(graph, Dataset):
        return {(s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))}
    return set(graph.triples((None, None, None)))


def _canonical_graph(data: Graph) -> Graph:
    """The triples of `data` as a graph, blank nodes relabelled canonically when there are any.

    Blank nodes that hang in trees are named by their digests (:func:`pmgraph.rdf.blank_nodes.tree_order`),
    in time linear in the data; any others make every label rdflib's canonical one, which takes time
    that grows with the square of a chain of blank nodes.
    """
    triples = _triples(data)
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    if any(isinstance(term, BNode) for triple in triples for term in triple):
        from rdflib.compare import to_canonical_graph

        from pmgraph.rdf.blank_nodes import tree_order

        order = tree_order((s, p, o, None) for s, p, o in triples)
        if order is None:
            canonical = to_canonical_graph(graph)
        else:
            labels = {node: BNode(f"t{digest}") for node, digest in order}
            canonical = (tuple(labels[term] if isinstance(term, BNode) else term for term in triple) for triple in triples)
        graph = Graph()
        for triple in canonical:
            graph.add(triple)
    bind_prefixes(graph, data.namespaces(), replace=True)
    return graph


@dataclass(frozen=True)
class _Versions:
    """The two graphs compared, the statements that went and came, and the graphs names come from."""

    before: Graph
    after: Graph
    removed: set[_Triple]
    added: set[_Triple]
    graphs: tuple[Graph, ...]

    def statements(
        self, pairs: Iterable[tuple[_Holding | None, _Holding | None]], statements_of
    ) -> tuple[list[_Triple], list[_Triple]]:
        """The removed statements of the old holdings and the added statements of the new ones."""
        gone = [t for old, _ in pairs if old is not None for t in statements_of(old, self.removed, self.before)]
        came = [t for _, new in pairs if new is not None for t in statements_of(new, self.added, self.after)]
        return gone, came

    def statements_of(self, old: Iterable[_Holding], new: Iterable[_Holding], statements_of) -> set[_Triple]:
        """Every removed statement of the old holdings and added statement of the new ones."""
        gone, came = self.statements([*((h, None) for h in old), *((None, h) for h in new)], statements_of)
        return {*gone, *came}


def _nt(triple: _Triple) -> str:
    return " ".join(term.n3() for term in triple) + " ."


def diff_versions(old: Graph, new: Graph, ontology_graph: Graph | None = None) -> Diff:
    """Compare two versions of a portfolio.

    Parameters
    ----------
    old, new : rdflib.Graph
        The two versions; a :class:`rdflib.Dataset` (as :func:`pmgraph.load` gives) is read as the
        union of its graphs.
    ontology_graph : rdflib.Graph, optional
        pmgraph's ontology, for the names of classes, properties and roles; read from
        ``ontology/pmgraph.ttl`` when not given.

    Returns
    -------
    Diff

    See Also
    --------
    diff_files : the same for two files or folders, read without rdflib (the fast way).
    """
    vocabulary = ontology_graph if ontology_graph is not None else load_ontology()
    before = _canonical_graph(old)
    after = _canonical_graph(new)
    before_triples, after_triples = set(before), set(after)
    return _compare(
        before, after, before_triples - after_triples, after_triples - before_triples, len(before_triples), vocabulary
    )


def diff_files(
    old: str | os.PathLike[str], new: str | os.PathLike[str], ontology_graph: Graph | None = None
) -> Diff:
    """Compare two versions of a portfolio, each a file or a folder: :func:`diff_versions` of what
    :func:`pmgraph.load` reads from them, without an rdflib copy of all the data.

    The statements are compared as N-Triples text (after the canonical relabelling of their blank
    nodes); rdflib terms are made only for the statements that changed and for the names of the
    entities they are about. Versions whose blank nodes do not hang in trees are compared by
    :func:`diff_versions` itself.

    Raises
    ------
    pmgraph.InputError
        If a file cannot be read.
    """
    from pmgraph.rdf.reading import load, read_statements

    vocabulary = ontology_graph if ontology_graph is not None else load_ontology()
    versions = []
    for path in (old, new):
        version = _StatementLines.read(read_statements(path))
        if version is None:  # blank nodes shared or in cycles: the general algorithm
            return diff_versions(load(old), load(new), vocabulary)
        versions.append(version)
    before, after = versions
    removed, added = before.lines - after.lines, after.lines - before.lines
    return _compare(
        before.graph(), after.graph(), _rdflib_triples(removed), _rdflib_triples(added), len(before.lines), vocabulary
    )


def _compare(
    before: Graph,
    after: Graph,
    removed: set[_Triple],
    added: set[_Triple],
    before_count: int,
    vocabulary: Graph,
) -> Diff:
    """The :class:`Diff` of two canonical graphs, given the statements only one of them holds."""
    touched = {s for s, _, _ in removed | added}
    removed, added = _unmatched(removed, added)
    graphs = (after, before, vocabulary)
    versions = _Versions(before, after, removed, added, graphs)
    # Holdings whose assignment (or short-form statement) did not change are the same in both, and
    # leave no change: only those of the subjects of changed statements are compared.
    before_touched, after_touched = _about(before, touched), _about(after, touched)
    roles = (role_holdings(before_touched), role_holdings(after_touched))
    responsibilities = (responsibility_holdings(before_touched), responsibility_holdings(after_touched))
    # the statements of assignments are told on their scopes, not as facts of the assignments
    consumed = versions.statements_of(*roles, _role_statements) | versions.statements_of(
        *responsibilities, _responsibility_statements
    )
    told: dict[Node, list[tuple[int, Change]]] = defaultdict(list)
    for scope, change in _role_changes(versions, *roles):
        told[scope].append((1, change))
    for scope, change in _responsibility_changes(versions, *responsibilities):
        told[scope].append((2, change))
    for subject, change in _fact_changes(removed - consumed, added - consumed, before, after, graphs):
        told[subject].append((0, change))
    entities = []
    for entity, changes in told.items():
        status = "changed"
        was, is_ = (entity, None, None) in before, (entity, None, None) in after
        if not was and is_:
            status = "added"
        elif was and not is_:
            status = "removed"
        entities.append(
            EntityChange(
                entity=f"_:{entity}" if isinstance(entity, BNode) else str(entity),
                kind=kind(entity, *graphs),
                name=label(entity, after, before),
                status=status,
                heading=entity_name(entity, *graphs),
                changes=tuple(change for _, change in sorted(changes, key=lambda item: (item[0], item[1].text))),
            )
        )
    entities.sort(key=lambda entity: (entity.heading.casefold(), entity.entity))
    return Diff(len(removed), len(added), before_count - len(removed), tuple(entities))


def _about(graph: Graph, subjects: Iterable[Node]) -> Graph:
    """A graph of the statements of `graph` about `subjects`."""
    found = Graph()
    for subject in subjects:
        for triple in graph.triples((subject, None, None)):
            found.add(triple)
    return found


def _rdflib_triples(lines: Iterable[str]) -> set[_Triple]:
    """The triples of N-Triples statements (each without its final dot), as rdflib terms."""
    import pyoxigraph

    from pmgraph.rdf.terms import rdflib_term

    text = "".join(f"{line} .\n" for line in lines).encode("utf-8")
    return {
        (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object))
        for quad in pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.N_TRIPLES)
    }


class _StatementLines:
    """One version as the N-Triples text of its statements, blank nodes labelled as :func:`_canonical_graph` labels them."""

    def __init__(self, lines: set[str], namespaces: Dataset):
        self.lines = lines
        self.namespaces = namespaces

    @classmethod
    def read(cls, read) -> _StatementLines | None:
        """The version that :func:`pmgraph.rdf.reading.read_statements` read; None when its blank
        nodes do not all hang in trees."""
        import pyoxigraph

        from pmgraph.rdf.blank_nodes import tree_order
        from pmgraph.rdf.terms import rdflib_term

        graphs = list(read.graphs.values())
        lines = set().union(*graphs) if len(graphs) != 1 else graphs[0]
        blank = {(s, p, o) for s, p, o, _g in read.blank}
        if blank:
            order = tree_order((rdflib_term(s), rdflib_term(p), rdflib_term(o), None) for s, p, o in blank)
            if order is None:
                return None
            labels = {str(node): pyoxigraph.BlankNode(f"t{digest}") for node, digest in order}
            for s, p, o in blank:
                s = labels[s.value] if isinstance(s, pyoxigraph.BlankNode) else s
                o = labels[o.value] if isinstance(o, pyoxigraph.BlankNode) else o
                lines.add(str(pyoxigraph.Triple(s, p, o)))
        return cls(lines, read.namespaces)

    def graph(self) -> Graph:
        """A read-only rdflib graph over the statements, with the prefixes of the version bound."""
        graph = Graph(store=_LinesStore(self.lines))
        bind_prefixes(graph, self.namespaces.namespaces(), replace=True)
        return graph


class _LinesStore(Memory):
    """An rdflib store answering from N-Triples lines, sorted on first use to find a subject's by bisection.

    Only what a diff asks of a whole version is fast: the statements about a subject.
    """

    def __init__(self, lines: set[str]):
        super().__init__()
        self._lines = lines
        self._sorted: list[str] | None = None
        self._parsed: dict[str, list[_Triple]] = {}

    def __len__(self, context: object = None) -> int:
        return len(self._lines)

    def _about(self, key: str) -> list[_Triple]:
        if key not in self._parsed:
            if self._sorted is None:
                self._sorted = sorted(self._lines)
            start = key + " "  # the subject's lines (an IRI or a blank node label holds no space)
            at = end = bisect_left(self._sorted, start)
            while end < len(self._sorted) and self._sorted[end].startswith(start):
                end += 1
            self._parsed[key] = sorted(_rdflib_triples(self._sorted[at:end]), key=_nt)
        return self._parsed[key]

    def triples(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        if isinstance(s, URIRef):
            candidates = self._about(f"<{s}>")
        elif isinstance(s, BNode):
            candidates = self._about(f"_:{s}")
        elif s is None:
            candidates = sorted(_rdflib_triples(self._lines), key=_nt)
        else:
            candidates = []
        for triple in candidates:
            if (p is None or triple[1] == p) and (o is None or triple[2] == o):
                yield triple, iter(())


def _unmatched(removed: set[_Triple], added: set[_Triple]) -> tuple[set[_Triple], set[_Triple]]:
    """Leave out blank nodes that went and came with the very same statements.

    Canonical labels depend on the whole graph: a blank node that did not change can get another
    label when another, identical one is added beside it. A removed and an added blank node whose
    statements are the same (the node itself aside) are the same node.
    """

    def signatures(statements: set[_Triple]) -> dict[BNode, frozenset[tuple[Node | str, ...]]]:
        found: dict[BNode, set[tuple[Node | str, ...]]] = defaultdict(set)
        for s, p, o in statements:
            for node in {s, o}:
                if isinstance(node, BNode):
                    found[node].add(("*" if s == node else s, p, "*" if o == node else o))
        return {node: frozenset(signature) for node, signature in found.items()}

    added_by_signature: dict[frozenset, list[BNode]] = defaultdict(list)
    for node, signature in sorted(signatures(added).items()):
        added_by_signature[signature].append(node)
    same = set()
    for node, signature in sorted(signatures(removed).items()):
        if added_by_signature.get(signature):
            same |= {node, added_by_signature[signature].pop(0)}
    return (
        {t for t in removed if t[0] not in same and t[2] not in same},
        {t for t in added if t[0] not in same and t[2] not in same},
    )


def _fact_changes(
    removed: set[_Triple], added: set[_Triple], before: Graph, after: Graph, graphs: tuple[Graph, ...]
) -> Iterable[tuple[Node, Change]]:
    """Changes of plain facts, by subject and property; a blank-node value is told with its own statements."""
    by_fact: dict[tuple[Node, Node], tuple[list[Node], list[Node]]] = defaultdict(lambda: ([], []))
    removed_blanks, added_blanks = _blank_values(removed), _blank_values(added)
    prefixed = PrefixedNames.of(*graphs)  # once for the diff: a property without a label reads as its prefixed name
    for s, p, o in removed:
        if s not in removed_blanks:
            by_fact[(s, p)][0].append(o)
    for s, p, o in added:
        if s not in added_blanks:
            by_fact[(s, p)][1].append(o)

    def shown(value: Node, graph: Graph) -> str:
        return _blank_text(value, graph, graphs, prefixed) if isinstance(value, BNode) else value_text(value, *graphs)

    for (subject, predicate), (old_values, new_values) in by_fact.items():
        what = property_name(predicate, *graphs, prefixed=prefixed)
        old_values.sort(key=lambda value: value.n3())
        new_values.sort(key=lambda value: value.n3())
        gone = [[(subject, predicate, value), *removed_blanks.pop(value, [])] for value in old_values]
        came = [[(subject, predicate, value), *added_blanks.pop(value, [])] for value in new_values]
        if len(old_values) == 1 and len(new_values) == 1:
            text = f"{what} {shown(old_values[0], before)} → {shown(new_values[0], after)}"
            yield subject, _change(text, gone[0], came[0])
            continue
        for value, statements in zip(old_values, gone, strict=True):
            yield subject, _change(f"− {what} {shown(value, before)}", statements, [])
        for value, statements in zip(new_values, came, strict=True):
            yield subject, _change(f"+ {what} {shown(value, after)}", [], statements)
    # blank nodes whose statements changed but that no changed statement refers to
    for blanks, sign, graph in ((removed_blanks, "−", before), (added_blanks, "+", after)):
        for node, statements in blanks.items():
            for s, p, o in statements:
                text = f"{sign} {property_name(p, *graphs, prefixed=prefixed)} {shown(o, graph)}"
                yield node, _change(text, [(s, p, o)] if sign == "−" else [], [(s, p, o)] if sign == "+" else [])


def _blank_values(statements: set[_Triple]) -> dict[BNode, list[_Triple]]:
    """The changed statements about each blank node that a changed statement refers to."""
    referred = {o for _, _, o in statements if isinstance(o, BNode)}
    about: dict[BNode, list[_Triple]] = defaultdict(list)
    for triple in sorted(statements, key=_nt):
        if triple[0] in referred:
            about[triple[0]].append(triple)
    return about


def _blank_text(node: BNode, graph: Graph, graphs: tuple[Graph, ...], prefixed: PrefixedNames, depth: int = 0) -> str:
    """``[name 'PMO planning sheet']``: a blank node told by what is said about it."""
    if depth > 2:
        return "[...]"
    parts = []
    for _, p, o in sorted(graph.triples((node, None, None)), key=_nt):
        value = _blank_text(o, graph, graphs, prefixed, depth + 1) if isinstance(o, BNode) else value_text(o, *graphs)
        parts.append(f"{property_name(p, *graphs, prefixed=prefixed)} {value}")
    return f"[{'; '.join(parts)}]"


def _change(text: str, removed: Iterable[_Triple], added: Iterable[_Triple]) -> Change:
    return Change(text, tuple(sorted(map(_nt, removed))), tuple(sorted(map(_nt, added))))


def _statements_of(
    node: Node | None, properties: Iterable[Node], cls: Node, statements: set[_Triple], graph: Graph
) -> list[_Triple]:
    """The statements among `statements` by which `graph` makes `node` an assignment."""
    if node is None:
        return []
    wanted = set(properties)
    return [
        (s, p, o)
        for s, p, o in graph.triples((node, None, None))
        if (s, p, o) in statements and (p in wanted or (p == RDF.type and o == cls))
    ]


def _role_statements(holding: RoleHolding, statements: set[_Triple], graph: Graph) -> list[_Triple]:
    if holding.short_form is not None:
        triple = (holding.scope, holding.short_form, holding.agent)
        return [triple] if triple in statements else []
    return _statements_of(holding.assignment, ROLE_ASSIGNMENT_PROPERTIES, PM.RoleAssignment, statements, graph)


def _role_key(holding: RoleHolding) -> tuple[object, ...]:
    if holding.short_form is not None:
        return ("short form", holding.short_form, holding.scope, holding.agent)
    return ("assignment", holding.assignment, holding.scope, holding.role)


def _paired(
    before: Iterable[_Holding], after: Iterable[_Holding], key
) -> Iterable[tuple[_Holding | None, _Holding | None]]:
    """Pairs (old, new) of holdings that differ: (old, None) gone, (None, new) come, (old, new) changed."""
    old_by_key: dict[object, list] = defaultdict(list)
    new_by_key: dict[object, list] = defaultdict(list)
    for holding in before:
        old_by_key[key(holding)].append(holding)
    for holding in after:
        new_by_key[key(holding)].append(holding)
    for found in sorted(old_by_key.keys() | new_by_key.keys(), key=repr):
        old, new = old_by_key.get(found, []), new_by_key.get(found, [])
        if old == new:
            continue
        if len(old) == 1 and len(new) == 1:
            yield old[0], new[0]
            continue
        yield from ((holding, None) for holding in old if holding not in new)
        yield from ((None, holding) for holding in new if holding not in old)


def _role_changes(
    versions: _Versions, old_holdings: Iterable[RoleHolding], new_holdings: Iterable[RoleHolding]
) -> Iterable[tuple[Node, Change]]:
    """Changes of who holds which role, told on the scope."""
    groups: dict[tuple[Node, Node], list[tuple[RoleHolding | None, RoleHolding | None]]] = defaultdict(list)
    for old, new in _paired(old_holdings, new_holdings, _role_key):
        holding = old or new
        groups[(holding.scope, holding.role)].append((old, new))
    for (scope, role), pairs in groups.items():
        for text, involved in _role_texts(value_text(role, *versions.graphs), pairs, versions.graphs):
            yield scope, _change(text, *versions.statements(involved, _role_statements))


def _role_texts(
    role: str, pairs: list[tuple[RoleHolding | None, RoleHolding | None]], graphs: tuple[Graph, ...]
) -> Iterable[tuple[str, list[tuple[RoleHolding | None, RoleHolding | None]]]]:
    """Say how the holders of one role on one scope changed: a handover, or change by change."""
    arrivals = [new for old, new in pairs if old is None]
    leavers = [pair for pair in pairs if pair[0] is not None]
    leaving_agents = {old.agent for old, _ in leavers}
    # a leaver's assignment goes, or only its end date changes
    ends_only = all(
        new is None or (new.agent, new.start, new.allocation) == (old.agent, old.start, old.allocation)
        for old, new in leavers
    )
    if len(arrivals) == 1 and len(leaving_agents) == 1 and leavers and ends_only and arrivals[0].agent not in leaving_agents:
        arrival = arrivals[0]
        leaver = leavers[0][0].agent
        text = f"{role} {name(leaver, *graphs)} → {name(arrival.agent, *graphs)}"
        if arrival.start is not None:
            text += f" from {arrival.start}" + (f" to {arrival.end}" if arrival.end is not None else "")
        elif arrival.end is not None:
            text += f" until {arrival.end}"
        for _, new in leavers:
            if new is not None and not _day_before(new.end, arrival.start):
                text += f" ({name(leaver, *graphs)} until {new.end or 'open'})"
        yield text, pairs
        return
    for old, new in pairs:
        if new is None:
            yield _with_period(f"− {role} {name(old.agent, *graphs)}", old), [(old, new)]
        elif old is None:
            yield _with_period(f"+ {role} {name(new.agent, *graphs)}", new), [(old, new)]
        else:
            fields = _field_changes(old, new, ("start", "end", "allocation"), graphs)
            who = name(old.agent, *graphs)
            if old.agent != new.agent:
                text = f"{role} {who} → {name(new.agent, *graphs)}" + (f": {fields}" if fields else "")
            else:
                text = f"{role} {who}: {fields}"
            yield text, [(old, new)]


def _day_before(end: Literal | None, start: Literal | None) -> bool:
    """Whether `end` and `start` are valid dates and `end` is the day before `start`."""
    if end is None or start is None:
        return False
    if not isinstance(end.value, datetime.date) or not isinstance(start.value, datetime.date):
        return False
    return end.value + datetime.timedelta(days=1) == start.value


def _with_period(text: str, holding: RoleHolding | ResponsibilityHolding) -> str:
    return f"{text} ({holding.period})" if holding.period else text


_FIELD_PROPERTIES = {"start": PM.startDate, "end": PM.endDate, "allocation": PM.allocation, "raci": PM.raci,
                     "agent": PM.agent, "responsibility": PM.responsibility}


def _field_changes(old: object, new: object, fields: Iterable[str], graphs: tuple[Graph, ...]) -> str:
    """``end date 2024-09-30 → 2024-04-30, allocation (none) → 0.5``: the fields that differ."""
    texts = []
    for field in fields:
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            shown = [value_text(value, *graphs) if value is not None else "(none)" for value in (before, after)]
            texts.append(f"{property_name(_FIELD_PROPERTIES[field], *graphs)} {shown[0]} → {shown[1]}")
    return ", ".join(texts)


def _responsibility_statements(holding: ResponsibilityHolding, statements: set[_Triple], graph: Graph) -> list[_Triple]:
    return _statements_of(
        holding.assignment, RESPONSIBILITY_ASSIGNMENT_PROPERTIES, PM.ResponsibilityAssignment, statements, graph
    )


def _responsibility_changes(
    versions: _Versions,
    old_holdings: Iterable[ResponsibilityHolding],
    new_holdings: Iterable[ResponsibilityHolding],
) -> Iterable[tuple[Node, Change]]:
    """Changes of who is R, A, C or I for what, told on the scope."""
    graphs = versions.graphs
    for old, new in _paired(old_holdings, new_holdings, lambda h: (h.assignment, h.scope)):
        holding = old or new
        agent = name(holding.agent, *graphs)
        responsibility = value_text(holding.responsibility, *graphs)
        if new is None:
            text = _with_period(f"− {agent} {_level(old.raci, graphs)} {responsibility}", old)
        elif old is None:
            text = _with_period(f"+ {agent} {_level(new.raci, graphs)} {responsibility}", new)
        else:
            text = f"{agent} on {responsibility}: " + _field_changes(
                old, new, ("agent", "responsibility", "raci", "start", "end"), graphs
            )
        yield holding.scope, _change(text, *versions.statements([(old, new)], _responsibility_statements))


def _level(raci: Node, graphs: tuple[Graph, ...]) -> str:
    """``consulted on``: how a RACI level reads before a responsibility."""
    if raci in RACI_PROPERTIES:
        return property_name(RACI_PROPERTIES[raci], *graphs)
    return f"{value_text(raci, *graphs)} for"
