"""What an engine other than Docker's cannot do that a lesson's commands ask of it.

Selftest plays every way a lesson accepts. When one fails on such an engine because
of a limit known here (the command asks for it, and the engine's answer says so), it
is reported as unsupported by that engine, not as a fault of the lesson. Both must
hold, so a lesson that breaks for another reason still fails.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    product: str  # the engine it applies to, as tutor.engine.product names it: "Podman"
    words: tuple[str, ...]  # a played command with all of these words asks for it
    answer: re.Pattern[str]  # the engine's answer when it cannot
    reason: str

    def hit(self, product: str, commands: Iterable[str], output: str) -> bool:
        if not product.startswith(self.product) or self.answer.search(output) is None:
            return False
        return any(set(self.words) <= set(_words(command)) for command in commands)


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


LIMITS: tuple[Limit, ...] = (
    # The docker CLI sends the repository without a tag; Podman 4.x looks for an image
    # named exactly that.
    Limit("Podman", ("push", "--all-tags"),
          re.compile(r"failed to find image \S+: .*image not known"),
          "Podman's Docker-compatible API cannot push all tags of a repository "
          "(docker push --all-tags)"),
)


def limit_hit(product: str | None, commands: Iterable[str], output: str) -> Limit | None:
    """The known limit of engine ``product`` that explains this failed attempt, if any."""
    if not product:
        return None
    commands = list(commands)
    return next((limit for limit in LIMITS if limit.hit(product, commands, output)), None)
