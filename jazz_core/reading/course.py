"""The course's reading of its own file, original_metheny.mid (the `metheny` preset)."""

from __future__ import annotations

from jazz_core.errors import BadScoreError
from jazz_core.grammar import chord_scale
from jazz_core.music import Chord, Measure, Note, Piece, snap
from jazz_core.reading.harmony import fill_missing_chords
from jazz_core.reading.midi import midi_file, midi_meta, midi_tracks
from jazz_core.reading.raw import quantize

METHENY = "metheny"  # the course's reading of original_metheny.mid
METHENY_MELODY_PART = 5  # the course reads the solo from part 5 (the guitar) of original_metheny.mid
PRESETS = (METHENY,)


def is_course_file(tracks, data: bytes = b"") -> bool:
    """True for the course's original_metheny.mid: 19 parts with the guitar solo as part 5, or the
    guitar at part 5 and the song's title track ('AND THEN I KNEW') in the file. `tracks` are the
    file's parts (anything with a `name`: `Track`s, or a preflight report's parts)."""
    if len(tracks) <= METHENY_MELODY_PART or tracks[METHENY_MELODY_PART].name.strip().lower() != "guitar":
        return False
    return len(tracks) == 19 or b"and then i knew" in data[:65536].lower()


def read_metheny(data: bytes) -> Piece:
    """original_metheny.mid read as the course reads it.

    Melody: part 5 (the guitar, both voices); chords: part 0 (the piano), notes that music21
    gathers into chords (onsets and ends within 1/16 of a quarter); offsets 476 to 548, in 4/4
    bars. Parts 1, 6 and 7 are accompaniment for playback only, as in the course.
    """
    midi = midi_file(data)
    per_quarter = midi.ticks_per_beat
    tracks = midi_tracks(midi)
    if len(tracks) < 6:
        raise BadScoreError("The metheny preset is for the course's original_metheny.mid, "
                            f"which has 19 parts; this file has {len(tracks)}.")
    melody = sorted((quantize(s / per_quarter), quantize((e - s) / per_quarter) or 0.25, p)
                    for s, e, p in tracks[METHENY_MELODY_PART][3])
    chords = [(quantize(s / per_quarter), pitches) for s, pitches in _gather_chords(tracks[0][3], per_quarter)]
    measures = []
    for start in range(476, 548, 4):
        notes = tuple(Note(snap(o - start), d, p) for o, d, p in melody if start <= o < start + 4)
        inside = [Chord(snap(o - start), ps, chord_scale(ps)) for o, ps in chords if start <= o < start + 4]
        measures.append(Measure(4.0, notes, tuple(inside)))
    measures = fill_missing_chords(measures)
    tempo = midi_meta(midi)[1][0]
    origin = "melody: part 5 (Guitar, two voices merged); harmony: piano chords (part 0), as the course reads it"
    return Piece("And Then I Knew (Pat Metheny), bars 120-137", tuple(measures), tempo, origin)


def _gather_chords(notes: list[tuple[int, int, int]], per_quarter: int) -> list[tuple[int, tuple[int, ...]]]:
    """Notes that start and end within 1/16 of a quarter of each other, as music21 makes chords of them."""
    tolerance = per_quarter / 16
    taken = [False] * len(notes)
    chords = []
    for i, (start, end, pitch) in enumerate(notes):
        if taken[i]:
            continue
        group = [pitch]
        for j in range(i + 1, len(notes)):
            other_start, other_end, other_pitch = notes[j]
            if abs(other_start - start) >= tolerance:
                break
            if abs(other_end - end) <= tolerance:
                group.append(other_pitch)
                taken[j] = True
        if len(group) > 1:
            chords.append((start, tuple(sorted(group))))
    return chords
