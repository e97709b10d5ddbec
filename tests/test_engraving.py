"""MusicXML written by music21 and read back by music21; SVG engraved by verovio."""

from __future__ import annotations

import pytest
from music21 import converter, expressions, harmony, interval, key, meter, note, tempo

from jazz_core import engraving
from jazz_core.bundle import load_bundle
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.music import Note
from jazz_core.notation import lead_sheet
from jazz_core.pipeline import generate
from jazz_core.settings import GenerateSettings, PlaybackSettings
from tests.conftest import ROOT

BLUES = parse_changes(PRESETS["12-bar blues in F"])


@pytest.fixture(scope="module")
def take():
    bundle = load_bundle(ROOT / "assets" / "default_model")
    playback = PlaybackSettings(swing="medium", tempo_bpm=150)
    return generate(bundle, GenerateSettings(values=120, seed=7), playback, BLUES)


def read(sheet):
    """The sheet's first part as music21 reads it back; a printed natural reads back as an Accidental, and the
    note tied on from it as none, so both are made plain here for stripTies to join them."""
    part = converter.parse(engraving.musicxml(sheet), format="musicxml").parts[0]
    for element in part.recurse().getElementsByClass(note.Note):
        if element.pitch.accidental is not None and element.pitch.accidental.alter == 0:
            element.pitch.accidental = None
    return part


def twelfths(pitch: int, offset: float, length: float) -> tuple[int, int, int]:
    return pitch, round(offset * 12), round(length * 12)


def sounding(part) -> list[tuple[int, int, int]]:
    """(MIDI pitch, offset, length) of each note, tied notes joined, in twelfths of a quarter."""
    notes = part.stripTies().flatten().getElementsByClass(note.Note)
    return [twelfths(n.pitch.midi, float(n.offset), float(n.quarterLength)) for n in notes]


def test_musicxml_has_the_takes_notes_and_chords(take):
    part = read(engraving.take_sheet(take, title="Blues"))
    expected = [twelfths(n.pitch, n.offset, n.duration) for n in take.notes if n.pitch is not None]
    assert sounding(part) == expected
    symbols = [(float(s.offset), s.root().pitchClass, {p.pitchClass for p in s.pitches})
               for s in part.flatten().getElementsByClass(harmony.ChordSymbol)]
    bars = len(part.getElementsByClass("Measure"))
    chords = [(4.0 * b + c.offset, c.pitches[0] % 12, {p % 12 for p in c.pitches}) for b in range(bars)
              for c in BLUES[b % 12].chords]
    assert symbols == chords


def test_musicxml_has_meter_key_tempo_and_swing(take):
    part = read(engraving.take_sheet(take))
    assert [t.ratioString for t in part.flatten().getElementsByClass(meter.TimeSignature)] == ["4/4"]
    assert [k.sharps for k in part.flatten().getElementsByClass(key.KeySignature)] == [-1]  # F: the blues' key
    assert [m.number for m in part.flatten().getElementsByClass(tempo.MetronomeMark)] == [150]
    assert [t.content for t in part.flatten().getElementsByClass(expressions.TextExpression)] == ["Swing"]


def test_three_four_is_written_in_three_four():
    waltz = parse_changes("| Dm7 | G7 | Cmaj7 | % |", beats_per_bar=3)
    part = read(lead_sheet([Note(0.0, 3.0, 62), Note(3.0, 6.0, 67)], waltz))
    assert [t.ratioString for t in part.flatten().getElementsByClass(meter.TimeSignature)] == ["3/4"]
    assert [float(m.duration.quarterLength) for m in part.getElementsByClass("Measure")] == [3.0, 3.0, 3.0]
    assert [k.sharps for k in part.flatten().getElementsByClass(key.KeySignature)] == [0]


def test_triplets_are_three_in_the_time_of_two():
    notes = [Note(i / 3, 1 / 3, 60 + i, "C") for i in range(3)] + [Note(1.0, 2 / 3, 65, "S"), Note(5 / 3, 1 / 3, 67)]
    part = read(lead_sheet(notes, BLUES))
    written = list(part.flatten().getElementsByClass(note.Note))
    assert len(written) == 5
    for element in written:
        (tuplet,) = element.duration.tuplets
        assert (tuplet.numberNotesActual, tuplet.numberNotesNormal) == (3, 2)
    assert [float(n.quarterLength) for n in written] == pytest.approx([1 / 3] * 3 + [2 / 3, 1 / 3])


def test_rests_fill_the_gaps():
    part = read(lead_sheet([Note(1.0, 1.0, 65)], BLUES))
    rests = [(float(r.offset), float(r.quarterLength)) for r in part.flatten().getElementsByClass(note.Rest)]
    assert rests == [(0.0, 1.0), (2.0, 2.0)]


@pytest.mark.parametrize(("part_name", "between"), [("bb-tenor", "M9"), ("bb", "M2"), ("eb-alto", "M6")])
def test_transposed_parts_sound_the_same_music(take, part_name, between):
    """Every written note is the interval above concert; a few are respelled (B for Cb) so not by name."""
    concert = read(engraving.take_sheet(take)).stripTies().flatten().getElementsByClass(note.Note)
    written = read(engraving.take_sheet(take, part_name)).stripTies().flatten().getElementsByClass(note.Note)
    intervals = [interval.Interval(c.pitch, w.pitch) for c, w in zip(concert, written, strict=True)]
    assert len(intervals) > 50
    assert {i.semitones for i in intervals} == {interval.Interval(between).semitones}
    assert sum(i.name == between for i in intervals) >= 0.95 * len(intervals)


def test_svg_has_a_notehead_per_note_and_a_bar_per_bar(take):
    sheet = engraving.take_sheet(take)
    kinds = engraving.note_kinds(sheet)
    drawn = engraving.svg(engraving.musicxml(sheet), kinds)
    written = sum(n.pitch is not None for bar in sheet.bars for n in bar.notes)
    assert engraving.count(drawn, "notehead") == written == len(kinds)
    assert engraving.count(drawn, "measure") == len(sheet.bars) > 8
    for kind, colour in engraving.KIND_COLOURS.items():  # each note group drawn in its type's colour
        assert drawn.count(f'class="note" color="{colour}"') == kinds.count(kind)
    assert kinds.count("C") > 10 and kinds.count("S") > 5


def test_svg_noteheads_match_the_notes_when_nothing_is_tied():
    notes = [Note(float(beat), 1.0, 60 + beat, "C") for beat in range(8)]
    drawn = engraving.svg(engraving.musicxml(lead_sheet(notes, BLUES)))
    assert (engraving.count(drawn, "notehead"), engraving.count(drawn, "measure")) == (8, 2)


def test_the_same_take_gives_the_same_file(take):
    assert engraving.musicxml(engraving.take_sheet(take)) == engraving.musicxml(engraving.take_sheet(take))


def test_eighths_and_sixteenths_are_beamed_by_the_beat():
    notes = [Note(0.0, 0.5, 60), Note(0.5, 0.5, 62), Note(1.0, 0.25, 64), Note(1.25, 0.25, 65), Note(1.5, 0.5, 67),
             Note(2.0, 1.0, 69), Note(3.0, 0.5, 71)]
    written = read(lead_sheet(notes, BLUES)).flatten().getElementsByClass(note.Note)
    assert [[(b.type, b.number) for b in n.beams] for n in written] == [
        [("start", 1)], [("stop", 1)], [("start", 1), ("start", 2)], [("continue", 1), ("stop", 2)], [("stop", 1)],
        [], []]
