"""What crosses the page's edge: text from files shown as plain text, and errors shown as sentences.

A `JazzError` is the user's to fix and its message says how; anything else is a bug: its traceback goes
to the server log and the page says sorry in one sentence, never with a stack trace.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import threading
from collections.abc import Callable

import streamlit as st

from jazz_core.errors import JazzError


class BusyError(JazzError):
    """Every slot for reading uploads stayed taken for READING_WAIT seconds."""


log = logging.getLogger("jazz_lstm_studio.page")

SORRY = ("Something went wrong on our side, not with your music or settings. The details are in the server's "
         "log; try again, or reload the page.")


_ALWAYS = re.compile(r"([\\`*_\[\]<>|~$&{}])")  # emphasis, code, links, HTML, tables, maths, entities
_LEADING = re.compile(r"^([#=+-]|\d+[.)])")  # a heading, a list item ("- ", "1. ") or a rule would start here
_LINKING = re.compile(r"(:(?=[A-Za-z/])|@|(?<=www)\.)", re.IGNORECASE)  # http://, :red[...], :smile:, a@b, www.
ZERO_WIDTH_SPACE = "\u200b"


def plain(text: object) -> str:
    """Text from a file or a bundle (names, titles, messages quoting them) shown as is inside Markdown.

    One line (line breaks become spaces, so no paragraph, rule or list can start); every mark that
    could make emphasis, code, a link, HTML or maths is backslash-escaped. Streamlit finds bare URLs,
    addresses, colours and icons after the escapes are read, so those are broken with a zero-width
    space instead (after the colon of `http:` or `:red`, before `@`, after `www`): shown the same, inert.
    """
    line = _LEADING.sub(lambda found: found.group(0)[:-1] + "\\" + found.group(0)[-1],
                        _ALWAYS.sub(r"\\\1", " ".join(str(text).split())))
    return _LINKING.sub(lambda found: found.group(0) + ZERO_WIDTH_SPACE if found.group(0) == ":"
                        else ZERO_WIDTH_SPACE + found.group(0), line)


_READING = threading.BoundedSemaphore(2)  # uploads parsed at once, server-wide: one per core
READING_WAIT = 20.0


@contextlib.contextmanager
def reading_slot():
    """One of the server's few slots for parsing an upload, so many uploads at once (one session's tabs, or
    a crowd's) queue instead of taking every core and the memory; Generate never waits for one."""
    if not _READING.acquire(timeout=READING_WAIT):
        raise BusyError("The server is busy reading other people's files; try again in a moment.")
    try:
        yield
    finally:
        _READING.release()


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
