"""A take as a lead sheet: bars of written notes, rests and chord symbols, spelled and transposed for a player.

Plain data only (no music21 here): `lead_sheet` turns a solo's notes and the looped progression it
was played over into `Bar`s that `jazz_core.engraving` writes as MusicXML and engraves as SVG.

How it is written, as a reader expects:
- Times are twelfths of a quarter, the grammar's grid, so triplets (4/12) and sixteenths (3/12)
  are exact. A note is cut at the bar line and tied over; a note that starts off the beat is cut
  at the next beat; from a beat, whole beats are written with the fewest values that do not hide
  the middle of a 4/4 bar (a half note starts on beat 1 or 3, a dotted quarter too).
- The key signature is the source's when known, else estimated from the progression: the major
  key whose scale holds most of the chords' notes, time-weighted, with a bonus for its tonic (or
  relative minor's) as a chord root.
- Spelling follows the chord sounding at the note's start (a dominant's flat nine is a flat, its
  third a sharp where it must be: F# over D7 in F), else the key (flats in flat keys); spellings
  on the line of fifths beyond Gb..A# (Cb, Fb, E#, B#, doubles) are swapped for their enharmonic.
- Swing is written as straight eighths, marked "Swing" over the tempo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from jazz_core.errors import SettingsError
from jazz_core.grammar import chord_quality
from jazz_core.music import GRID, Chord, Measure, Note
from jazz_core.progression import Timeline
from jazz_core.spelling import (
    Spelling,
    chord_root_place,
    estimate_key,
    normal_key,
    root_name,
    root_place,
    spell,
    split_symbol,
)

ON_BEAT = (48, 36, 24, 18, 12, 6)  # lengths in twelfths written from a beat: whole ... eighth
IN_BEAT = (9, 8, 6, 4, 3, 2, 1)  # inside a beat: dotted eighth, triplet quarter, eighth, triplet eighth, ...
_ALIGN = {9: 3, 8: 4, 6: 3, 4: 4, 3: 3, 2: 2, 1: 1}  # an in-beat length starts on a multiple of this


@dataclass(frozen=True)
class Part:
    """How a player's part is written: sounding pitch + `semitones`, key signature + `fifths`, in `clef`."""

    name: str  # as a menu offers it
    label: str  # as the staff shows it
    semitones: int
    fifths: int
    clef: str = "treble"


PARTS = {
    "concert": Part("Concert pitch", "Concert", 0, 0),
    "bb-tenor": Part("B-flat tenor sax (a major ninth up)", "Tenor sax in B♭", 14, 2),
    "bb": Part("B-flat trumpet, soprano sax, clarinet (a major second up)", "in B♭", 2, 2),
    "eb-alto": Part("E-flat alto sax (a major sixth up)", "Alto sax in E♭", 9, 3),
    "eb-baritone": Part("E-flat baritone sax (an octave and a major sixth up)", "Bari sax in E♭", 21, 3),
    "bass": Part("Bass clef (an octave down)", "Bass clef", -12, 0, "bass"),
}


@dataclass(frozen=True)
class WrittenNote:
    """One written note or rest of a bar: start and length in twelfths of a quarter; ties as MusicXML names them."""

    start: int
    length: int
    pitch: int | None  # written MIDI pitch; None for a rest
    spelling: Spelling | None = None
    tie: str = ""  # "", "start", "continue" or "stop"
    kind: str = ""  # the grammar type C/S/A/X the model chose
    accidental: bool = False  # its sharp, flat or natural is printed


@dataclass(frozen=True)
class ChordSymbol:
    """A written chord symbol: where it starts in the bar (twelfths), its root spelled, its quality ('m7', '7b9')."""

    start: int
    root: str  # e.g. "Bb", "F#"
    quality: str

    @property
    def text(self) -> str:
        return self.root + self.quality


@dataclass(frozen=True)
class Bar:
    """One bar of the lead sheet: its meter, length in twelfths, notes and rests filling it, chord symbols."""

    number: int  # from 1
    meter: str  # e.g. "4/4"
    length: int
    notes: tuple[WrittenNote, ...]
    chords: tuple[ChordSymbol, ...]


@dataclass(frozen=True)
class LeadSheet:
    """A take written out for one part."""

    title: str
    bars: tuple[Bar, ...]
    fifths: int  # key signature: flats negative, sharps positive
    tempo_bpm: float
    swing: bool
    part: Part
    clef: str = "treble"


# --- chord symbols ------------------------------------------------------------------------------


def written_chord(chord: Chord, start: int, concert_key: int, part: Part) -> ChordSymbol:
    """The chord symbol as the part's player reads it, its root moved by the part's transposition."""
    quality = split_symbol(chord.symbol)[1] if chord.symbol else chord_quality(chord.pitches)
    shift = _shift(concert_key, part)
    quality, _, bass = quality.partition("/")
    if bass:  # a slash chord's bass moves with the root
        quality += "/" + root_name(root_place(bass) + shift)
    return ChordSymbol(start, root_name(chord_root_place(chord, concert_key) + shift), quality)


def _shift(concert_key: int, part: Part) -> int:
    """Places on the line of fifths the part moves every spelling: its transposition, less 12 when the key
    would pass six sharps or flats (B major for an E-flat player is written in A-flat, not G-sharp)."""
    return normal_key(concert_key + part.fifths) - concert_key


# --- rhythm -----------------------------------------------------------------------------------------


def _fits_on_beat(start: int, length: int, beat: int) -> bool:
    """Whether a value of `length` may start at `start` (a beat) without hiding a stronger beat."""
    if length % beat and length != 18:
        return False
    if length in (48, 24):
        return start % length == 0
    if length in (36, 18):  # dotted half from the bar's start, dotted quarter from beat 1 or 3 of 4/4
        return start % (48 if length == 36 else 24 if beat == 12 else 18) == 0
    return True


def note_lengths(start: int, end: int, beat: int = 12) -> list[int]:
    """The written values (twelfths) for a sound from `start` to `end` inside one bar, to be tied together."""
    lengths = []
    while start < end:
        on_beat = start % beat == 0 and end - start >= beat
        whole = [n for n in ON_BEAT if on_beat and start + n <= end and _fits_on_beat(start, n, beat)]
        limit = min(end, (start // beat + 1) * beat)
        length = next(iter(whole), None) or next(n for n in IN_BEAT if start + n <= limit and start % _ALIGN[n] == 0)
        lengths.append(length)
        start += length
    return lengths


def meter_of(measure: Measure) -> str:
    """The bar's time signature: the source's when the measure carries one, else read from its length."""
    meter = getattr(measure, "meter", "")  # added to Measure by the reading stage (#13) when known
    if meter:
        return meter
    quarters = measure.length
    if float(quarters).is_integer():
        return f"{int(quarters)}/4"
    eighths = quarters * 2
    return f"{round(eighths)}/8" if float(eighths).is_integer() else f"{round(quarters * 4)}/16"


def beat_of(meter: str) -> int:
    """A beat in twelfths: a quarter in x/4, a dotted quarter in 6/8, 9/8, 12/8, an eighth in other x/8."""
    top, bottom = (int(n) for n in meter.split("/"))
    unit = 4 * GRID // bottom
    return unit * 3 if bottom == 8 and top % 3 == 0 and top > 3 else max(unit, GRID // 4)


def _ties(index: int, count: int, tied_in: bool, tied_out: bool) -> str:
    before, after = tied_in or index > 0, tied_out or index < count - 1
    return "continue" if before and after else "start" if after else "stop" if before else ""


def _written(start: int, end: int, beat: int, note: Note | None, tied: tuple[bool, bool], pitch: int | None,
             spelling: Spelling | None) -> list[WrittenNote]:
    """A note's (or a rest's) part of one bar as tied written values."""
    lengths, written = note_lengths(start, end, beat), []
    for index, length in enumerate(lengths):
        tie = _ties(index, len(lengths), *tied) if pitch is not None else ""
        written.append(WrittenNote(start, length, pitch, spelling, tie, note.kind if note else ""))
        start += length
    return written


@dataclass(frozen=True)
class _Sound:
    start: int  # twelfths from the start of the solo
    end: int
    note: Note
    pitch: int  # written
    spelling: Spelling


def _bar_notes(sounds: Sequence[_Sound], bar_start: int, bar_length: int, beat: int) -> list[WrittenNote]:
    """The written notes of one bar, rests filling the gaps between sounds."""
    notes, time, bar_end = [], bar_start, bar_start + bar_length
    for sound in sounds:
        if sound.end <= bar_start or sound.start >= bar_end:
            continue
        start, end = max(sound.start, bar_start), min(sound.end, bar_end)
        if start > time:
            notes += _written(time - bar_start, start - bar_start, beat, None, (False, False), None, None)
        tied = (sound.start < bar_start, sound.end > bar_end)
        notes += _written(start - bar_start, end - bar_start, beat, sound.note, tied, sound.pitch, sound.spelling)
        time = end
    if time < bar_end:
        rest = [WrittenNote(0, bar_length, None)] if time == bar_start else \
            _written(time - bar_start, bar_length, beat, None, (False, False), None, None)
        notes += rest
    return notes


def key_alterations(fifths: int) -> dict[str, int]:
    """Each letter's alteration under a key signature: F# first for sharps, Bb first for flats."""
    order = "FCGDAEB" if fifths >= 0 else "BEADGCF"
    return {step: (1 if fifths > 0 else -1) if step in order[:abs(fifths)] else 0 for step in "CDEFGAB"}


def mark_accidentals(notes: Sequence[WrittenNote], fifths: int) -> list[WrittenNote]:
    """The accidentals a reader needs: where a note differs from the key or from the same note earlier in the
    bar; a note tied from before prints none, and an alteration lasts to the bar line."""
    in_key, sounding, marked = key_alterations(fifths), {}, []
    for note in notes:
        if note.spelling is None:
            marked.append(note)
            continue
        place = (note.spelling.step, note.spelling.octave)
        shown = note.spelling.alter != sounding.get(place, in_key[note.spelling.step]) and \
            note.tie not in ("stop", "continue")
        sounding[place] = note.spelling.alter
        marked.append(replace(note, accidental=shown))
    return marked


def _bar_frames(measures: Sequence[Measure], end: int) -> list[tuple[int, Measure]]:
    """(start in twelfths, measure) of each bar of the looped progression the solo (ending at `end`) fills."""
    timeline = Timeline(measures)
    starts = timeline.bar_starts(max(end - 1, 0) / GRID)[:-1]
    return [(round(start * GRID), timeline.measure(bar)) for bar, start in enumerate(starts)]


def _sounds(notes: Sequence[Note], frames, concert_key: int, part: Part) -> list[_Sound]:
    """The solo's notes as one line in twelfths (each cut at the next onset), written and spelled for the part."""
    pitched = sorted((n for n in notes if n.pitch is not None), key=lambda n: n.offset)
    starts = [start for start, _ in frames]
    sounds = []
    for index, note in enumerate(pitched):
        start, end = round(note.offset * GRID), round((note.offset + note.duration) * GRID)
        if index + 1 < len(pitched):
            end = min(end, round(pitched[index + 1].offset * GRID))
        if end <= start:
            continue
        bar_start, measure = frames[max(0, sum(s <= start for s in starts) - 1)]
        chord = measure.chord_at((start - bar_start) / GRID)
        root = None if chord is None or not chord.pitches else \
            chord_root_place(chord, concert_key) + _shift(concert_key, part)
        pitch = note.pitch + part.semitones
        sounds.append(_Sound(start, end, note, pitch, spell(pitch, root, normal_key(concert_key + part.fifths))))
    return sounds


def lead_sheet(notes: Sequence[Note], progression: Sequence[Measure], tempo_bpm: float = 120.0,
               swing: bool = False, title: str = "", part: str = "concert", key_fifths: int | None = None) -> LeadSheet:
    """Write a solo (notes timed from its start) over its looped progression for one part of PARTS.

    `key_fifths` is the source's key signature in concert pitch; None estimates it from the bars the solo
    is written over.
    """
    if part not in PARTS:
        raise SettingsError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    player = PARTS[part]
    measures = tuple(progression) or (Measure(4.0, (), ()),)
    end = max((round((n.offset + n.duration) * GRID) for n in notes), default=0)
    frames = _bar_frames(measures, end)
    # the key of the bars the solo is written over (a corpus of several pieces has several keys)
    concert_key = estimate_key([measure for _, measure in frames]) if key_fifths is None else key_fifths
    fifths = normal_key(concert_key + player.fifths)
    sounds = _sounds(notes, frames, concert_key, player)
    bars = []
    for number, (start, measure) in enumerate(frames, start=1):
        meter, length = meter_of(measure), round(measure.length * GRID)
        chords = tuple(written_chord(c, round(c.offset * GRID), concert_key, player) for c in measure.chords
                       if c.pitches or c.symbol)
        written = mark_accidentals(_bar_notes(sounds, start, length, beat_of(meter)), fifths)
        bars.append(Bar(number, meter, length, tuple(written), chords))
    return LeadSheet(title, tuple(bars), fifths, tempo_bpm, swing, player, player.clef)
