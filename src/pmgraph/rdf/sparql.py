"""SPARQL text and prefixes: the pieces that questions, stores and servers share.

>>> with_values("SELECT ?x WHERE { ?x ?p ?at }", {"at": '"2024-06-01"'}, "q")
'SELECT ?x WHERE { VALUES (?at) { ("2024-06-01") } ?x ?p ?at }'
>>> declared_prefixes("PREFIX ex: <https://example.org/> SELECT * WHERE { ?s ?p ?o }")
{'ex': 'https://example.org/'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pmgraph.errors import QueryError

if TYPE_CHECKING:
    import rdflib

__all__ = ["SPARQL_TOKENS", "with_values", "declared_prefixes", "usable_prefixes", "data_prefixes", "query_form"]

# Strings, IRIs and comments of a SPARQL text, and its other words, for finding SERVICE.
SPARQL_TOKENS = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*"""
    r"""|(?P<word>[A-Za-z_][A-Za-z0-9_-]*(?::[^\s(){}\[\];,.]*)?)|[?$][A-Za-z0-9_]+|."""
)


def with_values(text: str, terms: Mapping[str, str], source: str) -> str:
    """The query with ``VALUES (?a ?b) { (term term) }`` first in its outermost group.

    The block joins the values with everything the group matches, and the group's filters see
    them, as the local engine's bindings do. The terms are N-Triples forms of checked RDF terms.

    >>> with_values('# a { in a comment\\nSELECT ?x ?at WHERE { ?x <urn:p> ?at }', {"at": '"2024-06-01"'}, "q")
    '# a { in a comment\\nSELECT ?x ?at WHERE { VALUES (?at) { ("2024-06-01") } ?x <urn:p> ?at }'
    """
    if not terms:
        return text
    depth = 0
    for token in SPARQL_TOKENS.finditer(text):
        if token[0] == "(":
            depth += 1
        elif token[0] == ")":
            depth -= 1
        elif token[0] == "{" and depth == 0:
            names = " ".join(f"?{name}" for name in terms)
            values = " ".join(terms.values())
            block = f" VALUES ({names}) {{ ({values}) }}"
            return text[: token.end()] + block + text[token.end() :]
    raise QueryError(f"{source} has no WHERE clause to bind its parameters in")


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a query's PREFIX lines declare."""
    return {m["prefix"]: m["iri"] for m in re.finditer(r"(?im)^\s*PREFIX\s+(?P<prefix>[\w.-]*):\s*<(?P<iri>[^>]*)>", text)}


def usable_prefixes(bound: Iterable[tuple[str, object]]) -> dict[str, str]:
    """Prefix and namespace pairs as bound in a graph, without the empty prefix, with pm:."""
    prefixes = {prefix: str(namespace) for prefix, namespace in bound if prefix}
    prefixes.setdefault("pm", "https://w3id.org/pmgraph#")
    return prefixes


def data_prefixes(data: rdflib.Graph) -> dict[str, str]:
    """The data's prefixes, pm: among them, for reading prefixed names and writing IRIs short."""
    return usable_prefixes(data.namespaces())


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the query's form (None for an update or no query).

    >>> query_form("PREFIX ask: <urn:ask:> # ASK in a comment\\nselect ?x WHERE { ?x ask:p 'ASK' }")
    'SELECT'
    """
    for token in SPARQL_TOKENS.finditer(text):
        word = token["word"]
        if word is not None and word.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word.upper()
    return None
