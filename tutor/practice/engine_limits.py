"""What some engines cannot do that a lesson's commands ask of them.

Selftest plays every way a lesson accepts. When one fails on an engine because of a
limit known here (the engine has it, a played command asks for it, and, where the
engine says so, its answer says so), it is reported as unsupported by that engine,
not as a fault of the lesson. All must hold, so a lesson that breaks for another
reason still fails.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tutor.engine.product import EngineProduct

Words = Sequence[str]


@dataclass(frozen=True)
class Limit:
    applies: Callable[[EngineProduct], bool]  # the engines that have it
    asks: Callable[[Words], bool]  # a played command (its words) that needs it
    answer: re.Pattern[str] | None  # the engine's answer when it cannot; None: any failure
    reason: str

    def hit(self, product: EngineProduct, commands: Iterable[str], output: str) -> bool:
        if not self.applies(product):
            return False
        if self.answer is not None and self.answer.search(output) is None:
            return False
        return any(self.asks(_words(command)) for command in commands)


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def pushes_all_tags(words: Words) -> bool:
    return "push" in words and "--all-tags" in words


def binds_host_path(words: Words) -> bool:
    """``-v /path:/in``, ``--volume=./x:/in``, ``--mount type=bind,...``: a file or
    folder of the machine the command is typed on (not a named volume)."""
    for index, word in enumerate(words):
        name, equals, value = word.partition("=")
        if name not in ("-v", "--volume", "--mount"):
            continue
        if not equals:
            value = words[index + 1] if index + 1 < len(words) else ""
        if name == "--mount" and "type=bind" in value.split(","):
            return True
        if name != "--mount" and value.startswith(("/", ".", "~")):
            return True
    return False


def prunes_all_images_by_filter(words: Words) -> bool:
    """``docker image prune -a --filter ...`` (``--all``, ``-af`` alike)."""
    return ("prune" in words
            and any(word == "--all" or re.fullmatch(r"-[a-z]*a[a-z]*", word) for word in words)
            and any(word.startswith("--filter") for word in words))


def starts_compose_services(words: Words) -> bool:
    """``docker compose up``/``run``/``start``: a Compose file's bind mounts (``./app.py``)
    are made then."""
    return "compose" in words and any(word in ("up", "run", "start", "create")
                                      for word in words)


def any_command(words: Words) -> bool:
    return True


LIMITS: tuple[Limit, ...] = (
    # The docker CLI sends the repository without a tag; Podman 4.x looks for an image
    # named exactly that.
    Limit(lambda product: product.podman, pushes_all_tags,
          re.compile(r"failed to find image \S+: .*image not known"),
          "Podman's Docker-compatible API cannot push all tags of a repository "
          "(docker push --all-tags)"),
    Limit(lambda product: product.podman, prunes_all_images_by_filter,
          re.compile(r'specifying "dangling" filter more than once'),
          "Podman's Docker-compatible API refuses docker image prune --all with a --filter"),
    # Told by the health check's own words: the probes never ran at all.
    Limit(lambda product: product.podman, any_command,
          re.compile(r"Podman runs health probes from systemd timers"),
          "Podman runs health probes from systemd timers; without systemd, as here, none runs"),
    # The engine mounts paths of its own machine, as its own user: the lesson's folder
    # here is not there (or not readable for it).
    Limit(lambda product: product.remote is not None, binds_host_path, None,
          "a remote engine mounts folders of its own machine, not the lesson's folder "
          "on this one"),
    # The same for a Compose file's bind mount of a file beside it.
    Limit(lambda product: product.remote is not None, starts_compose_services,
          re.compile(r"error while creating mount source path|bind source path does not exist"
                     r"|not a directory: unknown: Are you trying to mount a directory"),
          "a remote engine mounts files of its own machine, not the Compose file's "
          "folder on this one"),
)


def limit_hit(product: EngineProduct | None, commands: Iterable[str],
              output: str) -> Limit | None:
    """The known limit of the engine ``product`` that explains a failed attempt, if any."""
    if product is None:
        return None
    commands = list(commands)
    return next((limit for limit in LIMITS if limit.hit(product, commands, output)), None)
