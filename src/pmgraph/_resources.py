"""Where the ontology and the shapes are on this machine.

The top-level folders ``ontology/`` and ``shapes/`` of the repository are the
one source of the vocabulary and of the rules. A built wheel carries them as
package data under ``pmgraph/data/``; an editable install or a source checkout
reads them from the repository itself.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

__all__ = ["data_path", "ontology_file", "shape_files"]


def data_path(name: str) -> Path:
    """Return the folder ``ontology`` or ``shapes`` that pmgraph ships.

    Parameters
    ----------
    name : str
        ``"ontology"`` or ``"shapes"``.

    Returns
    -------
    pathlib.Path
        The installed package data ``pmgraph/data/<name>`` when it exists,
        otherwise ``<repository root>/<name>`` (editable install or checkout).

    Raises
    ------
    ValueError
        If `name` is not one of the shipped folders.
    FileNotFoundError
        If the folder is neither installed nor in a source checkout.

    Examples
    --------
    >>> data_path("shapes").name
    'shapes'
    """
    if name not in ("ontology", "shapes"):
        raise ValueError(f"unknown data folder {name!r}: expected 'ontology' or 'shapes'")
    installed = importlib.resources.files("pmgraph") / "data" / name
    # A zipped install would give a Traversable that is not a Path; pmgraph is
    # installed unpacked, so only a real folder counts.
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"pmgraph's {name}/ folder is missing: looked for {installed} (installed package) "
        f"and {checkout} (source checkout); reinstall pmgraph"
    )


def ontology_file() -> Path:
    """Return the path of the ontology, ``ontology/pmgraph.ttl``.

    Examples
    --------
    >>> ontology_file().name
    'pmgraph.ttl'
    """
    return data_path("ontology") / "pmgraph.ttl"


def shape_files() -> list[Path]:
    """Return the SHACL shape files, ``shapes/*.ttl``, sorted by name.

    Examples
    --------
    >>> all(path.suffix == ".ttl" for path in shape_files())
    True
    """
    return sorted(data_path("shapes").glob("*.ttl"))
