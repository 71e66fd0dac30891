"""Write files so that a reader sees either the old content or the new, never half of one.

The data goes to a temporary file in the target's directory, is flushed and fsynced, and then
:func:`os.replace` swaps it in. If anything fails before the swap the temporary file is removed
and the previous file (if any) is untouched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text"]

_MAX_NAME_TRIES = 100


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace the file at ``path`` with ``data`` atomically; return the path written.

    Missing parent directories are created. An existing file keeps its permission bits; a new
    one gets the usual ``0o666`` less the umask. On any error the previous file is left as it
    was and no temporary file remains.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        raise IsADirectoryError(f"{target}: is a directory, cannot write a file there")
    fd, tmp = _open_temporary(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_directory(target.parent)
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Replace the file at ``path`` with ``text`` atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode(encoding))


def _open_temporary(target: Path) -> tuple[int, Path]:
    # os.open applies the umask to 0o666, unlike tempfile.mkstemp's fixed 0o600.
    for _ in range(_MAX_NAME_TRIES):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{target.parent}: could not create a temporary file for {target.name}")


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on every platform.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
