"""Periods of days: when a role is held, when an accountability has a gap, when a load holds.

The one period type of pmgraph (:class:`Period`), and the one way a period is written for people
(:func:`period_text`), for dates and for date literals as a file writes them. The analyses work on
days as ordinals (``date.toordinal()``): a span is the half-open range [first day, day after the
last), :func:`timeline` cuts time where spans start and end, and :func:`period_of` turns a span back
into a :class:`Period`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

__all__ = ["Period", "period_text", "OPEN_START", "OPEN_END", "period_of", "DayOrdinals", "timeline", "merged_pieces"]


def period_text(start: object | None, end: object | None) -> str:
    """``2024-01-15 to 2024-09-30``, ``from 2024-01-15``, ``until 2024-09-30``, or ``""`` when open on both sides.

    >>> period_text("2024-01-15", None), period_text(None, None)
    ('from 2024-01-15', '')
    """
    if start is not None and end is not None:
        return f"{start} to {end}"
    if start is not None:
        return f"from {start}"
    if end is not None:
        return f"until {end}"
    return ""


@dataclass(frozen=True)
class Period:
    """A period of days, both ends included; None where it is open.

    Examples
    --------
    >>> Period(datetime.date(2024, 1, 15), None).text()
    'from 2024-01-15'
    """

    start: datetime.date | None
    end: datetime.date | None

    def contains(self, day: datetime.date) -> bool:
        """Whether ``day`` is in the period."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day; an open end is open.

        >>> Period(None, datetime.date(2024, 3, 1)).overlaps(Period(datetime.date(2024, 3, 1), None))
        True
        """
        return (self.start is None or other.end is None or self.start <= other.end) and (
            other.start is None or self.end is None or other.start <= self.end
        )

    def text(self) -> str:
        """``2024-01-15 to 2024-09-30``, ``from 2024-01-15``, ``until 2024-09-30`` or ``always``."""
        return period_text(self.start, self.end) or "always"

    def to_json(self) -> dict[str, str | None]:
        """``{"start": "2024-01-15", "end": null}``: ISO dates, null where open."""
        return {
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
        }


# Days are ordinals; a period is the half-open range [first day, day after the last). An open start
# is OPEN_START, an open end OPEN_END: before and after every real day.
OPEN_START = 0
OPEN_END = datetime.date.max.toordinal() + 2


def period_of(first: int, after_last: int) -> Period:
    """The Period of the half-open ordinal range [first, after_last).

    Examples
    --------
    >>> period_of(datetime.date(2024, 1, 15).toordinal(), OPEN_END).text()
    'from 2024-01-15'
    """
    return Period(
        None if first == OPEN_START else datetime.date.fromordinal(first),
        None if after_last == OPEN_END else datetime.date.fromordinal(after_last - 1),
    )


def _date(text: str) -> datetime.date | None:
    """The day of an ``xsd:date`` lexical form (a time zone is ignored); None if it is not a date."""
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


class DayOrdinals(dict[str, int | None]):
    """Date texts as ordinals, each distinct text read once (a portfolio repeats its dates).

    ``days["2024-01-15"]`` is the ordinal of that day, None if the text is not a date.
    """

    def __missing__(self, text: str) -> int | None:
        day = _date(text)
        self[text] = ordinal = None if day is None else day.toordinal()
        return ordinal

    def range(self, start: object, end: object) -> tuple[int, int]:
        """The half-open ordinal range of two optional date literals (unreadable dates stay open)."""
        first = None if start is None else self[start.value]  # type: ignore[attr-defined]
        last = None if end is None else self[end.value]  # type: ignore[attr-defined]
        return (OPEN_START if first is None else first, OPEN_END if last is None else last + 1)


def timeline(spans: Iterable[tuple[int, int, Hashable]]) -> list[tuple[int, int, frozenset[Hashable]]]:
    """Cut time at every start and end of the spans: each piece with the spans' items in effect.

    The pieces run from the first start to the last end, those with nothing in effect included.

    Examples
    --------
    >>> [(first, after_last, sorted(items)) for first, after_last, items in timeline([(1, 5, "a"), (3, 8, "b"), (9, 10, "a")])]
    [(1, 3, ['a']), (3, 5, ['a', 'b']), (5, 8, ['b']), (8, 9, []), (9, 10, ['a'])]
    """
    events: dict[int, list[tuple[int, Hashable]]] = defaultdict(list)
    for first, after_last, item in spans:
        if first < after_last:
            events[first].append((1, item))
            events[after_last].append((-1, item))
    pieces = []
    active: dict[Hashable, int] = defaultdict(int)
    previous = None
    for moment in sorted(events):
        if previous is not None:
            pieces.append((previous, moment, frozenset(item for item, count in active.items() if count)))
        for change, item in events[moment]:
            active[item] += change
        previous = moment
    return pieces


def merged_pieces(pieces: Iterable[tuple[int, int, Hashable]]) -> list[tuple[int, int, Hashable]]:
    """Join consecutive pieces that carry the same value.

    Examples
    --------
    >>> merged_pieces([(1, 3, "x"), (3, 5, "x"), (5, 8, "y")])
    [(1, 5, 'x'), (5, 8, 'y')]
    """
    merged: list[tuple[int, int, Hashable]] = []
    for first, after_last, value in pieces:
        if merged and merged[-1][1] == first and merged[-1][2] == value:
            merged[-1] = (merged[-1][0], after_last, value)
        else:
            merged.append((first, after_last, value))
    return merged
