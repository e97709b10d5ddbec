"""Bring your own music: the preflight report on varied real files, and learning from each of them."""

from __future__ import annotations

import io
from pathlib import Path

import mido
import pytest
from music21 import corpus

from jazz_core.errors import BadScoreError
from jazz_core.grammar import Timeline, note_type
from jazz_core.pipeline import generate, learn
from jazz_core.report import preflight
from jazz_core.scores import read_score
from jazz_core.settings import DatasetSettings, GenerateSettings, TrainSettings
from tests.conftest import midi_bytes


def music21_file(name: str) -> bytes:
    return Path(corpus.getWork(name)).read_bytes()


def abc_tune() -> bytes:
    """The first reel of the Nottingham collection, with its chord symbols."""
    text = Path(corpus.getWork("nottingham-dataset/reelsa-c.abc")).read_text()
    return text.split("\n\n")[0].encode()


def type0_midi() -> bytes:
    """One track, three channels: a melody on 1, chords on 2, drums on 10."""
    track = mido.MidiTrack()
    events = []
    for beat in range(32):
        events += [(beat * 240, "note_on", 0, 67 + (beat * 5) % 12), ((beat + 1) * 240 - 10, "note_off", 0,
                                                                      67 + (beat * 5) % 12)]
        events += [(beat * 240, "note_on", 9, 42), (beat * 240 + 100, "note_off", 9, 42)]
    for bar in range(4):
        for pitch in (48, 52, 55, 58) if bar % 2 == 0 else (53, 57, 60, 63):
            events += [(bar * 1920, "note_on", 1, pitch), ((bar + 1) * 1920 - 10, "note_off", 1, pitch)]
    now = 0
    for tick, kind, channel, pitch in sorted(events, key=lambda e: (e[0], e[1] == "note_on")):
        track.append(mido.Message(kind, channel=channel, note=pitch, velocity=80, time=tick - now))
        now = tick
    midi = mido.MidiFile(type=0, ticks_per_beat=480)
    midi.tracks.append(track)
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def performed_midi() -> bytes:
    """A swung, slightly late and early performance of eighths and a triplet, over a chord track."""
    jitter = [0.03, -0.04, 0.02, -0.02, 0.05, -0.03, 0.01, 0.0]
    notes = [(beat * 0.5 + jitter[beat % 8], 0.45, 72 + beat % 5) for beat in range(40)]
    notes += [(20 + i / 3 + 0.02, 0.3, 70 + i) for i in range(3)]
    return midi_bytes({"Sax": notes, "Keys": [(b * 4.0, 4.0, p) for b in range(6) for p in (50, 53, 57)]})


def pickup_musicxml() -> bytes:
    notes = "".join(f"<note><pitch><step>{s}</step><octave>5</octave></pitch><duration>1</duration></note>"
                    for s in "CDEF")
    return (b'<?xml version="1.0"?><score-partwise version="3.1"><part-list><score-part id="P1"><part-name>Lead'
            b'</part-name></score-part></part-list><part id="P1"><measure number="0" implicit="yes"><attributes>'
            b'<divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>'
            b"<note><pitch><step>G</step><octave>4</octave></pitch><duration>1</duration></note></measure>"
            b'<measure number="1">' + notes.encode() + b"</measure></part></score-partwise>")


def test_a_lead_sheet_uses_its_chord_symbols():
    report = preflight(music21_file("leadSheet/berlinAlexandersRagtime.mxl"))
    assert "harmony: chord symbols" in report.origin and report.meters == ("4/4",)
    assert report.enough and report.values > 100


def test_a_rag_on_two_piano_staves_takes_the_right_hand_over_the_left():
    report = preflight(music21_file("joplin/maple_leaf_rag.mxl"))
    assert report.meters == ("2/4",) and [p.name for p in report.parts] == ["Piano", "Piano"]
    assert report.origin.startswith("melody: part 0") and "harmony: the accompaniment" in report.origin
    assert report.measures > 80


def test_a_six_eight_hymn_in_four_parts_takes_the_soprano():
    report = preflight(music21_file("johnson_j_r/lift_every_voice.mxl"))
    assert report.meters == ("6/8",)
    assert [p.name for p in report.parts] == ["Soprano", "Alto", "Tenor", "Bass"]
    assert "Soprano" in report.origin and "accompaniment" in report.origin
    assert all(m.length == 3.0 for m in read_score(music21_file("johnson_j_r/lift_every_voice.mxl")).measures[1:-1])


def test_a_folk_tune_in_abc():
    report = preflight(abc_tune())
    assert report.enough and "chord symbols" in report.origin


def test_type0_midi_splits_channels_and_skips_drums():
    report = preflight(type0_midi())
    assert [p.drums for p in report.parts] == [False, False, True]
    assert "part 0" in report.origin and "accompaniment" in report.origin


def test_a_melody_alone_gets_inferred_chords_and_a_warning():
    report = preflight(midi_bytes({"Flute": [(b * 0.5, 0.5, 60 + (b * 7) % 12) for b in range(64)]}))
    assert "inferred from the melody" in report.origin
    assert any("inferred" in w for w in report.warnings)


def test_tempo_changes_are_reported():
    data = midi_bytes({"Lead": [(b, 1, 60 + b % 12) for b in range(40)]})
    midi = mido.MidiFile(file=io.BytesIO(data))
    midi.tracks[0].append(mido.MetaMessage("set_tempo", tempo=400000, time=1920))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    report = preflight(buffer.getvalue())
    assert report.tempos == (120.0, 150.0) and any("playback uses the first, 120 bpm" in w for w in report.warnings)


def test_performed_timing_is_quantised_and_triplets_survive():
    piece = read_score(performed_midi())
    onsets = sorted(n.offset for m in piece.measures for n in m.notes)
    assert all(abs(o * 12 - round(o * 12)) < 1e-9 for o in onsets)
    assert {round(o % 1, 3) for o in onsets} >= {0.0, 0.5, 0.333, 0.667}


def test_a_pickup_bar_keeps_its_own_length():
    piece = read_score(pickup_musicxml())
    assert [m.length for m in piece.measures] == [1.0, 4.0]


def test_meter_changes_are_listed():
    data = midi_bytes({"Lead": [(b, 1, 60 + b % 7) for b in range(20)]}, time_signatures=((3, 4, 0), (2, 4, 6)))
    assert preflight(data).meters == ("3/4", "2/4")


def test_a_chord_chart_has_no_melody():
    slashes = [(b, 1, 71) for b in range(32)]
    report = preflight(midi_bytes({"Slashes": slashes}))
    assert not report.enough and "no melody to learn from" in report.verdict


def test_too_little_music_says_what_to_do():
    report = preflight(midi_bytes({"Lead": [(b, 1, 60 + b) for b in range(10)]}))
    assert not report.enough and "set the sequence length to 9 or less" in report.verdict


@pytest.mark.parametrize(("data", "message"), [(b"", "empty"), (b"not a midi file\n", "not music")])
def test_unreadable_files_are_one_sentence(data, message):
    with pytest.raises(BadScoreError, match=message):
        preflight(data)


@pytest.mark.parametrize("make", [
    lambda: music21_file("johnson_j_r/lift_every_voice.mxl"),
    abc_tune,
    type0_midi,
    performed_midi,
])
def test_learns_from_the_file_and_plays_over_its_own_chords(make):
    piece = read_score(make())
    bundle = learn([piece], DatasetSettings(windows=20, sequence_length=16), training=TrainSettings(epochs=2))
    take = generate(bundle, GenerateSettings(values=100, temperature=1.0, seed=0))
    assert len(take.values) == 100 and take.midi.startswith(b"MThd")
    timeline = Timeline(piece.measures)
    chord_tones = [note_type(n.pitch, timeline.chord_at(n.offset)) for n in take.notes if n.kind == "C"]
    assert chord_tones and all(kind == "C" for kind in chord_tones)


def test_several_files_make_one_vocabulary_and_keep_each_ones_chords():
    pieces = [read_score(type0_midi()), read_score(abc_tune())]
    bundle = learn(pieces, DatasetSettings(windows=20, sequence_length=16), training=TrainSettings(epochs=1))
    assert len(bundle.progression) == sum(len(p.measures) for p in pieces)
    assert set(bundle.vocabulary.values) == set(bundle.corpus)


def test_a_score_already_read_is_not_read_again():
    from jazz_core.scores import read_raw

    data = abc_tune()
    raw = read_raw(data)
    assert preflight(data, raw=raw) == preflight(data)
    assert read_score(data, raw=raw) == read_score(data)


def test_the_preflight_names_the_chords_it_found_as_symbols():
    piano = [(4.0 * bar, 4.0, p) for bar, chord in enumerate([(50, 53, 57, 60), (43, 47, 50, 53), (48, 52, 55, 59)] * 2)
             for p in chord]
    tune = [(i * 0.5, 0.5, 74 + (i * 5) % 9) for i in range(48)]
    report = preflight(midi_bytes({"Tune": tune, "Piano": piano}))
    assert report.changes == "| Dm7 | G7 | Cmaj7 | Dm7 | G7 | Cmaj7 |"


def test_a_riff_is_warned_about_not_ready():
    riff = [(i * 0.5, 0.5, (60, 63, 65, 67)[i % 4]) for i in range(200)]
    report = preflight(midi_bytes({"Riff": riff}))
    assert report.enough and not report.ready
    assert report.verdict.startswith("Learnable, but not ready: only ")
    assert any("a riff or a loop" in w for w in report.warnings)


def test_an_unquantised_performance_is_warned_about_not_ready():
    """Eighth notes played in without quantising: onsets off by up to a sixteenth either way."""
    import random

    rng = random.Random(4)
    notes = [(i * 0.5 + rng.uniform(-0.2, 0.2), 0.4, 60 + (i * 7) % 12) for i in range(1, 160)]
    report = preflight(midi_bytes({"Sax": notes}))
    assert not report.ready and "looks unquantised" in report.verdict, report.verdict
    assert preflight(performed_midi()).ready, "a swung performance close to the grid is fine"


def test_a_clean_tune_is_ready():
    report = preflight(midi_bytes({"Tune": [(i * 0.5, 0.5, 60 + (i * 7) % 12) for i in range(96)]}))
    assert report.ready and report.verdict.startswith("Ready: ")


def test_the_reading_note_names_the_reading_and_the_course_numbers():
    from jazz_core.report import reading_note

    course = reading_note(True, True, 193, 78)
    assert course.startswith("Course-exact reading: 193 values, 78 different") and "(60, 30, 78)" in course
    improved = reading_note(True, False, 1215, 288)
    assert improved.startswith("Improved reading: 1215 values, 288 different, where the course's reading gives 193")
    assert "rests" in improved
    other = reading_note(False, False, 64, 20)
    assert other.startswith("Improved reading: 64 values, 20 different.") and "only for the course's" in other
