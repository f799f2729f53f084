"""One injected object for everything the tutor reads from or writes to the outside.

Tests build an Environment with string buffers and prompt-toolkit pipe input, so
the whole REPL runs in-process; the real program builds one from the process.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported lazily: rich and prompt-toolkit cost start-up time
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from rich.console import Console

APP_NAME = "docker-tutor"
HOME_VARIABLE = "DOCKER_TUTOR_HOME"  # overrides the per-user data directory
WORKSPACE_VARIABLE = "DOCKER_TUTOR_WORKSPACE"  # where practice files and commands go
PROFILE_VARIABLE = "DOCKER_TUTOR_PROFILE"  # whose progress (--profile does the same)
# A classroom's engine: names and ports in tasks get the learner's own suffix from the
# first step on (--shared-engine does the same); 0 says the engine is the learner's
# alone. Unset, the tutor switches to them once it sees another learner's containers
# running (or just created), or another learner's session on this machine reserving
# names on the same engine (tutor.practice.reservations).
SHARED_ENGINE_VARIABLE = "DOCKER_TUTOR_SHARED_ENGINE"
# What the tutor sessions on one machine share, whoever runs them: the names and ports
# each has handed out (tutor.practice.reservations). Default: docker-tutor in the
# system's temporary folder.
RUNTIME_VARIABLE = "DOCKER_TUTOR_RUNTIME_DIR"
PROFILE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def profile_problem(name: str) -> str | None:
    """Why ``name`` cannot name a profile (it becomes a folder name), or None."""
    if PROFILE_PATTERN.match(name) and ".." not in name:
        return None
    return (f"'{name}' cannot name a profile: use up to 40 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit")


def default_data_dir(environ: Mapping[str, str]) -> Path:
    override = environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def machine_runtime_dir() -> Path:
    import tempfile

    return Path(tempfile.gettempdir()) / APP_NAME


def default_lessons_dir() -> Path:
    """Lessons ship inside the wheel as tutor/_lessons; a source checkout has lessons/."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "_lessons"
    if installed.is_dir():
        return installed
    return package_dir.parent / "lessons"


@dataclass
class Environment:
    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    data_dir: Path | None = None
    lessons_dir: Path | None = None
    workspace_dir: Path | None = None
    stdin_isatty: bool | None = None
    stdout_isatty: bool | None = None
    # prompt-toolkit I/O; None means "the real terminal".
    prompt_input: Input | None = None
    prompt_output: Output | None = None
    width: int | None = None  # fixed console width (tests); None asks the terminal
    # Several learners on one machine: each profile keeps its own progress, history and
    # practice folders under <data>/profiles/<name>. None: the default learner.
    profile: str | None = None
    # True: the engine is shared (personal names from the start); False: it is not (never
    # personal); None: from the environment variable, else noticed on the engine.
    shared_engine: bool | None = None
    _console: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.data_dir is None:
            self.data_dir = default_data_dir(self.environ)
        if self.lessons_dir is None:
            self.lessons_dir = default_lessons_dir()
        if self.stdin_isatty is None:
            self.stdin_isatty = _isatty(self.stdin)
        if self.stdout_isatty is None:
            self.stdout_isatty = _isatty(self.stdout)
        if self.profile is None:
            self.profile = self.environ.get(PROFILE_VARIABLE) or None
        shared = self.environ.get(SHARED_ENGINE_VARIABLE, "").strip().lower()
        if self.shared_engine is None and shared:
            self.shared_engine = shared not in ("0", "no", "false")

    @property
    def no_color(self) -> bool:
        # https://no-color.org: any non-empty value disables colour.
        return bool(self.environ.get("NO_COLOR"))

    @property
    def interactive(self) -> bool:
        return bool(self.stdin_isatty and self.stdout_isatty)

    @property
    def console(self) -> Console:
        if self._console is None:
            from tutor.render.console import make_console

            self._console = make_console(self)
        return self._console

    @property
    def learner_dir(self) -> Path:
        """Where this learner's own files live: the data directory, or the profile's folder."""
        assert self.data_dir is not None
        return self.data_dir / "profiles" / self.profile if self.profile else self.data_dir

    @property
    def progress_path(self) -> Path:
        return self.learner_dir / "progress.json"

    @property
    def workspace_root(self) -> Path:
        """Where practice commands run (one directory per lesson); DOCKER_TUTOR_WORKSPACE
        or --workspace chooses another place."""
        if self.workspace_dir is not None:
            return self.workspace_dir
        chosen = self.environ.get(WORKSPACE_VARIABLE)
        if chosen:
            return Path(chosen).expanduser()
        return self.learner_dir / "workspace"

    @property
    def cache_dir(self) -> Path:
        """Parsed lesson files, kept between runs (the data directory's ``cache``)."""
        assert self.data_dir is not None
        return self.data_dir / "cache"

    @property
    def runtime_dir(self) -> Path:
        """The machine's folder for what all tutor sessions on it share
        (DOCKER_TUTOR_RUNTIME_DIR, else docker-tutor in the temporary folder)."""
        chosen = self.environ.get(RUNTIME_VARIABLE)
        if chosen:
            return Path(chosen).expanduser()
        return machine_runtime_dir()

    @property
    def history_path(self) -> Path:
        return self.learner_dir / "history"


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
