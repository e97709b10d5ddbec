"""Rendering: MIDI bytes in, a 16-bit stereo WAV (and FLAC or a small OGG for a web page) out, played by FluidSynth.

How it plays. The notes are synthesised by FluidSynth on a synth borrowed from a small pool (one per core,
each with the soundfont loaded once; see ``jazz_core.synth_pool``), so several takes render at once. The
result is cut to the last note's end plus the release tail, faded in over 5 ms and out over 20 ms, and
peak-normalised to 0.9 (-1 dBFS).

What a session keeps. The newest take plays from a FLAC (quick to encode, lossless); a take that is no
longer the newest keeps its audio as a small OGG (``kept_ogg``: Vorbis at about 130 kbit/s, 0.47 MB for
30 s instead of 2.6 MB), next to its MIDI and settings, from which it can always be rendered again.
``python -m bench.audio_session`` (tracemalloc, 24 takes of 30 s, takes and audio): 60.1 MB with every
take's FLAC, 15.8 MB with the newest FLAC and older takes as OGG; the page's 24 take records
(``session.TakeRecord``, piano roll specs and metrics too) 18.8 MB.

Which way was kept, and why. ``bench/bench_audio.py`` renders a long solo three ways: pyfluidsynth directly
(kept), the fluidsynth command line, and pretty_midi's ``fluidsynth()`` (timings: docs/benchmarks.md, "The
audio stage"). The direct way is kept: it is the fastest (the command line starts a process, loads the
soundfont and writes and re-reads a file on every call), needs no temporary files, and its failures can be
caught and worded. The first render in a process also loads the soundfont.
Most of the time is FluidSynth's own synthesis, a third of it reverb and chorus, kept on for the sound.
FluidSynth synthesises at most 96 kHz; higher sample rates are rendered at 96 kHz and interpolated up.
Two renders of one MIDI differ only in the phase of the reverb's slow modulation (about 2% RMS, inaudible).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import threading
import wave
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from jazz_core.errors import SynthesizerError
from jazz_core.midi_writer import CHORD_TRACK, SOLO_TRACK
from jazz_core.settings import AudioSettings
from jazz_core.synth_pool import synthesize

if TYPE_CHECKING:
    import pretty_midi

SOUNDFONT_ENV = "JAZZ_SOUNDFONT"
SYSTEM_SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"  # Debian's fluid-soundfont-gm
BUNDLED_SOUNDFONT = "TimGM6mb.sf2"  # shipped inside the pretty_midi package
MAX_SECONDS = 600.0  # longest piece rendered: ten minutes, about 100 MB of WAV

PEAK = 0.9  # -1 dBFS
FADE_IN_SECONDS = 0.005
FADE_OUT_SECONDS = 0.02
SYNTH_MAX_RATE = 96000  # FluidSynth refuses higher sample rates
SILENT = 10  # a raw 16-bit peak at or below this (dither noise) counts as silence
ENCODE_BLOCK = 16384  # frames handed to the OGG or FLAC encoder at a time


@dataclass(frozen=True)
class RenderedAudio:
    """A rendered piece: a 16-bit stereo WAV file as bytes, its length, sample rate and the soundfont used."""

    wav: bytes = field(repr=False)
    seconds: float
    sample_rate: int
    soundfont: str

    def samples(self) -> np.ndarray:
        """The audio as an int16 array of shape (frames, 2)."""
        with wave.open(io.BytesIO(self.wav), "rb") as reader:
            data = reader.readframes(reader.getnframes())
        return np.frombuffer(data, dtype="<i2").reshape(-1, 2)

    def to_ogg(self) -> bytes:
        """The same audio compressed to OGG/Vorbis: about a tenth of the WAV, for a slow network."""
        return self._encode("OGG", "VORBIS")

    def to_flac(self) -> bytes:
        """The same audio as FLAC, lossless 16-bit: about half the WAV and much quicker to make than the OGG
        (docs/benchmarks.md, "Generation, by stage"), for the page's player."""
        return self._encode("FLAC", "PCM_16")

    def _encode(self, container: str, subtype: str) -> bytes:
        return _encode(self.samples(), self.sample_rate, container, subtype)


def _soundfile() -> ModuleType:
    try:
        import soundfile
    except (ImportError, OSError):
        raise SynthesizerError("The audio encoder is missing: install it with `pip install soundfile`.") from None
    return soundfile


def _encode(samples: np.ndarray, rate: int, container: str, subtype: str) -> bytes:
    """int16 stereo frames written by libsndfile (soundfile) as `container` audio, a block at a time."""
    soundfile, buffer = _soundfile(), io.BytesIO()
    try:
        with soundfile.SoundFile(buffer, "w", rate, 2, format=container, subtype=subtype) as out:
            for start in range(0, len(samples), ENCODE_BLOCK):  # one big write overflows libvorbis' stack
                out.write(samples[start:start + ENCODE_BLOCK])
    except (RuntimeError, ValueError, TypeError) as error:
        raise SynthesizerError(f"The audio could not be compressed to {container}: {error}.") from None
    return buffer.getvalue()


def kept_ogg(flac: bytes) -> bytes:
    """A player's FLAC made small for keeping: OGG/Vorbis at libsndfile's default quality (about 130 kbit/s,
    0.47 MB for 30 s of music instead of 2.6 MB; 0.2 s of CPU, where a quality 0.1 lower costs 0.27 s for 14%
    less), for the takes of a session that are no longer the newest."""
    soundfile = _soundfile()
    try:
        samples, rate = soundfile.read(io.BytesIO(flac), dtype="int16", always_2d=True)
    except (RuntimeError, ValueError, TypeError, soundfile.LibsndfileError):
        raise SynthesizerError("This audio is not a FLAC file the player made.") from None
    if samples.shape[1] != 2:
        raise SynthesizerError("This audio is not a FLAC file the player made.")
    return _encode(samples, rate, "OGG", "VORBIS")


# --- kept takes' OGG, made off the click path ---------------------------------------------------------------

KEEPER_NICENESS = 10  # added to the encoder threads' nice value: a click's render comes first


def _lower_this_thread() -> None:
    """Lower the calling thread's priority: on Linux a nice value is per thread (setpriority(2), "BUGS")."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, 0)
                       + KEEPER_NICENESS)


_keeper: ThreadPoolExecutor | None = None
_keeper_lock = threading.Lock()


def kept_ogg_later(rendered: RenderedAudio) -> Future:
    """The OGG that `kept_ogg` would make of this audio's FLAC, made from the samples in a background thread at
    a lower priority (no FLAC decoded; libvorbis runs without the GIL), so a click waits only for the FLAC."""
    global _keeper
    with _keeper_lock:
        if _keeper is None:
            _keeper = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="kept-ogg",
                                         initializer=_lower_this_thread)
    return _keeper.submit(rendered.to_ogg)


# --- choosing the soundfont -------------------------------------------------------------------------------


def _bundled_soundfont() -> str | None:
    spec = importlib.util.find_spec("pretty_midi")  # finds the package folder without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / BUNDLED_SOUNDFONT
    return str(path) if path.is_file() else None


def _existing(path: str | os.PathLike[str], source: str) -> str:
    path = os.fspath(path)
    if not os.path.exists(path):
        raise SynthesizerError(f"The soundfont file {path}{source} does not exist.")
    if not os.path.isfile(path):
        kind = "a folder" if os.path.isdir(path) else "a device or pipe"
        raise SynthesizerError(f"The soundfont {path}{source} is {kind}, not a file: name a .sf2 soundfont file.")
    return path


def choose_soundfont(explicit: str | None = None) -> str:
    """The soundfont to play with: `explicit`, else $JAZZ_SOUNDFONT, else FluidR3_GM, else pretty_midi's TimGM6mb."""
    if explicit:
        return _existing(explicit, "")
    if os.environ.get(SOUNDFONT_ENV):
        return _existing(os.environ[SOUNDFONT_ENV], f" (named by {SOUNDFONT_ENV})")
    if os.path.isfile(SYSTEM_SOUNDFONT):
        return SYSTEM_SOUNDFONT
    bundled = _bundled_soundfont()
    if bundled is None:
        raise SynthesizerError("No soundfont was found: install one with `sudo apt-get install fluid-soundfont-gm`.")
    return bundled


# --- reading the MIDI -------------------------------------------------------------------------------------


def _parse_midi(midi: bytes) -> pretty_midi.PrettyMIDI:
    if not isinstance(midi, bytes | bytearray | memoryview) or bytes(midi[:4]) != b"MThd":
        raise SynthesizerError("These bytes are not a MIDI file.")
    import pretty_midi

    try:
        return pretty_midi.PrettyMIDI(io.BytesIO(bytes(midi)))
    except (OSError, EOFError, ValueError, LookupError, ZeroDivisionError):  # what mido and pretty_midi raise
        raise SynthesizerError("This MIDI file is damaged and cannot be read.") from None


def _tracks_to_play(score: pretty_midi.PrettyMIDI, settings: AudioSettings) -> list[pretty_midi.Instrument]:
    """The instruments to play, with the program overrides applied."""
    tracks = []
    for track in score.instruments:
        name = (track.name or "").strip()
        if name == CHORD_TRACK and not settings.chords:
            continue
        override = {SOLO_TRACK: settings.solo_program, CHORD_TRACK: settings.chord_program}.get(name)
        if override is not None and not track.is_drum:
            track.program = override
        if track.notes:
            tracks.append(track)
    if not tracks:
        raise SynthesizerError("This MIDI file has no notes to play.")
    return tracks


def _end_seconds(tracks: list[pretty_midi.Instrument]) -> float:
    end = max(note.end for track in tracks for note in track.notes)
    if end > MAX_SECONDS:
        raise SynthesizerError(f"This MIDI file lasts {end / 60:.0f} minutes; the player renders at most "
                               f"{MAX_SECONDS / 60:.0f}.")
    return end


def _peak(audio: np.ndarray) -> float:
    """The largest absolute sample value (0 for no audio)."""
    return float(np.abs(audio.astype(np.float32)).max()) if audio.size else 0.0


# --- finishing ----------------------------------------------------------------------------------------------


def _upsample(audio: np.ndarray, source_rate: int, rate: int) -> np.ndarray:
    """Linear interpolation to a higher rate: its images lie above 48 kHz; it dulls 20 kHz by about 1 dB."""
    frames = round(len(audio) * rate / source_rate)
    old = np.arange(len(audio)) / source_rate
    new = np.arange(frames) / rate
    return np.stack([np.interp(new, old, audio[:, c]) for c in range(2)], axis=1).astype(np.float32)


def _finish(raw: np.ndarray, rate: int) -> np.ndarray:
    """Peak-normalised to PEAK, faded in and out, as int16 frames."""
    peak = _peak(raw)
    if peak <= SILENT:
        raise SynthesizerError("This MIDI file plays only silence.")
    audio = raw.astype(np.float32) * np.float32(PEAK / peak)
    fade_in = min(len(audio), max(1, round(FADE_IN_SECONDS * rate)))
    audio[:fade_in] *= np.linspace(0.0, 1.0, fade_in, dtype=np.float32)[:, None]
    fade_out = min(len(audio), max(1, round(FADE_OUT_SECONDS * rate)))
    audio[-fade_out:] *= np.linspace(1.0, 0.0, fade_out, dtype=np.float32)[:, None]
    return np.clip(np.round(audio * 32767), -32768, 32767).astype("<i2")


def _wav_bytes(frames: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(frames.tobytes())
    return buffer.getvalue()


# --- public ---------------------------------------------------------------------------------------------------


def render(midi: bytes, settings: AudioSettings = AudioSettings()) -> RenderedAudio:
    """Play MIDI bytes with FluidSynth: a 16-bit stereo WAV of the notes plus the release tail."""
    soundfont = choose_soundfont(settings.soundfont)
    tracks = _tracks_to_play(_parse_midi(midi), settings)
    seconds = _end_seconds(tracks) + settings.tail_seconds
    synth_rate = min(settings.sample_rate, SYNTH_MAX_RATE)
    raw = synthesize(tracks, soundfont, synth_rate, seconds)
    if synth_rate != settings.sample_rate:
        raw = _upsample(raw, synth_rate, settings.sample_rate)
    frames = _finish(raw, settings.sample_rate)
    return RenderedAudio(_wav_bytes(frames, settings.sample_rate), len(frames) / settings.sample_rate,
                         settings.sample_rate, soundfont)
