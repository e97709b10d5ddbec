"""Writing MIDI: the solo, its chords and an optional rhythm section, each on its own track.

Feel (swing, accents, humanisation) is applied here, so it reaches the audio and the download alike.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from jazz_core.band import comping, ride_pattern, walking_bass
from jazz_core.feel import Event, perform
from jazz_core.music import Measure, Note
from jazz_core.progression import ChordSpan, Timeline, chord_spans
from jazz_core.settings import PlaybackSettings

SOLO_TRACK, CHORD_TRACK, BASS_TRACK, DRUM_TRACK = "Solo", "Chords", "Bass", "Drums"
SOLO_VELOCITY, CHORD_VELOCITY = 96, 62


def voice_chord(pitches: Sequence[int], low: int = 48, high: int = 72) -> list[int]:
    """The chord's pitch classes placed between `low` and `high`, bottom up, one each: a compact comping voicing."""
    voiced = []
    for pitch in dict.fromkeys(p % 12 for p in sorted(pitches)):
        note = low + (pitch - low) % 12
        voiced.append(note if note < high else note - 12)
    return sorted(voiced)


def solo_events(notes: Sequence[Note]) -> list[Event]:
    return [Event(n.offset, n.offset + n.duration, n.pitch, SOLO_VELOCITY) for n in notes if n.pitch is not None]


def held_chords(spans: Sequence[ChordSpan]) -> list[Event]:
    return [Event(s.start, s.end, pitch, CHORD_VELOCITY) for s in spans for pitch in voice_chord(s.chord.pitches)]


def tracks(notes: Sequence[Note], measures: Sequence[Measure], playback: PlaybackSettings = PlaybackSettings(),
           seed: int = 0) -> dict[str, list[Event]]:
    """Every track's performed events, in quarter notes, by track name."""
    end = max((n.offset + n.duration for n in notes), default=0.0)
    spans = chord_spans(measures, end)

    def performed(events: list[Event], offset: int) -> list[Event]:
        return perform(events, playback.swing, playback.accents, playback.humanize, seed + offset)

    parts = {SOLO_TRACK: performed(solo_events(notes), 0)}
    if playback.chords and spans:
        parts[CHORD_TRACK] = performed(comping(spans) if playback.comping else held_chords(spans), 1)
    if playback.bass and spans:
        parts[BASS_TRACK] = performed(walking_bass(spans, seed), 2)
    if playback.drums and spans:
        parts[DRUM_TRACK] = performed(ride_pattern(spans[-1].end), 3)
    return parts


def write_midi(notes: Sequence[Note], measures: Sequence[Measure],
               playback: PlaybackSettings = PlaybackSettings(), seed: int = 0) -> bytes:
    """A type-1 MIDI file of the solo and its accompaniment, as bytes."""
    import pretty_midi

    seconds = 60.0 / playback.tempo_bpm
    programs = {SOLO_TRACK: playback.solo_program, CHORD_TRACK: playback.chord_program,
                BASS_TRACK: playback.bass_program, DRUM_TRACK: 0}
    midi = pretty_midi.PrettyMIDI(initial_tempo=playback.tempo_bpm)
    for name, events in tracks(notes, measures, playback, seed).items():
        track = pretty_midi.Instrument(program=programs[name], name=name, is_drum=name == DRUM_TRACK)
        track.notes = [pretty_midi.Note(e.velocity, e.pitch, e.start * seconds, e.end * seconds) for e in events]
        midi.instruments.append(track)
    midi.time_signature_changes = time_signatures(notes, measures, seconds)
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()


def time_signatures(notes: Sequence[Note], measures: Sequence[Measure], seconds: float) -> list:
    """The progression's meter at the start and at every change, over the bars the solo covers (pretty_midi's)."""
    import pretty_midi

    from jazz_core.notation import meter_of

    if not measures:
        return []
    timeline, end = Timeline(measures), max((n.offset + n.duration for n in notes), default=0.0)
    changes, previous, bar = [], "", 0
    while bar == 0 or timeline.bar_start(bar) < end - 1e-9:
        meter = meter_of(timeline.measure(bar))
        if meter != previous:
            top, bottom = (int(n) for n in meter.split("/"))
            changes.append(pretty_midi.TimeSignature(top, bottom, timeline.bar_start(bar) * seconds))
            previous = meter
        bar += 1
    return changes
