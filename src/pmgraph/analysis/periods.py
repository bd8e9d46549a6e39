"""Periods of days: when a role is held, when an accountability has a gap, when a load holds.

The one period type of pmgraph (:class:`Period`), and the one way a period is written for people
(:func:`period_text`), for dates and for date literals as a file writes them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

__all__ = ["Period", "period_text"]


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
