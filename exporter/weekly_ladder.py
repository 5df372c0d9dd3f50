"""The reprimand ladder (Teguran I, II, III) and the ISO weeks it climbs on.

Pure: a unit's state after last week and whether it lags this week in, its state after
this week and the step taken (if any) out. The weekly machinery stores every state and
every step, so a week's verdict depends only on the week before it, and judging the
same week twice gives the same state and never climbs twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from crawler.lagconfig import Ladder

ROMAN = ("", "I", "II", "III", "IV", "V")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def level_name(level: int) -> str:
    """0 -> '-', 2 -> 'Teguran II'."""
    return f"Teguran {ROMAN[level]}" if level else "-"


@dataclass(frozen=True)
class LadderState:
    level: int = 0  # 0 none, 1 Teguran I, ...
    streak: int = 0  # consecutive lagging weeks
    clean: int = 0  # consecutive weeks without lagging since the last step


def step(state: LadderState, lagging: bool | None, ladder: Ladder) -> tuple[LadderState, str | None]:
    """Advance one week; the action is ``escalate``, ``step_down``, ``reset`` or None.

    A lagging week extends the streak and climbs one level when the streak reaches the
    next level's threshold (never more than one level a week). ``fixed_weeks`` weeks in a
    row without lagging step a reprimanded unit down one level, or reset it, as
    configured. A week without data (``lagging`` None) changes nothing.
    """
    if lagging is None:
        return state, None
    if lagging:
        streak = state.streak + 1
        reached = sum(1 for weeks in ladder.escalate_after_weeks if streak >= weeks)
        level = state.level + 1 if reached > state.level else state.level
        return LadderState(level, streak, 0), ("escalate" if level > state.level else None)
    clean = state.clean + 1
    if state.level and clean >= ladder.fixed_weeks:
        if ladder.when_fixed == "reset":
            return LadderState(0, 0, 0), "reset"
        return LadderState(state.level - 1, 0, 0), "step_down"
    return LadderState(state.level, 0, clean), None


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, Monday to Sunday, in a fixed UTC offset (WIB by default)."""

    year: int
    number: int
    tz_hours: int = 7

    @classmethod
    def parse(cls, label: str, tz_hours: int = 7) -> Week:
        match = _WEEK_RE.match(label or "")
        if not match:
            raise ValueError(f"{label!r} is not an ISO week like 2026-W47")
        year, number = int(match.group(1)), int(match.group(2))
        try:
            dt.date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValueError(f"{label!r}: {year} has no week {number}") from None
        return cls(year, number, tz_hours)

    @classmethod
    def containing(cls, moment: dt.datetime, tz_hours: int = 7) -> Week:
        local = moment.astimezone(dt.timezone(dt.timedelta(hours=tz_hours)))
        year, number, _ = local.isocalendar()
        return cls(year, number, tz_hours)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def tz(self) -> dt.timezone:
        return dt.timezone(dt.timedelta(hours=self.tz_hours))

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def start(self) -> dt.datetime:
        """Monday 00:00 local time, as an aware datetime."""
        return dt.datetime.combine(self.monday, dt.time(), self.tz)

    @property
    def end(self) -> dt.datetime:
        """The next Monday 00:00 local time (exclusive)."""
        return self.start + dt.timedelta(days=7)

    def shift(self, weeks: int) -> Week:
        moment = self.start + dt.timedelta(weeks=weeks, hours=12)
        return Week.containing(moment, self.tz_hours)

    def previous(self) -> Week:
        return self.shift(-1)
