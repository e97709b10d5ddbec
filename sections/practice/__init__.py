"""Practice mode on the page: Practice (beside Generate, with the form's settings) plays chorus after chorus over
the chosen changes, a fresh solo each time, until Stop. The choruses are made ahead in the session's worker
thread (`jazz_core.practice.PracticeRun`); a fragment on a timer hands each new one to the player and tells the
run which chorus is playing.

The player (player.html/.css/.js here, no CDN) is a `st.components.v2` component: no iframe, and its module
keeps the AudioContext and the decoded choruses across the page's runs, so it starts each chorus exactly where
the one before ends. A chorus's audio is sent until the player says it holds it, then never again; what the
player writes is numbers only.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import streamlit as st

from jazz_core.errors import JazzError
from jazz_core.practice import PracticeRun
from jazz_core.progression import Timeline
from sections.boundary import plain

HERE = Path(__file__).parent
RUN, COUNT, SENT, WORDS = "practice_run", "practice_count", "practice_sent", "practice_words"
PLAYING = "practice_playing"  # set while the player's fragment runs on its timer
EVERY = 1.0  # seconds between the fragment's runs while practising
RESEND = 5.0  # seconds after which a chorus the player has not confirmed is sent again


@cache
def _player():
    """The component, registered once per process."""
    html, css, js = ((HERE / name).read_text() for name in ("player.html", "player.css", "player.js"))
    return st.components.v2.component("jazz_practice_player", html=html, css=css, js=js)


def practice_box() -> None:
    """Under the Generate form: while practising, Stop and what it plays over; the player, always (so it stays
    mounted and can be told to stop); why a run ended early, if it did."""
    run = st.session_state.get(RUN)
    practising = run is not None and not run.stopped
    if practising:
        with st.container(border=True, key="practice_box"):
            left, right = st.columns([1, 3], vertical_alignment="center")
            left.button("Stop", key="practice_stop", icon=":material/stop_circle:", on_click=run.stop,
                        width="stretch", help="End practice mode.")
            right.caption(f"Practice mode: chorus after chorus over {plain(st.session_state.get(WORDS, ''))}, a "
                          "fresh solo each time (the model hears the chorus before).")
            st.fragment(player, run_every=EVERY)()
        return
    st.session_state.pop(PLAYING, None)  # drawn here: no need for the whole page again (see `player`)
    if run is not None and run.error:
        st.warning(plain(run.error))
    st.fragment(player)()


def start(model, settings_of: Callable) -> str | None:
    """A new run (any run going is stopped), its first choruses begun at once in its thread; else why not."""
    try:
        measures, settings, playback, words = settings_of()
    except JazzError as error:  # changes that cannot be read, a setting out of range
        return f"Practice did not start: {error}"
    old = st.session_state.get(RUN)
    if old is not None:
        old.stop()
    number = st.session_state[COUNT] = st.session_state.get(COUNT, 0) + 1
    run = PracticeRun(model.bundle, tuple(measures), settings, playback, number)
    run.start()
    st.session_state.update({RUN: run, SENT: {}, WORDS: words})
    return None


def player() -> None:
    """The player with the choruses it has not got yet; the run told what it plays."""
    run = st.session_state.get(RUN)
    if run is None or run.stopped:
        _player()(key="practice_player", data={"on": False}, default={"heard": None}, on_heard_change=_nothing)
        if st.session_state.pop(PLAYING, False):  # the run ended by itself, seen by this fragment's timer
            st.rerun()  # the whole page: the run's end said, this fragment off its timer
        return
    st.session_state[PLAYING] = True
    heard = st.session_state.get("practice_player", {}).get("heard") or {}  # its news, read before its data is made
    if heard.get("run") == run.number:
        run.heard(heard.get("playing", 0), heard.get("received", ()))
    _player()(key="practice_player", data=player_data(run), default={"heard": None}, on_heard_change=_nothing)


def _nothing() -> None:
    """The player's news is read when the fragment runs (see `player`)."""


def player_data(run: PracticeRun) -> dict:
    """What the player needs: the run, its bars in seconds, and the kept choruses (audio only where not yet held)."""
    sent, now = st.session_state.setdefault(SENT, {}), time.monotonic()
    choruses = []
    for ready in run.ready():
        item = {"number": ready.chorus.number, "seconds": ready.chorus.seconds, "seed": ready.chorus.seed,
                "pitches": [n.pitch for n in ready.chorus.take.notes if n.pitch is not None]}
        if ready.audio is not None and now - sent.get(ready.chorus.number, -RESEND) >= RESEND:
            item["audio"] = base64.b64encode(ready.audio).decode("ascii")
            sent[ready.chorus.number] = now
        choruses.append(item)
    timeline, per_second = Timeline(run.measures), 60.0 / run.playback.tempo_bpm
    return {"on": True, "run": run.number, "choruses": choruses,
            "bars": [timeline.bar_start(bar) * per_second for bar in range(len(run.measures))]}
