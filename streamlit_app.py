"""Jazz LSTM Studio, the page: choose music, train the LSTM on it, improvise and listen.

Thin on purpose: this script lays out the sections (one module each in `sections/`), which wire widgets to
`jazz_core` calls; the session's state lives in typed objects of `jazz_core.session`. TensorFlow is
imported only when Train is clicked, in the training's own thread; generating a solo runs the model in
NumPy, and Altair is never imported.

Training runs in a worker thread owned by the session and is drawn by a fragment on a timer, so no run
of this script waits for it. The Generate section (its form and the takes) is a fragment too, so a click
on Generate or Re-roll runs that section again, not the whole page.

Sessions: everything a person changes (music, model, takes, training runs) lives in their own
`st.session_state`; what `st.cache_resource` shares between sessions is read-only (see `sections.cache`).
"""

from __future__ import annotations

import streamlit as st

from sections.boundary import guarded
from sections.cache import warm_up
from sections.generate import generate_section
from sections.layout import narrow_screen_layout
from sections.music import music_section
from sections.train import adopt_ended_run, train_section

st.set_page_config(page_title="Jazz LSTM Studio", page_icon="🎷", layout="centered")

guarded(adopt_ended_run)()
warm_up()
st.title("Jazz LSTM Studio")
st.markdown("Teach an LSTM the phrasing of a jazz solo from a score, then let it improvise new solos over "
            "the same chord changes.")
# Sections are laid out in reading order but filled Generate first, so its button shows while the
# built-in corpus is still being read on the first visit (by the warm-up, from the start of this run);
# a click is answered as soon as this first run ends.
music_box, train_box, generate_box = (st.container(key=name) for name in ("music_box", "train_box", "generate_box"))
with generate_box:
    st.fragment(guarded(generate_section))()
with music_box:
    narrow_screen_layout()  # on a phone: Music, Generate, Train (sections/layout.py)
    music = guarded(music_section)()
with train_box:
    guarded(train_section)(music)
