"""The reprimand ladder as a state machine, and the ISO weeks it climbs on."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.lagconfig import Ladder
from exporter.weekly_ladder import LadderState, Week, level_name, step

STEP_DOWN = Ladder((1, 2, 3), "step_down", 1, (14, 7, 7))
RESET_AFTER_TWO = Ladder((1, 2, 3), "reset", 2, (14, 7, 7))
SLOW = Ladder((2, 4, 6), "step_down", 2, (14, 7, 7))


def walk(weeks: str, ladder: Ladder) -> list[tuple[int, str | None]]:
    """L = lagging, . = not lagging, ? = no data; the level and action after each week."""
    state, out = LadderState(), []
    for mark in weeks:
        state, action = step(state, {"L": True, ".": False, "?": None}[mark], ladder)
        out.append((state.level, action))
    return out


@pytest.mark.parametrize("weeks,ladder,expected", [
    ("LLLL", STEP_DOWN, [(1, "escalate"), (2, "escalate"), (3, "escalate"), (3, None)]),
    ("LL..", STEP_DOWN, [(1, "escalate"), (2, "escalate"), (1, "step_down"), (0, "step_down")]),
    ("LL.L", STEP_DOWN, [(1, "escalate"), (2, "escalate"), (1, "step_down"), (1, None)]),
    ("LL.LL", STEP_DOWN, [(1, "escalate"), (2, "escalate"), (1, "step_down"), (1, None), (2, "escalate")]),
    ("L?L", STEP_DOWN, [(1, "escalate"), (1, None), (2, "escalate")]),  # a week without data changes nothing
    ("LLL.", RESET_AFTER_TWO, [(1, "escalate"), (2, "escalate"), (3, "escalate"), (3, None)]),
    ("LLL..", RESET_AFTER_TWO, [(1, "escalate"), (2, "escalate"), (3, "escalate"), (3, None), (0, "reset")]),
    ("LL.L..", RESET_AFTER_TWO, [(1, "escalate"), (2, "escalate"), (2, None), (2, None), (2, None), (0, "reset")]),
    ("LLLLLL", SLOW, [(0, None), (1, "escalate"), (1, None), (2, "escalate"), (2, None), (3, "escalate")]),
    ("LL..", SLOW, [(0, None), (1, "escalate"), (1, None), (0, "step_down")]),
    ("....", STEP_DOWN, [(0, None)] * 4),
])
def test_the_ladder_climbs_one_level_per_threshold_and_descends_as_configured(weeks, ladder, expected):
    assert walk(weeks, ladder) == expected


def test_the_state_remembers_streaks():
    state, _ = step(LadderState(), True, STEP_DOWN)
    state, _ = step(state, True, STEP_DOWN)
    assert state == LadderState(level=2, streak=2, clean=0)
    state, _ = step(state, False, SLOW)
    assert state == LadderState(level=2, streak=0, clean=1)


def test_level_names():
    assert [level_name(n) for n in range(4)] == ["-", "Teguran I", "Teguran II", "Teguran III"]


def test_a_week_runs_monday_to_sunday_in_wib():
    week = Week.parse("2026-W47")
    assert (week.label, week.monday, week.sunday) == ("2026-W47", dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert week.start == dt.datetime(2026, 11, 15, 17, 0, tzinfo=dt.timezone.utc)
    assert week.end == dt.datetime(2026, 11, 22, 17, 0, tzinfo=dt.timezone.utc)
    # Sunday 23:30 WIB is still week 47; Monday 00:30 WIB is week 48, though both are Sunday in UTC.
    assert Week.containing(dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.timezone.utc)).label == "2026-W47"
    assert Week.containing(dt.datetime(2026, 11, 22, 17, 30, tzinfo=dt.timezone.utc)).label == "2026-W48"
    assert Week.containing(dt.datetime(2026, 11, 22, 17, 30, tzinfo=dt.timezone.utc), tz_hours=9).label == "2026-W48"


def test_weeks_shift_across_years():
    assert Week.parse("2026-W01").previous().label == "2025-W52"
    assert Week.parse("2026-W53").shift(1).label == "2027-W01"
    assert Week.parse("2020-W53").shift(-53).label == "2019-W52"  # 2019 had 52 weeks


@pytest.mark.parametrize("label,message", [
    ("2026-47", "'2026-47' is not an ISO week like 2026-W47"),
    ("2025-W53", "'2025-W53': 2025 has no week 53"),
    ("", "'' is not an ISO week like 2026-W47"),
])
def test_a_bad_week_label_is_refused(label, message):
    with pytest.raises(ValueError) as caught:
        Week.parse(label)
    assert str(caught.value) == message
