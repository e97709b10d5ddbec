"""The page, run by Streamlit's AppTest: real scores, real training, real FluidSynth; nothing mocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from jazz_core.bundle import bundle_to_bytes
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


def test_the_page_opens_with_three_sections_and_the_default_model():
    at = open_page()
    assert at.title[0].value == "Jazz LSTM Studio"
    assert [h.value for h in at.header] == ["1 · Music", "2 · Train", "3 · Generate"]
    assert {b.label for b in at.button} >= {"Train", "Generate"}
    assert at.number_input(key="values").label == "Values to generate"
    assert at.number_input(key="values").value == 200
    assert any("Model in use: default" in m.value for m in at.markdown)
    assert not at.error


def test_generate_with_the_shipped_model():
    at = open_page()
    at.number_input(key="values").set_value(60)
    at.selectbox(key="instrument").set_value("Tenor sax")
    click(at, "generate")
    assert not at.error
    assert len(at.get("audio")) == 1
    record = at.session_state["takes"][0]
    take = record["take"]
    assert len(take.values) == 60
    assert take.midi[:4] == b"MThd"
    assert take.playback.solo_program == 66
    assert record["ogg"][:4] == b"OggS" and record["seconds"] > 1
    assert record["model"] == "default"
    assert at.subheader[0].value == "Take 1 · N = 60 · temperature 0.7 · seed 1"
    assert {b.label for b in at.get("download_button")} >= {"MIDI", "Audio (WAV)"}
    assert at.get("vega_lite_chart"), "the piano roll is drawn"

    # a second take goes on top; the first is kept, also across an unrelated rerun
    at.number_input(key="generate_seed").set_value(7)
    at.slider(key="temperature").set_value(1.0)
    click(at, "generate")
    at.run()
    assert [r["number"] for r in at.session_state["takes"]] == [2, 1]
    assert at.subheader[0].value == "Take 2 · N = 60 · temperature 1 · seed 7"
    assert at.expander[-1].label == "Take 1 · N = 60 · temperature 0.7 · seed 1"
    assert len(at.get("audio")) == 2


@pytest.mark.slow
def test_train_three_epochs_then_generate_download_and_upload_the_model():
    at = open_page()
    at.number_input(key="epochs").set_value(3)
    click(at, "train")
    assert not at.error
    run = at.session_state["run"]
    assert run["closed"] and len(run["history"]) == 3
    assert [r.epoch for r in run["history"]] == [1, 2, 3]
    model = at.session_state["model"]
    assert model["kind"] == "trained"
    assert model["bundle"].settings["epochs_done"] == 3 and len(model["bundle"].history) == 3
    assert at.success[0].value.startswith("Trained for 3 epochs")
    assert any("Model in use: trained" in m.value for m in at.markdown)

    at.number_input(key="values").set_value(40)
    click(at, "generate")
    record = at.session_state["takes"][0]
    assert record["model"] == "trained" and len(record["take"].values) == 40
    assert record["take"].midi[:4] == b"MThd" and record["ogg"][:4] == b"OggS"

    # the bundle a user downloads can be loaded again, and then plays
    data = bundle_to_bytes(model["bundle"])
    at.file_uploader(key="bundle_upload").set_value(("my-model.zip", data, "application/zip"))
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["model"]["kind"] == "uploaded"
    assert any("Model in use: uploaded" in m.value for m in at.markdown)
    click(at, "generate")
    assert at.session_state["takes"][0]["model"] == "uploaded"


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


def test_tensorflow_is_not_imported_to_open_the_page_or_generate():
    """In a fresh interpreter: opening the page and generating a solo never import TensorFlow."""
    code = textwrap.dedent(f"""
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({APP!r}, default_timeout={TIMEOUT})
        at.run()
        at.number_input(key="values").set_value(30)
        at.button(key="generate").click()
        at.run()
        assert not at.exception and len(at.session_state["takes"][0]["take"].values) == 30
        print("tensorflow imported:", "tensorflow" in sys.modules, "keras imported:", "keras" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "tensorflow imported: False keras imported: False" in result.stdout
