"""A practice step asked as "type the command that ...": the learner's line is judged by
what it means (the docker command model), never by comparing text, and never run.

``docker run -p 8080:80 -d --name web busybox`` and ``docker container run --detach
--name=web --publish 8080:80 docker.io/library/busybox:latest`` mean the same: aliases,
flag spellings and order, and the image names docker fills in do not matter. Flags
that only change how output looks are ignored unless the lesson's command gives them.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.checks.typed import DISPLAY_ONLY
from tutor.course.lesson import Verdict
from tutor.course.placeholders import render_template
from tutor.dockercli import DockerCliError, ShellSyntaxError, describe, parse, split_command
from tutor.dockercli.imageref import BadReference, parse_image
from tutor.steps.quizfields import stand_in_values

if TYPE_CHECKING:
    from tutor.dockercli import ParsedCommand
    from tutor.steps.command import CommandStep

# Commands whose positionals are all image references, and those with one first.
# (`docker inspect X` may name anything; read as an image, `busybox` and
# `busybox:latest` agree, and a container's name stays equal to itself.)
IMAGE_ARGS = frozenset({("image", "pull"), ("image", "push"), ("image", "rm"),
                        ("image", "inspect"), ("image", "history"), ("image", "save"),
                        ("image", "tag"), ("inspect",)})
IMAGE_FIRST = frozenset({("container", "run"), ("container", "create")})
_TEMPLATE_SPACES = re.compile(r"\{\{\s*(.*?)\s*\}\}")

Meaning = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]]


@dataclass(frozen=True)
class RecallQuestion:
    """A practice step's task, to be answered with its command."""

    step: CommandStep
    values: dict[str, str]  # stand-ins for its placeholders (defaults, setup names)
    expected: tuple[ParsedCommand, ...]  # the solution, then alternatives of one command

    @classmethod
    def of(cls, step: CommandStep) -> RecallQuestion:
        values = stand_in_values(step.variables, step.setup)
        candidates = [step.solution, *step.alternatives]
        expected = []
        for actions in candidates:
            if len(actions) == 1 and isinstance(actions[0], str):
                try:
                    expected.append(parse(split_command(render_template(actions[0], values))))
                except (ShellSyntaxError, DockerCliError):
                    continue  # lint reports a solution that does not parse
        return cls(step, values, tuple(expected))

    @property
    def answer(self) -> str:
        """The lesson's own command, as the learner would type it."""
        return shlex.join(self.expected[0].argv) if self.expected else ""

    def fill(self, text: str) -> str:
        return render_template(text, self.values)

    def judge(self, line: str) -> Verdict:
        text = line.strip()
        if not text:
            return Verdict(False, ("Type the docker command (it is judged, not run), or /skip.",),
                           unclear=True)
        if text.split()[0] not in ("docker", "docker-compose"):
            return Verdict(False, ("Type the command itself, starting with `docker` (it is "
                                   "judged, not run).",), unclear=True)
        try:
            typed = parse(split_command(text))
        except ShellSyntaxError as error:
            return Verdict(False, (f"That uses shell syntax ({error.construct}): one docker "
                                   "command is the answer.",), unclear=True)
        except DockerCliError as error:
            return Verdict(False, (f"{error}",), unclear=True)
        if any(meaning(typed, want) == meaning(want, want) for want in self.expected):
            return Verdict(True)
        return Verdict(False, tuple(differences(typed, self._closest(typed))))

    def _closest(self, typed: ParsedCommand) -> ParsedCommand | None:
        same = [want for want in self.expected if want.path == typed.path]
        return same[0] if same else (self.expected[0] if self.expected else None)


def meaning(command: ParsedCommand, wanted: ParsedCommand) -> Meaning:
    """What a command does, in a form equal for equal meaning. Display-only flags count
    only where ``wanted`` (the lesson's command) gives them."""
    options = []
    for name, values in command.options.items():
        if name in DISPLAY_ONLY and name not in wanted.options:
            continue
        if name == "format":
            values = tuple(_TEMPLATE_SPACES.sub(r"{{\1}}", value).strip() for value in values)
        options.append((name, tuple(sorted(values))))
    args = list(command.args)
    if command.path in IMAGE_ARGS:
        args = [_image(arg) for arg in args]
    elif command.path in IMAGE_FIRST and args:
        args[0] = _image(args[0])
    return command.path, tuple(options), tuple(args)


def _image(reference: str) -> str:
    try:
        return parse_image(reference).full
    except BadReference:
        return reference


def differences(typed: ParsedCommand, wanted: ParsedCommand | None) -> list[str]:
    """What sets the learner's command apart from the lesson's, in words."""
    if wanted is None:
        return []
    if typed.path != wanted.path:
        typed_name = " ".join(("docker", *typed.path))
        return [f"`{typed_name}` is another command: {describe(typed.path)}."]
    _path, typed_options, typed_args = meaning(typed, wanted)
    _same, wanted_options, wanted_args = meaning(wanted, wanted)
    mine, theirs = dict(typed_options), dict(wanted_options)
    notes = []
    for name in sorted(theirs.keys() - mine.keys()):
        notes.append(f"It needs --{name}{_shown(theirs[name])}.")
    for name in sorted(mine.keys() - theirs.keys()):
        notes.append(f"--{name} is not asked for.")
    for name in sorted(mine.keys() & theirs.keys()):
        if mine[name] != theirs[name]:
            notes.append(f"--{name} is{_shown(mine[name])}; the task wants{_shown(theirs[name])}.")
    if typed_args != wanted_args:
        notes.append(f"The arguments are `{' '.join(typed.args) or '(none)'}`; the task wants "
                     f"`{' '.join(wanted.args) or '(none)'}`.")
    return notes


def _shown(values: tuple[str, ...]) -> str:
    shown = [value for value in values if value != "true"]
    return " " + ", ".join(f"`{value}`" for value in shown) if shown else ""
