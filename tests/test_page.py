"""The page, run by Streamlit's AppTest: real scores, real training, real FluidSynth; nothing mocked."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace

import pretty_midi
import pytest
from streamlit.testing.v1 import AppTest

from jazz_core import audio, labels, originality, pipeline, roll, session
from jazz_core.bundle import bundle_to_bytes, load_bundle
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.grammar import decode_values
from jazz_core.settings import DatasetSettings, GenerateSettings, ModelSettings, PlaybackSettings, TrainSettings
from jazz_core.training import kept_epoch
from tests.conftest import ROOT, midi_bytes

APP = str(ROOT / "streamlit_app.py")
TIMEOUT = 300  # seconds for one run of the script: training starts TensorFlow


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    at.run()
    assert not at.exception, at.exception
    return at


def train(at: AppTest) -> AppTest:
    """Click Train, wait for the training thread to end, and draw the page again as its timer would."""
    click(at, "train")
    run = at.session_state["run"]
    run.wait(TIMEOUT)
    assert not run.running, "training ended"
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.radio(key="music_source").set_value("A score of mine")
    at.run()
    at.file_uploader(key="score_upload").set_value((name, data, "audio/midi"))
    at.run()
    assert not at.exception, at.exception
    return at


def in_values(at: AppTest, count: int) -> AppTest:
    """Set the length in values (the page opens with it in choruses) and the number of values."""
    at.radio(key="length_unit").set_value("values")
    at.run()
    at.number_input(key="values").set_value(count)
    return at


def take_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if " notes · " in c.value)


def midi_parts(midi: bytes) -> list[str]:
    return [track.name for track in pretty_midi.PrettyMIDI(io.BytesIO(midi)).instruments]


def notes_by_bar(take) -> dict[int, list]:
    """The take's notes and rests by the bar (1-based) they start in."""
    starts = pipeline.bar_starts(take.progression, take.notes[-1].offset)
    bars: dict[int, list] = {}
    for note in take.notes:
        bar = next(i for i in range(len(starts) - 1) if starts[i] <= note.offset < starts[i + 1])
        bars.setdefault(bar + 1, []).append(note)
    return bars


def outside(take, bars: tuple[int, ...], spans_of=None) -> list:
    """The take's notes that start outside the time the given bars' notes took in `spans_of` (default: `take`):
    from a bar's first onset to the first onset after the bar."""
    source = (spans_of or take).notes
    by_bar = notes_by_bar(spans_of or take)
    spans = []
    for bar in bars:
        first = source.index(by_bar[bar][0])
        last = source.index(by_bar[bar][-1])
        end = source[last + 1].offset if last + 1 < len(source) else source[last].offset + source[last].duration
        spans.append((source[first].offset, end))
    return [n for n in take.notes if not any(start <= n.offset < end for start, end in spans)]


def comparison(at: AppTest, index: int = 0):
    """The metrics table of the index-th take on the page (newest first) as a DataFrame."""
    return at.table[index].value


def test_the_page_opens_with_three_sections_and_the_default_model():
    at = open_page()
    assert at.title[0].value == "Jazz LSTM Studio"
    assert [h.value for h in at.header] == ["Music", "Train", "Generate"]
    assert {b.label for b in at.button} >= {"Train", "Generate"}
    assert at.number_input(key="values").label == "Values to generate"
    assert at.number_input(key="values").value == 200
    assert any("Model in use: default" in m.value for m in at.markdown)
    assert not at.error
    # the new controls, with the course's (and the command line's) defaults
    play_over = at.selectbox(key="changes")
    assert play_over.label == "Play over" and play_over.value == "The changes it learnt from"
    assert play_over.options == ["The changes it learnt from", *PRESETS, "My own changes"]
    assert at.select_slider(key="swing").value == "straight"
    assert at.select_slider(key="swing").options == ["straight", "light", "medium", "hard"]
    assert [at.checkbox(key=k).value for k in ("humanize", "bass", "drums", "comping")] == [False] * 4
    assert [at.checkbox(key=k).label for k in ("bass", "drums", "comping")] == ["Walking bass", "Drums",
                                                                                   "Jazz comping"]
    assert any(e.label == "Feel and band" for e in at.expander)
    keep = at.checkbox(key="keep_best")
    assert keep.label == "Keep the epoch with the best validation loss" and not keep.value
    assert "the course keeps the last epoch" in keep.help.lower()


def test_generate_with_the_shipped_model():
    at = open_page()
    in_values(at, 60)
    at.selectbox(key="instrument").set_value("Tenor sax")
    click(at, "generate")
    assert not at.error
    assert len(at.get("audio")) == 1
    record = at.session_state["takes"][0]
    take = record.take
    assert len(take.values) == 60
    assert take.midi[:4] == b"MThd"
    assert take.playback.solo_program == 66
    assert record.sound.audio[:4] == b"fLaC" and record.sound.seconds > 1
    assert record.model == "default"
    assert at.subheader[0].value == "Take 1 · N = 60 · temperature 0.7 · seed 1"
    assert {b.label for b in at.get("download_button")} >= {"MIDI", "Audio (WAV)"}
    assert at.get("iframe"), "the piano roll is drawn"
    assert take.progression == load_bundle(ROOT / "assets" / "default_model").progression
    assert take_caption(at).endswith("Tenor sax at 130 bpm · over the changes it learnt from · straight eighths · "
                                     "piano chords · default model")
    assert midi_parts(take.midi) == ["Solo", "Chords"]

    # a second take goes on top; the first is kept, also across an unrelated rerun
    at.number_input(key="generate_seed").set_value(7)
    at.slider(key="temperature").set_value(1.0)
    click(at, "generate")
    at.run()
    assert [r.number for r in at.session_state["takes"]] == [2, 1]
    assert at.subheader[0].value == "Take 2 · N = 60 · temperature 1 · seed 7"
    assert [e.label for e in at.expander if e.label.startswith("Take ")] == [
        "Take 1 · N = 60 · temperature 0.7 · seed 1"]
    assert len(at.get("audio")) == 2


def test_drawing_the_takes_again_renders_encodes_and_builds_no_chart(monkeypatch):
    """Each take's audio (FLAC) and piano roll (plain data for the roll component) are made once, when the take
    is made or re-rolled, and kept in the session: a run of the page that makes no take renders and encodes nothing."""
    at = open_page()
    in_values(at, 30)
    click(at, "generate")
    click(at, "generate")
    calls = []

    def counted(owner, name):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            if not threading.current_thread().name.startswith(("warm-up", "kept-ogg")):  # the page's own background
                calls.append(name)
            return original(*args, **kwargs)
        monkeypatch.setattr(owner, name, wrapper)

    for owner, name in ((audio, "render"), (audio.RenderedAudio, "to_flac"), (audio.RenderedAudio, "to_ogg"),
                        (roll, "piano_roll")):
        counted(owner, name)
    at.run()
    assert not at.exception and len(at.get("audio")) == 2 and len(at.get("iframe")) == 2
    assert calls == []
    click(at, "generate")
    assert sorted(calls) == ["piano_roll", "render", "to_flac"]


@pytest.mark.slow
def test_train_three_epochs_then_generate_download_and_upload_the_model():
    at = open_page()
    at.number_input(key="epochs").set_value(3)
    train(at)
    assert not at.error
    run = at.session_state["run"]
    assert not run.running and len(run.history) == 3
    assert [r.epoch for r in run.history] == [1, 2, 3]
    model = at.session_state["model"]
    assert model.kind == "trained"
    assert model.bundle.settings["epochs_done"] == 3 and len(model.bundle.history) == 3
    assert at.success[0].value.startswith("Trained for 3 epochs")
    assert any("Model in use: trained" in m.value for m in at.markdown)

    in_values(at, 40)
    click(at, "generate")
    record = at.session_state["takes"][0]
    assert record.model == "trained" and len(record.take.values) == 40
    assert record.take.midi[:4] == b"MThd" and record.sound.audio[:4] == b"fLaC"

    # the bundle a user downloads can be loaded again, and then plays
    data = bundle_to_bytes(model.bundle)
    at.file_uploader(key="bundle_upload").set_value(("my-model.zip", data, "application/zip"))
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["model"].kind == "uploaded"
    assert any("Model in use: uploaded" in m.value for m in at.markdown)
    click(at, "generate")
    assert at.session_state["takes"][0].model == "uploaded"


def test_a_text_file_named_mid_gives_a_plain_error():
    at = open_page()
    at.radio(key="music_source").set_value("A score of mine")
    at.run()
    at.file_uploader(key="score_upload").set_value(("solo.mid", b"these are my notes, not a MIDI file\n",
                                                    "audio/midi"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This file is not music that can be read here: choose a MIDI (.mid), MusicXML (.xml, .musicxml, .mxl) "
        "or ABC (.abc) file."]
    assert at.button(key="train").disabled
    click(at, "generate")  # the rest of the page still works
    assert len(at.get("audio")) == 1


def test_a_damaged_model_bundle_gives_a_plain_error_and_keeps_the_model():
    at = open_page()
    at.file_uploader(key="bundle_upload").set_value(("model.zip", b"PK\x03\x04 not really a zip", "application/zip"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["This file is not a model bundle (a .zip saved by Jazz LSTM Studio)."]
    assert "model" not in at.session_state


def test_an_uploaded_midi_shows_its_parts_melody_and_values():
    solo = [(i * 0.5, 0.5, 60 + (i * 5) % 17) for i in range(64)]
    comping = [(bar * 4.0, 4.0, p) for bar in range(8) for p in (48, 52, 55, 58)]
    drums = [(i * 1.0, 0.25, 36) for i in range(32)]
    data = midi_bytes({"Sax": solo, "Piano": comping, "Kick": drums}, tempo=150.0, drums=("Kick",))
    at = open_page()
    at.radio(key="music_source").set_value("A score of mine")
    at.run()
    at.file_uploader(key="score_upload").set_value(("blues.mid", data, "audio/midi"))
    at.run()
    assert not at.exception and not at.error
    parts = at.dataframe[0].value
    assert list(parts["name"]) == ["Sax", "Piano", "Kick"]
    assert list(parts["role"]) == ["melody", "", "drums (not used)"]
    assert list(parts["drums"]) == [False, False, True]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Measures"] == "8" and metrics["Tempo"] == "150 bpm"
    assert int(metrics["Values"]) >= 60 and 0 < int(metrics["Unique values"]) <= int(metrics["Values"])
    origin = next(c.value for c in at.caption if "melody: part" in c.value)
    assert "melody: part 0 (Sax" in origin and "harmony: the accompaniment" in origin
    assert not at.checkbox(key=next(k for k in at.session_state if k.startswith("preset_"))).value
    assert not at.button(key="train").disabled

    # settings this music cannot satisfy: a plain sentence, and the model in use stays
    at.number_input(key="sequence_length").set_value(150)
    click(at, "train")
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Training did not start: This music gives only ")
    assert "sequence length 150" in errors[0]
    assert "model" not in at.session_state


def test_the_course_file_is_read_the_course_way(metheny_bytes):
    at = open_page()
    at.radio(key="music_source").set_value("A score of mine")
    at.run()
    at.file_uploader(key="score_upload").set_value(("original_metheny.mid", metheny_bytes, "audio/midi"))
    at.run()
    assert not at.exception and not at.error
    preset = next(c for c in at.checkbox if c.label == "Read as the course does (metheny preset)")
    assert preset.value, "the course's file is recognised and the preset suggested"
    assert len(at.dataframe[0].value) == 19
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Measures"] == "18"
    assert any("as the course reads it" in c.value for c in at.caption)
    preset.uncheck()
    at.run()  # the user may read it the general way instead
    assert {m.label: m.value for m in at.metric}["Measures"] != "18"
    origin = next(c.value for c in at.caption if "melody: part" in c.value)
    assert "melody: part 5 (Guitar" in origin and "as the course reads it" not in origin


def test_tensorflow_and_altair_are_not_imported_to_open_the_page_or_generate():
    """In a fresh interpreter: opening the page, generating a solo and loading the jazz model never import
    TensorFlow, nor Altair (the piano roll is plain data drawn by the page's own small component: nothing to import
    on the first click)."""
    code = textwrap.dedent(f"""
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({APP!r}, default_timeout={TIMEOUT})
        at.run()
        at.radio(key="length_unit").set_value("values")
        at.run()
        at.number_input(key="values").set_value(30)
        at.button(key="generate").click()
        at.run()
        assert not at.exception and len(at.session_state["takes"][0].take.values) == 30
        at.button(key="use_jazz").click()
        at.run()
        at.button(key="generate").click()
        at.run()
        assert not at.exception and at.session_state["takes"][0].model == "jazz"
        print("tensorflow imported:", "tensorflow" in sys.modules, "keras imported:", "keras" in sys.modules,
              "altair imported:", "altair" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "tensorflow imported: False keras imported: False altair imported: False" in result.stdout


def test_generate_over_a_preset_with_swing_and_the_band():
    at = open_page()
    at.selectbox(key="changes").set_value("12-bar blues in F")
    at.run()
    assert any(c.value.startswith("\\| F7 \\| Bb7 \\|") and "(12 bars)" in c.value for c in at.caption)
    in_values(at, 80)
    at.number_input(key="tempo").set_value(150)
    at.select_slider(key="swing").set_value("medium")
    for key in ("bass", "drums", "comping", "humanize"):
        at.checkbox(key=key).check()
    click(at, "generate")
    assert not at.error
    record = at.session_state["takes"][0]
    take = record.take
    assert take.progression == parse_changes(PRESETS["12-bar blues in F"])
    assert take.playback == PlaybackSettings(tempo_bpm=150.0, solo_program=26, chords=True, comping=True, bass=True,
                                             drums=True, swing="medium", humanize=True)
    assert midi_parts(take.midi) == ["Solo", "Chords", "Bass", "Drums"]
    assert record.sound.audio[:4] == b"fLaC"
    assert take_caption(at).endswith("at 150 bpm · over 12-bar blues in F · medium swing, humanized · "
                                     "comping piano, walking bass, drums · default model")
    # the piano roll is drawn over the blues, not over the ragtime the model learnt from
    drawing = roll.piano_roll(take.notes, take.progression, take.playback.tempo_bpm, record.copied)
    assert [r["chord"] for r in drawing.chords][:4] == ["F7", "Bb7", "F7", "F7"]


def test_my_own_changes_and_a_chord_that_cannot_be_read():
    at = open_page()
    at.selectbox(key="changes").set_value("My own changes")
    at.run()
    box = at.text_area(key="my_changes")
    assert box.placeholder == "| Dm7 G7 | Cmaj7 | % | A7b9 |" and "% repeats the bar before" in box.help
    in_values(at, 40)
    at.text_area(key="my_changes").set_value("| Dm7 G7 | Hmaj7 | % |")
    click(at, "generate")
    assert [e.value for e in at.error] == [
        "Bar 2: cannot read the chord 'Hmaj7'. Write chords like C, Cm7, F7, Bbmaj7, Am7b5, Bdim7, G7b9, D7#11, "
        "Gsus4 or G7alt."]
    assert "takes" not in at.session_state
    at.text_area(key="my_changes").set_value("")
    click(at, "generate")
    assert [e.value for e in at.error] == [  # shown as plain text: the bars' signs escaped from Markdown
        "No chords found: write bars between \\| signs, e.g. \\| Dm7 G7 \\| Cmaj7 \\|."]

    at.text_area(key="my_changes").set_value("| Dm7 G7 | Cmaj7 | % | A7b9 |")
    click(at, "generate")
    assert not at.error
    take = at.session_state["takes"][0].take
    assert take.progression == parse_changes("| Dm7 G7 | Cmaj7 | % | A7b9 |")
    assert "over your changes | Dm7 G7 | Cmaj7 | % | A7b9 | (4 bars)" in take_caption(at).replace("\\", "")


def test_rerolling_bars_replaces_the_take_in_place_and_keeps_every_other_bar():
    at = open_page()
    in_values(at, 80)
    click(at, "generate")
    before = at.session_state["takes"][0]
    bars = pipeline.take_bar_count(before.take)
    assert at.multiselect(key="reroll_bars_1").options == [str(b) for b in range(1, bars + 1)]
    assert at.button(key="reroll_1").disabled, "nothing chosen, nothing to re-roll"
    at.multiselect(key="reroll_bars_1").set_value([5, 3])
    at.run()
    click(at, "reroll_1")
    assert not at.error and not at.warning
    after = at.session_state["takes"][0]
    assert len(at.session_state["takes"]) == 1 and after.number == 1
    # the heading keeps one line; a badge under it says which bars were played again
    assert at.subheader[0].value == "Take 1 · N = 80 · temperature 0.7 · seed 1"
    assert [m.value for m in at.markdown if "badge[" in m.value] == [
        ":orange-badge[:material/casino: re-rolled bars 3, 5]"]
    old, new = notes_by_bar(before.take), notes_by_bar(after.take)
    assert new[3] != old[3] or new[5] != old[5]
    # every other bar is kept note for note: only the time bars 3 and 5 took is played again
    kept = outside(before.take, (3, 5))
    assert outside(after.take, (3, 5), spans_of=before.take) == kept
    assert len(kept) > 40 and old[1] == new[1] and old[bars] == new[bars]
    assert after.sound.audio[:4] == b"fLaC" and after.sound.audio != before.sound.audio
    bundle = load_bundle(ROOT / "assets" / "default_model")
    assert after.metrics == session.take_metrics(after.take, bundle.corpus)
    # the same seed and count give the same bars: re-rolling is repeatable
    again = pipeline.reroll(bundle, before.take, 2, pipeline.reroll_seed(1, 1))
    again = pipeline.reroll(bundle, again, 4, pipeline.reroll_seed(1, 2))
    assert again.notes == after.take.notes

    # another click plays the same bars again, with new seeds
    click(at, "reroll_1")
    third = at.session_state["takes"][0]
    assert third.rerolls == 4 and third.rerolled == (3, 5)
    assert outside(third.take, (3, 5), spans_of=before.take) == kept
    assert third.take.notes != after.take.notes

    # an older take, shown in an expander, is re-rolled in place too
    click(at, "generate")
    assert [r.number for r in at.session_state["takes"]] == [2, 1]
    at.multiselect(key="reroll_bars_1").set_value([1])
    at.run()
    click(at, "reroll_1")
    assert [r.number for r in at.session_state["takes"]] == [2, 1]
    assert at.session_state["takes"][1].rerolled == (1, 3, 5)
    assert any(e.label == "Take 1 · N = 80 · temperature 0.7 · seed 1 · re-rolled bars 1, 3, 5" for e in at.expander)
    assert at.session_state["takes"][0].rerolled == ()


def test_each_take_is_measured_beside_the_source():
    at = open_page()
    in_values(at, 100)
    at.slider(key="temperature").set_value(0.0)
    click(at, "generate")
    record = at.session_state["takes"][0]
    assert any(e.label == "How does this take compare with the source?" for e in at.expander)
    assert any("The source is the melody it learnt from, as written: the mean of 5 stretches of 100 values" in c.value
               for c in at.caption)
    table = comparison(at)
    assert list(table.columns) == ["measure", "source", "this take (T 0)"]
    assert list(table["measure"]) == [name for _, name in labels.METRIC_ROWS]
    expected = labels.metrics_rows(record.source, [("this take (T 0)", record.metrics)])
    assert table.to_dict("records") == expected
    assert record.source.what == "the melody it learnt from, as written" and record.source.values == 100

    # a second take at another temperature shows beside it, so the temperature's effect can be read off
    at.slider(key="temperature").set_value(1.0)
    click(at, "generate")
    newest, first = comparison(at, 0), comparison(at, 1)
    assert list(newest.columns) == ["measure", "source", "this take (T 1)", "take 1 (T 0)"]
    assert list(first.columns) == ["measure", "source", "this take (T 0)", "take 2 (T 1)"]
    assert list(newest["take 1 (T 0)"]) == list(first["this take (T 0)"])


def test_preflight_verdict_and_warnings_after_an_upload():
    solo = [(i * 0.5, 0.5, 60 + (i * 5) % 17) for i in range(64)]
    comping = [(bar * 4.0, 4.0, p) for bar in range(8) for p in (48, 52, 55, 58)]
    at = upload(open_page(), "blues.mid", midi_bytes({"Sax": solo, "Piano": comping}, tempo=150.0))
    assert not at.error and not at.warning
    assert len(at.success) == 1 and at.success[0].value.startswith("Ready: ")
    parts = at.dataframe[0].value
    assert list(parts.columns) == ["part", "name", "instrument", "notes", "range", "drums", "role", "looks like"]
    assert list(parts["range"]) == ["C4–E5", "C3–Bb3"] and list(parts["instrument"]) == ["Piano", "Piano"]

    # too little music for the sequence length: a warning that says what to do, and Train still offered
    short = midi_bytes({"Sax": solo[:12]})
    at.file_uploader(key="score_upload").set_value(("short.mid", short, "audio/midi"))
    at.run()
    assert not at.exception and not at.error and not at.success
    verdicts = [w.value for w in at.warning]
    assert verdicts[0].startswith("Too little music: 12 values, but a training window needs 31.")
    assert "set the sequence length to 11 or less" in verdicts[0]
    assert "No chords or accompaniment found" in verdicts[1]

    # no melody at all: the report's sentence as an error, and nothing to train on
    at.file_uploader(key="score_upload").set_value(("drums.mid", midi_bytes({"Kick": solo}, drums=("Kick",)),
                                                   "audio/midi"))
    at.run()
    assert [e.value for e in at.error] == [
        "This score has no pitched notes to learn from (it is empty or drums only). Choose a file with a melody."]
    assert at.button(key="train").disabled


@pytest.mark.slow
def test_keeping_the_best_epoch():
    at = open_page()
    at.number_input(key="epochs").set_value(6)
    at.checkbox(key="keep_best").check()
    train(at)
    assert not at.error
    run = at.session_state["run"]
    bundle = at.session_state["model"].bundle
    assert bundle.settings["training"]["keep_best"] is True and bundle.settings["epochs_done"] == 6
    kept = kept_epoch(run.history, True)
    best = min(r.validation_loss for r in run.history)
    assert at.success[0].value.endswith(
        f"It holds the weights of epoch {kept}, the lowest validation loss ({best:.3f}).")


@pytest.mark.slow
def test_two_sessions_do_not_see_each_others_music_models_or_takes():
    default = ROOT / "assets" / "default_model"
    alone = pipeline.generate(load_bundle(default), GenerateSettings(values=50))
    b = open_page()
    in_values(b, 50)
    click(b, "generate")
    assert b.session_state["takes"][0].take.midi == alone.midi

    solo = [(i * 0.5, 0.5, 60 + (i * 5) % 17) for i in range(96)]
    comping = [(bar * 4.0, 4.0, p) for bar in range(12) for p in (48, 52, 55, 58)]
    a = upload(open_page(), "a-blues.mid", midi_bytes({"Sax": solo, "Piano": comping}, tempo=150.0))
    a.number_input(key="epochs").set_value(2)
    a.number_input(key="sequence_length").set_value(20)
    train(a)
    assert a.session_state["model"].kind == "trained" and "a-blues" in a.session_state["model"].source
    in_values(a, 30)
    click(a, "generate")
    assert [r.number for r in a.session_state["takes"]] == [1]
    assert a.session_state["takes"][0].model == "trained"

    # B, run again after A's upload and training: still the built-in corpus, the default model, its own take
    b.run()
    assert not b.exception
    assert b.radio(key="music_source").value == "The built-in corpus"
    assert "model" not in b.session_state and "run" not in b.session_state
    assert any("Model in use: default" in m.value for m in b.markdown)
    assert {m.label: m.value for m in b.metric}["Measures"] == "118"
    assert [r.number for r in b.session_state["takes"]] == [1]
    assert b.session_state["takes"][0].take.midi == alone.midi
    assert b.number_input(key="epochs").value == 100 and b.number_input(key="sequence_length").value == 30
    # and B's next take still comes from the untouched shared default model
    b.number_input(key="generate_seed").set_value(1)
    click(b, "generate")
    assert [r.number for r in b.session_state["takes"]] == [2, 1]
    assert b.session_state["takes"][0].take.midi == alone.midi
    assert b.session_state["takes"][0].model == "default"
    # A still has its own
    a.run()
    assert a.session_state["model"].kind == "trained" and len(a.session_state["takes"]) == 1


def test_a_bar_held_over_from_the_bar_before_cannot_be_played_again_alone():
    at = open_page()
    in_values(at, 20)
    click(at, "generate")
    record = at.session_state["takes"][0]
    bundle = record.bundle
    values = ["C,8.000,<m3,m-3>", *record.take.values[:8]]  # a note held through bar 2, then what the model played
    notes = decode_values(values, record.take.progression, seed=1)
    held = pipeline.Take(tuple(values), tuple(notes), record.take.midi, record.take.seconds,
                         record.take.settings, record.take.playback, record.take.progression)
    at.session_state["takes"] = [replace(record, take=held)]
    at.run()
    at.multiselect(key="reroll_bars_1").set_value([2])
    at.run()
    click(at, "reroll_1")
    assert [w.value for w in at.warning] == [
        "Bar 2 has no notes of its own: a note from the bar before is held through it."]
    after = at.session_state["takes"][0]
    assert after.take is held and after.rerolled == () and after.rerolls == 1
    assert at.subheader[0].value == "Take 1 · N = 20 · temperature 0.7 · seed 1"
    # played again together with the bar before, bar 2 gets notes of its own (bars go in order)
    at.multiselect(key="reroll_bars_1").set_value([1, 2])
    at.run()
    click(at, "reroll_1")
    after = at.session_state["takes"][0]
    assert after.rerolled in ((1,), (1, 2)) and after.take.notes[-8:] == held.notes[-8:]
    assert bundle is after.bundle


def same_weights(a, b) -> bool:
    import numpy as np

    return all(np.array_equal(x, y) for x, y in zip(a.weights.arrays().values(), b.weights.arrays().values(),
                                                    strict=True))


@pytest.mark.slow
def test_the_training_seed_makes_the_model_that_pipeline_learn_makes(builtin_pieces):
    """Two seeds on the page, two models; each the very model `pipeline.learn` makes with the page's settings."""
    models = {}
    for seed in (3, 4):
        at = open_page()
        at.number_input(key="epochs").set_value(2)
        at.number_input(key="train_seed").set_value(seed)
        train(at)
        models[seed] = at.session_state["model"].bundle
        assert models[seed].settings["training"]["seed"] == seed == models[seed].settings["dataset"]["seed"]
    assert not same_weights(models[3], models[4])
    learnt = pipeline.learn(builtin_pieces, DatasetSettings(windows=60, sequence_length=30, seed=3),
                            ModelSettings(hidden_units=64), TrainSettings(epochs=2, learning_rate=0.01, seed=3))
    assert same_weights(models[3], learnt)


@pytest.mark.slow
def test_stop_on_the_page_keeps_the_weights_of_the_epoch_it_stopped_at(builtin_pieces):
    at = open_page()
    at.number_input(key="epochs").set_value(400)
    at.number_input(key="patience").set_value(400)  # no early stop: only Stop ends it
    at.number_input(key="hidden_units").set_value(16)
    click(at, "train")
    run = at.session_state["run"]
    while len(run.epochs()) < 2:
        assert run.running
        run.wait(0.05)
    click(at, "stop_training")
    run.wait(TIMEOUT)
    at.run()
    kept = len(run.history)
    assert 2 <= kept < 400 and at.success[0].value.startswith(f"Stopped after epoch {kept}; the model is kept")
    model = at.session_state["model"]
    assert model.kind == "trained" and model.bundle.settings["epochs_done"] == kept
    alone = pipeline.learn(builtin_pieces, DatasetSettings(), ModelSettings(hidden_units=16),
                           TrainSettings(epochs=kept, patience=400))
    assert same_weights(model.bundle, alone)


def test_an_unexpected_error_is_a_polite_sentence_and_a_traceback_in_the_log():
    """A bug (not a JazzError) in a section: the page says sorry in one sentence; the traceback goes to the log."""
    def page():
        import streamlit as st

        from sections.boundary import guarded

        def broken_section():
            st.write("before the bug")
            raise KeyError("a bug")

        guarded(broken_section)()
        st.write("the rest of the page")

    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Something went wrong on our side, not with your music or settings. The details are in the server's log; "
        "try again, or reload the page."]
    assert [m.value for m in at.markdown] == ["before the bug", "the rest of the page"]


def test_the_length_is_in_bars_or_choruses_and_ends_on_a_bar_line():
    at = open_page()
    assert at.radio(key="length_unit").value == "bars" and at.number_input(key="bars").value == 16
    assert at.number_input(key="values").disabled and at.number_input(key="values").label == "Values to generate"
    assert "Not the vocabulary size" in at.number_input(key="values").help
    click(at, "generate")
    take = at.session_state["takes"][0].take
    assert pipeline.take_bar_count(take) == 16 and take.notes[-1].offset + take.notes[-1].duration == 16 * 4.0
    assert at.subheader[0].value == f"Take 1 · 16 bars · N = {len(take.values)} · temperature 0.7 · seed 1"

    # two choruses of a 12-bar blues: exactly 24 bars, the last note ending on the form's last bar line
    at.selectbox(key="changes").set_value("12-bar blues in F")
    at.radio(key="length_unit").set_value("choruses")
    at.run()
    assert at.number_input(key="choruses").value == 2
    click(at, "generate")
    take = at.session_state["takes"][0].take
    assert pipeline.take_bar_count(take) == 24 and take.notes[-1].offset + take.notes[-1].duration == 96.0
    assert at.subheader[0].value.startswith("Take 2 · 2 choruses (24 bars) · N = ")
    assert any(": 24 bars. The red line follows the player" in c.value for c in at.caption)


def test_out_of_range_settings_are_said_and_never_replaced_by_others():
    at = in_values(open_page(), 999999)
    click(at, "generate")
    assert [e.value for e in at.error] == [
        "Nothing was generated: values to generate must be between 1 and 5000, not 999999."]
    assert "takes" not in at.session_state and at.number_input(key="values").value == 999999
    at.number_input(key="values").set_value(200)
    at.number_input(key="tempo").set_value(5)
    click(at, "generate")
    assert [e.value for e in at.error] == ["Nothing was generated: tempo must be between 20.0 and 400.0, not 5.0."]
    # the caps agree: no number of values the player cannot play at the chosen tempo
    at.number_input(key="tempo").set_value(40)
    at.number_input(key="values").set_value(5000)
    click(at, "generate")
    error = at.error[0].value
    assert error.startswith("Nothing was generated: 5000 values would last about ") and "Choose at most " in error
    assert "takes" not in at.session_state
    most = int(error.split("Choose at most ")[1].split()[0])
    at.number_input(key="values").set_value(most)
    click(at, "generate")
    assert not at.error and at.session_state["takes"][0].sound.audio[:4] == b"fLaC"
    at.radio(key="length_unit").set_value("choruses")
    at.run()
    at.number_input(key="choruses").set_value(0)
    click(at, "generate")
    assert at.error[0].value.startswith("Nothing was generated: 0 choruses cannot be played: at 40 bpm the player "
                                        "plays at most 10 minutes, which is 1 to ")


def test_a_take_is_played_again_in_place_with_other_playback_and_the_same_notes():
    at = in_values(open_page(), 60)
    click(at, "generate")
    at.multiselect(key="reroll_bars_1").set_value([2])
    at.run()
    click(at, "reroll_1")
    before = at.session_state["takes"][0]
    assert before.rerolled == (2,)
    at.number_input(key="replay_tempo_bpm_1").set_value(200)
    at.selectbox(key="replay_instrument_1").set_value("Trumpet")
    at.checkbox(key="replay_bass_1").check()
    click(at, "replay_go_1")
    assert not at.error and not at.warning
    after = at.session_state["takes"]
    assert len(after) == 1 and after[0].number == 1 and after[0].rerolled == (2,)
    take = after[0].take
    assert take.notes == before.take.notes and take.values == before.take.values  # the same notes, in beats
    assert take.playback == replace(before.take.playback, tempo_bpm=200.0, solo_program=56, bass=True)
    assert midi_parts(take.midi) == ["Solo", "Chords", "Bass"]
    assert pretty_midi.PrettyMIDI(io.BytesIO(take.midi)).get_tempo_changes()[1][0] == pytest.approx(200.0)
    assert after[0].sound.audio[:4] == b"fLaC" and after[0].sound.audio != before.sound.audio
    assert after[0].instrument == "Trumpet" and "Trumpet at 200 bpm" in take_caption(at)
    # a tempo out of range: said, and the take left as it was
    at.number_input(key="replay_tempo_bpm_1").set_value(1000)
    click(at, "replay_go_1")
    assert [w.value for w in at.warning] == ["Not played again: tempo must be between 20.0 and 400.0, not 1000.0."]
    assert at.session_state["takes"][0].take is take


def test_three_variants_from_one_click_with_three_seeds_side_by_side():
    at = in_values(open_page(), 40)
    at.selectbox(key="variants").set_value(3)
    at.number_input(key="generate_seed").set_value(7)
    click(at, "generate")
    takes = at.session_state["takes"]
    assert [(r.number, r.take.settings.seed) for r in takes] == [(3, 9), (2, 8), (1, 7)]
    assert len({r.take.values for r in takes}) == 3 and len(at.get("audio")) == 3
    assert [s.value for s in at.subheader] == [f"Take {n} · N = 40 · temperature 0.7 · seed {n + 6}"
                                               for n in (3, 2, 1)]  # all three open, newest first
    at.selectbox(key="variants").set_value(1)
    click(at, "generate")
    assert [s.value for s in at.subheader] == ["Take 4 · N = 40 · temperature 0.7 · seed 7"]
    assert at.session_state["takes"][0].take.values == takes[2].take.values  # seed 7 again


def test_the_model_family_is_a_training_setting_studio_by_default():
    at = open_page()
    family = at.selectbox(key="family")
    assert family.label == "Model family" and family.value == "studio" and family.options[:2] == [
        "Studio: learns the style (recommended)", "Course: the assignment's LSTM, exactly as taught"]
    at.number_input(key="epochs").set_value(3)
    train(at)
    run = at.session_state["run"]
    bundle = at.session_state["model"].bundle
    assert run.model.family == "studio" and bundle.family == "studio"
    assert bundle.settings["model"]["family"] == "studio"
    kept = kept_epoch(run.history, True)
    assert "The studio family always keeps its best epoch. It holds the weights of epoch " in at.success[0].value
    assert bundle.settings["kept_epoch"] == kept
    # under the loss chart: which epoch the kept model comes from
    assert any(c.value.startswith(originality.curve_note(run.history, kept)[:30]) for c in at.caption)
    assert f"The model kept is epoch {kept} of 3" in " ".join(c.value for c in at.caption)


@pytest.mark.slow
def test_a_course_model_that_memorises_says_so_and_marks_its_copied_notes():
    """The course family, 100 epochs on the built-in corpus, last epoch kept: it overfits, and its take says so."""
    at = open_page()
    at.selectbox(key="family").set_value("course")
    train(at)
    run = at.session_state["run"]
    bundle = at.session_state["model"].bundle
    assert bundle.family == "course" and len(run.history) == 100  # every epoch run, the last one kept
    assert "always keeps its best epoch" not in at.success[0].value
    notes = " ".join(c.value for c in at.caption)
    assert "The model kept is epoch 100 of 100" in notes
    click(at, "generate")
    record = at.session_state["takes"][0]
    assert record.copied == originality.copied_mask(record.take.values, bundle.corpus)
    assert len(record.copied) == len(record.take.notes)
    share = sum(record.copied) / len(record.copied)
    warnings = [w.value for w in at.warning if "note for note" in w.value]
    if share >= originality.MOSTLY:
        assert warnings == [originality.copy_verdict(record.take.values, bundle.corpus, "course")]
        assert "overfitting" in warnings[0] and "Keep best" in warnings[0]
    else:
        assert warnings == []
    assert share >= originality.MOSTLY, f"the course's last epoch copies most of its take ({share:.0%})"
    # the roll outlines exactly the copied notes (rests are not drawn)
    rows = record.chart["notes"]
    played = [flag for note, flag in zip(record.take.notes, record.copied, strict=True)
              if note.pitch is not None and note.duration > 0]
    assert [r["copied"] for r in rows] == played and any(played)


def test_the_jazz_model_is_one_click_away_with_its_credit():
    at = open_page()
    credit = next(c.value for c in at.caption if "Weimar Jazz Database" in c.value)
    assert "Jazzomat Research Project" in credit and "Franz Liszt Weimar" in credit and "MINGUS" in credit
    assert "Madaghiele, Lisena, Troncy, 2021" in credit and "Open Database License" in credit
    click(at, "use_jazz")
    model = at.session_state["model"]
    assert model.kind == "jazz" and model.bundle.family == "studio"
    shipped = load_bundle(ROOT / "assets" / "jazz_model")
    assert model.bundle.vocabulary.values == shipped.vocabulary.values and model.bundle.title == shipped.title
    assert any("Model in use: jazz" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.key == "use_jazz"], "no offer of the model already in use"
    click(at, "generate")
    record = at.session_state["takes"][0]
    assert record.model == "jazz" and record.sound.audio[:4] == b"fLaC"
    assert take_caption(at).endswith("jazz model")
    click(at, "use_default")
    assert "model" not in at.session_state



def test_continue_a_take_by_a_chorus_then_undo_it():
    at = open_page()
    at.selectbox(key="changes").set_value("12-bar blues in F")
    at.run()
    at.radio(key="length_unit").set_value("choruses")
    at.run()
    click(at, "generate")
    record = at.session_state["takes"][0]
    assert pipeline.take_bar_count(record.take) == 24
    at.number_input(key="more_1").set_value(2)
    click(at, "continue_1")
    longer = at.session_state["takes"][0]
    assert longer.number == 1 and len(at.session_state["takes"]) == 1
    assert pipeline.take_bar_count(longer.take) == 48 and longer.roll_bars == 48
    assert longer.take.values[:len(record.take.values)] == record.take.values
    assert longer.sound.audio != record.sound.audio and longer.sound.seconds > record.sound.seconds
    solo = pretty_midi.PrettyMIDI(io.BytesIO(longer.take.midi)).instruments[0]
    assert 47 < max(n.end for n in solo.notes) * 130 / 60 / 4 <= 48 + 1e-6
    assert at.subheader[0].value.startswith("Take 1 · 48 bars, continued")
    assert not at.button(key="undo_1").disabled
    click(at, "undo_1")
    back = at.session_state["takes"][0]
    assert back.take.values == record.take.values and back.sound.audio[:4] == b"fLaC"
    assert at.button(key="undo_1").disabled
    # a re-roll can be undone too
    at.multiselect(key="reroll_bars_1").set_value([3])
    at.run()
    click(at, "reroll_1")
    assert at.session_state["takes"][0].take.values != record.take.values
    click(at, "undo_1")
    assert at.session_state["takes"][0].take.values == record.take.values


def test_trading_fours_answers_an_uploaded_phrase_after_it():
    tones = (65, 69, 72, 75, 77, 75, 72, 69)
    phrase = midi_bytes({"Alto sax": [(i * 0.5, 0.5, tones[i % 8]) for i in range(32)]}, tempo=140.0)
    at = open_page()
    at.selectbox(key="changes").set_value("12-bar blues in F")
    at.run()
    at.file_uploader(key="phrase_upload").set_value(("my lick.mid", phrase, "audio/midi"))
    at.run()
    click(at, "answer")
    assert not at.error
    record = at.session_state["takes"][0]
    assert record.length == "your 4-bar phrase + a 4-bar answer" and pipeline.take_bar_count(record.take) == 8
    answer = [n for n in record.take.notes if n.offset >= 16.0]
    assert answer[0].offset == 16.0 and record.sound.audio[:4] == b"fLaC"
    assert [n.pitch for n in record.take.notes if n.offset < 16.0][:8] == list(tones)
    at.file_uploader(key="phrase_upload").set_value(("bad.mid", b"no MIDI here", "audio/midi"))
    at.run()
    click(at, "answer")
    assert at.error[0].value.startswith("No answer: This file is not music that can be read here")


def test_several_scores_one_refused_by_name_and_the_others_trained_on():
    solo = [(i * 0.5, 0.5, 60 + (i * 5) % 17) for i in range(64)]
    comping = [(bar * 4.0, 4.0, p) for bar in range(8) for p in (48, 52, 55, 58)]
    good = midi_bytes({"Sax": solo, "Piano": comping}, tempo=150.0)
    other = midi_bytes({"Trumpet": [(i * 0.5, 0.5, 62 + (i * 3) % 11) for i in range(48)]})
    at = open_page()
    at.radio(key="music_source").set_value("A score of mine")
    at.run()
    at.file_uploader(key="score_upload").set_value([("blues.mid", good, "audio/midi"),
                                                     ("../../etc/notes.mid", b"not a MIDI file at all\n", "audio/midi"),
                                                     ("tune.mid", other, "audio/midi")])
    at.run()
    assert not at.exception
    rows = at.dataframe[0].value
    assert list(rows["file"]) == ["blues.mid", "../../etc/notes.mid", "tune.mid"]
    assert list(rows["ready"]) == ["ready", "left out", "ready"]
    assert rows["chords found"][0].startswith("| ")
    assert [e.value for e in at.error] == [
        "../../etc/notes.mid is left out: This file is not music that can be read here: choose a MIDI (.mid), "
        "MusicXML (.xml, .musicxml, .mxl) or ABC (.abc) file."]
    verdict = at.success[0].value
    assert verdict.startswith("Ready: ") and "from 2 of 3 files" in verdict
    assert verdict.endswith("Left out: ../../etc/notes.mid.")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pieces"] == "2" and metrics["Measures"] == str(int(rows["measures"][0]) + int(rows["measures"][2]))
    assert int(metrics["Values"]) == int(rows["values"][0]) + int(rows["values"][2])
    at.number_input(key="epochs").set_value(2)
    train(at)
    bundle = at.session_state["model"].bundle
    assert bundle.measures_per_piece == (int(rows["measures"][0]), int(rows["measures"][2]))
    assert bundle.source_sha256 == pipeline.source_hash([good, other])
    assert at.session_state["model"].source == "trained here on blues.mid + tune.mid"


def test_the_page_says_which_reading_is_used_and_why_the_numbers_differ(metheny_bytes):
    at = upload(open_page(), "original_metheny.mid", metheny_bytes)
    note = next(c.value for c in at.caption if "reading:" in c.value)
    assert note.startswith("Course-exact reading: 193 values, 78 different, as in the course's notebook (193 and 78")
    at.checkbox(key=next(k for k in at.session_state if k.startswith("preset_"))).uncheck()
    at.run()
    note = next(c.value for c in at.caption if "reading:" in c.value)
    assert note.startswith("Improved reading: ") and "where the course's reading gives 193 and 78" in note
    values = {m.label: m.value for m in at.metric}["Values"]
    assert f"Improved reading: {values} values" in note
