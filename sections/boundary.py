"""What crosses the page's edge: text from files shown as plain text, and errors shown as sentences.

A `JazzError` is the user's to fix and its message says how; anything else is a bug: its traceback goes
to the server log and the page says sorry in one sentence, never with a stack trace.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable

import streamlit as st

log = logging.getLogger("jazz_lstm_studio.page")

SORRY = ("Something went wrong on our side, not with your music or settings. The details are in the server's "
         "log; try again, or reload the page.")


def plain(text: str) -> str:
    """Text from a file (names, titles) shown as is inside Markdown, never as formatting or links."""
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", text)


def guarded(section: Callable) -> Callable:
    """The section, drawn so that an unexpected error shows a polite sentence instead of a traceback.

    Streamlit's own controls (st.rerun, st.stop) are BaseExceptions and pass through untouched.
    """
    @functools.wraps(section)
    def draw(*args, **kwargs):
        try:
            return section(*args, **kwargs)
        except Exception:
            log.exception("the page's %s failed", section.__name__)
            st.error(SORRY, icon=":material/error:")
            return None
    return draw
