"""Feel: swing moves off-beat eighths by the set ratio and leaves notes on the beat alone."""

from __future__ import annotations

from itertools import pairwise

import pytest

from jazz_core.feel import Event, perform, swing_time


@pytest.mark.parametrize(("swing", "off_beat"), [("straight", 0.5), ("light", 0.6), ("medium", 2 / 3),
                                                 ("hard", 0.75)])
def test_swing_moves_off_beat_eighths_by_the_ratio(swing, off_beat):
    eighths = [Event(i * 0.5, i * 0.5 + 0.5, 60, 90) for i in range(8)]
    performed = perform(eighths, swing, accents=False)
    assert [e.start for e in performed[0::2]] == [0.0, 1.0, 2.0, 3.0]  # on the beat: unchanged
    assert [e.start - b for e, b in zip(performed[1::2], range(4), strict=True)] == pytest.approx([off_beat] * 4)
    assert all(a.end == pytest.approx(b.start) for a, b in pairwise(performed))


def test_swing_keeps_quarter_notes_and_warps_sixteenths_inside_the_beat():
    assert swing_time(2.0, 2.0) == 2.0
    assert swing_time(1.25, 2.0) == pytest.approx(1 + 1 / 3)


def test_accents_and_seeded_humanisation():
    events = [Event(0.0, 0.5, 60, 90), Event(0.5, 1.0, 62, 90)]
    accented = perform(events, accents=True)
    assert accented[1].velocity > accented[0].velocity
    human = perform(events, humanize=True, seed=3)
    assert human == perform(events, humanize=True, seed=3) != perform(events, humanize=True, seed=4)
    assert all(abs(h.start - e.start) <= 1 / 96 for h, e in zip(human, events, strict=True))


def test_humanising_one_note_does_not_depend_on_the_others():
    events = [Event(0.0, 0.5, 60, 90), Event(0.5, 1.0, 62, 90), Event(1.0, 1.5, 64, 90)]
    alone = perform(events[2:], humanize=True, seed=5)
    assert perform(events, humanize=True, seed=5)[2] == alone[0]
