"""Write files so that a reader sees either the old content or the new, never half of one.

The data goes to a temporary file in the target's directory, is flushed and fsynced, and then
:func:`os.replace` swaps it in. If anything fails before the swap the temporary file is removed
and the previous file (if any) is untouched.

A process killed before it can remove its temporary file leaves it behind: temporary names carry
the writing process's id (``.graph.ttl.PID-HEX.tmp``), and :func:`sweep_temporaries` removes
those whose process no longer runs, the next time kg writes into that folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from pathlib import Path

__all__ = [
    "atomic_write_bytes", "atomic_write_text", "process_running", "sweep_temporaries", "temporary_path",
]

_MAX_NAME_TRIES = 100
#: ``.NAME.PID-HEX.tmp`` and ``.NAME.PID-HEX.tmp.SUFFIX`` (older kg wrote no ``PID-``)
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?:(?P<pid>[0-9]+)-)?[0-9a-f]{12}\.tmp(?:\.[a-z]+)?")
#: a temporary file without a process id is stale once this old (seconds)
_UNOWNED_AGE = 3600.0


def temporary_path(target: Path, suffix: str = "") -> Path:
    """A fresh temporary name next to ``target``: ``.NAME.PID-HEX.tmp`` plus ``suffix``."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp{suffix}")


def sweep_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove kg's temporary files in ``folder`` left by processes that were killed: those whose
    process id no longer runs, and those without one (older kg) over an hour old. Returns the
    files removed; a file that cannot be removed is left (and not returned)."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        pid = match["pid"]
        try:
            stale = (not process_running(int(pid))) if pid else now - entry.stat().st_mtime > _UNOWNED_AGE
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def process_running(pid: int) -> bool:
    """Whether a process with id ``pid`` runs (or may: one of another user counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


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
        tmp = temporary_path(target)
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
