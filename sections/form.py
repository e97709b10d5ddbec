"""What the Generate form holds, for the sections that use it: the changes chosen (the model's own, a preset
or the user's), what was asked for, and the form's settings as last used (trading fours and practice)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from jazz_core.changes import PRESETS, parse_changes
from jazz_core.labels import INSTRUMENTS, changes_preview
from jazz_core.music import Measure
from jazz_core.settings import GenerateSettings, PlaybackSettings
from sections.model import ModelInUse

OWN_CHANGES, MY_CHANGES = "The changes it learnt from", "My own changes"


@dataclass(frozen=True)
class Asked:
    """What the form asks to be played over and for how long."""

    changes: str
    typed: str | None
    unit: str  # choruses, bars or values
    count: float  # choruses or bars
    values: float


def changes_words(changes: str, typed: str | None) -> str:
    """What a take was played over, in words for its caption."""
    if changes == OWN_CHANGES:
        return "the changes it learnt from"
    return changes if changes in PRESETS else "your changes " + changes_preview(typed or "", bars=4)


FEEL_DEFAULTS = {"swing": "straight", "humanize": False, "bass": False, "drums": False, "comping": False}


def last_used(model: ModelInUse, changes: str) -> tuple:
    """(measures, GenerateSettings, PlaybackSettings, instrument) from the form as last used for Generate, for
    trading fours and practice; a JazzError says which changes or setting cannot be used."""
    state = st.session_state
    measures = model.bundle.progression if changes == OWN_CHANGES else progression_of(
        Asked(changes, state.get("my_changes"), "bars", 0, 0))
    settings = GenerateSettings(temperature=float(state.get("temperature", 0.7)),
                                seed=int(state.get("generate_seed", 1)))
    instrument = state.get("instrument", next(iter(INSTRUMENTS)))
    sound = PlaybackSettings(tempo_bpm=float(state.get("tempo", 130)), solo_program=INSTRUMENTS[instrument],
                             chords=bool(state.get("chords", True)),
                             **{k: state.get(k, v) for k, v in FEEL_DEFAULTS.items()})
    return measures, settings, sound, instrument


def progression_of(asked: Asked) -> tuple[Measure, ...]:
    """The measures of a preset or of the typed changes (a JazzError names what cannot be read)."""
    return parse_changes(PRESETS.get(asked.changes, asked.typed or ""))
