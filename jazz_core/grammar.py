"""The jazz grammar of Gillick, Tang and Keller (2009), as used by deepjazz and the course.

Each note or rest of a melody becomes a value ``TYPE,DURATION[,<HIGH,LOW>]``:

- TYPE is C (chord tone), S (scale tone), A (approach tone: a half step from a chord tone),
  X (anything else) or R (rest), judged against the chord sounding when the note starts;
- DURATION is in quarter notes, the time until the next note or rest, so onsets add up exactly;
- ``<HIGH,LOW>`` is the window of intervals, a minor third either side of the actual leap from
  the previous note (e.g. a whole step down gives ``<m2,P-4>``); the first note has none.

`encode_measures` turns measures into values; `decode_values` turns values back into notes
that fit any chords, choosing pitches of the asked type inside the window. The pitches are
new (that is the point: the grammar is what the model learns), the rhythm is kept exactly.

Differences from the original code, on purpose: notes are placed where they start (not one
duration late); measures have their own length (not always 4/4); A and X stay A and X; no
rhythm smoothing; interval names depend on the semitones only, not on how MIDI spelled them;
the scale of a chord follows chord-scale practice (Ionian, Mixolydian, Dorian, Locrian,
diminished) instead of music21's best-fit Dorian or major scale.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from itertools import accumulate

from jazz_core.music import GRID, Chord, Measure, Note, snap
from jazz_core.progression import Timeline

TYPES = ("C", "S", "A", "X", "R")
WINDOW = 3  # semitones either side of the real leap: a minor third, as in the paper

# --- interval names -------------------------------------------------------------------------

_SIMPLE = [("P", 1), ("m", 2), ("M", 2), ("m", 3), ("M", 3), ("P", 4), ("d", 5),
           ("P", 5), ("m", 6), ("M", 6), ("m", 7), ("M", 7)]
_MAJOR_OR_PERFECT = {1: 0, 2: 2, 3: 4, 4: 5, 5: 7, 6: 9, 7: 11}
_INTERVAL = re.compile(r"^(P|M|m|A+|d+)(-?)(\d+)$")


def interval_name(semitones: int) -> str:
    """Name a directed interval the way music21 does, e.g. 2 -> 'M2', -5 -> 'P-4', 13 -> 'm9'."""
    octaves, rest = divmod(abs(semitones), 12)
    quality, number = _SIMPLE[rest]
    sign = "-" if semitones < 0 else ""
    return f"{quality}{sign}{number + 7 * octaves}"


def interval_semitones(name: str) -> int:
    """Read a directed interval name back into semitones; accepts any quality (d5, A4, dd3...)."""
    match = _INTERVAL.match(name.strip())
    if not match:
        raise ValueError(f"not an interval name: {name!r}")
    quality, sign, number = match.group(1), match.group(2), int(match.group(3))
    if number < 1:
        raise ValueError(f"not an interval name: {name!r}")
    octaves, step = divmod(number - 1, 7)
    base = _MAJOR_OR_PERFECT[step + 1] + 12 * octaves
    perfect_kind = step + 1 in (1, 4, 5)
    if quality in ("P", "M"):
        shift = 0
    elif quality == "m":
        shift = -1
    elif quality.startswith("A"):
        shift = len(quality)
    else:  # diminished: one below perfect, two below major
        shift = -len(quality) - (0 if perfect_kind else 1)
    semitones = base + shift
    return -semitones if sign else semitones


# --- chords and note types ------------------------------------------------------------------

_MODES = {
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
    "diminished": (0, 2, 3, 5, 6, 8, 9, 11),
}


def chord_root(pitches: Sequence[int]) -> int:
    """The pitch class most likely to be the root: the one with the most thirds, fifths and sevenths above it."""
    classes = {p % 12 for p in pitches}
    bass = min(pitches) % 12

    def score(root: int) -> tuple[int, int]:
        above = {(c - root) % 12 for c in classes}
        points = 2 * bool(above & {3, 4}) + bool(above & {6, 7, 8}) + bool(above & {9, 10, 11})
        return points, root == bass

    return max(sorted(classes), key=score)


# Chord qualities by the intervals above the root, most specific first.
_QUALITIES = (
    ({4, 7, 11}, "maj7"), ({4, 7, 10}, "7"), ({3, 7, 10}, "m7"), ({3, 6, 10}, "m7b5"), ({3, 6, 9}, "dim7"),
    ({3, 7, 11}, "m(maj7)"), ({4, 7, 9}, "6"), ({3, 7, 9}, "m6"), ({4, 8}, "+"), ({3, 6}, "dim"),
    ({4, 10}, "7"), ({3, 10}, "m7"), ({4, 11}, "maj7"), ({4}, ""), ({3}, "m"), ({5, 7}, "sus4"), ({2, 7}, "sus2"),
    ({7}, "5"),
)


def chord_quality(pitches: Sequence[int]) -> str:
    """A chord's quality suffix from its notes ('m7', 'maj7', '' for a major triad), for chords with no symbol."""
    root = chord_root(pitches)
    above = {(p - root) % 12 for p in pitches}
    return next((name for needed, name in _QUALITIES if needed <= above), "")


def chord_scale(pitches: Sequence[int]) -> tuple[int, ...]:
    """The pitch classes of the scale a jazz player would use over this chord (chord-scale practice)."""
    if not pitches:
        return ()
    root = chord_root(pitches)
    above = {(p - root) % 12 for p in pitches}
    if 4 in above and 3 not in above:
        mode = "mixolydian" if 10 in above else "ionian"
    elif 3 in above and 6 in above and 7 not in above:
        mode = "diminished" if 9 in above and 10 not in above else "locrian"
    elif 3 in above:
        mode = "dorian"
    else:  # no third: suspended or a bare fifth
        mode = "mixolydian"
    return tuple(sorted((root + step) % 12 for step in _MODES[mode]))


def with_scale(chord: Chord) -> Chord:
    """The same chord with its scale filled in."""
    if chord.scale:
        return chord
    return Chord(chord.offset, chord.pitches, chord_scale(chord.pitches), chord.symbol)


def note_type(pitch: int, chord: Chord | None) -> str:
    """Classify a pitch against a chord: C, S, A or X (with no chord, every note is X)."""
    if chord is None or not chord.pitches:
        return "X"
    pc = pitch % 12
    tones = chord.pitch_classes
    if pc in tones:
        return "C"
    if pc in (chord.scale or chord_scale(chord.pitches)):
        return "S"
    if (pc + 1) % 12 in tones or (pc - 1) % 12 in tones:
        return "A"
    return "X"


# --- values ---------------------------------------------------------------------------------

def format_value(kind: str, duration: float, leap: int | None = None) -> str:
    """Write one value, e.g. ('C', 0.25, -2) -> 'C,0.250,<m2,P-4>'."""
    text = f"{kind},{duration:.3f}"
    if leap is not None and kind != "R":
        text += f",<{interval_name(leap + WINDOW)},{interval_name(leap - WINDOW)}>"
    return text


def parse_value(value: str) -> tuple[str, float, tuple[int, int] | None]:
    """Read one value into (type, duration, (low, high) semitone window or None)."""
    parts = value.split(",")
    if len(parts) not in (2, 4) or parts[0] not in TYPES:
        raise ValueError(f"not a grammar value: {value!r}")
    duration = snap(float(parts[1]))
    if duration < 0:
        raise ValueError(f"negative duration in {value!r}")
    if len(parts) == 2:
        return parts[0], duration, None
    first = interval_semitones(parts[2].lstrip("<"))
    second = interval_semitones(parts[3].rstrip(">"))
    return parts[0], duration, (min(first, second), max(first, second))


LEGATO_GAP = 0.5  # a silence shorter than an eighth note after a note is articulation, not a rest


def scaled_timeline(measures: Sequence[Measure]) -> Timeline:
    """The looped progression with every chord's scale filled in once, for judging and choosing many pitches."""
    return Timeline([Measure(m.length, m.notes, tuple(with_scale(c) for c in m.chords)) for m in measures])


def melody_line(measures: Sequence[Measure]) -> list[Note]:
    """The melody as one line on a single time axis: top note of simultaneous ones, each held until
    the next onset (short articulation gaps included), longer silences as rests."""
    starts = list(accumulate((m.length for m in measures), initial=0.0))
    top: dict[float, Note] = {}
    for start, measure in zip(starts, measures, strict=False):
        for note in measure.notes:
            onset = snap(start + note.offset)
            if note.pitch is not None and (onset not in top or note.pitch > top[onset].pitch):
                top[onset] = Note(onset, max(note.duration, 1 / GRID), note.pitch)
    onsets, end = sorted(top), starts[-1]
    line: list[Note] = []
    time = 0.0
    for i, onset in enumerate(onsets):
        if onset > time:
            line.append(Note(time, snap(onset - time)))
        following = onsets[i + 1] if i + 1 < len(onsets) else max(end, onset + top[onset].duration)
        sounding_until = onset + top[onset].duration
        stop = following if following - sounding_until < LEGATO_GAP else sounding_until
        line.append(Note(onset, snap(stop - onset), top[onset].pitch))
        time = snap(stop)
    return line


def encode_measures(measures: Sequence[Measure]) -> list[str]:
    """Turn measures of melody over chords into grammar values, one per note or rest of the melody line."""
    if not measures:
        return []
    timeline = scaled_timeline(measures)
    values: list[str] = []
    previous: int | None = None
    for note in melody_line(measures):
        if note.pitch is None:
            values.append(format_value("R", note.duration))
            continue
        leap = None if previous is None else note.pitch - previous
        values.append(format_value(note_type(note.pitch, timeline.chord_at(note.offset)), note.duration, leap))
        previous = note.pitch
    return values


# --- decoding -------------------------------------------------------------------------------

def _pitches_of_type(kind: str, chord: Chord | None, low: int, high: int) -> list[int]:
    return [p for p in range(low, high + 1) if note_type(p, chord) == kind]


def choose_pitch(kind: str, chord: Chord | None, window: tuple[int, int] | None, previous: int | None,
                 register: tuple[int, int], rng: random.Random) -> int:
    """A pitch of the asked type under `chord`, inside the leap window when there is one.

    When the window holds no such pitch it widens a semitone at a time, so the type the model
    chose is kept; only when no pitch of that type exists at all does the nearest pitch stand in.
    """
    bottom, top = register
    if window is None or previous is None:
        centre = previous if previous is not None else (bottom + top) // 2
        low, high = centre - 6, centre + 6
    else:
        low, high = previous + window[0], previous + window[1]
    for widen in range(25):
        lo, hi = max(bottom, low - widen), min(top, high + widen)
        choices = _pitches_of_type(kind, chord, lo, hi)
        if len(choices) > 1 and previous in choices:
            choices.remove(previous)
        if choices:
            return rng.choice(choices)
    return min(max(previous if previous is not None else (bottom + top) // 2, bottom), top)


def decode_values(values: Iterable[str], measures: Sequence[Measure], seed: int = 0,
                  register: tuple[int, int] = (52, 84), previous: int | None = None,
                  start: float = 0.0) -> list[Note]:
    """Play values one after another over the measures' chords (looped as long as needed).

    Returns notes and rests timed from the start of the first measure. Each keeps its place and
    its duration; its pitch is of the type the value asks for, under the chord sounding when it
    starts, inside the value's leap window. Values of zero length are dropped.
    """
    timeline = scaled_timeline(measures)
    rng = random.Random(seed)
    notes: list[Note] = []
    time = snap(start)
    for value in values:
        kind, duration, window = parse_value(value)
        if duration <= 0:
            continue
        if kind == "R":
            notes.append(Note(time, duration, None, "R"))
        else:
            pitch = choose_pitch(kind, timeline.chord_at(time), window, previous, register, rng)
            notes.append(Note(time, duration, pitch, kind))
            previous = pitch
        time = snap(time + duration)
    return notes
