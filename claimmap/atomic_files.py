"""Files that appear whole under their final name, or not at all.

Everything claimmap writes outside the database goes first to a temporary name in
the destination folder, is fsynced, and is then renamed into place; the folder is
fsynced too, so the rename itself survives a power cut.  A folder of files (a brat
or W3C export) is built whole beside its final name and swapped in.

Temporary names start with a dot and carry ``.claimmap-tmp-<pid>-``, so no glob
for final names (``*.db``, ``*.jsonl``) ever matches them, and leftovers of a
killed process are recognisable and removed by the next write to the same name.

Targets that exist and are not regular files are refused: renaming onto a FIFO,
a symbolic link or (as root) ``/dev/null`` would replace it.
"""

from __future__ import annotations

import ctypes
import errno
import fnmatch
import glob
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO

from claimmap.errors import ClaimmapError

TEMP_MARK = ".claimmap-tmp-"
# In every folder claimmap exports into: the proof that claimmap made the folder,
# so replacing it can never empty a folder of the user's own files.
EXPORT_MARKER = ".claimmap-export"
_MARKER_TEXT = (
    "This folder is a claimmap export. The next export to the same place replaces the\n"
    "whole folder; keep your own files elsewhere. Files of this export:\n"
)


def folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def temp_sibling(final: Path) -> Path:
    """A fresh temporary name beside ``final`` (not created)."""
    return final.with_name(f".{final.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(6)}")


def fsync_file(path: Path) -> None:
    """Flush a closed file to disk.  Never call this on a database or its -wal/-shm:
    opening and closing those drops the process's SQLite locks."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make renames and creations in ``folder`` durable (a no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def refuse_special(path: Path) -> None:
    """Refuse an existing target that is not a regular file (without following links)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise ClaimmapError(f"{path}: is a symbolic link; give the file itself or a new name")
    if stat.S_ISDIR(st.st_mode):
        raise ClaimmapError(f"{path}: is a directory; give a file name")
    if not stat.S_ISREG(st.st_mode):
        raise ClaimmapError(
            f"{path}: exists and is not a regular file (a device, FIFO or socket); give a file name"
        )


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: leave its files alone
    return True


def remove_leftovers(final: Path, family: str | None = None) -> None:
    """Delete temporaries left by killed claimmap processes beside ``final``.

    Only names built by :func:`temp_sibling` for ``final`` (or, with ``family``,
    for any final name matching that glob: timestamped backups never reuse a name),
    and only of processes that no longer run; a folder must also carry the export
    marker (or be empty), so nothing claimmap did not create is ever removed.
    """
    folder = folder_of(final)
    pattern = re.compile(rf"^\.(.+){re.escape(TEMP_MARK)}(\d+)-")
    wanted = family if family is not None else glob.escape(final.name)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = pattern.match(entry.name)
        if found is None or not fnmatch.fnmatchcase(found.group(1), wanted):
            continue
        if _pid_alive(int(found.group(2))):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if _made_by_claimmap(path):
                shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def write_file(path: Path, data: bytes, *, sync_folder: bool = True) -> None:
    """Write atomically: a crash never leaves a half-written export behind.

    ``sync_folder=False`` leaves the folder's fsync to the caller, who writes many
    files into one folder and syncs it once at the end (each file is still
    fsynced before its rename, so each is whole or absent)."""
    write_with(path, lambda fh: fh.write(data), sync_folder=sync_folder)


def write_with(
    path: Path, writer: Callable[[BinaryIO], object], *, sync_folder: bool = True
) -> None:
    """Let ``writer`` stream into a temporary file, then move it into place atomically."""
    refuse_special(path)
    parent = folder_of(path)
    if not parent.is_dir():
        raise ClaimmapError(f"{parent}: directory does not exist")
    remove_leftovers(path)
    fd, tmp = tempfile.mkstemp(prefix=temp_sibling(path).name + "-", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer(fh)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; an export is an ordinary file, so give it the
        # permissions the user's umask gives any new file.
        os.chmod(tmp, 0o666 & ~_umask())
        # Looked at again just before the rename: the target may have appeared
        # (a FIFO made meanwhile) while the file was being written.
        refuse_special(path)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_folder:
        fsync_dir(parent)


def _umask() -> int:
    """The process umask, read without changing it where the OS allows (setting
    and restoring it would race with threads creating files, e.g. the TUI's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _made_by_claimmap(folder: Path) -> bool:
    """Empty, or holding the export marker as a regular file."""
    try:
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                return True
        return stat.S_ISREG(os.lstat(folder / EXPORT_MARKER).st_mode)
    except OSError:
        return False


def _write_member(folder: Path, name: str, data: bytes) -> None:
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def write_tree(directory: Path, files: Mapping[str, str]) -> None:
    """Replace ``directory`` whole with exactly ``files`` (name -> UTF-8 text).

    After a crash the folder holds the previous export or the new one, never a mix;
    files of a previous export that the new one lacks are gone (re-importing the
    folder must not resurrect deleted spans).  A folder claimmap did not create
    (non-empty, no marker) is refused, never emptied.
    """
    shown = directory
    # "." or "x/..": the folder's own name is needed for its temporary sibling.
    directory = Path(os.path.abspath(directory))
    try:
        st: os.stat_result | None = os.lstat(directory)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise ClaimmapError(f"{shown}: is a symbolic link; give the folder itself")
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise ClaimmapError(f"{shown}: exists and is not a directory")
    parent = folder_of(directory)
    if not parent.is_dir():
        raise ClaimmapError(f"{parent}: directory does not exist")
    if st is not None and not _made_by_claimmap(directory):
        raise ClaimmapError(
            f"{shown}: folder holds files claimmap did not write (no {EXPORT_MARKER} "
            "marker); an export replaces its whole folder, so give a new or empty folder"
        )
    bad = sorted(n for n in files if n in (EXPORT_MARKER, "", ".", "..") or "/" in n)
    if bad:
        raise ClaimmapError(f"{shown}: cannot export a file named {bad[0]!r}")
    remove_leftovers(directory)
    new = temp_sibling(directory)
    os.mkdir(new)
    try:
        # The marker first, so even a leftover of a killed run is recognisably ours.
        listing = "".join(f"{n}\n" for n in sorted(files))
        _write_member(new, EXPORT_MARKER, (_MARKER_TEXT + listing).encode("utf-8"))
        for name, text in sorted(files.items()):
            # Bytes, not text mode: LF stays LF, and .ann offsets count it as one character.
            _write_member(new, name, text.encode("utf-8"))
        fsync_dir(new)
        if st is None:
            os.rename(new, directory)
        else:
            shutil.rmtree(_swap(new, directory), ignore_errors=True)
    except BaseException:
        if new.is_dir() and _made_by_claimmap(new):
            shutil.rmtree(new, ignore_errors=True)
        raise
    fsync_dir(parent)


def _swap(new: Path, directory: Path) -> Path:
    """Put ``new`` at ``directory``; returns where the old folder now is.

    Linux exchanges the two names in one step (renameat2 RENAME_EXCHANGE), so the
    folder is never missing.  Elsewhere two renames; a crash between them leaves
    the final name missing and both exports under hidden ``.NAME.claimmap-tmp-*``
    names, which the next export removes.
    """
    if _exchange(new, directory):
        return new
    aside = temp_sibling(directory)
    os.rename(directory, aside)
    try:
        os.rename(new, directory)
    except BaseException:
        os.rename(aside, directory)
        raise
    return aside


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False when the system cannot (then nothing changed)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):  # no libc (Windows), or too old
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))
