"""The course's reading of its own file, original_metheny.mid (the `metheny` preset)."""

from __future__ import annotations

from functools import cache

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
    """original_metheny.mid read as the course reads it, giving the course's 193 values (78 unique) exactly.

    Melody: part 5 (the guitar, both voices, in onset order); chords: part 0 (the piano), notes that
    music21 gathers into chords (onsets and ends within 1/16 of a quarter); offsets 476 to 548, in 4/4
    bars; every offset and duration on the course's grid, no rests. Parts 1, 6 and 7 are accompaniment
    for playback only, as in the course. The values are the course's grammar (see `course_value`).
    """
    midi = midi_file(data)
    per_quarter = midi.ticks_per_beat
    tracks = midi_tracks(midi)
    if len(tracks) < 6:
        raise BadScoreError("The metheny preset is for the course's original_metheny.mid, "
                            f"which has 19 parts; this file has {len(tracks)}.")
    melody = [(quantize(s / per_quarter), quantize((e - s) / per_quarter) or 0.25, p)
              for s, e, p in sorted(tracks[METHENY_MELODY_PART][3])]
    melody.sort(key=lambda note: note[0])  # stable: notes on one grid point keep their onset order
    chords = [(quantize(s / per_quarter), pitches) for s, pitches in _gather_chords(tracks[0][3], per_quarter)]
    measures, values = [], []
    for start in range(476, 548, 4):
        notes = [n for n in melody if start <= n[0] < start + 4]
        inside = [c for c in chords if start <= c[0] < start + 4]
        values += course_measure_values(notes, inside or _last_bar_chords(chords, start))
        measures.append(Measure(4.0, tuple(Note(snap(o - start), d, p) for o, d, p in notes),
                                tuple(Chord(snap(o - start), ps, chord_scale(ps)) for o, ps in inside)))
    tempo = midi_meta(midi)[1][0]
    origin = ("melody: part 5 (Guitar, two voices merged); harmony: piano chords (part 0), as the course reads it "
              "(its grid, no rests, its grammar: the course's 193 values)")
    return Piece("And Then I Knew (Pat Metheny), bars 120-137", tuple(fill_missing_chords(measures)), tempo,
                 origin, tuple(values))


def _last_bar_chords(chords, start: float) -> list:
    """The chords of the last bar before `start` that has any (else of the first bar that has), as the course does."""
    earlier = [c for c in chords if c[0] < start]
    bar = (earlier[-1][0] // 4) if earlier else (chords[0][0] // 4)
    return [c for c in chords if c[0] // 4 == bar]


def course_measure_values(notes: list[tuple[float, float, int]], chords: list) -> list[str]:
    """One bar's values in the course's grammar: type against the last chord at or before the note
    (the bar's first chord before it), the note's own duration, and the leap from the bar's previous note
    as music21 names it, plus and minus a minor third. A bar starts without a leap."""
    values, previous = [], None
    for offset, duration, pitch in notes:
        before = [c for c in chords if c[0] <= offset]
        chord = (before or chords)[-1 if before else 0]
        value = f"{_course_types(chord[1])[pitch % 12]},{duration:.3f}"
        if previous is not None:
            value += "," + _course_window(previous, pitch)
        values.append(value)
        previous = pitch
    return values


@cache
def _course_types(pitches: tuple[int, ...]) -> tuple[str, ...]:
    """For each pitch class, its type over this chord as the course judges it with music21: C if its name is a
    chord tone, S if in the major (major chords) or Dorian scale music21 derives from the chord, A if a half
    step from a chord tone, else X."""
    from music21 import chord, pitch, scale

    music21_chord = chord.Chord([pitch.Pitch(midi=p) for p in pitches])
    kind = scale.MajorScale() if music21_chord.quality == "major" else scale.DorianScale()
    in_scale = {p.name for p in kind.derive(music21_chord).getPitches()}
    near = set()
    for tone in music21_chord.pitches:
        for step in (tone.transpose(1), tone.transpose(-1)):
            near |= {step.name, step.getEnharmonic().name}
    types = []
    for pitch_class in range(12):
        name = pitch.Pitch(midi=60 + pitch_class).name  # music21's spelling of a MIDI note, as the course reads it
        types.append("C" if name in music21_chord.pitchNames else "S" if name in in_scale else
                     "A" if name in near else "X")
    return tuple(types)


@cache
def _course_window(previous: int, current: int) -> str:
    """The course's leap window '<up,down>': music21's interval between the two notes plus and minus a minor third."""
    from music21 import interval, note, pitch

    start, end = (note.Note(pitch.Pitch(midi=p)) for p in (previous, current))
    leap = interval.Interval(noteStart=start, noteEnd=end)
    return f"<{interval.add([leap, 'm3']).directedName},{interval.subtract([leap, 'm3']).directedName}>"


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
