"""The corpora the quality bench and the jazz model are built from, read once and cached by file hash.

Reading the 386 Weimar solos with music21 takes minutes; each file's Piece is kept as JSON under
~/.cache/jazz-lstm-studio/pieces/<sha256>.json (outside the repo), so later runs read them in seconds.
A pool of child processes reads the files not cached yet.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from jazz_core.music import Chord, Measure, Note, Piece

ROOT = Path(__file__).resolve().parent.parent
WJAZZD = Path(os.environ.get("WJAZZD", ROOT.parent / "shared" / "data" / "wjazzd"))
COURSE_MIDI = ROOT.parent / "shared" / "data" / "original_metheny.mid"
CACHE = Path(os.environ.get("JAZZ_CACHE", Path.home() / ".cache" / "jazz-lstm-studio" / "pieces"))
READER_VERSION = "2"  # bump when the reader changes what a file gives (2: bars carry their meter)


def piece_to_dict(piece: Piece) -> dict:
    return asdict(piece)


def piece_from_dict(data: dict) -> Piece:
    measures = tuple(Measure(m["length"], tuple(Note(**n) for n in m["notes"]),
                             tuple(Chord(c["offset"], tuple(c["pitches"]), tuple(c["scale"]), c["symbol"])
                                   for c in m["chords"]), m.get("meter", "")) for m in data["measures"])
    return Piece(data["title"], measures, data["tempo_bpm"], data.get("origin", ""), tuple(data.get("values", ())))


def _cached(path: str) -> tuple[Path, bytes]:
    data = Path(path).read_bytes()
    return CACHE / f"{hashlib.sha256(data + READER_VERSION.encode()).hexdigest()}.json", data


def _read_one(path: str) -> dict | None:
    cached, data = _cached(path)
    if cached.is_file():
        return json.loads(cached.read_text())
    from jazz_core.errors import JazzError
    from jazz_core.scores import read_score

    try:
        found = piece_to_dict(read_score(data, title=Path(path).stem, isolated=False))
    except JazzError:
        found = None
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(found))
    return found


def read_folder(folder: Path = WJAZZD, workers: int = 2) -> list[Piece]:
    """Every .mxl solo in the folder, sorted by name; unreadable files are left out."""
    paths = sorted(str(p) for p in Path(folder).glob("*.mxl"))
    if all(_cached(p)[0].is_file() for p in paths):  # all read before: no child processes needed
        found = [_read_one(p) for p in paths]
    else:
        with ProcessPoolExecutor(workers) as pool:
            found = list(pool.map(_read_one, paths, chunksize=4))
    return [piece_from_dict(f) for f in found if f]


def split_solos(pieces: list[Piece], test: int = 46) -> tuple[list[Piece], list[Piece]]:
    """Whole solos apart: every k-th solo (sorted by name) to the test set, the rest to training."""
    step = len(pieces) / max(test, 1)
    chosen = {int(i * step) for i in range(test)}
    return [p for i, p in enumerate(pieces) if i not in chosen], [p for i, p in enumerate(pieces) if i in chosen]


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    pieces = read_folder()
    print(f"{len(pieces)} solos read in {time.perf_counter() - started:.1f} s")
