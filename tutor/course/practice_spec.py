"""What a practice step declares besides its check: vars, setup, and the attempts
selftest plays (see docs/checks.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

VAR_FORMS = ("free_name", "free_port", "free_image", "free_volume", "free_network", "free_project",
             "value", "engine_fact")
ENGINE_FACTS = ("kernel", "os", "architecture", "version")
SETUP_FORMS = ("pull", "container", "image", "volume", "network", "file")
CONTAINER_STATES = ("running", "exited", "created")
# Every text may use {{ workspace }}: the lesson's directory, an absolute path.
BUILTIN_WORKSPACE = "workspace"


@dataclass(frozen=True)
class VarSpec:
    """A template variable: ``port: { free_port: 5000 }``.

    A ``free_image`` var ``hello`` (``hello: { free_image: "hello:1" }``) also gives
    ``hello_repository`` and ``hello_tag``: the parts of the name chosen.
    """

    name: str
    form: str  # one of VAR_FORMS
    default: str

    def names(self) -> tuple[str, ...]:
        """The placeholder names this var provides."""
        if self.form == "free_image":
            return (self.name, f"{self.name}_repository", f"{self.name}_tag")
        return (self.name,)

    def values(self, value: str) -> dict[str, str]:
        """The placeholder values for the var's chosen ``value``."""
        if self.form != "free_image":
            return {self.name: value}
        repository, _, tag = value.rpartition(":")
        return {self.name: value, f"{self.name}_repository": repository,
                f"{self.name}_tag": tag}


def var_names(specs: tuple[VarSpec, ...]) -> set[str]:
    return {name for spec in specs for name in spec.names()}


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
