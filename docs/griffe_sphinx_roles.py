"""A griffe extension: the reStructuredText bits of pmgraph's docstrings, read as Markdown.

pmgraph's docstrings are numpy-style and written for readers of the source and of ``help()``: they
refer to other objects with Sphinx roles (``:func:`load```, ``:class:`~pmgraph.Organisation```)
and introduce literal blocks with ``::``. mkdocstrings renders docstrings as Markdown, where both
would show as typed. Before rendering, this extension turns

- a role that names an object of pmgraph this site documents into a link to it (autorefs'
  ``[text][identifier]``), the name resolved as Python would from where the docstring is: the
  object, its parents, its module, then ``pmgraph`` itself;
- any other role (Python's own classes, rdflib, pyoxigraph, private names) into code;
- ``::`` at the end of a paragraph into ``:`` (the indented block below is code in Markdown too).

``mkdocs.yml`` loads it (``extensions:`` of the python handler).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:mod|func|class|meth|data|attr|exc|obj):`(~?)([\w.]+)(?:\(\))?`")
LITERAL_MARKER = re.compile(r"::$", re.MULTILINE)


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles and literal-block markers in every docstring of the package."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        self.on_object(obj=pkg, loader=loader)  # the top package gets no on_object of its own

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if obj.docstring is None:
            return
        text = ROLE.sub(lambda match: _reference(obj, loader, match.group(1) == "~", match.group(2)), obj.docstring.value)
        obj.docstring.value = re.sub(r"^(\s*)::$", "", LITERAL_MARKER.sub(":", text.replace("\n::\n", "\n\n")), flags=re.M)


def _reference(obj: griffe.Object, loader: griffe.GriffeLoader, short: bool, name: str) -> str:
    shown = name.rsplit(".", 1)[-1] if short else name
    target = _documented(obj, loader, name)
    return f"[`{shown}`][{target}]" if target else f"`{shown}`"


#: The modules whose every public object has a page of this site (``docs/api/``).
DOCUMENTED = ("pmgraph.errors", "pmgraph.rdf", "pmgraph.stores", "pmgraph.validation", "pmgraph.queries",
              "pmgraph.analysis", "pmgraph.exchange", "pmgraph.render")


def _documented(obj: griffe.Object, loader: griffe.GriffeLoader, name: str) -> str | None:
    """The path under which this site documents what ``name`` means where ``obj`` is, if it does."""
    scopes: list[str] = []
    scope: griffe.Object | None = obj
    while scope is not None:
        scopes.append(scope.path)
        scope = scope.parent
    candidates = [name] if name.startswith("pmgraph") else [f"{path}.{name}" for path in scopes] + [f"pmgraph.{name}"]
    for candidate in candidates:
        try:
            path = loader.modules_collection[candidate].final_target.path
        except (KeyError, ValueError, AttributeError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        if any(part.startswith("_") for part in path.split(".")):
            return None
        if path == "pmgraph" or path.startswith(tuple(f"{module}." for module in DOCUMENTED)) or path in DOCUMENTED:
            return path
        return _top_level_name(loader, path)
    return None


def _top_level_name(loader: griffe.GriffeLoader, path: str) -> str | None:
    """``pmgraph.X`` (or ``pmgraph.X.member``) when ``pmgraph`` exports the object at ``path`` (or
    its parent) as ``X``: docs/api/index.md shows those."""
    package = loader.modules_collection["pmgraph"]
    for name, member in package.members.items():
        try:
            target = member.final_target.path if member.is_alias else None
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        if target and (path == target or path.startswith(f"{target}.")):
            return f"pmgraph.{name}{path[len(target):]}"
    return None
