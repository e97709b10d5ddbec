"""Paths from the user: one reader for files we did not make, and checks on where we are asked to write.

Reading: only regular files (a device such as /dev/zero, a pipe or a folder is refused from its
`stat`, before any byte is read), and never more than the cap plus one byte. Writing: the folder
must exist and take a file, and the target must not be a folder, a link, a pipe or a device, all
checked before the work that produces the file starts, so a long training never ends in a refusal.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from jazz_core.errors import FileAccessError


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "a pipe"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a regular file"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def read_file(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; FileAccessError in one sentence otherwise."""
    path = Path(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise FileAccessError(f"Cannot open {path}: it is {_kind(info.st_mode)}, not a {what}.")
        if info.st_size > limit:
            raise FileAccessError(f"{path} is {_megabytes(info.st_size)}; a {what} of at most "
                                  f"{_megabytes(limit)} can be read.")
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # never blocks, should it have become a pipe
        with os.fdopen(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise FileAccessError(f"Cannot open {path}: it is not a regular file.")
            data = file.read(limit + 1)
    except OSError as error:
        raise FileAccessError(f"Cannot open {path}: {(error.strerror or str(error)).lower()}.") from None
    if len(data) > limit:
        raise FileAccessError(f"{path} is larger than {_megabytes(limit)}; a {what} of at most that can be read.")
    return data


def _probe(folder: Path) -> None:
    """Create and remove a hidden file in `folder`: the one honest test that it takes files (root ignores modes)."""
    try:
        handle, name = tempfile.mkstemp(prefix=".jazz-write-test-", dir=folder)
        os.close(handle)
        os.unlink(name)
    except OSError as error:
        raise FileAccessError(f"Cannot write into {folder}: {(error.strerror or str(error)).lower()}.") from None


def _existing_ancestor(folder: Path) -> Path:
    """The nearest folder above (or at) `folder` that exists; a file in the way is named."""
    for candidate in (folder, *folder.parents):
        try:
            mode = os.stat(candidate).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as error:
            raise FileAccessError(f"Cannot write into {candidate}: {(error.strerror or '').lower()}.") from None
        if not stat.S_ISDIR(mode):
            raise FileAccessError(f"Cannot write under {candidate}: it is {_kind(mode)}, not a folder.")
        return candidate
    return Path.cwd()


def check_output_file(path: str | Path, free_bytes: int = 0) -> Path:
    """Refuse, before any work, a target we could not write or must not replace; returns the path."""
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise FileAccessError(f"Cannot write {path}: {(error.strerror or '').lower()}.") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise FileAccessError(f"Cannot write {path}: it is {_kind(mode)}, and only a regular file is ever "
                              "replaced. Choose another file name.")
    folder = path.parent
    if not folder.is_dir():
        raise FileAccessError(f"Cannot write {path}: the folder {folder} does not exist.")
    _probe(folder)
    _check_room(folder, free_bytes)
    return path


def check_output_folder(path: str | Path, free_bytes: int = 0) -> Path:
    """Refuse, before any work, a folder we could not create or write into (a file, a link, read-only)."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        mode = os.lstat(path).st_mode
        raise FileAccessError(f"Cannot save into {path}: it is {_kind(mode)}, not a folder. Choose another name.")
    folder = _existing_ancestor(path)
    _probe(folder)
    _check_room(folder, free_bytes)
    return path


def _check_room(folder: Path, size: int) -> None:
    """Enough free space and a large enough file-size limit for a file of `size` bytes."""
    if size <= 0:
        return
    import resource

    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY and limit < size:
        raise FileAccessError(f"Cannot write into {folder}: files are limited to {_megabytes(limit)} here, and "
                              f"this one needs about {_megabytes(size)}.")
    space = os.statvfs(folder)
    if space.f_bavail * space.f_frsize < size:
        raise FileAccessError(f"Cannot write into {folder}: the disk has {_megabytes(space.f_bavail * space.f_frsize)}"
                              f" free, and this needs about {_megabytes(size)}.")
