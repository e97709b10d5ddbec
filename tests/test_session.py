"""The page's state as typed objects: training runs in their own thread, take records, the source's metrics.

Real training (TensorFlow), real FluidSynth, real re-rolls; no browser.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from dataclasses import replace

import numpy as np
import pytest
import soundfile

from jazz_core import evaluation, labels, pipeline, roll, session
from jazz_core.bundle import load_bundle
from jazz_core.changes import parse_changes
from jazz_core.errors import BadScoreError
from jazz_core.music import Chord, Measure, Note, Piece
from jazz_core.session import FAILED, FINISHED, STOPPED, TrainingRun
from jazz_core.settings import DatasetSettings, GenerateSettings, ModelSettings, TrainSettings
from jazz_core.training import EpochReport
from jazz_core.training_worker import NICENESS
from tests.conftest import ROOT

DEFAULT = ROOT / "assets" / "default_model"
C7 = Chord(0.0, (48, 52, 55, 58), (), "C7")
SMALL = (DatasetSettings(windows=20, sequence_length=20), ModelSettings(hidden_units=16))


def frames(encoded: bytes) -> int:
    return soundfile.info(io.BytesIO(encoded)).frames


def same_weights(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a.arrays().values(), b.arrays().values(), strict=True))


@pytest.mark.slow
def test_a_run_trains_in_its_own_thread_and_packs_what_learn_makes(builtin_pieces):
    training = TrainSettings(epochs=3, seed=4)
    run = TrainingRun.prepare(builtin_pieces, [], "the built-in corpus", *SMALL, training)
    assert run.running and run.progress() == (0.0, "Starting TensorFlow (a few seconds)…")
    run.start()
    run.wait(300)
    assert run.state == FINISHED and [r.epoch for r in run.history] == [1, 2, 3]
    assert run.values is None and run.windows is None  # the heavy parts are dropped once it has ended
    learnt = pipeline.learn(builtin_pieces, *SMALL, training)
    assert same_weights(run.bundle.weights, learnt.weights)
    assert run.bundle.settings == learnt.settings and run.bundle.corpus == learnt.corpus
    kind, text = run.notice()
    assert kind == "success" and text.startswith("Trained for 3 epochs in ") and "The new model is now in use" in text


@pytest.mark.slow
def test_stop_keeps_exactly_the_weights_of_the_epoch_it_stopped_at(builtin_pieces):
    long = TrainSettings(epochs=400, patience=400)  # no early stop: only Stop ends it
    run = TrainingRun.prepare(builtin_pieces, [], "the built-in corpus", *SMALL, long)
    run.start()
    deadline = time.monotonic() + 300
    while len(run.epochs()) < 2:
        assert time.monotonic() < deadline and run.running
        time.sleep(0.02)
    run.request_stop()
    assert run.progress()[1].endswith(" · stopping after this epoch")
    run.wait(60)
    kept = len(run.history)
    assert run.state == STOPPED and 2 <= kept < 400
    assert run.bundle.settings["epochs_done"] == kept and len(run.bundle.history) == kept
    best = min(run.history, key=lambda r: (r.validation_loss, r.epoch))  # the studio family keeps the best
    assert run.notice() == ("success", f"Stopped after epoch {kept}; the model is kept "
                                       f"(loss {run.history[-1].loss:.3f}). The studio family always keeps its best "
                                       f"epoch. It holds the weights of epoch {best.epoch}, the lowest validation loss "
                                       f"({best.validation_loss:.3f}).")
    # the very weights of epoch k: the same as training for k epochs from the start
    alone = pipeline.learn(builtin_pieces, *SMALL, replace(long, epochs=kept))
    assert same_weights(run.bundle.weights, alone.weights)
    assert not same_weights(run.bundle.weights, pipeline.learn(builtin_pieces, *SMALL,
                                                               replace(long, epochs=kept - 1)).weights)


@pytest.mark.slow
def test_tensorflow_trains_in_a_child_process_at_a_lower_priority_and_a_killed_child_is_a_failure(
        builtin_pieces, caplog):
    """Streamlit clears the Keras session after every script run once Keras is imported in the server: so
    the server never imports it; the child runs niced, and its death is reported, not waited on forever."""
    run = TrainingRun.prepare(builtin_pieces, [], "the built-in corpus", *SMALL, TrainSettings(epochs=2000,
                                                                                               patience=2000))
    run.start()
    deadline = time.monotonic() + 300
    while not run.epochs():
        assert time.monotonic() < deadline and run.running
        time.sleep(0.02)
    [child] = [p for p in multiprocessing.active_children() if p.name == "training"]
    assert child.pid != os.getpid()
    assert os.getpriority(os.PRIO_PROCESS, child.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + NICENESS)
    with caplog.at_level(logging.ERROR, logger="jazz_core.session"):
        os.kill(child.pid, signal.SIGKILL)
        run.wait(60)
    assert run.state == FAILED and run.bundle is None and run.notice()[0] == "error"
    assert "exit code -9" in caplog.text


@pytest.mark.slow
def test_the_server_process_never_imports_tensorflow_to_train(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(
        "import sys\n"
        "from jazz_core.reading import builtin_corpus\n"
        "from jazz_core.session import TrainingRun\n"
        "from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings\n"
        "run = TrainingRun.prepare(builtin_corpus(), [], 'b', DatasetSettings(windows=20, sequence_length=20),\n"
        "                          ModelSettings(hidden_units=16), TrainSettings(epochs=2))\n"
        "run.start(); run.wait(300)\n"
        "print(run.state, len(run.history), 'keras' in sys.modules, 'tensorflow' in sys.modules)\n")
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.split()[-4:] == ["finished", "2", "False", "False"], done.stderr[-2000:]


@pytest.mark.slow
def test_an_early_stop_says_so_and_names_the_epoch_it_keeps(builtin_pieces):
    run = TrainingRun.prepare(builtin_pieces, [], "the built-in corpus", *SMALL, TrainSettings(epochs=2000,
                                                                                               patience=3))
    run.start()
    run.wait(300)
    done, best = len(run.history), min(run.history, key=lambda r: (r.validation_loss, r.epoch))
    assert run.state == FINISHED and done < 2000 and done - best.epoch == 3
    kind, text = run.notice()
    assert kind == "success" and text.startswith(
        f"Stopped early after epoch {done} of 2000: the validation loss had not improved for 3 epochs (Patience).")
    assert text.endswith(f"It holds the weights of epoch {best.epoch}, the lowest validation loss "
                         f"({best.validation_loss:.3f}).")


def test_a_run_that_fails_says_sorry_and_logs_the_traceback(builtin_pieces, caplog):
    def broken(windows, model, training, on_epoch, should_stop):
        on_epoch(EpochReport(1, 5, 2.0, 0.1, None, None, 0.5))
        raise RuntimeError("a bug")

    run = TrainingRun.prepare(builtin_pieces, [], "the built-in corpus", *SMALL, TrainSettings(epochs=5))
    with caplog.at_level(logging.ERROR, logger="jazz_core.session"):
        run.run(broken)
    assert run.state == FAILED and run.bundle is None and not run.running
    assert run.notice() == ("error", "Training stopped: something went wrong on our side (the server log has the "
                                     "details). The model in use is unchanged.")
    assert "RuntimeError: a bug" in caplog.text


def test_music_that_cannot_be_trained_on_is_refused_before_a_thread_starts():
    piece = Piece("short", (Measure(4.0, tuple(Note(i * 0.5, 0.5, 60 + i) for i in range(8)), (C7,)),))
    with pytest.raises(BadScoreError, match=r"gives only 8 values, .* \(sequence length 30 \+ 1\)"):
        TrainingRun.prepare([piece], [], "one bar", DatasetSettings(), ModelSettings(), TrainSettings())


def test_no_time_left_is_guessed_before_a_few_epochs_are_timed(builtin_pieces):
    run = TrainingRun.prepare(builtin_pieces, [], "the built-in corpus", *SMALL, TrainSettings(epochs=100))
    run.record(EpochReport(1, 100, 2.5, 0.1, None, None, 2.0))  # the first epoch also builds the graph
    assert run.progress() == (0.01, "Epoch 1 of 100 · loss 2.500 · timing the first epochs")
    for epoch in (2, 3):
        run.record(EpochReport(epoch, 100, 2.0, 0.1, None, None, 2.0 + 0.1 * (epoch - 1)))
    assert run.progress()[1].endswith("timing the first epochs")
    run.record(EpochReport(4, 100, 1.9, 0.1, None, None, 2.3))
    assert run.progress()[1] == "Epoch 4 of 100 · loss 1.900 · about 10 s left"  # 0.1 s an epoch, 96 to go


def test_the_time_left_also_says_when_early_stopping_would_end_the_run(builtin_pieces):
    run = TrainingRun.prepare(builtin_pieces, [], "the built-in corpus", *SMALL, TrainSettings(epochs=100, patience=8))
    for epoch, validation in enumerate((3.0, 2.5, 2.0, 2.1, 2.2), start=1):  # the best so far: epoch 3
        run.record(EpochReport(epoch, 100, 2.0, 0.1, validation, 0.1, 2.0 + (epoch - 1)))  # 1 s an epoch
    assert run.progress()[1] == ("Epoch 5 of 100 · loss 2.000 · about 2 min left, about 6 s if the validation "
                                 "loss does not improve again")  # 95 epochs to go; early stop after epoch 11


# --- takes ----------------------------------------------------------------------------------

def test_a_take_record_holds_its_audio_roll_and_metrics():
    bundle = load_bundle(DEFAULT)
    take = pipeline.generate(bundle, GenerateSettings(values=60), progression=parse_changes("| C7 | F7 |"))
    record = session.take_record(1, take, bundle, None, "default", "Trumpet", "your changes")
    assert record.sound.audio[:4] == b"fLaC" and record.sound.seconds > 1 and record.sound.error is None
    drawing = roll.piano_roll(take.notes, take.progression, take.playback.tempo_bpm, record.copied)
    assert record.chart == drawing.data() and record.roll_bars == drawing.bar_count
    assert record.metrics == session.take_metrics(take, bundle.corpus)
    assert (record.rerolled, record.rerolls, record.notice, record.pieces) == ((), 0, None, None)
    assert session.wav_of(take)[:4] == b"RIFF"


def test_rerolled_records_keep_every_other_bar_and_count_their_seeds():
    bundle = load_bundle(DEFAULT)
    take = pipeline.generate(bundle, GenerateSettings(values=80))
    record = session.take_record(1, take, bundle, None, "default", "Trumpet", "the changes it learnt from")
    again = session.rerolled(record, [3, 1])
    assert again.rerolled == (1, 3) and again.rerolls == 2 and again.notice is None
    expected = pipeline.reroll(bundle, take, 0, pipeline.reroll_seed(1, 1))
    expected = pipeline.reroll(bundle, expected, 2, pipeline.reroll_seed(1, 2))
    assert again.take.notes == expected.notes
    assert again.sound.audio != record.sound.audio and again.metrics == session.take_metrics(again.take, bundle.corpus)
    bars = pipeline.take_bar_count(take)
    missing = session.rerolled(again, [bars + 5])
    assert missing.take is again.take and missing.rerolls == 3 and missing.rerolled == (1, 3)
    assert missing.notice.startswith(f"Bar {bars + 5} is not in this take") and missing.notice.endswith(".")


def test_takes_are_kept_newest_first_at_most_so_many_and_replaced_in_place():
    bundle = load_bundle(DEFAULT)
    take = pipeline.generate(bundle, GenerateSettings(values=8))
    records = [session.take_record(n, take, bundle, None, "default", "Trumpet", "x") for n in (1, 2, 3)]
    for record in records:  # each take's OGG is made in the background meanwhile (a listener takes longer)
        assert frames(record.sound.compact.result(60)) == frames(record.sound.audio)  # the same audio, as OGG
    takes = []
    for record in records:
        takes = session.with_take(takes, record, most=2)
    assert [r.number for r in takes] == [3, 2]
    changed = session.rerolled(takes[1], [1])
    assert [r for r in session.with_take(takes, changed, most=2)] == [takes[0], changed]
    # only the newest keeps its FLAC: an older take keeps its audio as a small OGG of the same length, made once
    assert [r.sound.format for r in takes] == ["audio/flac", "audio/ogg"]
    assert takes[1].sound.audio[:4] == b"OggS" and len(takes[1].sound.audio) < len(records[1].sound.audio) / 3
    assert takes[1].sound.seconds == records[1].sound.seconds
    newer = session.with_take(takes, session.take_record(4, take, bundle, None, "default", "Trumpet", "x"), most=3)
    newer[0].sound.compact.result(60)
    assert [r.sound.format for r in newer] == ["audio/flac", "audio/ogg", "audio/ogg"]
    assert newer[2].sound is takes[1].sound  # kept once, never encoded again


# --- the source's metrics -------------------------------------------------------------------

def test_a_take_whose_ogg_is_not_ready_keeps_its_flac_until_a_later_take_finds_it_ready():
    """The OGG of a kept take is made off the click path: a click never waits for it."""
    bundle = load_bundle(DEFAULT)
    take = pipeline.generate(bundle, GenerateSettings(values=8))
    first = session.take_record(1, take, bundle, None, "default", "Trumpet", "x")
    ogg, later = first.sound.compact.result(60), Future()
    first = replace(first, sound=replace(first.sound, compact=later))  # as if the encoder had not finished
    takes = session.with_take([], first, 24)
    takes = session.with_take(takes, session.take_record(2, take, bundle, None, "default", "Trumpet", "x"), 24)
    assert [r.sound.format for r in takes] == ["audio/flac", "audio/flac"] and takes[1].sound.audio[:4] == b"fLaC"
    later.set_result(ogg)
    takes = session.with_take(takes, session.take_record(3, take, bundle, None, "default", "Trumpet", "x"), 24)
    assert takes[2].sound.format == "audio/ogg" and takes[2].sound.audio is ogg and takes[2].sound.compact is None
    broken = Future()
    broken.set_exception(RuntimeError("encoder gone"))  # the background OGG failed: made here instead
    again = replace(takes[0].sound, compact=broken).kept()
    assert again.format == "audio/ogg" and again.audio[:4] == b"OggS"
    assert frames(again.audio) == frames(takes[0].sound.audio)


def test_source_profile_is_the_melody_as_written_when_the_scores_are_known(builtin_pieces):
    bundle = load_bundle(DEFAULT)
    profile = session.source_profile(bundle, builtin_pieces, 200)
    # the same numbers as evaluation.compare's source column
    line = evaluation.source_line(builtin_pieces)
    expected = evaluation.summarize([evaluation.measure(solo, bundle.corpus)
                                     for solo in evaluation.source_solos(line, 200, 5)])
    assert profile.metrics == {key: stats["mean"] for key, stats in expected.items()}
    assert (profile.windows, profile.values, profile.what) == (5, 200, "the melody it learnt from, as written")
    assert set(profile.metrics) == set(evaluation.METRICS)
    # longer than the corpus: capped at its length, as compare does
    assert session.source_profile(bundle, builtin_pieces, 5000).values == len(bundle.corpus)


def test_source_profile_without_the_scores_plays_the_training_values_over_their_chords(builtin_pieces):
    bundle = load_bundle(DEFAULT)
    profile = session.source_profile(bundle, None, 100)
    expected = evaluation.summarize([evaluation.measure(s, bundle.corpus)
                                     for s in evaluation.corpus_solos(bundle, 100, 5)])
    assert profile.metrics == {key: stats["mean"] for key, stats in expected.items()}
    assert profile.what == "its training values over their own chords"
    # scores that are not what the model learnt from are not taken for its source
    other = session.source_profile(bundle, builtin_pieces[:1], 100)
    assert other.what == "its training values over their own chords"
    assert session.source_profile(replace(bundle, corpus=()), None, 100) is None
    # the cache key tells sources apart
    keys = {session.source_key(bundle, None), session.source_key(bundle, builtin_pieces),
            session.source_key(bundle, builtin_pieces[:1]), session.source_key(replace(bundle, corpus=()), None)}
    assert len(keys) == 4 and session.source_key(bundle, None) == session.source_key(load_bundle(DEFAULT), None)


def test_take_metrics_and_the_comparison_table():
    bundle = load_bundle(DEFAULT)
    take = pipeline.generate(bundle, GenerateSettings(values=120, temperature=0.0))
    metrics = session.take_metrics(take, bundle.corpus)
    assert metrics == evaluation.measure(evaluation.Solo(take.notes, take.values, take.progression), bundle.corpus)
    source = session.source_profile(bundle, None, 120)
    rows = labels.metrics_rows(source, [("this take (T 0)", metrics), ("take 1 (T 1)", metrics)])
    assert [r["measure"] for r in rows] == [name for _, name in labels.METRIC_ROWS]
    assert {key for key, _ in labels.METRIC_ROWS} <= set(evaluation.METRICS)
    assert list(rows[0]) == ["measure", "source", "this take (T 0)", "take 1 (T 1)"]
    by_key = {key: row for (key, _), row in zip(labels.METRIC_ROWS, rows, strict=True)}
    assert by_key["longest_copy"]["source"] == "–"  # the source is the training music itself
    assert by_key["longest_copy"]["this take (T 0)"] == str(metrics["longest_copy"])
    assert by_key["C"]["this take (T 0)"] == f"{100 * metrics['C']:.0f}%"
    assert by_key["H1"]["source"] == f"{source.metrics['H1']:.2f}"
    assert by_key["notes_per_bar"]["source"] == f"{source.metrics['notes_per_bar']:.1f}"
    assert labels.metric_cell("GS", None) == "–"
    assert "source" not in labels.metrics_rows(None, [("t", metrics)])[0]


def test_a_take_record_keeps_which_notes_are_copied_and_its_roll_marks_them():
    from jazz_core import originality

    bundle = load_bundle(ROOT / "assets" / "default_model")
    take = pipeline.generate(bundle, GenerateSettings(values=60, temperature=0.3, seed=2))  # copies 6 values
    record = session.take_record(1, take, bundle, None, "default", "Trumpet", "x")
    assert record.copied == originality.copied_mask(take.values, bundle.corpus) and any(record.copied)
    rows = record.chart["notes"]
    assert [r["copied"] for r in rows] == [c for n, c in zip(take.notes, record.copied, strict=True)
                                           if n.pitch is not None and n.duration > 0]
    rerolled = session.rerolled(record, [2])
    assert rerolled.copied == originality.copied_mask(rerolled.take.values, bundle.corpus)
