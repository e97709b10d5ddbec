"""A bundle's weights.npz, read array by array: each `.npy` header is checked against the format's shapes
(from the vocabulary and the model family) before one byte of the array is allocated; no pickle, ever.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Sequence

import numpy as np

from jazz_core.bundle_schema import MAX_WEIGHTS_BYTES, _damaged, _one_line
from jazz_core.errors import BadBundleError
from jazz_core.settings import MAX_HIDDEN_UNITS

ARRAYS = ("kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias")

def _expected_shapes(kernel: tuple[int, ...], vocabulary: int) -> dict[str, tuple[int, ...]]:
    """The shapes every array must have, from the vocabulary size and the kernel's width (4 x hidden units)."""
    four_h = kernel[1] if len(kernel) == 2 else 0
    if len(kernel) != 2 or kernel[0] != vocabulary or four_h % 4 or not 4 <= four_h <= 4 * MAX_HIDDEN_UNITS:
        raise BadBundleError(f"The model bundle does not fit together: its weights have shape {kernel}, but its "
                             f"vocabulary has {vocabulary} values (expected ({vocabulary}, 4 x hidden units), "
                             f"at most {MAX_HIDDEN_UNITS} units).")
    hidden = four_h // 4
    return {"kernel": kernel, "recurrent_kernel": (hidden, four_h), "bias": (four_h,),
            "dense_kernel": (hidden, vocabulary), "dense_bias": (vocabulary,)}


def _array_header(stream) -> tuple[tuple[int, ...], bool, np.dtype]:
    """An .npy member's shape, order and dtype, from its header only (no data read yet)."""
    version = np.lib.format.read_magic(stream)
    reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran, dtype = reader(stream, max_header_size=10_000)
    if dtype.hasobject or dtype.kind != "f" or dtype.itemsize not in (4, 8):
        raise BadBundleError(f"The model bundle's weights are stored as {dtype}, not as plain decimal numbers; "
                             "it is not one of ours.")
    return shape, fortran, dtype


def _read_array(archive: zipfile.ZipFile, name: str, shape: tuple[int, ...] | None) -> np.ndarray:
    """One array, its header checked (and its shape, when known) before its data is read."""
    with archive.open(f"{name}.npy") as stream:
        found, fortran, dtype = _array_header(stream)
        if shape is not None and found != shape:
            raise BadBundleError(f"The model bundle does not fit together: {name} has shape {found}, "
                                 f"expected {shape}.")
        size = math.prod(found) * dtype.itemsize
        if size > MAX_WEIGHTS_BYTES:
            raise BadBundleError(f"The model bundle's {name} would take {size / 1e6:.0f} MB; at most "
                                 f"{MAX_WEIGHTS_BYTES // 1_000_000} MB of weights are accepted.")
        data = stream.read(size + 1)
    if len(data) != size:
        raise _damaged(f"its weights ({name})", "are cut short")
    array = np.frombuffer(data, dtype=dtype).reshape(found, order="F" if fortran else "C").astype(np.float64)
    if not np.isfinite(array).all():
        raise _damaged(f"its weights ({name})", "hold numbers that are not finite (NaN or infinity)")
    return array


def _read_arrays(data: bytes, names: Sequence[str], shapes_of: Callable[[tuple[int, ...]], dict]) -> dict:
    """The named arrays of a weights.npz (a zip of .npy files, kernel first), each checked as it is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: info for info in archive.infolist()}
            if len(members) > 2 * len(names) or sum(i.file_size for i in members.values()) > MAX_WEIGHTS_BYTES:
                raise BadBundleError("The model bundle's weights.npz unpacks to more than "
                                     f"{MAX_WEIGHTS_BYTES // 1_000_000} MB or holds unexpected files; "
                                     "it is not one of ours.")
            missing = [name for name in names if f"{name}.npy" not in members]
            if missing:
                raise _damaged("its weights", f"lack {', '.join(missing)}")
            kernel = _read_array(archive, "kernel", None)
            shapes = shapes_of(kernel.shape)
            return {"kernel": kernel, **{name: _read_array(archive, name, shapes[name]) for name in names[1:]}}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise _damaged("its weights.npz", f"cannot be read ({_one_line(error)})") from None


def read_weights(data: bytes, vocabulary: int) -> dict[str, np.ndarray]:
    """The five arrays of a course model's weights.npz."""
    return _read_arrays(data, ARRAYS, lambda kernel: _expected_shapes(kernel, vocabulary))


STUDIO_ARRAYS = ("kernel", "recurrent_kernel", "bias", "chord_kernel", "type_embedding", "duration_embedding",
                 "window_embedding", "type_kernel", "type_bias", "duration_kernel", "duration_bias", "window_kernel",
                 "window_bias")


def _studio_shapes(kernel: tuple[int, ...], kinds: Sequence[int], features: int) -> dict[str, tuple[int, ...]]:
    """A studio model's shapes from its kernel (embedding x 4 hidden) and the number of types, durations, windows."""
    if len(kernel) != 2 or kernel[1] % 4 or not 4 <= kernel[1] <= 4 * MAX_HIDDEN_UNITS or not kernel[0]:
        raise BadBundleError(f"The model bundle does not fit together: its kernel has shape {kernel}, not "
                             f"(embedding, 4 x hidden units) with at most {MAX_HIDDEN_UNITS} units.")
    embedding, four_h = kernel
    shapes = {"kernel": kernel, "recurrent_kernel": (four_h // 4, four_h), "bias": (four_h,),
              "chord_kernel": (features, embedding)}
    for head, count in zip(("type", "duration", "window"), kinds, strict=True):
        shapes |= {f"{head}_embedding": (count + 1, embedding), f"{head}_kernel": (four_h // 4, count),
                   f"{head}_bias": (count,)}
    return shapes


def read_studio_weights(data: bytes, kinds: Sequence[int]) -> dict[str, np.ndarray]:
    """The arrays of a studio model's weights.npz; `kinds`: how many types, durations, windows."""
    from jazz_core.steps import FEATURES

    return _read_arrays(data, STUDIO_ARRAYS, lambda kernel: _studio_shapes(kernel, kinds, FEATURES))
