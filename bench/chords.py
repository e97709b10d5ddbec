"""How well the reading recognises chords and picks the melody: `python -m bench.chords [COUNT]`.

For a sample of the Weimar Jazz Database solos (every n-th of ../shared/data/wjazzd, 20 by default)
and a few small files built here with known changes: the melody part chosen, and the share of bars
whose recognised chord (with the file's chord symbols hidden) has the root and quality of the
symbol that sounds longest in that bar. Symbols are named in the recogniser's own vocabulary
(their pitches matched against the same templates), so 'Bb7' and 'Bb7b9' both count as Bb 7.
WJazzD solos are one line with no accompaniment, so their chords are inferred from the melody.
Credit: Weimar Jazz Database (Jazzomat Research Project, HfM Franz Liszt Weimar), MINGUS (2021).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from jazz_core.reading import choose_melody, read_raw
from jazz_core.reading.chords import best_chord, pitch_weights
from jazz_core.reading.piece import build_piece
from jazz_core.reading.raw import RawScore
from tests.conftest import midi_bytes

WJAZZD = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wjazzd"


def _named(pitches) -> tuple[int, str] | None:
    """A chord symbol's root and quality in the recogniser's vocabulary (its lowest pitch as the bass)."""
    return best_chord(*pitch_weights([(0.0, 1.0, p) for p in pitches], 0.0, 1.0))


def _longest_symbol(symbols, start: float, length: float):
    """The chord symbol sounding longest in the bar [start, start + length)."""
    best, best_time = None, 0.0
    for index, (offset, pitches, _) in enumerate(symbols):
        end = symbols[index + 1][0] if index + 1 < len(symbols) else float("inf")
        time = min(end, start + length) - max(offset, start)
        if time > best_time:
            best, best_time = pitches, time
    return best


def _recognised(chords, length: float):
    """The bar's recognised chord that lasts longest."""
    if not chords:
        return None
    ends = [c.offset for c in chords[1:]] + [length]
    chord = max(zip(chords, ends, strict=True), key=lambda pair: pair[1] - pair[0].offset)[0]
    return _named(chord.pitches)


def agreement(raw: RawScore, truth: RawScore) -> tuple[int, int, int]:
    """(bars compared, bars whose root matches, bars whose root and quality match) with the symbols hidden."""
    piece = build_piece(replace(raw, chord_symbols=()))
    compared = roots = both = 0
    skipped = _trim_offset(raw)  # build_piece drops the empty bars before the melody: align by bar
    for measure, (start, length) in zip(piece.measures, raw.bars[skipped:], strict=False):
        expected = _longest_symbol(truth.chord_symbols, start, length)
        found = _recognised(measure.chords, measure.length)
        if expected is None or found is None:
            continue
        expected = _named(expected)
        compared += 1
        roots += expected[0] == found[0]
        both += expected == found
    return compared, roots, both


def _trim_offset(raw: RawScore) -> int:
    """How many empty bars build_piece trims from the start (it starts at the melody's first note's bar)."""
    index = choose_melody(raw.tracks)
    onsets = [o for o, _, _ in raw.tracks[index].notes]
    if not onsets:
        return 0
    first = min(onsets)
    return max(i for i, (start, _) in enumerate(raw.bars) if start <= first + 1e-9)


def own_files() -> dict[str, tuple[bytes, list[tuple[float, tuple[int, ...], str]]]]:
    """Small files with known changes: (MIDI bytes, the chord symbols they were built from)."""
    changes = [("Dm7", (50, 53, 57, 60)), ("G7", (43, 47, 50, 53)), ("Cmaj7", (48, 52, 55, 59)),
               ("A7", (45, 49, 52, 55)), ("Dm7", (50, 53, 57, 60)), ("Bm7b5", (47, 50, 53, 57)),
               ("E7", (40, 44, 47, 50)), ("Am", (45, 48, 52))] * 2
    tune = [(i * 0.5, 0.5, 72 + (i * 5) % 12) for i in range(8 * len(changes))]
    held = [(4.0 * b, 4.0, p + 12 * (b % 2)) for b, (_, chord) in enumerate(changes) for p in chord]
    symbols = [(4.0 * b, chord, name) for b, (name, chord) in enumerate(changes)]
    halves = [(2.0 * b, 2.0, p) for b, (_, chord) in enumerate(changes) for p in chord]
    half_symbols = [(2.0 * b, chord, name) for b, (name, chord) in enumerate(changes)]
    walking = [(float(beat), 1.0, chord[0] - 12 + (0, 4, 7, 5)[beat % 4] if beat % 4 else chord[0] - 12)
               for b, (_, chord) in enumerate(changes) for beat in range(4 * b, 4 * b + 4)]
    upper = [(4.0 * b, 4.0, p + 12) for b, (_, chord) in enumerate(changes) for p in chord[1:]]
    one_track = [(i * 0.5, 0.5, 79 + (i * 5) % 8) for i in range(8 * len(changes))] + held
    return {
        "held chords under a tune": (midi_bytes({"Tune": tune, "Piano": held}), symbols),
        "two chords a bar": (midi_bytes({"Tune": tune, "Piano": halves}), half_symbols),
        "walking bass and comping": (midi_bytes({"Tune": tune, "Bass": walking, "Piano": upper}), symbols),
        "one-track piano": (midi_bytes({"Piano": one_track}), symbols),
        "tune alone (inferred)": (midi_bytes({"Tune": tune}), symbols),
    }


def main(count: int = 20) -> None:
    rows = []
    files = sorted(WJAZZD.glob("*.mxl")) if WJAZZD.is_dir() else []
    sample = files[:: max(1, len(files) // count)][:count]
    totals = [0, 0, 0]
    for path in sample:
        raw = read_raw(path.read_bytes(), path.stem, isolated=False)  # local research data: trusted
        compared, roots, both = agreement(raw, raw)
        melody = raw.tracks[choose_melody(raw.tracks)].name
        rows.append((path.stem[:40], melody, compared, roots, both))
        totals = [t + v for t, v in zip(totals, (compared, roots, both), strict=True)]
    for name, (data, symbols) in own_files().items():
        raw = read_raw(data)
        compared, roots, both = agreement(raw, replace(raw, chord_symbols=tuple(symbols)))
        rows.append((name, raw.tracks[choose_melody(raw.tracks)].name, compared, roots, both))
    print(f"{'file':42} {'melody':16} {'bars':>5} {'root':>6} {'root+quality':>13}")
    for name, melody, compared, roots, both in rows:
        root_share, both_share = (f"{100 * n / compared:5.0f}%" if compared else "-" for n in (roots, both))
        print(f"{name:42} {melody[:16]:16} {compared:5d} {root_share:>6} {both_share:>13}")
    if totals[0]:
        print(f"{'WJazzD sample, all bars':42} {'':16} {totals[0]:5d} {100 * totals[1] / totals[0]:5.0f}% "
              f"{100 * totals[2] / totals[0]:12.0f}%")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
