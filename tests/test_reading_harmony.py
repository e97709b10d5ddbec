"""Finding the harmony: chords recognised from the accompaniment, pickups, or inferred from a lone melody."""

from __future__ import annotations

from jazz_core.reading import read_score
from tests.conftest import midi_bytes

CHANGES = {"Cmaj7": (48, 52, 55, 59), "Am": (45, 48, 52), "Dm7": (50, 53, 57, 60), "G7": (43, 47, 50, 53),
           "Bm7b5": (47, 50, 53, 57), "E7": (40, 44, 47, 50), "F": (41, 45, 48)}


def test_a_midi_melody_over_an_accompaniment():
    melody = [(beat * 0.5, 0.5, 72 + (beat % 5)) for beat in range(16)]
    comping = [(bar * 2.0, 2.0, pitch) for bar in range(4) for pitch in (48, 52, 55)]
    piece = read_score(midi_bytes({"Lead": melody, "Piano": comping}))
    assert piece.origin.startswith("melody: part 0 (Lead; the most solo-like part")
    assert len(piece.measures) == 2
    assert piece.measures[0].chords[0].pitch_classes == frozenset({0, 4, 7})


def test_chords_held_under_a_melody_are_recognised_as_those_chords():
    """Each bar holds one chord in the piano, with a tune over it full of passing tones; voicings vary."""
    symbols = list(CHANGES)
    piano = [(4.0 * bar, 4.0, pitch + 12 * (bar % 2)) for bar, name in enumerate(symbols) for pitch in CHANGES[name]]
    tune = [(bar * 4.0 + i, 1.0, 72 + (bar * 3 + i * 2) % 12) for bar in range(len(symbols)) for i in range(4)]
    piece = read_score(midi_bytes({"Tune": tune, "Piano": piano}))
    assert [[c.symbol for c in m.chords] for m in piece.measures] == [[s] for s in symbols]
    assert "recognised as chord symbols (a chord a bar" in piece.origin
    assert max(len(c.pitch_classes) for m in piece.measures for c in m.chords) == 4  # chords, not clusters


def test_two_chords_a_bar_are_found_when_the_harmony_moves_by_half_bars():
    progression = ["Dm7", "G7", "Cmaj7", "Am"] * 2
    piano = [(2.0 * i, 2.0, p) for i, name in enumerate(progression) for p in CHANGES[name]]
    tune = [(i * 0.5, 0.5, 74 + (i * 5) % 9) for i in range(32)]
    piece = read_score(midi_bytes({"Tune": tune, "Piano": piano}))
    assert [c.symbol for m in piece.measures for c in m.chords] == progression
    assert "a chord each half bar" in piece.origin


def test_a_pickup_gets_the_first_chord_of_the_bar_that_follows():
    abc = b'X:1\nT:Pickup\nM:4/4\nL:1/8\nK:F\nC2D|"Fmaj7"F4 "F#dim7"A4|"Gm7"G8|]\n'  # a pickup of 1.5 beats
    piece = read_score(abc, isolated=False)
    assert piece.measures[0].length == 1.5
    assert [c.symbol for c in piece.measures[0].chords] == ["Fmaj7"]
    accompanied_later = {"Lead": [(2.5, 0.5, 72), (3.0, 1.0, 74)] + [(4.0 + b, 1.0, 77) for b in range(8)],
                         "Piano": [(4.0, 2.0, p) for p in CHANGES["F"]] + [(6.0, 2.0, p) for p in CHANGES["E7"]]
                         + [(8.0, 4.0, p) for p in CHANGES["Am"]]}
    bars = read_score(midi_bytes(accompanied_later)).measures
    assert [c.symbol for c in bars[0].chords] == ["F"] and [c.symbol for c in bars[1].chords] == ["F", "E7"]


def test_a_lone_melody_gets_chords_inferred():
    piece = read_score(midi_bytes({"Flute": [(b, 1, p) for b, p in enumerate([60, 64, 67, 64, 65, 69, 72, 69])]}))
    assert "inferred" in piece.origin
    assert [m.chords[0].symbol for m in piece.measures] == ["C", "F"]


def test_a_walking_bass_under_comping_gives_the_bars_chords_not_its_passing_notes():
    """The bass states the root on the downbeat, then walks through chord tones to a chromatic approach to
    the next root; the piano comps the upper tones in a Charleston rhythm (beat 1 and the and of 2)."""
    progression = ["Dm7", "G7", "Cmaj7", "Am", "Dm7", "G7", "Cmaj7", "Cmaj7"]
    roots = [CHANGES[name][0] % 12 + 36 for name in progression] + [38]
    bass, piano = [], []
    for bar, name in enumerate(progression):
        root, third, fifth = roots[bar], roots[bar] + CHANGES[name][1] - CHANGES[name][0], roots[bar] + 7
        approach = roots[bar + 1] + (1 if bar % 2 else -1)
        bass += [(4.0 * bar + beat, 1.0, pitch) for beat, pitch in enumerate((root, third, fifth, approach))]
        piano += [(4.0 * bar + at, length, pitch + 12) for at, length in ((0.0, 0.75), (1.5, 0.5))
                  for pitch in CHANGES[name][1:]]
    tune = [(i * 0.5, 0.5, 74 + (i * 5) % 9) for i in range(8 * len(progression))]
    piece = read_score(midi_bytes({"Tune": tune, "Walking bass": bass, "Piano": piano}))
    assert [[c.symbol for c in m.chords] for m in piece.measures] == [[name] for name in progression]
    assert "a chord a bar" in piece.origin
