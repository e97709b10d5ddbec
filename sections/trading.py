"""Trading fours on the page: the player's phrase (an upload, or played on a MIDI keyboard where the browser offers
Web MIDI) answered by the model in the bars after it, as a new take (`jazz_core.trading` does the music)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from jazz_core import keyboard, trading
from jazz_core.errors import JazzError
from jazz_core.reading import MAX_SCORE_BYTES
from jazz_core.session import take_record, with_take
from sections.boundary import plain, reading_slot
from sections.cache import read_piece, source_of
from sections.form import changes_words, last_used
from sections.keyboard import keyboard_phrase
from sections.model import ModelInUse, source_pieces
from sections.music import SCORE_TYPES
from sections.takes import MAX_TAKES


def answer_box(model: ModelInUse | None, changes: str) -> None:
    """Trading fours: the player's phrase (a short upload) answered by the model in the bars after it."""
    with st.expander("Trade fours: the model answers your phrase", icon=":material/forum:"):
        st.caption("Upload a phrase of 2 to 8 bars (MIDI or MusicXML), or play it on a MIDI keyboard: the model "
                   "listens to it over the first bars of the changes chosen above and answers in the bars after it, "
                   "with the form's tempo, temperature, seed and sound as last used for Generate.")
        upload = st.file_uploader("Your phrase", type=SCORE_TYPES, key="phrase_upload",
                                  max_upload_size=MAX_SCORE_BYTES // 1_000_000, help="Read in memory, never saved.")
        left, right = st.columns([1, 1], vertical_alignment="bottom")
        bars = left.number_input("Bars to answer", 1, 16, 4, key="answer_bars")
        clicked = right.button("Answer", key="answer", icon=":material/reply:", disabled=upload is None or not model)
        problem = None
        if clicked and upload is not None and model is not None:
            problem = answer(model, changes, upload.getvalue(), upload.name, int(bars))
        played = keyboard_phrase(float(st.session_state.get("tempo", 130)), bar_quarters(model, changes))
        if played is not None and model is not None:
            problem = answer_played(model, changes, played, int(bars))
        if problem:
            st.error(plain(problem))


def bar_quarters(model: ModelInUse | None, changes: str) -> float:
    """The first bar's length in quarters of the changes to answer over (4 when they cannot be read yet)."""
    try:
        return float(last_used(model, changes)[0][0].length) if model else 4.0
    except (JazzError, IndexError):
        return 4.0


def answer_played(model: ModelInUse, changes: str, message: object, bars: int) -> str | None:
    """The phrase played on the MIDI keyboard answered as an uploaded one is; else why not, in a sentence."""
    try:
        notes, tempo = keyboard.phrase_of(message)
        data = keyboard.phrase_midi(notes, tempo)
    except JazzError as error:
        return f"No answer: {error}"
    return answer(model, changes, data, "your keyboard phrase.mid", bars)


def answer(model: ModelInUse, changes: str, data: bytes, name: str, bars: int) -> str | None:
    """The phrase and the model's answer as a new take on top; else why not, in a sentence."""
    state = st.session_state
    try:
        with reading_slot():
            phrase, _ = read_piece(data, None, None, name.rsplit(".", 1)[0][:80] or "your phrase")
        measures, settings, sound, instrument = last_used(model, changes)
        with st.spinner("Listening to your phrase and answering…"):
            take, phrase_bars = trading.answered(model.bundle, phrase, measures, bars, settings, sound)
    except JazzError as error:  # unreadable phrase, too short or long, changes that cannot be read
        return f"No answer: {error}"
    number = state.get("take_count", 0) + 1
    state["take_count"] = number
    batch = state["batch_count"] = state.get("batch_count", 0) + 1
    pieces = source_pieces(model.bundle)
    with st.spinner("Rendering the audio with FluidSynth…"):
        record = take_record(number, take, model.bundle, pieces, model.kind, instrument,
                             changes_words(changes, state.get("my_changes")),
                             source_of(model.bundle, pieces, len(take.values)),
                             f"your {phrase_bars}-bar phrase + a {bars}-bar answer")
    state["takes"] = with_take(state.get("takes", []), replace(record, batch=batch), MAX_TAKES)
    return None
