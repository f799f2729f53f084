"""Parsed lesson files kept between runs, so a large course opens (and lints) quickly.

A lesson file's result (the lesson, or the problems that kept it from loading, and
its warnings) depends only on the file and on the tutor's own code. Both are part
of the key: a file whose size or modification time changed is parsed again, and a
different tutor (version, or any of its source files) starts with an empty cache.

Two layers, so that opening a course of a thousand lessons reads little:

- an index (one pickle per lessons folder): per file its key, its problems and
  warnings, and the lesson with its steps left out;
- the steps of each lesson (one pickle per lesson), read when a lesson's steps are
  first needed (``tutor.course.lesson.LazySteps``).

Everything is written atomically; a cache that cannot be read or written is simply
not used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tutor
from tutor.course.lesson import LazySteps, Lesson

CACHE_FORMAT = 2
UNREADABLE = (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError,
              ValueError, IndexError)


@dataclass
class CachedFile:
    size: int
    mtime_ns: int
    # (Lesson | None, problems, warnings); the lesson's steps are a LazySteps
    result: Any


@dataclass
class ParseCache:
    folder: Path | None  # this lessons folder's own cache folder; None: no cache
    files: dict[str, CachedFile] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, cache_dir: Path | None, lessons_dir: Path) -> ParseCache:
        if cache_dir is None:
            return cls(None)
        key = hashlib.sha1(str(lessons_dir.resolve()).encode()).hexdigest()[:16]
        cache = cls(cache_dir / f"lessons-{key}")
        try:
            with open(cache.index_path, "rb") as handle:
                stored = pickle.load(handle)
        except UNREADABLE:
            return cache
        if isinstance(stored, dict) and stored.get("code") == code_fingerprint():
            cache.files = stored.get("files") or {}
        return cache

    @property
    def index_path(self) -> Path:
        assert self.folder is not None
        return self.folder / "index.pickle"

    def get(self, path: Path) -> Any | None:
        cached = self.files.get(str(path))
        if cached is None:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (cached.size, cached.mtime_ns):
            return None
        return cached.result

    def put(self, path: Path, lesson: Lesson | None, problems: list[Any],
            warnings: list[Any]) -> Any:
        """Remember a freshly parsed file (its steps go to their own file); returns the
        result to use, as ``get`` would: its steps read from that file when needed, so
        the parsed ones need not stay in memory for the session."""
        result = (lesson, problems, warnings)
        if self.folder is None:
            return result
        try:
            stat = path.stat()
            self.folder.mkdir(parents=True, exist_ok=True)
            if lesson is not None:
                steps_file = self.folder / f"{hashlib.sha1(str(path).encode()).hexdigest()[:16]}.steps"
                _write_atomically(steps_file, tuple(lesson.steps))
                lesson = dataclasses.replace(lesson, steps=LazySteps(len(lesson.steps),
                                                                     steps_file))
        except (OSError, pickle.PickleError):
            return result
        self.files[str(path)] = CachedFile(stat.st_size, stat.st_mtime_ns,
                                           (lesson, problems, warnings))
        self.changed = True
        return self.files[str(path)].result

    def adopt(self, path: Path, result: Any) -> None:
        """Keep a result (parsed elsewhere: tutor.lessonfile.prebuilt) for the file as it
        is now; nothing when the file cannot be seen."""
        try:
            stat = path.stat()
        except OSError:
            return
        self.files[str(path)] = CachedFile(stat.st_size, stat.st_mtime_ns, result)
        self.changed = True

    def remembered(self, path: Path, read: Callable[[], Any]) -> Any:
        """``read()``'s result for a small file kept whole (course.yaml): read again only
        when the file changed, so a start with everything cached parses no YAML."""
        cached = self.get(path)
        if cached is not None:
            return cached
        result = read()
        if self.folder is not None:
            self.adopt(path, result)
        return result

    def save(self) -> None:
        if self.folder is None or not self.changed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.index_path, {"code": code_fingerprint(), "files": self.files})
        except (OSError, pickle.PickleError):
            return  # a read-only cache folder: the next run parses again
        self.changed = False


def _write_atomically(path: Path, value: Any) -> None:
    fd, temp = tempfile.mkstemp(prefix=".cache-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


_FINGERPRINT: str | None = None
_INSTALLED_SOURCES: list[tuple[str, int, int]] | None = None


def source_stats(root: Path) -> list[tuple[str, int, int]]:
    """(path under ``root``, size, mtime in ns) of each source file of the tutor there."""
    found = []
    for source in sorted(root.rglob("*.py")):
        try:
            stat = source.stat()
        except OSError:
            continue
        found.append((str(source.relative_to(root)), stat.st_size, stat.st_mtime_ns))
    return found


def installed_sources() -> list[tuple[str, int, int]]:
    """``source_stats`` of this tutor, read once a run (the code fingerprint and the
    build's parse both ask)."""
    global _INSTALLED_SOURCES
    if _INSTALLED_SOURCES is None:
        _INSTALLED_SOURCES = source_stats(Path(tutor.__file__).resolve().parent)
    return _INSTALLED_SOURCES


def code_fingerprint() -> str:
    """The tutor's version and the size and time of each of its source files."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        digest = hashlib.sha1(f"{CACHE_FORMAT}:{tutor.__version__}".encode())
        for relative, size, mtime_ns in installed_sources():
            digest.update(f"{relative}:{size}:{mtime_ns}".encode())
        _FINGERPRINT = digest.hexdigest()
    return _FINGERPRINT
