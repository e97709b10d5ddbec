"""The session's takes, newest first: each with its caption, player, piano roll, bars to re-roll, downloads
and its metrics beside the source's. Every record is a `jazz_core.session.TakeRecord`, drawn as it was made."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from jazz_core import labels, pipeline
from jazz_core.session import TakeRecord, rerolled, wav_of, with_take
from sections.boundary import plain
from sections.cache import source_of
from sections.continuation import apply_take_actions, remember, take_actions
from sections.originality import copy_warning
from sections.replay import apply_replays, replay_form, transposition_text
from sections.roll import show_roll
from sections.score import show_score

MAX_TAKES = 24  # takes kept in the session, newest first


def show_takes() -> None:
    """Act on a Re-roll clicked in the last run first (so the page shows the new take at once), then draw."""
    takes = st.session_state.get("takes", [])
    for record in takes:
        bars = st.session_state.get(f"reroll_bars_{record.number}")
        if bars and st.session_state.get(f"reroll_{record.number}"):
            reroll(record, bars)
            break
    apply_replays(st.session_state.get("takes", []), MAX_TAKES)
    apply_take_actions(st.session_state.get("takes", []), MAX_TAKES)
    takes = st.session_state.get("takes", [])
    if not takes:
        st.info("Click **Generate** to hear the model improvise.")
    for index, record in enumerate(takes):
        if index == 0 or record.batch == takes[0].batch:  # the newest click's takes (its variants) in full
            with st.container(border=True):
                st.subheader(take_label(record, with_bars=False))
                if record.rerolled:  # on a line of its own, so the heading stays on one line
                    st.badge(labels.rerolled_text(record.rerolled), icon=":material/casino:", color="orange")
                if record.transposed:
                    st.badge(transposition_text(record), icon=":material/swap_vert:", color="blue")
                show_take(record, takes)
        else:
            with st.expander(take_label(record), key=f"take_{record.number}"):
                show_take(record, takes)


def take_label(record: TakeRecord, with_bars: bool = True) -> str:
    settings = record.take.settings
    return labels.take_label(record.number, settings.values, settings.temperature, settings.seed,
                             record.rerolled if with_bars else (), record.length)


def reroll(record: TakeRecord, bars: list[int]) -> None:
    """Play the chosen bars again in place of the take, keeping every other bar."""
    with st.spinner(f"Playing bar{'s' if len(bars) > 1 else ''} {', '.join(map(str, sorted(bars)))} again…"):
        updated = rerolled(record, bars)
        if updated.take is not record.take:
            updated = replace(updated, source=source_of(updated.bundle, updated.pieces, len(updated.take.values)))
            remember(record)
    st.session_state["takes"] = with_take(st.session_state.get("takes", []), updated, MAX_TAKES)


def show_take(record: TakeRecord, takes: list[TakeRecord]) -> None:
    take, number = record.take, record.number
    notes = sum(n.pitch is not None for n in take.notes)
    st.caption(labels.take_details(notes, record.sound.seconds, record.instrument, take.playback,
                                   plain(record.changes), record.model))
    if record.sound.audio:
        st.audio(record.sound.audio, format=record.sound.format)
    else:
        st.warning(plain(record.sound.error))
    show_roll(record.chart, number)
    st.caption(labels.roll_caption(take.playback, record.roll_bars))
    copy_warning(record)
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    bars = left.multiselect("Bars to play again", range(1, pipeline.take_bar_count(take) + 1),
                            key=f"reroll_bars_{number}", placeholder="Choose the bars you would like played again",
                            help="Re-roll plays these bars again, carrying on from the bars before; every other "
                                 "bar stays exactly as it is. Click again for another try.")
    right.button("Re-roll", key=f"reroll_{number}", disabled=not bars, icon=":material/casino:",
                 width="stretch")  # a click is acted on before the takes are drawn (see show_takes)
    take_actions(record)
    if record.notice:
        st.warning(plain(record.notice))
    with st.popover("Play it differently", icon=":material/tune:"):
        replay_form(record)
    downloads(record)
    show_score(take, number, f"Take {number}")
    compare_with_source(record, takes)


def downloads(record: TakeRecord) -> None:
    c1, c2, _ = st.columns([1, 1, 1])
    base, take = f"jazz-take-{record.number}", record.take
    c1.download_button("MIDI", take.midi, file_name=f"{base}.mid", mime="audio/midi", on_click="ignore",
                       key=f"midi_{record.number}", icon=":material/download:")
    if record.sound.audio:
        c2.download_button("Audio (WAV)", lambda: wav_of(take), file_name=f"{base}.wav", mime="audio/wav",
                           on_click="ignore", key=f"wav_{record.number}", icon=":material/download:")


def compare_with_source(record: TakeRecord, takes: list[TakeRecord]) -> None:
    """The take's metrics beside the source's, and beside takes of the same model at other temperatures."""
    same_model = [(r.number, r.take.settings.temperature, r.metrics) for r in takes if r.bundle is record.bundle]
    columns = labels.comparison_columns(same_model, record.number)
    with st.expander("How does this take compare with the source?", icon=":material/compare_arrows:"):
        st.caption(labels.source_caption(record.source))
        st.table(labels.metrics_rows(record.source, columns), hide_index=True)
