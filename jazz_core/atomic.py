"""Writing files so that an interruption never leaves a half-written model or take.

A file is written under a temporary name in the same folder and renamed over the target
(`os.replace` is atomic on POSIX), so readers see the old file or the new one, never a part.
Only a regular file is ever replaced (never a folder, a link, a pipe or a device), and every
failure to write (a read-only folder, a full disk, a file-size limit) is one sentence.
"""

from __future__ import annotations

import os
import stat
import time
import uuid
from pathlib import Path

from jazz_core.errors import FileAccessError


def _refuse_special(target: Path) -> None:
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise FileAccessError(f"Cannot write {target}: {(error.strerror or '').lower()}.") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a symbolic link" if stat.S_ISLNK(mode) else \
            "a pipe or a device"
        raise FileAccessError(f"Cannot write {target}: it is {kind}, and only a regular file is ever replaced. "
                              "Choose another file name.")


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write a file atomically: a temporary sibling, flushed to disk, then renamed over the target."""
    target = Path(path)
    _refuse_special(target)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise FileAccessError(f"Cannot write {target}: {reason}. Nothing was changed there.") from None
    finally:
        temporary.unlink(missing_ok=True)
    return target


def remove_stale_temporaries(folder: str | Path, pattern: str = ".*.*.tmp", older_than: float = 0.0) -> list[Path]:
    """Remove our temporary files (`.NAME.HEX.tmp`) that a killed process left in `folder`; returns them."""
    removed = []
    now = time.time()
    for leftover in Path(folder).glob(pattern):
        try:
            info = os.lstat(leftover)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime >= older_than:
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed
