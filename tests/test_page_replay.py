"""'Play it differently' on the page (AppTest): transposing a take in place, its roll redrawn for the new sound."""

from __future__ import annotations

from jazz_core import roll, transpose
from tests.test_page import click, in_values, open_page


def test_a_take_is_transposed_in_place_its_key_named_and_its_roll_follows_the_new_tempo():
    at = in_values(open_page(), 60)
    click(at, "generate")
    before = at.session_state["takes"][0]
    at.number_input(key="replay_transpose_1").set_value(3)
    at.number_input(key="replay_tempo_bpm_1").set_value(100)
    click(at, "replay_go_1")
    assert not at.error and not at.warning
    (after,) = at.session_state["takes"]
    assert after.number == 1 and after.transposed == 3 and after.take.values == before.take.values
    assert [n.pitch for n in after.take.notes] == [None if n.pitch is None else n.pitch + 3 for n in before.take.notes]
    key = transpose.key_name(after.take.progression)
    badge = f":blue-badge[:material/swap_vert: transposed up 3 semitones: now in {key}]"
    assert badge in [m.value for m in at.markdown]
    # the roll is drawn again: the moved notes, and a quarter as long as at the new tempo
    assert after.chart == roll.piano_roll(after.take.notes, after.take.progression, 100).data()
    assert after.chart["seconds_per_quarter"] == 0.6
    # back to the key it was made in: the same notes as made; the field says where the take is now
    assert at.number_input(key="replay_transpose_1").value == 3
    at.number_input(key="replay_transpose_1").set_value(0)
    click(at, "replay_go_1")
    (back,) = at.session_state["takes"]
    assert back.transposed == 0 and back.take.notes == before.take.notes
    # the field is where the take should be, not a step: 5 after 0 is 5 up from the take as made
    at.number_input(key="replay_transpose_1").set_value(5)
    click(at, "replay_go_1")
    assert [n.pitch for n in at.session_state["takes"][0].take.notes] == [
        None if n.pitch is None else n.pitch + 5 for n in before.take.notes]


def test_chords_typed_without_bar_lines_are_said_to_be_one_bar():
    at = in_values(open_page(), 20)
    at.selectbox(key="changes").set_value("My own changes")
    at.run()
    at.text_area(key="my_changes").set_value("Dm7 G7 Cmaj7")
    click(at, "generate")  # the first click says it and plays nothing
    assert not at.error and "takes" not in at.session_state
    (warning,) = at.warning
    assert warning.value.startswith("Not played yet. No bar lines: the 3 chords are read as one bar")
    assert warning.value.endswith("Click again to play them as one bar.")
    click(at, "generate")  # the next one plays them as one bar, the sentence still under the field
    assert not at.error and not at.warning and len(at.session_state["takes"]) == 1
    assert len(at.session_state["takes"][0].take.progression) == 1
    assert any(c.value.startswith("No bar lines: the 3 chords are read as one bar") for c in at.caption)


def test_practice_starts_a_run_with_the_forms_settings_and_stop_ends_it():
    at = open_page()
    at.selectbox(key="changes").set_value("12-bar blues in F")
    at.run()
    at.number_input(key="tempo").set_value(160)
    click(at, "practice")
    run = at.session_state["practice_run"]
    assert not at.error and not run.stopped
    assert run.playback.tempo_bpm == 160 and len(run.measures) == 12 and run.settings.seed == 1
    assert any("Practice mode: chorus after chorus over 12-bar blues in F" in c.value for c in at.caption)
    click(at, "practice_stop")
    run.wait(30)
    assert run.stopped and not run.thread.is_alive() and run.error is None
    assert "practice_stop" not in [b.key for b in at.button] and not at.warning


def test_practice_over_changes_it_cannot_read_says_why_and_starts_nothing():
    at = open_page()
    at.selectbox(key="changes").set_value("My own changes")
    at.run()
    at.text_area(key="my_changes").set_value("| C7 | Q9 |")
    click(at, "practice")
    assert "practice_run" not in at.session_state
    (error,) = at.error
    assert error.value.startswith("Practice did not start:") and "Q9" in error.value
