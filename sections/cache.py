"""The page's expensive work, done once: shared read-only between sessions (`st.cache_resource`) or copied to
each caller (`st.cache_data`).

What is shared is never written to: the default bundle (frozen dataclasses, weight arrays write-protected)
and the built-in corpus (frozen dataclasses of tuples); FluidSynth's cached synths are locked inside
`jazz_core.audio`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from jazz_core import pipeline
from jazz_core.bundle import Bundle, load_bundle, read_only
from jazz_core.errors import JazzError
from jazz_core.reading import builtin_corpus, read_raw, read_score
from jazz_core.report import preflight, preflight_files
from jazz_core.session import SourceProfile, source_key, source_profile
from jazz_core.settings import AudioSettings, DatasetSettings, GenerateSettings, PlaybackSettings

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "assets" / "default_model"
JAZZ_MODEL = DEFAULT_MODEL.parent / "jazz_model"  # the studio model learnt from 340 Weimar Jazz Database solos
DEFAULT_VALUES = 200  # values to generate, as the page opens
BUILTIN_SOURCE = pipeline.source_hash([])  # a model learnt from the built-in corpus: no bytes of anyone's


@st.cache_resource(show_spinner=False)
def default_bundle() -> Bundle:
    return read_only(load_bundle(DEFAULT_MODEL))  # shared by every session: nobody may write to it


@st.cache_resource(show_spinner="Loading the jazz model…")
def jazz_bundle() -> Bundle:
    return read_only(load_bundle(JAZZ_MODEL))  # shared by every session, as the default one


@st.cache_resource(show_spinner=False)  # no spinner of its own: the warm-up thread reads it too
def corpus() -> tuple[tuple, tuple]:
    pieces = tuple(builtin_corpus())
    return pieces, tuple(tuple(pipeline.corpus_values([p])) for p in pieces)


@st.cache_data(max_entries=16, show_spinner="Reading the score…")
def raw_score(data: bytes, title: str):
    """The upload read once (music21 files in a child process); the two readings below reuse it."""
    return read_raw(data, title)


@st.cache_data(max_entries=16, show_spinner=False)
def read_piece(data: bytes, preset: str | None, melody: int | None, title: str):
    piece = read_score(data, preset=preset, melody=melody, title=title, raw=raw_score(data, title))
    return piece, tuple(pipeline.corpus_values([piece]))


@st.cache_data(max_entries=16, show_spinner="Checking what the score gives to learn from…")
def check_score(data: bytes, preset: str | None, melody: int | None, title: str, sequence_length: int):
    return preflight(data, preset, melody, DatasetSettings(sequence_length=sequence_length), title,
                     raw=raw_score(data, title))


@st.cache_data(max_entries=8, show_spinner="Checking what the scores give to learn from…")
def check_files(files: tuple[tuple[str, bytes], ...], sequence_length: int):
    """Several uploads read together: each file's preflight and the pieces of those that give music."""
    return preflight_files(files, None, None, DatasetSettings(sequence_length=sequence_length))


@st.cache_data(max_entries=64, show_spinner=False)
def measure_source(key: str, values: int, _bundle: Bundle, _pieces) -> SourceProfile | None:
    """The source measured at N values, once per source (named by `key`) and N for every session."""
    return source_profile(_bundle, _pieces, values)


def source_of(bundle: Bundle, pieces, values: int) -> SourceProfile | None:
    return measure_source(source_key(bundle, pieces), values, bundle, pieces)


@st.cache_resource(show_spinner=False)
def warm_up() -> None:
    """Pay the first Generate's one-off costs in the background, once per server, in two threads side by side:
    FluidSynth, its soundfont and the FLAC encoder; the built-in corpus (music21, about a second, which the
    first run of the page waits for before a click can be answered) and the source's metrics at the default N."""
    try:
        bundle = default_bundle()
    except JazzError:
        return

    def audio() -> None:
        from jazz_core.audio import render

        try:
            take = pipeline.generate(bundle, GenerateSettings(values=4), PlaybackSettings(chords=False))
            render(take.midi, AudioSettings(chords=False, tail_seconds=0.0)).to_flac()
        except JazzError:
            pass  # the first real render will say what is wrong

    def music() -> None:
        try:
            pieces = corpus()[0]  # the page's own caches: the script's calls wait for these, never read twice
        except JazzError:
            return  # the Music section will say what is wrong
        source_of(bundle, pieces if bundle.source_sha256 == BUILTIN_SOURCE else None, DEFAULT_VALUES)

    for work in (music, audio):
        threading.Thread(target=work, name=f"warm-up-{work.__name__}", daemon=True).start()
