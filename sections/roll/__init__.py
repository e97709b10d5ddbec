"""The take's piano roll on the page: one small iframe (roll.html + roll.js, shipped here, no CDN) drawing
`jazz_core.roll` data as SVG and following the take's player above it (playhead, scrolling, loop).

The iframe reads the player's currentTime from the page (same origin: `st.iframe` embeds the HTML as is);
the data is the take's own notes and chord names, written into the page as JSON with `</` escaped, and
drawn with textContent only, so no text of the take can become markup.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


@cache
def _template() -> str:
    html, script = (HERE / "roll.html").read_text(), (HERE / "roll.js").read_text()
    return html.replace("/*SCRIPT*/", script)


def roll_html(data: dict, take: int = 0) -> str:
    """The component's page for one take's roll data (jazz_core.roll.PianoRoll.data()); `take` is its number."""
    text = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return _template().replace("/*ROLL*/null", text).replace("/*TAKE*/0", str(int(take)))


def show_roll(data: dict, take: int) -> None:
    st.iframe(roll_html(data, take), height="content")
