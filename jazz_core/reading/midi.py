"""Reading MIDI with mido, straight from its events.

Much faster than music21's own MIDI parse (docs/benchmarks.md, preprocessing, has the numbers).
Each (track, channel) pair becomes one `Track`, in file order.
"""

from __future__ import annotations

import io
from collections import defaultdict
from time import monotonic

from jazz_core.errors import BadScoreError
from jazz_core.reading.raw import (
    MAX_NOTE_QUARTERS,
    RawScore,
    Track,
    bar_lines,
    meters_of_bars,
    off_grid_share,
    one_line,
    playback_tempo,
    quantize,
)

MAX_EVENTS = 500_000  # MIDI events in a file (the course's 19-track file has about 30,000)
READ_SECONDS = 5.0  # time budget for mido to read a MIDI file (the course's file takes a fraction of a second)


class _OverBudget(Exception):
    """A MIDI file holds more events than MAX_EVENTS, or reading it outlasts READ_SECONDS."""


class _BudgetedBytes(io.BytesIO):
    """The file as mido reads it: mido asks tell() once per event, so counting the calls bounds the events
    and the time while the file is read, not after."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.events = 0
        self.deadline = monotonic() + READ_SECONDS

    def tell(self) -> int:
        self.events += 1
        if self.events > MAX_EVENTS:
            raise _OverBudget(f"This MIDI file holds more than {MAX_EVENTS:,} events, more than any solo needs; "
                              "export only the parts you want to learn from, or a shorter stretch.")
        if not self.events % 4096 and monotonic() > self.deadline:
            raise _OverBudget(f"Reading this MIDI file took longer than {READ_SECONDS:g} s, so it was stopped; "
                              "export only the parts you want to learn from, or a shorter stretch.")
        return super().tell()


def midi_file(data: bytes):
    """The bytes as a mido.MidiFile, or a BadScoreError that says why not."""
    import mido

    if not data.startswith(b"MThd"):
        raise BadScoreError("This is not a MIDI file: it does not start with a MIDI header. "
                            "Choose a .mid file, a MusicXML file or an ABC tune.")
    try:
        return mido.MidiFile(file=_BudgetedBytes(data))
    except _OverBudget as error:
        raise BadScoreError(str(error)) from None
    except Exception as error:  # mido raises many kinds on damaged files
        raise BadScoreError(f"This MIDI file is damaged and cannot be read ({one_line(error)}). "
                            "Try exporting it again from your notation program or DAW.") from None


def _pair_notes(events) -> dict[int, list[tuple[int, int, int]]]:
    """Per channel, notes as (start tick, end tick, pitch): a note-on meets the next note-off of its pitch."""
    pending: dict[tuple[int, int], int] = {}
    by_channel: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for time, message in reversed(events):
        key = (message.note, message.channel)
        if message.type == "note_off" or message.velocity == 0:
            pending[key] = time
        elif key in pending:
            by_channel[message.channel].append((time, pending[key], message.note))
    return by_channel


def midi_tracks(midi) -> list[tuple[str, int, int | None, list[tuple[int, int, int]]]]:
    """Per (track, channel): name, channel, program and notes as (start tick, end tick, pitch), in file order.

    A note-on is paired with the next note-off of its pitch and channel, as music21 does.
    """
    found = []
    for track in midi.tracks:
        tick, events, programs, name = 0, [], {}, track.name.strip()
        for message in track:
            tick += message.time
            if message.type in ("note_on", "note_off"):
                events.append((tick, message))
            elif message.type == "program_change":
                programs.setdefault(message.channel, message.program)
        by_channel = _pair_notes(events)
        for channel in sorted(by_channel, key=lambda c: (min(n[0] for n in by_channel[c]), c)):
            found.append((name, channel, programs.get(channel), by_channel[channel][::-1]))
    return found


def midi_meta(midi) -> tuple[list[tuple[int, float, str]], list[float]]:
    """Time signatures as (tick, bar length in quarters, 'n/d'), and every tempo in bpm, in order."""
    meters, tempos = [], []
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "time_signature":
                meters.append((tick, 4 * message.numerator / message.denominator,
                               f"{message.numerator}/{message.denominator}"))
            elif message.type == "set_tempo" and message.tempo > 0:  # a tempo of 0 would be infinitely fast
                tempos.append((tick, round(60_000_000 / message.tempo, 2)))
    meters = sorted(dict(((t, length), (t, length, name)) for t, length, name in meters).values())
    return meters or [(0, 4.0, "4/4")], [bpm for _, bpm in sorted(tempos)] or [120.0]


def read_midi(data: bytes, title: str = "MIDI file") -> RawScore:
    """A MIDI file's tracks (one per track and channel), bars and tempo, quantised to the course's grid."""
    midi = midi_file(data)
    per_quarter = midi.ticks_per_beat or 480
    tracks, onsets = [], []
    for name, channel, program, notes in midi_tracks(midi):
        onsets += [s / per_quarter for s, _, _ in notes if channel != 9]
        timed = tuple((quantize(s / per_quarter), min(quantize((e - s) / per_quarter), MAX_NOTE_QUARTERS), p)
                      for s, e, p in notes)
        tracks.append(Track(name or f"Channel {channel + 1}", timed, channel == 9, program))
    meters, tempos = midi_meta(midi)
    end = max((o + d for t in tracks for o, d, _ in t.notes), default=0.0)
    bars = bar_lines([(tick / per_quarter, length) for tick, length, _ in meters], end)
    names = tuple(dict.fromkeys(name for _, _, name in meters))
    bar_meters = meters_of_bars([(tick / per_quarter, name) for tick, _, name in meters], bars)
    return RawScore(title, tuple(tracks), bars, (), playback_tempo(tempos[0]), names, tuple(tempos),
                    off_grid_share(onsets), bar_meters)
