"""Declarative model of the docker command line: the whole table, indexed.

The tables mirror ``docker <command> --help`` of Docker CLI 28 (flags, short
letters, argument counts, aliases), so the tutor can understand and complete
what a learner types without running docker; tests/test_dockercli_cli_help.py
compares them with the installed client.  Nothing here executes anything.

Layout: ``spec`` holds the types (Flag, CommandSpec) and the table helpers,
``flagsets`` the flags several commands share, the ``table_*`` modules one
``_cmd(...)`` entry per command; this module joins them and indexes them.

Conventions:
* paths are tuples of words; the *canonical* path is the management form
  (``("container", "ls")``), aliases are other typed forms (``("ps",)``).
* flag names are stored without dashes (``"publish"``), short flags as a
  single letter (``"p"``).
* ``--help`` is accepted by every command, so it is added automatically
  rather than repeated in each table.
"""

from __future__ import annotations

from .spec import HELP_FLAG, CommandSpec, Flag, _b, _group, _m, _v
from .table_compose import COMPOSE_COMMANDS, COMPOSE_GROUP, COMPOSE_MAJOR_VERSION
from .table_container import CONTAINER_COMMANDS
from .table_image import IMAGE_COMMANDS
from .table_system import SYSTEM_COMMANDS

__all__ = [
    "BY_PATH",
    "CLI_MAJOR_VERSION",
    "COMMANDS",
    "COMPOSE_MAJOR_VERSION",
    "GLOBAL_FLAGS",
    "GROUPS",
    "HELP_FLAG",
    "PARTIAL_GROUPS",
    "PLUGIN_GROUPS",
    "ROOT",
    "UNCOVERED",
    "UNCOVERED_SUBCOMMANDS",
    "CommandSpec",
    "Flag",
    "canonical_path",
    "describe",
    "flags_for",
    "lookup",
    "subcommand_names",
]

# The major version of the docker CLI whose --help the tables mirror.
CLI_MAJOR_VERSION = 28

# Options of the ``docker`` program itself; they go before the command name.
GLOBAL_FLAGS: tuple[Flag, ...] = (
    _v("config", "", "Location of client config files"),
    _v("context", "c", "Name of the context to use to connect to the daemon"),
    _b("debug", "D", "Enable debug mode"),
    _m("host", "H", "Daemon socket to connect to"),
    _v("log-level", "l", 'Set the logging level ("debug", "info", "warn", "error", "fatal")'),
    _b("tls", "", "Use TLS; implied by --tlsverify"),
    _v("tlscacert", "", "Trust certs signed only by this CA"),
    _v("tlscert", "", "Path to TLS certificate file"),
    _v("tlskey", "", "Path to TLS key file"),
    _b("tlsverify", "", "Use TLS and verify the remote"),
    _b("version", "v", "Print version information and quit"),
)

# --------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------

ROOT = CommandSpec(
    (), "A self-sufficient runtime for containers", "COMMAND", GLOBAL_FLAGS,
    max_args=None, interspersed=False, is_group=True,
)

GROUPS: tuple[CommandSpec, ...] = (
    _group("builder", "Manage builds"),
    _group("buildx", "Docker Buildx (only 'docker buildx build' is covered here)"),
    COMPOSE_GROUP,
    _group("container", "Manage containers"),
    _group("context", "Manage contexts"),
    _group("image", "Manage images"),
    _group("network", "Manage networks"),
    _group("system", "Manage Docker"),
    _group("volume", "Manage volumes"),
)

COMMANDS: tuple[CommandSpec, ...] = (
    *CONTAINER_COMMANDS, *IMAGE_COMMANDS, *SYSTEM_COMMANDS, *COMPOSE_COMMANDS,
)

# Real docker commands (mostly plugins and Swarm) that this model does not
# describe; parse() reports them as unsupported rather than as typos.
UNCOVERED: frozenset[str] = frozenset({
    "ai", "checkpoint", "config", "debug", "desktop", "extension",
    "init", "manifest", "model", "node", "offload", "plugin", "sbom", "scout",
    "secret", "service", "stack", "swarm", "trust",
})
# Groups of which only some subcommands are modelled.
PARTIAL_GROUPS: frozenset[str] = frozenset({"buildx", "builder", "compose"})
# Real subcommands of partial groups that the model leaves out; a word that is
# neither modelled nor listed here is a typo (did-you-mean), not unsupported.
# Groups missing here treat every unknown word as a real, unmodelled command.
UNCOVERED_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "compose": frozenset({
        "attach", "bridge", "commit", "cp", "create", "events", "export", "kill",
        "pause", "port", "publish", "scale", "stats", "unpause", "volumes", "wait",
        "watch",
    }),
}
# Groups that are docker CLI plugins, installed separately from the client:
# a client without them answers "unknown command".
PLUGIN_GROUPS: frozenset[str] = frozenset({"buildx", "compose"})

# --------------------------------------------------------------------------
# Indexes (built once at import; a few hundred dict entries)
# --------------------------------------------------------------------------

BY_PATH: dict[tuple[str, ...], CommandSpec] = {
    spec.path: spec for spec in (ROOT, *GROUPS, *COMMANDS)
}
# Every typed form (canonical or alias) -> canonical path.
_TYPED: dict[tuple[str, ...], tuple[str, ...]] = {}
# Typed prefix -> words that may follow it (for completion and suggestions).
_CHILDREN: dict[tuple[str, ...], set[str]] = {}

for _spec in BY_PATH.values():
    for _typed in (_spec.path, *_spec.aliases):
        _TYPED[_typed] = _spec.path
        if _typed:
            _CHILDREN.setdefault(_typed[:-1], set()).add(_typed[-1])
del _spec, _typed
# The same, sorted once: completion asks on every keystroke.
_SORTED_CHILDREN = {typed: tuple(sorted(words)) for typed, words in _CHILDREN.items()}


def canonical_path(path: tuple[str, ...] | list[str]) -> tuple[str, ...] | None:
    """Canonical path for a typed path (``("ps",)`` -> ``("container", "ls")``)."""
    return _TYPED.get(tuple(path))


def lookup(path: tuple[str, ...] | list[str]) -> CommandSpec | None:
    """The spec for a typed or canonical path, or None if unknown."""
    canonical = _TYPED.get(tuple(path))
    return None if canonical is None else BY_PATH[canonical]


def subcommand_names(prefix_path: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """Words that can follow ``docker <prefix_path...>``, sorted.

    ``subcommand_names(())`` lists top-level commands and groups (including
    shortcuts such as ``ps``); ``subcommand_names(("container",))`` lists
    ``attach ... ls list ps ...``.  Unknown prefixes give ``()``.
    """
    return _SORTED_CHILDREN.get(tuple(prefix_path), ())


def flags_for(path: tuple[str, ...] | list[str]) -> tuple[Flag, ...]:
    """All flags (including ``--help``) of a typed or canonical command path.

    ``flags_for(())`` gives docker's global options.  Unknown paths give ``()``
    so a completer can call this on half-typed input without guarding.
    """
    spec = lookup(path)
    return () if spec is None else spec.all_flags


def describe(path: tuple[str, ...] | list[str]) -> str | None:
    """One-line description of a typed or canonical command path, or None."""
    spec = lookup(path)
    return None if spec is None else spec.description
