"""The synthesizers: a small pool of FluidSynth synths per (soundfont, sample rate), so renders run side by side.

How it plays. A render borrows one ``fluidsynth.Synth`` (pyfluidsynth) from the pool of its soundfont and
sample rate, resets it, lets the old reverb die away, selects each track's program on its own channel, then
sends every note-on/off, pitch bend and control change in time order, asking the synth for all the samples up
to the next event in one ``get_samples`` call (a render that clips FluidSynth's 16-bit output is done again at
a fifth of the gain), and gives the synth back. FluidSynth synthesises with Python's GIL released (ctypes), so
two renders on two synths use two cores.

The pool. Each pool holds at most ``pool_size()`` synths (the cores this process may use, within a
container's CPU quota, or $JAZZ_SYNTHS), made when first needed, each with the soundfont loaded once;
a render waits only when all are busy.
FluidSynth shares the sample data of one soundfont file between synths: the first FluidR3_GM synth costs
about 155 MB of memory (resident), each further one about 13 MB. Pools of ``CACHED_POOLS`` (soundfont, rate) pairs
are kept for the life of the process.

Threads or processes. ``python -m bench.audio_pool --rounds 25`` renders pairs of 30 s takes (44.1 kHz,
FluidR3_GM) three ways, interleaved, on 2 cores shared with other developers' work (load about 1.9, so noisy):

    way                                  wall per pair: median (best)   against one synth
    one synth, one after the other       0.325 s (0.318)                1.00x
    synth pool, two threads (kept)       0.192 s (0.165)                1.70x
    process pool, two workers            0.179 s (0.172)                1.81x

Round by round, threads took 1.01x the processes' time (median; 0.79-1.45): the same speed within the
noise. The thread pool is kept: it adds about 13 MB for its second synth where the two worker processes
hold 446 MB (each its own soundfont, Python and NumPy), it pickles no 5 MB WAV through a pipe, has no
workers to start or keep alive, and the page's other per-take work (FLAC encoding in libsndfile, NumPy
sampling) also runs outside the GIL in the caller's thread.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from jazz_core.errors import SynthesizerError

if TYPE_CHECKING:
    import pretty_midi

POOL_ENV = "JAZZ_SYNTHS"  # how many synths a pool may hold; the default is the cores this process may use
MAX_POOL = 16  # the most synths one pool holds, whatever $JAZZ_SYNTHS says
CACHED_POOLS = 4  # (soundfont, sample rate) pairs whose pools are kept in memory
SYNTH_BLOCK = 64  # FluidSynth renders, and applies events, in blocks of this many frames
GAINS = (0.5, 0.1)  # FluidSynth master gain; the quieter one is used only when the louder one clips
CLIPPED = 32000  # a raw 16-bit peak at or above this counts as clipped
FLUSH_BLOCK = 4096  # frames rendered at a time while the previous render's reverb dies away
FLUSH_MAX_BLOCKS = 200  # about 20 s at 44.1 kHz, never reached in practice


def _load_fluidsynth() -> ModuleType:
    """The pyfluidsynth module, or a SynthesizerError saying what to install."""
    try:
        import fluidsynth
    except ModuleNotFoundError as error:
        if error.name == "fluidsynth":
            raise SynthesizerError("The Python binding of FluidSynth is missing: install it with "
                                   "`pip install pyfluidsynth`.") from None
        raise SynthesizerError(f"FluidSynth cannot start: {error}.") from None
    except (ImportError, OSError):  # pyfluidsynth raises these when libfluidsynth is absent
        raise SynthesizerError("The FluidSynth synthesizer library is not installed: install it with "
                               "`sudo apt-get install libfluidsynth3`.") from None
    return fluidsynth


class Player:
    """One FluidSynth synthesizer with one soundfont loaded, used by one render at a time (borrowed from a pool)."""

    synth = None  # so that close() works on a player whose __init__ failed

    def __init__(self, soundfont: str, rate: int) -> None:
        self.synth = _load_fluidsynth().Synth(gain=GAINS[0], samplerate=rate)
        self.rate = rate
        if self.synth.get_setting("synth.sample-rate") != rate:
            self.close()
            raise SynthesizerError(f"FluidSynth cannot play at {rate} samples per second.")
        self.sfid = self.synth.sfload(soundfont)
        if self.sfid < 0:
            self.close()
            raise SynthesizerError(f"FluidSynth could not read the soundfont {soundfont}; is it a .sf2 file?")
        self.channels = int(self.synth.get_setting("synth.midi-channels"))
        self.rendered = 0  # frames rendered so far: FluidSynth works in blocks of SYNTH_BLOCK frames

    def close(self) -> None:
        if self.synth is not None:
            self.synth.delete()
            self.synth = None

    def __del__(self) -> None:  # runs once no pool and no render holds the player
        self.close()

    def reset(self, gain: float) -> None:
        """Silence every voice, reset all channels and let the reverb and chorus die away."""
        self.synth.system_reset()
        self.synth.setting("synth.gain", gain)
        for _ in range(FLUSH_MAX_BLOCKS):
            if np.abs(self.samples(FLUSH_BLOCK)).max() <= 1:  # 1 = dither noise
                break
        self.samples(-self.rendered % SYNTH_BLOCK)  # start on a block boundary: same MIDI, same audio

    def samples(self, frames: int) -> np.ndarray:
        """The next `frames` frames as interleaved int16 stereo."""
        self.rendered += frames
        return self.synth.get_samples(frames)

    def assign_channels(self, tracks: list[pretty_midi.Instrument]) -> list[int]:
        """A MIDI channel per track (drum kits on the drum channels), its program selected."""
        melodic = [c for c in range(self.channels) if c % 16 != 9]
        drums = [c for c in range(self.channels) if c % 16 == 9]
        channels = []
        for track in tracks:
            pool = drums if track.is_drum else melodic
            if not pool:
                raise SynthesizerError(f"This MIDI file has more tracks than FluidSynth's {self.channels} channels.")
            channel = pool.pop(0)
            bank = 128 if track.is_drum else 0
            if self.synth.program_select(channel, self.sfid, bank, track.program) < 0 and track.is_drum:
                self.synth.program_select(channel, self.sfid, bank, 0)  # the standard kit
            channels.append(channel)
        return channels

    def play(self, events: list[tuple], frames: int) -> np.ndarray:
        """Raw int16 stereo frames: the events sent in order, audio rendered in one call between each."""
        chunks, position = [], 0
        for frame, _order, send, args in events:
            frame = min(frame, frames)
            if frame > position:
                chunks.append(self.samples(frame - position))
                position = frame
            send(*args)
        if frames > position:
            chunks.append(self.samples(frames - position))
        return np.concatenate(chunks).reshape(-1, 2) if chunks else np.zeros((0, 2), np.int16)

    def events(self, tracks: list[pretty_midi.Instrument], channels: list[int]) -> list[tuple]:
        """(frame, order, synth method, arguments) of every event, note-offs first among events at one frame."""
        synth, events = self.synth, []
        for track, channel in zip(tracks, channels, strict=True):
            for note in track.notes:
                events.append((round(note.start * self.rate), 2, synth.noteon, (channel, note.pitch, note.velocity)))
                events.append((round(note.end * self.rate), 0, synth.noteoff, (channel, note.pitch)))
            for bend in track.pitch_bends:
                events.append((round(bend.time * self.rate), 1, synth.pitch_bend, (channel, bend.pitch)))
            for change in track.control_changes:
                events.append((round(change.time * self.rate), 1, synth.cc, (channel, change.number, change.value)))
        events.sort(key=lambda event: event[:2])
        return events


CPU_QUOTA = "/sys/fs/cgroup/cpu.max"  # cgroup v2: "max 100000", or "200000 100000" under `docker run --cpus 2`


def _quota_cores() -> int | None:
    """The CPUs a container's quota allows (rounded up), or None without a quota."""
    try:
        with open(CPU_QUOTA) as limits:
            quota, period = limits.read().split()[:2]
    except (OSError, ValueError):
        return None
    if not (quota.isdigit() and period.isdigit() and int(period)):
        return None  # "max": no quota
    return max(1, -(-int(quota) // int(period)))


def _cores() -> int:
    """The cores this process may use: its CPU affinity, capped by a container's CPU quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, _quota_cores() or cores)


def pool_size() -> int:
    """Synths per pool: $JAZZ_SYNTHS when it is a whole number from 1 to MAX_POOL, else the usable cores."""
    named = os.environ.get(POOL_ENV, "").strip()
    if named.isdigit() and 1 <= int(named) <= MAX_POOL:
        return int(named)
    return max(1, min(MAX_POOL, _cores()))


class SynthPool:
    """Up to `size` players of one soundfont at one sample rate; a render borrows one, waiting only if all are busy."""

    def __init__(self, soundfont: str, rate: int, size: int) -> None:
        self.soundfont, self.rate, self.size = soundfont, rate, size
        self._idle: list[Player] = []
        self._made = 0  # players made or being made
        self._changed = threading.Condition()
        self.busy = 0  # players lent out now
        self.peak = 0  # the most lent out at once so far

    @contextmanager
    def borrow(self) -> Iterator[Player]:
        """A player for one render, given back afterwards (even when the render fails)."""
        player = self._take()
        try:
            yield player
        finally:
            with self._changed:
                self.busy -= 1
                self._idle.append(player)
                self._changed.notify()

    def _take(self) -> Player:
        with self._changed:
            while not self._idle and self._made >= self.size:
                self._changed.wait()
            self.busy += 1
            self.peak = max(self.peak, self.busy)
            if self._idle:
                return self._idle.pop()
            self._made += 1
        try:  # the soundfont loads outside the lock: renders on the other players carry on meanwhile
            return Player(self.soundfont, self.rate)
        except BaseException:
            with self._changed:
                self._made -= 1
                self.busy -= 1
                self._changed.notify()
            raise


_pools: OrderedDict[tuple, SynthPool] = OrderedDict()
_pools_lock = threading.Lock()


def pool_for(soundfont: str, rate: int) -> SynthPool:
    """The pool for this soundfont file (as it is now on disk) and sample rate, made on first use."""
    try:
        stat = os.stat(soundfont)
    except OSError:
        raise SynthesizerError(f"The soundfont file {soundfont} cannot be opened.") from None
    key = (os.path.realpath(soundfont), stat.st_mtime_ns, stat.st_size, rate)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = SynthPool(soundfont, rate, pool_size())
        _pools.move_to_end(key)
        while len(_pools) > CACHED_POOLS:
            _pools.popitem(last=False)
    return pool


def forget_pools() -> None:
    """Drop every pool (their synths close once no render holds them): the next render makes new ones, sized
    by `pool_size()` as it is then. For benchmarks that compare pool sizes."""
    with _pools_lock:
        _pools.clear()


def _peak(audio: np.ndarray) -> int:
    """The largest absolute sample value (0 for no audio)."""
    return int(np.abs(audio.astype(np.int32)).max()) if audio.size else 0


def synthesize(tracks: list[pretty_midi.Instrument], soundfont: str, rate: int, seconds: float) -> np.ndarray:
    """Raw int16 stereo frames of the tracks, `seconds` long, at the first gain of GAINS that does not clip."""
    with pool_for(soundfont, rate).borrow() as player:
        for gain in GAINS:
            player.reset(gain)
            events = player.events(tracks, player.assign_channels(tracks))
            raw = player.play(events, round(seconds * rate))
            if _peak(raw) < CLIPPED:
                break
    return raw
