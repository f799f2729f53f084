"""What a practice step declares besides its check: vars, setup, and the attempts
selftest plays (see docs/checks.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

VAR_FORMS = ("free_name", "free_port", "value", "engine_fact")
ENGINE_FACTS = ("kernel", "os", "architecture", "version")
SETUP_FORMS = ("pull", "container", "image", "file")
CONTAINER_STATES = ("running", "exited", "created")
# Every text may use {{ workspace }}: the lesson's directory, an absolute path.
BUILTIN_WORKSPACE = "workspace"


@dataclass(frozen=True)
class VarSpec:
    """A template variable: ``port: { free_port: 5000 }``."""

    name: str
    form: str  # one of VAR_FORMS
    default: str


@dataclass(frozen=True)
class SetupAction:
    """One entry of a step's ``setup``."""

    form: str  # one of SETUP_FORMS
    # The image reference for ``pull``; a plain mapping of the entry's fields otherwise.
    spec: Any


@dataclass(frozen=True)
class WriteFile:
    """A selftest action: write a file in the workspace, as a learner would in an editor."""

    path: str
    content: str

    def texts(self) -> tuple[str, ...]:
        return (self.path, self.content)


# One entry of solution/alternatives/wrong: a docker command line, or a file to write.
PlayAction = str | WriteFile


@dataclass(frozen=True)
class WrongAttempt:
    commands: tuple[PlayAction, ...]
    reason: str  # words the check's failure must contain


def action_texts(actions: Iterable[PlayAction]) -> list[str]:
    texts: list[str] = []
    for action in actions:
        texts.extend(action.texts() if isinstance(action, WriteFile) else (action,))
    return texts
