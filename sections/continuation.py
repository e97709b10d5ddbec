"""Continue a take by whole choruses, the LSTM state carried on from its last note, and undo the last re-roll or
continuation of a take. A click is acted on before the takes are drawn (as Re-roll is), so the page shows the
longer take at once; the take before the change is kept without its audio (rendered again on Undo)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from jazz_core import pipeline, trading
from jazz_core.errors import JazzError
from jazz_core.session import Sound, TakeRecord, most_bars, retaken, sound_of, with_take
from sections.cache import source_of

UNDO = "undo_points"  # st.session_state: take number -> the record before its last re-roll or continuation


def remember(record: TakeRecord) -> None:
    """Keep the take as it is now, to go back to it with Undo (one step per take; its audio is not kept)."""
    st.session_state.setdefault(UNDO, {})[record.number] = replace(record, sound=Sound(None, record.sound.seconds))


def take_actions(record: TakeRecord) -> None:
    """Choruses to add, Continue from this one, and Undo, on one row under the take's re-roll."""
    number = record.number
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    left.number_input("Choruses to add", 1, 8, 1, key=f"more_{number}",
                      help=f"Times through the changes ({len(record.take.progression)} bars each) added at the end.")
    middle.button("Continue from this one", key=f"continue_{number}", icon=":material/playlist_add:",
                  width="stretch", help="The model goes on from the take's last note, its memory of the take "
                                        "carried on: every bar already played stays as it is.")
    right.button("Undo", key=f"undo_{number}", icon=":material/undo:", width="stretch",
                 disabled=number not in st.session_state.get(UNDO, {}),
                 help="Back to the take as it was before its last re-roll or continuation.")


def apply_take_actions(takes: list[TakeRecord], most: int) -> None:
    """Act on a Continue or Undo clicked in the last run, if any."""
    for record in takes:
        if st.session_state.get(f"continue_{record.number}"):
            keep(continued(record), most)
            return
        if st.session_state.get(f"undo_{record.number}") and record.number in st.session_state.get(UNDO, {}):
            before = st.session_state[UNDO].pop(record.number)
            with st.spinner("Going back…"):
                keep(replace(before, sound=sound_of(before.take), rerolls=record.rerolls), most)
            return


def keep(record: TakeRecord, most: int) -> None:
    st.session_state["takes"] = with_take(st.session_state.get("takes", []), record, most)


def continued(record: TakeRecord) -> TakeRecord:
    """The take with the asked choruses added, or the same take with a notice that says why not."""
    choruses = int(st.session_state.get(f"more_{record.number}") or 1)
    bars = pipeline.take_bar_count(record.take) + choruses * len(record.take.progression)
    most = most_bars(record.take.progression, record.take.playback.tempo_bpm)
    if bars > most:
        return replace(record, notice=f"Not continued: {bars} bars at {record.take.playback.tempo_bpm:g} bpm is "
                                      f"more than the player plays (at most {most} bars at this tempo).")
    seed = pipeline.reroll_seed(record.take.settings.seed, record.rerolls + 1)
    try:
        with st.spinner(f"Improvising {choruses} more chorus{'es' if choruses > 1 else ''}…"):
            longer = retaken(record, trading.continued(record.bundle, record.take, choruses, seed))
    except JazzError as error:
        return replace(record, notice=f"Not continued: {error}")
    remember(record)
    take = longer.take
    return replace(longer, notice=None, rerolls=record.rerolls + 1,
                   source=source_of(record.bundle, record.pieces, len(take.values)),
                   length=f"{pipeline.take_bar_count(take)} bars, continued")
