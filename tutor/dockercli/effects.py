"""What running a parsed docker command would do.

The REPL uses these to decide how to run a command (captured, or handed the
real terminal so Ctrl-C and keyboard input reach docker) and whether to warn
before something gets deleted.  All answers come from the command line
alone; nothing here talks to the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from .parse import ParsedCommand

# Commands that change neither engine state nor local files/config.
_READ_ONLY: frozenset[tuple[str, ...]] = frozenset({
    ("compose",),  # with no subcommand it prints help, or its version (-v)
    ("compose", "images"),
    ("compose", "logs"),
    ("compose", "ls"),
    ("compose", "ps"),
    ("compose", "top"),
    ("compose", "version"),
    ("container", "diff"),
    ("container", "inspect"),
    ("container", "logs"),
    ("container", "ls"),
    ("container", "port"),
    ("container", "stats"),
    ("container", "top"),
    ("container", "wait"),
    ("context", "inspect"),
    ("context", "ls"),
    ("context", "show"),
    ("help",),
    ("image", "history"),
    ("image", "inspect"),
    ("image", "ls"),
    ("inspect",),
    ("network", "inspect"),
    ("network", "ls"),
    ("search",),
    ("system", "df"),
    ("system", "events"),
    ("system", "info"),
    ("version",),
    ("volume", "inspect"),
    ("volume", "ls"),
})


def is_read_only(cmd: ParsedCommand) -> bool:
    """True if the command only looks: no engine change, no file or config written.

    ``--help``, bare groups (``docker image``), ``docker --version`` and
    ``docker compose --dry-run ...`` count as read-only too; ``docker compose
    config`` does unless it writes its result to a file (``-o``).
    """
    if cmd.wants_help or not cmd.path or cmd.path in _READ_ONLY or _dry_run(cmd):
        return True
    return cmd.path == ("compose", "config") and cmd.option("output") is None


def _dry_run(cmd: ParsedCommand) -> bool:
    """``docker compose --dry-run ...``: compose only shows what it would do."""
    return cmd.path[:1] == ("compose",) and "true" in (
        cmd.option("dry-run"), cmd.group_options.get("dry-run", ("",))[-1])


@dataclass(frozen=True)
class Destruction:
    """What a command would delete."""

    # "containers" | "images" | "volumes" | "networks" | "contexts" |
    # "build cache" | "everything unused"
    kind: str
    targets: tuple[str, ...] = ()  # named objects; empty for prune (docker picks them)
    force: bool = False  # -f: also running/in-use objects, or no confirmation prompt
    prune: bool = False  # docker chooses what to delete: everything in `scope`
    scope: str = ""  # for prune: "stopped", "dangling", "unused", "unused anonymous"...
    also: tuple[str, ...] = ()  # further things removed, e.g. ("anonymous volumes",)
    filters: tuple[str, ...] = ()  # --filter values narrowing a prune
    # docker compose: the project's resources, found from the Compose file, not
    # named on the command line; `services` narrows them (empty: every service).
    compose: bool = False
    services: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        """A phrase for a confirmation prompt: 'remove containers web, db (forced)'."""
        if self.compose:
            removed = [f"{self.scope} {self.kind}" if self.scope else self.kind, *self.also]
            text = "remove the Compose project's " + _and_list(removed)
            if self.services:
                text += " (services: " + ", ".join(self.services) + ")"
        elif self.kind == "everything unused":
            text = "remove " + ", ".join(self.also)
        elif self.prune:
            text = f"remove all {self.scope} {self.kind}"
            if self.also:
                text += " and " + ", ".join(self.also)
        else:
            text = f"remove {self.kind} " + ", ".join(self.targets)
            if self.also:
                text += " and their " + ", ".join(self.also)
        if self.filters:
            text += " matching " + ", ".join(self.filters)
        if self.force:
            text += " (forced)"
        return text


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Named removals: canonical path -> kind.
_REMOVE_KIND: dict[tuple[str, ...], str] = {
    ("container", "rm"): "containers",
    ("image", "rm"): "images",
    ("volume", "rm"): "volumes",
    ("network", "rm"): "networks",
    ("context", "rm"): "contexts",
}
# Prunes: canonical path -> (kind, scope without --all, scope with --all).
_PRUNE: dict[tuple[str, ...], tuple[str, str, str]] = {
    ("container", "prune"): ("containers", "stopped", "stopped"),
    ("image", "prune"): ("images", "dangling", "unused"),
    ("volume", "prune"): ("volumes", "unused anonymous", "unused"),
    ("network", "prune"): ("networks", "unused", "unused"),
    ("builder", "prune"): ("build cache", "dangling", "unused"),
}


def destructive_targets(cmd: ParsedCommand) -> Destruction | None:
    """Describe what the command would delete, or None if it deletes nothing.

    ``rm``, ``rmi``, ``volume rm``, ``network rm``, ``context rm`` and every
    ``prune`` are destructive.  ``stop``, ``kill`` and ``run --rm`` are not:
    they delete nothing the learner made (``--rm`` only removes the container
    the same command creates).
    """
    if cmd.wants_help or _dry_run(cmd):
        return None
    path = cmd.path
    if path[:1] == ("compose",):
        return _compose_destruction(cmd)
    force = cmd.flag("force")
    filters = cmd.values("filter")

    kind = _REMOVE_KIND.get(path)
    if kind is not None:
        volumes = ("anonymous volumes",) if kind == "containers" and cmd.flag("volumes") else ()
        return Destruction(kind, cmd.args, force=force, also=volumes)

    prune = _PRUNE.get(path)
    if prune is not None:
        kind, scope, scope_all = prune
        scope = scope_all if cmd.flag("all") else scope
        return Destruction(kind, force=force, prune=True, scope=scope, filters=filters)

    if path == ("system", "prune"):
        everything = cmd.flag("all")
        also: list[str] = [
            "stopped containers",
            "unused networks",
            "unused images" if everything else "dangling images",
            "unused build cache" if everything else "dangling build cache",
        ]
        if cmd.flag("volumes"):
            also.append("unused anonymous volumes")
        return Destruction(
            "everything unused",
            force=force,
            prune=True,
            scope="unused" if everything else "dangling",
            also=tuple(also),
            filters=filters,
        )
    return None


def _compose_destruction(cmd: ParsedCommand) -> Destruction | None:
    """``compose down`` removes the project's containers and networks (and with
    -v its volumes, with --rmi its images); ``compose rm`` its stopped containers."""
    if cmd.path == ("compose", "down"):
        also = ["containers", "networks"]
        kind, scope = "containers", ""
        if cmd.flag("volumes"):  # the data goes: the most important thing to say
            kind, scope = "volumes", "named and anonymous"
        else:
            also.remove("containers")
        rmi = cmd.option("rmi")
        if rmi == "all":
            also.append("images used by its services")
        elif rmi == "local":
            also.append("images built for its services without a custom tag")
        return Destruction(kind, scope=scope, also=tuple(also), compose=True,
                           services=cmd.args)
    if cmd.path == ("compose", "rm"):
        volumes = ("anonymous volumes attached to them",) if cmd.flag("volumes") else ()
        return Destruction("containers", force=cmd.flag("force"), compose=True,
                           scope="" if cmd.flag("stop") else "stopped", also=volumes,
                           services=cmd.args)
    return None


def is_interactive(cmd: ParsedCommand) -> bool:
    """True if the command reads from the keyboard and needs the real terminal.

    ``docker run -it``/``exec -it`` (unless detached), ``start -i``,
    ``attach``, a ``login`` that will prompt for credentials, and from
    Compose ``exec`` (it allocates a terminal unless -T), ``run`` (interactive
    by default) and ``rm`` without -f (it asks "Are you sure?").
    """
    if cmd.wants_help or _dry_run(cmd):
        return False
    path = cmd.path
    if path == ("compose", "exec"):
        return not (cmd.flag("detach") or cmd.flag("no-tty"))
    if path == ("compose", "run"):
        return not cmd.flag("detach")
    if path == ("compose", "rm"):
        return not cmd.flag("force")
    if path in (("container", "run"), ("container", "exec")):
        return (cmd.flag("interactive") or cmd.flag("tty")) and not cmd.flag("detach")
    if path == ("container", "start"):
        return cmd.flag("interactive")
    if path == ("container", "attach"):
        # Even with --no-stdin, the detach keys and Ctrl-C come from the keyboard.
        return True
    if path == ("login",):
        # It prompts unless the password comes from stdin or both credentials are given.
        given = cmd.option("password") is not None and cmd.option("username") is not None
        return not (cmd.flag("password-stdin") or given)
    return False


def needs_terminal(cmd: ParsedCommand) -> bool:
    """True if the command should run on the real terminal, not with captured output.

    That is every interactive command plus those that stream until stopped,
    which the learner ends with Ctrl-C: ``logs -f``, ``stats`` without
    ``--no-stream``, ``events``, ``wait``, ``start -a``, and ``run``/``exec``
    in the foreground (a foreground ``docker run nginx`` never ends by itself);
    likewise ``compose up`` without -d (it shows the services' logs until
    Ctrl-C) and ``compose logs -f``.
    """
    if cmd.wants_help or _dry_run(cmd):
        return False
    if is_interactive(cmd):
        return True
    path = cmd.path
    if path in (("container", "logs"), ("compose", "logs")):
        return cmd.flag("follow")
    if path == ("compose", "up"):
        # --wait implies detached; --no-start only creates the containers.
        return not (cmd.flag("detach") or cmd.flag("wait") or cmd.flag("no-start"))
    if path in (("compose", "exec"), ("compose", "run")):
        return not cmd.flag("detach")
    if path == ("container", "stats"):
        return not cmd.flag("no-stream")
    if path in (("system", "events"), ("container", "wait")):
        return True
    if path == ("container", "start"):
        return cmd.flag("attach")
    if path in (("container", "run"), ("container", "exec")):
        return not cmd.flag("detach")
    return False
