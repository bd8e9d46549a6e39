"""Generate a CSV file of role assignments, of any number of rows, for ``pmgraph import-assignments``.

Each row names a person, a role (by its label, its local name or its prefixed name, as people
write them), a scope, a start date, for some rows an end date, and an allocation. People hold four
assignments each, over the year; every row is good, so the whole file is imported.

    python bench/assignments.py --rows 1000000 -o /tmp/roles-1m.csv

Names use the prefix ``gen:`` (``--prefix gen=https://example.org/generated/``). The same
arguments give the same bytes: a million rows are about 70 MB.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: The prefix the rows' names use, as import-assignments is given it.
PREFIX = "gen=https://example.org/generated/"
ROLES = ("Project Manager", "ProductOwner", "pm:ProgramManager", "Scrum Master", "Product Manager", "Sponsor")


def rows(count: int) -> str:
    """The CSV text: a header and ``count`` rows."""
    lines = ["person,role,scope,start,end,allocation\n"]
    scopes = max(1, count // 50)
    for i in range(count):
        quarter = i % 4  # one person's four assignments start in four quarters of the year
        end = f"2024-{3 * quarter + 3:02d}-28" if i % 3 == 0 else ""
        lines.append(
            f"gen:person{i // 4},{ROLES[i % len(ROLES)]},gen:project{(i * 7919) % scopes},"
            f"2024-{3 * quarter + 1:02d}-01,{end},0.{1 + i % 9}\n"
        )
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, required=True, help="how many role assignments to write")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the CSV file to write")
    args = parser.parse_args(argv)
    args.output.write_text(rows(args.rows), encoding="utf-8")
    print(f"{args.rows} rows -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
