"""Trading fours from a MIDI keyboard: where the browser offers Web MIDI, Record counts one bar in with a click,
then records 2, 4 or 8 bars at the form's tempo from the downbeat, and the notes come back as numbers
(keyboard.html/.css/.js here, a `st.components.v2` component, no CDN, no audio files: the clicks are synthesized
with Web Audio); `jazz_core.keyboard` makes them the MIDI file an upload would be."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


@cache
def _keyboard():
    """The component, registered once per process."""
    html, css, js = ((HERE / name).read_text() for name in ("keyboard.html", "keyboard.css", "keyboard.js"))
    return st.components.v2.component("jazz_midi_keyboard", html=html, css=css, js=js)


def keyboard_phrase(tempo_bpm: float, quarters_per_bar: float) -> object:
    """The component; what it sent in this run ({"notes": [...], "tempo": bpm}), else None."""
    result = _keyboard()(key="midi_keyboard", data={"tempo": tempo_bpm, "quarters_per_bar": quarters_per_bar},
                         on_phrase_change=_nothing)
    return result.phrase


def _nothing() -> None:
    """The phrase is read from the component's result in the same run."""
