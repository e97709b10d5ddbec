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

from jazz_core.atomic import write_bytes
from jazz_core.dataset import Vocabulary
from jazz_core.errors import BadBundleError
from jazz_core.model import LstmWeights
from jazz_core.music import Chord, Measure

FORMAT_VERSION = 1
MANIFEST, WEIGHTS = "bundle.json", "weights.npz"
MAX_BUNDLE_BYTES = 50 * 1024 * 1024  # a bundle of the largest allowed model is far below this
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


def _measure_to_dict(measure: Measure) -> dict:
    return {"length": measure.length, "chords": [asdict(c) for c in measure.chords]}


def _measure_from_dict(data: dict) -> Measure:
    chords = tuple(Chord(float(c["offset"]), tuple(int(p) for p in c["pitches"]), tuple(int(p) for p in c["scale"]),
                         str(c.get("symbol", ""))) for c in data["chords"])
    return Measure(float(data["length"]), (), chords)


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
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BadBundleError("The model bundle's bundle.json is damaged.") from None
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if version != FORMAT_VERSION:
        raise BadBundleError(f"This model bundle has format version {version!r}; this version of the app "
                             f"reads version {FORMAT_VERSION}. Train the model again here.")
    try:
        with np.load(io.BytesIO(weights_bytes), allow_pickle=False) as arrays:
            weights = LstmWeights(**{name: np.asarray(arrays[name], dtype=np.float64)
                                     for name in LstmWeights.__dataclass_fields__})
        weights.check()
        vocabulary = Vocabulary(tuple(str(v) for v in manifest["vocabulary"]))
        progression = tuple(_measure_from_dict(m) for m in manifest["progression"])
        bundle = Bundle(weights, vocabulary, progression, tuple(str(v) for v in manifest.get("corpus", [])),
                        str(manifest.get("title", "")), float(manifest.get("tempo_bpm", 120.0)),
                        str(manifest.get("source_sha256", "")), dict(manifest.get("settings", {})),
                        tuple(float(v) for v in manifest.get("history", [])))
    except (KeyError, TypeError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise BadBundleError(f"The model bundle is damaged or incomplete ({error}).") from None
    if len(vocabulary) != weights.vocabulary_size or list(vocabulary.values) != sorted(set(vocabulary.values)):
        raise BadBundleError(f"The model bundle does not fit together: {len(vocabulary)} values in the vocabulary "
                             f"but weights for {weights.vocabulary_size}.")
    if not progression or any(m.length <= 0 for m in progression):
        raise BadBundleError("The model bundle has no chord progression to play over.")
    return bundle


def bundle_from_bytes(data: bytes) -> Bundle:
    """Read a bundle zip (an upload): only its two known members, each size-checked, are read."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BadBundleError(f"The model bundle is {len(data) / 1e6:.1f} MB; at most "
                             f"{MAX_BUNDLE_BYTES // (1024 * 1024)} MB is accepted.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if len(archive.infolist()) > MAX_MEMBERS:
                raise BadBundleError(f"This zip holds {len(archive.infolist())} files; a model bundle holds 2.")
            members = {info.filename: info for info in archive.infolist()}
            if MANIFEST not in members or WEIGHTS not in members:
                raise BadBundleError("This is not a model bundle from Jazz LSTM Studio: "
                                     f"it lacks {MANIFEST} or {WEIGHTS}.")
            if sum(members[n].file_size for n in (MANIFEST, WEIGHTS)) > MAX_BUNDLE_BYTES:
                raise BadBundleError("The model bundle unpacks to more than "
                                     f"{MAX_BUNDLE_BYTES // (1024 * 1024)} MB; it is not one of ours.")
            return _from_parts(archive.read(MANIFEST), archive.read(WEIGHTS))
    except zipfile.BadZipFile:
        raise BadBundleError("This file is not a model bundle (a .zip saved by Jazz LSTM Studio).") from None


def save_bundle(bundle: Bundle, directory: str | Path) -> Path:
    """Write the bundle directory so that an interrupted save leaves the previous bundle whole.

    The weights go to a new file named by their hash; then bundle.json, which names that file,
    is replaced atomically; only then are older weights files removed.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
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
        return bundle_from_bytes(path.read_bytes())
    if not (path / MANIFEST).is_file():
        raise BadBundleError(f"There is no model bundle at {path}: train one first "
                             "(python -m jazz_core train --out DIR).")
    manifest = (path / MANIFEST).read_bytes()
    try:
        weights_name = str(json.loads(manifest).get("weights_file", WEIGHTS))
    except (ValueError, AttributeError):
        raise BadBundleError(f"The model bundle at {path} has a damaged bundle.json.") from None
    weights = path / Path(weights_name).name  # a bare file name: nothing outside the folder is ever read
    if not weights.is_file():
        raise BadBundleError(f"The model bundle at {path} lacks its weights file {weights.name}.")
    return _from_parts(manifest, weights.read_bytes())
