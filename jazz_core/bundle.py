"""The model bundle: weights, vocabulary, settings and the source's chords, loadable without running code.

On disk a bundle is a directory with `bundle.json` (everything but the arrays) and
`weights.npz` (the arrays, read with allow_pickle=False); for download it is the same two
files in one zip. Saving writes to a temporary name and renames, so an interrupted save
leaves the previous bundle whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from jazz_core.atomic import remove_stale_temporaries, write_bytes
from jazz_core.bundle_schema import (
    MAX_BARS,
    MAX_MANIFEST_BYTES,
    MAX_WEIGHTS_BYTES,
    check_manifest,
    check_vocabulary,
    integer,
    items,
    mapping,
    parse_manifest,
)
from jazz_core.bundle_weights import read_studio_weights, read_weights
from jazz_core.dataset import Split, Vocabulary
from jazz_core.errors import BadBundleError, FileAccessError
from jazz_core.files import read_file
from jazz_core.model import LstmWeights
from jazz_core.music import Chord, Measure
from jazz_core.studio import StudioWeights, factor_tables

# 2: adds "family" (course | studio; a studio bundle's weights.npz holds StudioWeights' float arrays, its
# factor tables are derived from the vocabulary), "split" (the corpus' pieces and its train/validation/test
# ranges, or null) and "measures_per_piece".
FORMAT_VERSION = 2
FAMILIES = {"course": LstmWeights, "studio": StudioWeights}
MANIFEST, WEIGHTS = "bundle.json", "weights.npz"
MAX_BUNDLE_BYTES = 50_000_000  # a bundle of the largest allowed model is far below this
MAX_MEMBERS = 16  # members of a bundle zip; only the two known ones are ever read, by name, never extracted


@dataclass(frozen=True)
class Bundle:
    """Everything generation needs, and what made the model."""

    weights: LstmWeights
    vocabulary: Vocabulary
    progression: tuple[Measure, ...]  # the source's chords, bar by bar (melody notes not kept)
    corpus: tuple[str, ...]  # the training values, for originality checks
    title: str = ""
    tempo_bpm: float = 120.0
    source_sha256: str = ""
    settings: dict = field(default_factory=dict)  # dataset, model and training settings as plain dicts
    history: tuple[float, ...] = ()  # training loss per epoch
    family: str = "course"  # which model the weights are: course (LstmWeights) or studio (StudioWeights)
    split: Split | None = None  # the corpus' pieces and blocks (None: one piece, split by the settings)
    measures_per_piece: tuple[int, ...] = ()  # how the progression divides into the pieces


def _measure_to_dict(measure: Measure) -> dict:
    meter = {"meter": measure.meter} if measure.meter else {}
    return {"length": measure.length, "chords": [asdict(c) for c in measure.chords], **meter}


def _measure_from_dict(data: dict) -> Measure:
    chords = tuple(Chord(c["offset"], tuple(c["pitches"]), tuple(c["scale"]), c["symbol"]) for c in data["chords"])
    return Measure(data["length"], (), chords, data.get("meter", ""))


def _manifest(bundle: Bundle) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "title": bundle.title,
        "tempo_bpm": bundle.tempo_bpm,
        "source_sha256": bundle.source_sha256,
        "vocabulary": list(bundle.vocabulary.values),
        "progression": [_measure_to_dict(m) for m in bundle.progression],
        "corpus": list(bundle.corpus),
        "settings": bundle.settings,
        "history": list(bundle.history),
        "family": bundle.family,
        "split": bundle.split.to_dict() if bundle.split else None,
        "measures_per_piece": list(bundle.measures_per_piece),
    }


def bundle_to_bytes(bundle: Bundle) -> bytes:
    """The bundle as one zip file (for download)."""
    weights = io.BytesIO()
    np.savez(weights, **bundle.weights.arrays())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(_manifest(bundle), indent=1))
        archive.writestr(WEIGHTS, weights.getvalue())
    return buffer.getvalue()


def _from_parts(manifest_bytes: bytes, weights_bytes: bytes) -> Bundle:
    """A bundle from its two members, every field and array checked first (see bundle_schema)."""
    manifest = parse_manifest(manifest_bytes)
    _check_version(manifest)
    vocabulary = check_vocabulary(manifest.get("vocabulary"))
    family = manifest.get("family")
    if family not in FAMILIES:
        raise BadBundleError(f"The model bundle is damaged: its model family is {repr(family)[:20]}, not one of "
                             f"{', '.join(FAMILIES)}.")
    weights = _read_weights(family, weights_bytes, Vocabulary(vocabulary))
    fields = check_manifest(manifest, vocabulary)
    progression = tuple(_measure_from_dict(m) for m in fields["progression"])
    return Bundle(weights, Vocabulary(vocabulary), progression, fields["corpus"], fields["title"],
                  fields["tempo_bpm"], fields["source_sha256"], fields["settings"], fields["history"], family,
                  _check_split(manifest.get("split"), len(fields["corpus"])),
                  _check_pieces(manifest.get("measures_per_piece", []), len(progression)))


def _check_split(found: object, corpus: int) -> Split | None:
    """The corpus' pieces and blocks: lists of [start, end) ranges inside the corpus, or null."""
    if found is None:
        return None
    found = mapping(found, "its split")
    ranges = {}
    for name in ("pieces", "train", "validation", "test"):
        listed = items(found.get(name), f"its split's {name}", 0, MAX_BARS * 4)
        pairs = [items(r, f"a range of its split's {name}", 2, 2) for r in listed]
        ranges[name] = [[integer(a, f"its split's {name}", 0, corpus), integer(b, f"its split's {name}", 0, corpus)]
                        for a, b in pairs]
        if any(a >= b for a, b in ranges[name]):
            raise BadBundleError(f"The model bundle is damaged: its split's {name} has an empty range.")
    return Split.from_dict(ranges)


def _check_pieces(found: object, bars: int) -> tuple[int, ...]:
    """How many bars of the progression each piece has: they add up to the progression, or none are given."""
    counts = tuple(integer(n, "its measures per piece", 1, bars) for n in items(found, "its measures per piece", 0,
                                                                                  MAX_BARS))
    if counts and sum(counts) != bars:
        raise BadBundleError(f"The model bundle does not fit together: its pieces have {sum(counts)} bars, its "
                             f"chord progression {bars}.")
    return counts


def _check_version(manifest: object) -> None:
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if version == FORMAT_VERSION:
        return
    if isinstance(version, int) and version < FORMAT_VERSION:
        raise BadBundleError(f"This model bundle was saved by an older version of the app (format {version}); "
                             f"this version reads format {FORMAT_VERSION}. Train the model again here.")
    raise BadBundleError(f"This model bundle has format version {version!r}, which this version of the app does "
                         f"not know (it reads format {FORMAT_VERSION}). Update the app, or train the model again here.")


def _read_weights(family: str, data: bytes, vocabulary: Vocabulary):
    """The weights of one family, every array's header and shape checked before it is read (no pickle)."""
    if family == "course":
        weights = LstmWeights(**read_weights(data, len(vocabulary)))
    else:
        tables = dict(zip(("type_of", "duration_of", "window_of"), factor_tables(vocabulary), strict=True))
        weights = StudioWeights(**tables, **read_studio_weights(data, [int(t[-1]) for t in tables.values()]))
    weights.check()
    return weights


def bundle_from_bytes(data: bytes) -> Bundle:
    """Read a bundle zip (an upload): only its two known members, each size-checked, are read."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BadBundleError(f"The model bundle is {len(data) / 1e6:.1f} MB; at most "
                             f"{MAX_BUNDLE_BYTES // 1_000_000} MB is accepted.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if len(archive.infolist()) > MAX_MEMBERS:
                raise BadBundleError(f"This zip holds {len(archive.infolist())} files; a model bundle holds 2.")
            members = {info.filename: info for info in archive.infolist()}
            if MANIFEST not in members or WEIGHTS not in members:
                raise BadBundleError("This is not a model bundle from Jazz LSTM Studio: "
                                     f"it lacks {MANIFEST} or {WEIGHTS}.")
            if members[MANIFEST].file_size > MAX_MANIFEST_BYTES or members[WEIGHTS].file_size > MAX_WEIGHTS_BYTES:
                raise BadBundleError(f"The model bundle unpacks to more than {MAX_MANIFEST_BYTES // 1_000_000} MB "
                                     f"of {MANIFEST} or {MAX_WEIGHTS_BYTES // 1_000_000} MB of weights; "
                                     "it is not one of ours.")
            return _from_parts(_member(archive, MANIFEST, MAX_MANIFEST_BYTES),
                               _member(archive, WEIGHTS, MAX_WEIGHTS_BYTES))
    except zipfile.BadZipFile:
        raise BadBundleError("This file is not a model bundle (a .zip saved by Jazz LSTM Studio).") from None


def _member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, never more than `limit` however it was packed (zipfile stops at the declared size)."""
    with archive.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise BadBundleError(f"The model bundle's {name} unpacks to more than {limit // 1_000_000} MB; "
                             "it is not one of ours.")
    return data


def save_bundle(bundle: Bundle, directory: str | Path) -> Path:
    """Write the bundle directory so that an interrupted save leaves the previous bundle whole.

    The weights go to a new file named by their hash; then bundle.json, which names that file,
    is replaced atomically; only then are older weights files removed.
    """
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileAccessError(f"Cannot save the model into {folder}: {(error.strerror or '').lower()}.") from None
    remove_stale_temporaries(folder, ".weights-*.tmp")  # left by a save that was killed
    remove_stale_temporaries(folder, f".{MANIFEST}.*.tmp")
    buffer = io.BytesIO()
    np.savez(buffer, **bundle.weights.arrays())
    weights_name = f"weights-{hashlib.sha256(buffer.getvalue()).hexdigest()[:16]}.npz"
    write_bytes(folder / weights_name, buffer.getvalue())
    write_bytes(folder / MANIFEST, json.dumps({**_manifest(bundle), "weights_file": weights_name}, indent=1).encode())
    for old in folder.glob("weights*.npz"):
        if old.name != weights_name:
            old.unlink(missing_ok=True)
    return folder


def load_bundle(directory: str | Path) -> Bundle:
    """Read a bundle directory, or a bundle zip file."""
    path = Path(directory)
    if path.is_file():
        return bundle_from_bytes(read_file(path, MAX_BUNDLE_BYTES, "model bundle"))
    if not (path / MANIFEST).exists():
        raise BadBundleError(f"There is no model bundle at {path}: train one first "
                             "(python -m jazz_core train --out DIR).")
    manifest = read_file(path / MANIFEST, MAX_MANIFEST_BYTES, "bundle.json")
    weights_name = parse_manifest(manifest).get("weights_file", WEIGHTS)
    if not isinstance(weights_name, str) or len(weights_name) > 255:
        raise BadBundleError(f"The model bundle at {path} has a damaged bundle.json (its weights file name).")
    weights = path / Path(weights_name).name  # a bare file name: nothing outside the folder is ever read
    if not weights.exists():
        raise BadBundleError(f"The model bundle at {path} lacks its weights file {weights.name}.")
    return _from_parts(manifest, read_file(weights, MAX_WEIGHTS_BYTES, "weights file"))



def read_only(bundle: Bundle) -> Bundle:
    """The bundle with its weight arrays write-protected, to be shared by every session of the page."""
    for array in bundle.weights.arrays().values():
        array.setflags(write=False)
    return bundle
