"""The building blocks of the command model: flags, command specs, table helpers.

The tables themselves live in ``flagsets`` (flags several commands share) and
the ``table_*`` modules (one entry per command); ``catalog`` joins them and
indexes them.  The helpers are underscored because only those modules use them.
"""

from __future__ import annotations

from collections import namedtuple

# Flag and CommandSpec are named tuples rather than dataclasses: several
# hundred are built at import, and the REPL imports this module at start-up,
# so construction has to be cheap.  They are immutable and hashable all the same.

# --------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------


class Flag(
    namedtuple(
        "Flag",
        "name short takes_value repeatable description aliases",
        defaults=("", False, False, "", ()),
    )
):
    """One command-line option of a docker command.

    name: long name without dashes ("publish"); short: one letter ("p") or "";
    takes_value: False for a boolean switch (--rm, -d); repeatable: values
    accumulate (-p 80:80 -p 443:443) instead of the last one winning;
    aliases: hidden or deprecated long spellings docker still accepts
    (--net for --network).
    """

    __slots__ = ()
    name: str
    short: str
    takes_value: bool
    repeatable: bool
    description: str
    aliases: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        """How the flag can be written on the command line, long form first."""
        return (f"--{self.name}", f"-{self.short}") if self.short else (f"--{self.name}",)


# Per-spec flag lookup tables, built on first use: {path: (by long name, by letter)}.
_FLAG_INDEX: dict[tuple[str, ...], tuple[dict[str, Flag], dict[str, Flag]]] = {}


class CommandSpec(
    namedtuple(
        "CommandSpec",
        "path description usage flags aliases min_args max_args interspersed is_group",
        defaults=("", (), (), 0, 0, True, False),
    )
):
    """One docker command (or management group such as ``docker container``).

    path: canonical path ("container", "ls"); usage: argument synopsis after
    [OPTIONS] ("IMAGE [COMMAND] [ARG...]"); aliases: other typed paths
    (("ps",), ...); max_args None means unlimited; interspersed False means
    flag parsing stops at the first positional, because what follows belongs
    to another program (docker run IMAGE ls -l); is_group: a management
    command that only holds subcommands.
    """

    __slots__ = ()
    path: tuple[str, ...]
    description: str
    usage: str
    flags: tuple[Flag, ...]
    aliases: tuple[tuple[str, ...], ...]
    min_args: int
    max_args: int | None
    interspersed: bool
    is_group: bool

    def _index(self) -> tuple[dict[str, Flag], dict[str, Flag]]:
        index = _FLAG_INDEX.get(self.path)
        if index is None:
            by_long: dict[str, Flag] = {}
            by_short: dict[str, Flag] = {}
            for flag in self.all_flags:
                by_long[flag.name] = flag
                for alias in flag.aliases:
                    by_long[alias] = flag
                if flag.short:
                    by_short[flag.short] = flag
            index = _FLAG_INDEX[self.path] = (by_long, by_short)
        return index

    @property
    def all_flags(self) -> tuple[Flag, ...]:
        """The command's flags plus the implicit ``--help``."""
        return (*self.flags, HELP_FLAG)

    def long_flag(self, name: str) -> Flag | None:
        """The flag spelled ``--name`` (hidden aliases included), or None."""
        return self._index()[0].get(name)

    def short_flag(self, letter: str) -> Flag | None:
        """The flag spelled ``-letter``, or None."""
        return self._index()[1].get(letter)

    def long_names(self) -> tuple[str, ...]:
        """Every accepted long spelling (names and aliases), without dashes."""
        return tuple(self._index()[0])

    @property
    def name(self) -> str:
        """``docker container ls`` style display name."""
        return " ".join(("docker", *self.path))


# --------------------------------------------------------------------------
# Table helpers: one call per flag keeps the tables compact and readable.
# --------------------------------------------------------------------------


def _b(name: str, short: str, description: str, *aliases: str) -> Flag:
    """A boolean switch: ``--rm``; also accepts ``--rm=false``."""
    return Flag(name, short, False, False, description, aliases)


def _v(name: str, short: str, description: str, *aliases: str) -> Flag:
    """A flag taking one value; given twice, the last value wins (as in docker)."""
    return Flag(name, short, True, False, description, aliases)


def _m(name: str, short: str, description: str, *aliases: str) -> Flag:
    """A flag taking a value that may be repeated: ``-p 80:80 -p 443:443``."""
    return Flag(name, short, True, True, description, aliases)


def _cmd(
    path: tuple[str, ...],
    description: str,
    usage: str = "",
    *,
    args: tuple[int, int | None] = (0, 0),
    aliases: tuple[tuple[str, ...], ...] = (),
    interspersed: bool = True,
    flags: tuple[Flag, ...] = (),
) -> CommandSpec:
    return CommandSpec(path, description, usage, flags, aliases, args[0], args[1], interspersed)


def _group(name: str, description: str, *, flags: tuple[Flag, ...] = ()) -> CommandSpec:
    # A group with options of its own (compose -f FILE) takes them before the
    # subcommand, whose word ends them: parsing stops at the first positional.
    return CommandSpec((name,), description, "COMMAND", flags, max_args=None,
                       interspersed=not flags, is_group=True)


HELP_FLAG = _b("help", "", "Print usage")
