"""Reading a take's MIDI file back for notation: the solo's notes on the grammar's grid, and its chords.

A take's MIDI (as `jazz_core.midi_writer` writes it) has a "Solo" track, and a "Chords" track unless
it was left out. Swing moved its off-beat eighths late; `unswing` moves them back, so a swung take is
written as straight eighths again. The chords are best given as the changes it was played over
(`--changes`, the same text or preset as for `generate`); without them they are read from the
"Chords" track, a chord at each change of its notes, and named from those notes (comped,
rootless voicings name less well than held chords).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from jazz_core.errors import BadScoreError, SettingsError
from jazz_core.feel import SWING_RATIOS
from jazz_core.grammar import chord_scale
from jazz_core.midi_writer import CHORD_TRACK, SOLO_TRACK
from jazz_core.music import Chord, Measure, Note, snap


@dataclass(frozen=True)
class TakeMusic:
    """What a take's MIDI file holds for a lead sheet: the solo, the progression, the tempo."""

    notes: tuple[Note, ...]
    progression: tuple[Measure, ...]
    tempo_bpm: float


def unswing(time: float, ratio: float) -> float:
    """Where a swung time (quarters) was written: the inverse of `jazz_core.feel.swing_time`."""
    if ratio == 1.0:
        return time
    beat = math.floor(time + 1e-9)
    fraction, split = time - beat, ratio / (1.0 + ratio)
    if fraction <= split:
        return beat + fraction * 0.5 / split
    return beat + 0.5 + (fraction - split) * 0.5 / (1.0 - split)


def _tracks(midi: bytes):
    import pretty_midi

    if bytes(midi[:4]) != b"MThd":
        raise BadScoreError("This is not a MIDI file: notate reads the MIDI file of a take.")
    try:
        score = pretty_midi.PrettyMIDI(io.BytesIO(midi))
    except (OSError, EOFError, ValueError, LookupError, ZeroDivisionError):
        raise BadScoreError("This MIDI file is damaged and cannot be read.") from None
    tracks = {(t.name or "").strip(): t for t in score.instruments}
    if SOLO_TRACK not in tracks or not tracks[SOLO_TRACK].notes:
        raise BadScoreError(f"This MIDI file has no {SOLO_TRACK!r} track with notes: notate reads the MIDI "
                            "file of a take made by this app (generate --out, or the page's MIDI download).")
    tempo = score.get_tempo_changes()[1]
    return tracks, float(tempo[0]) if len(tempo) else 120.0


def _solo(track, seconds: float, ratio: float) -> tuple[Note, ...]:
    notes = []
    for note in sorted(track.notes, key=lambda n: n.start):
        start, end = snap(unswing(note.start / seconds, ratio)), snap(unswing(note.end / seconds, ratio))
        if notes and start <= notes[-1].offset:
            continue  # one line: the first of notes starting together
        notes.append(Note(start, max(end - start, 1 / 12), note.pitch))
    return tuple(notes)


def _chords(track, seconds: float, ratio: float, beats_per_bar: float, bars: int) -> tuple[Measure, ...]:
    """Bars of chords read from the chord track: a new chord wherever its sounding notes change."""
    onsets: dict[float, set[int]] = {}
    for note in track.notes if track else ():
        onsets.setdefault(snap(unswing(note.start / seconds, ratio)), set()).add(note.pitch)
    changes, previous = [], None
    for time in sorted(onsets):
        classes = frozenset(p % 12 for p in onsets[time])
        if classes != previous:
            changes.append((time, tuple(sorted(onsets[time]))))
            previous = classes
    measures = []
    for bar in range(bars):
        start = bar * beats_per_bar
        held = [c for c in changes if c[0] <= start + 1e-9][-1:]
        inside = [c for c in changes if start + 1e-9 < c[0] < start + beats_per_bar]
        chords = [Chord(snap(max(t - start, 0.0)), p, chord_scale(p)) for t, p in held + inside]
        measures.append(Measure(beats_per_bar, (), tuple(chords)))
    return tuple(measures)


def read_take(midi: bytes, swing: str = "straight", changes: tuple[Measure, ...] = (),
              beats_per_bar: float = 4.0) -> TakeMusic:
    """The solo and chords of a take's MIDI file; `swing` as it was generated, `changes` as it was played over."""
    if swing not in SWING_RATIOS:
        raise SettingsError(f"swing must be one of {', '.join(SWING_RATIOS)}, not {swing!r}")
    tracks, tempo = _tracks(midi)
    seconds, ratio = 60.0 / tempo, SWING_RATIOS[swing]
    notes = _solo(tracks[SOLO_TRACK], seconds, ratio)
    if changes:
        return TakeMusic(notes, tuple(changes), tempo)
    end = max(n.offset + n.duration for n in notes)
    bars = max(1, math.ceil(end / beats_per_bar - 1e-9))
    return TakeMusic(notes, _chords(tracks.get(CHORD_TRACK), seconds, ratio, beats_per_bar, bars), tempo)
