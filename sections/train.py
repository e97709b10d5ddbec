"""Section 2, Train: the training settings, Train and Stop, the progress and the loss chart, the model box.

Training runs in a worker thread owned by the session (`jazz_core.session.TrainingRun`), never in a run of
the script: the progress and the chart are a fragment redrawn on a timer while it runs, so every other
control stays usable and only Stop ends it. When the run ends, the fragment asks for a run of the whole
page, whose first step (`adopt_ended_run`) makes the new model the one in use.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from jazz_core.errors import JazzError
from jazz_core.session import TrainingRun
from jazz_core.settings import (
    MAX_EPOCHS,
    MAX_HIDDEN_UNITS,
    MAX_SEQUENCE_LENGTH,
    MAX_WINDOWS,
    DatasetSettings,
    ModelSettings,
    TrainSettings,
)
from sections.boundary import plain
from sections.model import activate, family_field, model_box
from sections.originality import loss_chart

SEED_MAX = 2**31 - 1
UI_EVERY = 0.5  # seconds between redraws of the progress while training (every epoch is still recorded)


def adopt_ended_run() -> None:
    """Once per run that has ended: its model becomes the one in use, and its notice is kept for the page."""
    run = st.session_state.get("run")
    if run is None or run.running or st.session_state.get("adopted") is run:
        return
    st.session_state["adopted"] = run
    st.session_state["train_notice"] = run.notice()
    if run.bundle is not None:
        activate(run.bundle, "trained", f"trained here on {run.title}", run.pieces)


def training_settings() -> Callable[[], tuple[DatasetSettings, ModelSettings, TrainSettings]]:
    """The form's fields; the callable makes them settings (a SettingsError names a value out of range)."""
    family = family_field()
    with st.expander("Training settings", icon=":material/tune:"):
        c1, c2, c3 = st.columns(3)
        epochs = c1.number_input("Epochs", 1, MAX_EPOCHS, 100, key="epochs",
                                 help="Passes over the training windows (the course: 100).")
        hidden = c2.number_input("Hidden units", 1, MAX_HIDDEN_UNITS, 64, key="hidden_units",
                                 help="n_a, the size of the LSTM's memory (the course: 64).")
        length = c3.number_input("Sequence length", 2, MAX_SEQUENCE_LENGTH, 30, key="sequence_length",
                                 help="Tx, values in each training window (the course: 30).")
        rate = c1.number_input("Learning rate", 0.00001, 1.0, 0.01, step=0.001, format="%g", key="learning_rate",
                               help="Adam's step size (the course: 0.01).")
        windows = c2.number_input("Training windows", 2, MAX_WINDOWS, 60, key="windows",
                                  help="m, how many windows are cut from the music (the course: 60).")
        seed = c3.number_input("Seed", 0, SEED_MAX, 0, key="train_seed",
                               help="Same seed and settings, same windows and starting weights: the same model.")
        patience = c1.number_input("Patience", 1, MAX_EPOCHS, 8, key="patience",
                                   help="Stop early once the validation loss has not improved for this many "
                                        "epochs (the best epoch is kept). As many as Epochs: train them all.")
        keep_best = st.checkbox(
            "Keep the epoch with the best validation loss", value=False, key="keep_best",
            help="The course keeps the last epoch: the model that follows the training music most closely. "
                 "On is the epoch that best predicted the music held out for validation, often an early one: "
                 "less copying of the source, but less of its style learnt too.")
    return lambda: (DatasetSettings(windows=int(windows), sequence_length=int(length), seed=int(seed)),
                    ModelSettings(hidden_units=int(hidden), family=family),
                    TrainSettings(epochs=int(epochs), learning_rate=float(rate), seed=int(seed),
                                  keep_best=bool(keep_best), patience=int(patience)))


def start_run(music, settings) -> str:
    """Prepare the windows and start training in the background (then draw the page again); else why not."""
    pieces, sources, title = music
    try:
        with st.spinner("Encoding the music and cutting the training windows…"):  # shown after half a second
            run = TrainingRun.prepare(pieces, sources, title, *settings())
    except JazzError as error:  # the music gives too little, or a setting is out of range (SettingsError)
        return f"Training did not start: {error}"
    st.session_state["run"] = run
    st.session_state.pop("train_notice", None)
    run.start()
    st.rerun()  # the whole page again: Train disabled, the progress fragment on its timer


def train_section(music) -> None:
    st.header("Train", divider="gray")
    st.caption("Fit an LSTM to the music above: it learns which grammar value tends to come next. "
               "The default model is already trained, so you can skip to Generate. Training goes on in the "
               "background: the rest of the page stays yours.")
    run = st.session_state.get("run")
    running = run is not None and run.running
    with st.form("train_form", border=False):
        settings = training_settings()
        clicked = st.form_submit_button("Train", type="primary", key="train", disabled=music is None or running,
                                        icon=":material/model_training:",
                                        help="Training is going on: Stop it first." if running else None)
    problem = start_run(music, settings) if clicked and music is not None and not running else None
    if problem:
        st.error(plain(problem))
    run = st.session_state.get("run")
    if run is not None and run.running:
        st.fragment(training_progress, run_every=UI_EVERY)()
    else:
        show_ended_run(run)
    model_box()


def training_progress() -> None:
    """The running run's progress, Stop and loss chart, redrawn on a timer; a whole-page run once it ends."""
    run = st.session_state.get("run")
    if run is None:
        return
    if not run.running:
        st.rerun()  # the whole page: the new model is in use, Train is offered again
    fraction, text = run.progress()
    st.progress(fraction, text=text)
    st.button("Stop", key="stop_training", on_click=run.request_stop, icon=":material/stop_circle:",
              disabled=run.stop_requested,
              help="End training after the current epoch and keep the model as it stands.")
    history = run.epochs()
    if history:
        loss_chart(history, run.model, run.training)


def show_ended_run(run: TrainingRun | None) -> None:
    notice = st.session_state.get("train_notice")
    if notice:
        {"success": st.success, "warning": st.warning}.get(notice[0], st.error)(notice[1])
    if run is not None and run.history:
        loss_chart(run.history, run.model, run.training)
