"""Reading and writing the progress file: atomic, locked, merged.

Saved after every step: written to a temporary file beside the target, then
renamed over it (a crash mid-write leaves the previous file intact). A lock
file keeps two tutor sessions on one data folder from writing at once, and
each save merges what the other session saved meanwhile. A file that cannot
be read is moved aside (never deleted) and the learner is told.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.progress.merge import merge_progress
from tutor.progress.records import Progress

TEMP_PREFIX = ".progress-"
TEMP_SUFFIX = ".tmp"


@dataclass
class LoadResult:
    progress: Progress
    # Set when the old file could not be read and was moved aside.
    backup: Path | None = None
    problem: str | None = None


class ProgressStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        # The progress as last read or written: what the other session's changes are
        # measured against when saving.
        self._base: dict[str, Any] | None = None

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def load(self) -> LoadResult:
        with self._locked(create_dir=False):
            self._sweep_temporary_files()
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                self._base = None
                return LoadResult(Progress())
            except OSError as error:
                # Unreadable (permissions): leave it where it is; saving will report too.
                return LoadResult(Progress(), problem=f"cannot read {self.path}: {error.strerror}")
            try:
                raw = json.loads(data.decode("utf-8"))
                progress = Progress.from_json(raw)
            except (ValueError, TypeError, AttributeError) as error:  # UnicodeDecodeError too
                backup = self._set_aside()
                self._base = None
                return LoadResult(Progress(), backup=backup, problem=str(error))
            self._base = progress.to_json()
            return LoadResult(progress)

    def save(self, progress: Progress) -> None:
        """Merge with what another session saved since, then write atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked(create_dir=True):
            ours = progress.to_json()
            merged = merge_progress(self._base, ours, self._read_current())
            if merged is not ours:
                # Show this session what the other one did: its lessons, its steps.
                progress.adopt(Progress.from_json(merged))
            self._write(merged)
            self._base = merged

    # -- the parts -----------------------------------------------------------------------

    def _read_current(self) -> dict[str, Any] | None:
        try:
            raw = json.loads(self.path.read_bytes().decode("utf-8"))
            Progress.from_json(raw)  # only a file this version understands is merged
        except (OSError, ValueError, TypeError, AttributeError):
            return None
        return raw if isinstance(raw, dict) else None

    def _write(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data, indent=2, sort_keys=True) + "\n"
        fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX,
                                         dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            try:
                os.unlink(temp_name)
            except FileNotFoundError:
                pass
            raise

    def _sweep_temporary_files(self) -> None:
        """Temporary files a killed session left behind (under the lock, no save is under
        way, so every one of them is stale)."""
        try:
            leftovers = list(self.path.parent.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
        except OSError:
            return
        for leftover in leftovers:
            try:
                leftover.unlink()
            except OSError:
                pass

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        os.replace(self.path, backup)
        return backup

    @contextlib.contextmanager
    def _locked(self, create_dir: bool) -> Iterator[None]:
        """Hold the data folder's progress lock (shared by every session using it)."""
        try:
            import fcntl
        except ImportError:  # not on POSIX: no lock, saves are still atomic
            yield
            return
        if create_dir:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists() and not self.lock_path.exists():
            yield  # nothing to read, and reading must not litter a fresh folder
            return
        try:
            handle = open(self.lock_path, "a+")  # noqa: SIM115 - released in finally
        except OSError:
            yield  # a read-only folder: nothing can be written anyway
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            handle.close()
