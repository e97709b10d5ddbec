"""Practice mode: chorus after chorus over the same changes, a fresh solo each time, made ahead of the player.

One chorus is once through the changes (exactly the form's bars, so chorus k + 1 starts where chorus k's
form ends: bars x beats x 60 / tempo seconds later). `next_chorus` is the music: the model first hears the
chorus before (`trading.go_on`), then improvises the next one with the next seed, so each chorus follows from
the last as a player's next chorus would. `PracticeRun` makes the choruses in a worker thread owned by the
session, always `AHEAD` choruses beyond the one the browser says is playing, and renders each with FluidSynth;
the page hands them to its player and never waits for them. Never imports Streamlit; TensorFlow-free.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from jazz_core import pipeline, trading
from jazz_core.bundle import Bundle
from jazz_core.errors import JazzError
from jazz_core.grammar import decode_values
from jazz_core.music import Measure
from jazz_core.progression import Timeline
from jazz_core.settings import AudioSettings, GenerateSettings, PlaybackSettings

log = logging.getLogger(__name__)

AHEAD = 2  # choruses made beyond the one playing (the next one is ready a whole chorus before it starts)
IDLE_SECONDS = 120.0  # a run nobody has listened to for this long (the page was closed) ends itself
KEPT = 4  # choruses kept in a run (the older ones are with the browser already)


@dataclass(frozen=True)
class Chorus:
    """One chorus of practice: a solo exactly once through the form, timed from its first bar line."""

    number: int  # 1, 2, … in the run
    take: pipeline.Take  # this chorus alone: its values, notes and MIDI (band and chords included)
    seconds: float  # the form's length at the tempo: the next chorus starts this long after this one

    @property
    def seed(self) -> int:
        return self.take.settings.seed


def form_seconds(measures: Sequence[Measure], tempo_bpm: float) -> float:
    """Once through the changes, in seconds: their quarters x 60 / tempo."""
    return Timeline(tuple(measures)).bar_start(len(measures)) * 60.0 / tempo_bpm


def chorus_seed(seed: int, number: int) -> int:
    """The seed of chorus `number` (1, 2, …) of a run started with `seed`: the seed itself for the first, then a
    new one each chorus, the same for the same seed and number, in 0 … 2**31 - 2."""
    if number == 1:
        return seed
    digest = hashlib.sha256(f"practice:{seed}:{number}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (2**31 - 1)


def next_chorus(bundle: Bundle, measures: Sequence[Measure], settings: GenerateSettings = GenerateSettings(),
                playback: PlaybackSettings = PlaybackSettings(), before: Chorus | None = None) -> Chorus:
    """The chorus after `before` (or the first): once through `measures` with the next seed, the model having
    heard the chorus before over the same changes, its first note led from that chorus's last pitch."""
    measures = tuple(measures)
    number = before.number + 1 if before else 1
    seed = chorus_seed(settings.seed, number)
    length = Timeline(measures).bar_start(len(measures))
    heard = before.take.values if before else ()
    values = trading.go_on(bundle, heard, measures, 0.0, length, settings.temperature, seed)
    previous = trading.last_pitch(before.take.notes) if before else None
    notes = decode_values(values, measures, seed=seed, previous=previous)
    chosen = replace(settings, seed=seed, values=len(values))
    take = pipeline.replayed(pipeline.Take(tuple(values), tuple(notes), b"", 0.0, chosen, playback, measures), playback)
    return Chorus(number, take, form_seconds(measures, playback.tempo_bpm))


@dataclass(frozen=True)
class Ready:
    """A chorus rendered for the player: its audio (OGG; None once the browser has it) and when it was made."""

    chorus: Chorus
    audio: bytes | None
    made_in: float  # seconds it took to improvise and render


def rendered(chorus: Chorus) -> bytes:
    """The chorus played by FluidSynth, as OGG (a small download for the browser's player)."""
    from jazz_core import audio

    return audio.render(chorus.take.midi, AudioSettings(chords=chorus.take.playback.chords)).to_ogg()


@dataclass(eq=False)
class PracticeRun:
    """Choruses made one after another in a worker thread, `AHEAD` beyond the one playing, until stopped."""

    bundle: Bundle
    measures: tuple[Measure, ...]
    settings: GenerateSettings
    playback: PlaybackSettings
    number: int = 0  # the run's number in the session (the player starts afresh for a new number)
    playing: int = 0  # the chorus the browser says is playing (0: none yet)
    error: str | None = None  # why the run ended early, in a sentence
    stopped: bool = False
    _ready: list[Ready] = field(default_factory=list)
    _made: int = 0
    _heard_at: float = field(default_factory=time.monotonic)
    _wake: threading.Condition = field(default_factory=threading.Condition, repr=False)
    thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, name="practice", daemon=True)
        self.thread.start()

    def run(self) -> None:
        """Make the next chorus whenever fewer than AHEAD are waiting after the one playing; the thread's work."""
        before = None
        try:
            while self._wait_for_room():
                began = time.perf_counter()
                chorus = next_chorus(self.bundle, self.measures, self.settings, self.playback, before)
                ready = Ready(chorus, rendered(chorus), time.perf_counter() - began)
                with self._wake:
                    self._ready = [*self._ready, ready][-KEPT:]
                    self._made = chorus.number
                before = chorus
        except JazzError as error:  # e.g. the band's MIDI cannot be played: the page says so
            self.error = f"Practice stopped: {error}"
        except Exception:  # a bug, not the user's doing: the traceback goes to the log
            log.exception("practice failed")
            self.error = "Practice stopped: something went wrong on our side (the server log has the details)."
        self.stopped = True

    def _wait_for_room(self) -> bool:
        """Block until another chorus is wanted (True) or the run is over (False)."""
        with self._wake:
            while not self.stopped and self._made >= self.playing + AHEAD:
                if time.monotonic() - self._heard_at > IDLE_SECONDS:
                    self.stopped = True
                self._wake.wait(timeout=1.0)
            return not self.stopped

    # --- the page's side ---

    def heard(self, playing: int, received: Sequence[int] = ()) -> None:
        """The browser's news: chorus `playing` is playing and it holds the audio of `received`."""
        with self._wake:
            self.playing = max(self.playing, int(playing))
            self._heard_at = time.monotonic()
            have = set(received)
            self._ready = [replace(r, audio=None) if r.chorus.number in have else r for r in self._ready]
            self._wake.notify_all()

    def ready(self) -> list[Ready]:
        """The choruses kept (newest last), those the browser does not hold yet with their audio."""
        with self._wake:
            return list(self._ready)

    def stop(self) -> None:
        with self._wake:
            self.stopped = True
            self._wake.notify_all()

    def wait(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)
