"""What is really at a unix socket's path, and whether it lets this user in.

A connection error alone says little: "connection refused" comes back both from a
socket nobody listens on and from a regular file; "permission denied" both when
the learner is missing a group and when the socket's mode shuts everybody out.
:func:`inspect_socket` stats the path so the diagnosis can tell these apart.
Connecting to a unix socket needs write permission on it (and search permission
on every directory above it); root passes regardless.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# stat tests and the words for what a path is.
_FILE_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISREG, "regular file"),
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)

# The write bit decides (connecting needs write permission), by who the user is to
# the file; directories above need the search bit.
_WRITE_BIT = {"owner": stat.S_IWUSR, "group": stat.S_IWGRP, "others": stat.S_IWOTH}
_SEARCH_BIT = {"owner": stat.S_IXUSR, "group": stat.S_IXGRP, "others": stat.S_IXOTH}


@dataclass(frozen=True)
class Identity:
    """Who connects: the user id and the groups this process has *now* (a group
    joined after logging in is not among them until the next login)."""

    uid: int
    gids: frozenset[int]

    @classmethod
    def current(cls) -> Identity:
        return cls(os.getuid(), frozenset(os.getgroups()) | {os.getgid()})

    @property
    def is_root(self) -> bool:
        return self.uid == 0


@dataclass(frozen=True)
class SocketFile:
    """What ``path`` is: ``kind`` None when nothing is there."""

    path: Path
    kind: str | None
    mode: int = 0                  # permission bits only: 0o660
    uid: int = -1
    gid: int = -1
    size: int = 0
    link_target: Path | None = None  # a symbolic link that points nowhere
    error: str | None = None         # the path could not be looked at (a closed directory)

    @property
    def exists(self) -> bool:
        return self.kind is not None

    @property
    def is_socket(self) -> bool:
        return self.kind == "socket"

    @property
    def owner(self) -> str:
        return user_name(self.uid)

    @property
    def group(self) -> str:
        return group_name(self.gid)

    @property
    def mode_text(self) -> str:
        """``660 (srw-rw----)``: the octal mode and the way ``ls -l`` shows it."""
        return f"{self.mode:03o} ({stat.filemode(stat.S_IFSOCK | self.mode)})"

    def relation(self, identity: Identity) -> str:
        """Which permission bits apply to ``identity``: owner, group or others."""
        return _relation(self.uid, self.gid, identity)

    def lets_in(self, identity: Identity) -> bool:
        """Whether the mode allows ``identity`` to connect."""
        return identity.is_root or bool(self.mode & _WRITE_BIT[self.relation(identity)])

    @property
    def group_may_connect(self) -> bool:
        return bool(self.mode & stat.S_IWGRP)


def _relation(uid: int, gid: int, identity: Identity) -> str:
    if identity.uid == uid:
        return "owner"
    if gid in identity.gids:
        return "group"
    return "others"


def inspect_socket(path: Path) -> SocketFile:
    """Stat ``path`` (following links) and say what is there. Never raises."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return SocketFile(path, None, link_target=_dangling_target(path))
    except OSError as error:
        return SocketFile(path, None, error=error.strerror or str(error))
    kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "special file")
    return SocketFile(path, kind, mode=stat.S_IMODE(info.st_mode), uid=info.st_uid,
                      gid=info.st_gid, size=info.st_size)


def _dangling_target(path: Path) -> Path | None:
    try:
        return Path(os.readlink(path)) if path.is_symlink() else None
    except OSError:
        return None


def closed_directory(path: Path, identity: Identity) -> Path | None:
    """The first directory above ``path`` that ``identity`` may not enter, if any."""
    if identity.is_root:
        return None
    for directory in reversed(path.parents):
        try:
            info = os.stat(directory)
        except OSError:
            return directory
        if not info.st_mode & _SEARCH_BIT[_relation(info.st_uid, info.st_gid, identity)]:
            return directory
    return None


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def group_id(name: str) -> int | None:
    """The id of group ``name``; None when there is no such group."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None
