"""Writing MIDI: the solo on one track, the chords on another, at the chosen tempo and instruments."""

from __future__ import annotations

import io
from collections.abc import Sequence

from jazz_core.grammar import Timeline
from jazz_core.music import Measure, Note
from jazz_core.settings import PlaybackSettings

SOLO_TRACK, CHORD_TRACK = "Solo", "Chords"
SOLO_VELOCITY, CHORD_VELOCITY = 100, 62


def voice_chord(pitches: Sequence[int], low: int = 48, high: int = 72) -> list[int]:
    """The chord's pitch classes placed between `low` and `high`, bottom up, one each: a compact comping voicing."""
    voiced = []
    for pitch in dict.fromkeys(p % 12 for p in sorted(pitches)):
        note = low + (pitch - low) % 12
        voiced.append(note if note < high else note - 12)
    return sorted(voiced)


def chord_spans(measures: Sequence[Measure], until: float) -> list[tuple[float, float, tuple[int, ...]]]:
    """(start, end, pitches) of every chord of the looped progression up to `until` quarters."""
    timeline = Timeline(measures)
    spans, bar_start, index = [], 0.0, 0
    while bar_start < until:
        measure = timeline.measures[index % len(measures)]
        starts = [c.offset for c in measure.chords] + [measure.length]
        for chord, end in zip(measure.chords, starts[1:], strict=False):
            spans.append((bar_start + chord.offset, bar_start + end, chord.pitches))
        bar_start += measure.length
        index += 1
    return spans


def write_midi(notes: Sequence[Note], measures: Sequence[Measure],
               playback: PlaybackSettings = PlaybackSettings()) -> bytes:
    """A type-1 MIDI file of the solo (and its chords, whole bars) as bytes."""
    import pretty_midi

    seconds = 60.0 / playback.tempo_bpm
    midi = pretty_midi.PrettyMIDI(initial_tempo=playback.tempo_bpm)
    solo = pretty_midi.Instrument(program=playback.solo_program, name=SOLO_TRACK)
    for note in notes:
        if note.pitch is not None:
            solo.notes.append(pretty_midi.Note(SOLO_VELOCITY, note.pitch, note.offset * seconds,
                                               (note.offset + note.duration) * seconds))
    midi.instruments.append(solo)
    if playback.chords and measures:
        end = max((n.offset + n.duration for n in notes), default=0.0)
        comping = pretty_midi.Instrument(program=playback.chord_program, name=CHORD_TRACK)
        for start, stop, pitches in chord_spans(measures, end):
            for pitch in voice_chord(pitches):
                comping.notes.append(pretty_midi.Note(CHORD_VELOCITY, pitch, start * seconds, stop * seconds))
        midi.instruments.append(comping)
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()
