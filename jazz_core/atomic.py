"""Writing files so that an interruption never leaves a half-written model or take.

A file is written under a temporary name in the same folder and renamed over the target
(`os.replace` is atomic on POSIX), so readers see the old file or the new one, never a part.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write a file atomically: a temporary sibling, flushed to disk, then renamed over the target."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
