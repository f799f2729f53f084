"""Parse a docker argv into a normalised :class:`ParsedCommand`.

The rules follow docker's own parser (cobra + pflag) closely enough that a
command docker accepts parses here and a command docker rejects for a usage
reason raises here, with a friendlier message:

* global options (``-H``, ``--context``...) only before the command name;
* ``--flag=value`` / ``--flag value``; booleans take no separate value but
  accept ``--flag=false``;
* short flags combine (``-it``, ``-dp 8080:80``): only the last letter of a
  group may take a value, and the value may be attached (``-p8080:80``) or
  given after ``=`` (``-e=A``);
* a value is taken from the next word even if it starts with ``-`` (pflag
  does the same: ``--format -q`` sets the format to "-q");
* ``--`` ends the options; ``-`` alone is a positional argument;
* flags may follow positionals (``docker rm web -f``) except for run, create,
  exec, top and commit, where docker stops at the first positional: for
  run/create/exec the rest is the container command (``docker run busybox
  ls -l`` keeps ``-l`` for ls).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from .catalog import BY_PATH, ROOT, CommandSpec, Flag, lookup
from .errors import (
    DockerCliError,
    UnknownCommand,
    UnsupportedCommand,
    UsageError,
    _check_arg_count,
    _missing_value,
    _unknown_flag,
    _unknown_subcommand,
    _unknown_top_level,
)

__all__ = [
    "DockerCliError",
    "OptionMap",
    "ParsedCommand",
    "UnknownCommand",
    "UnsupportedCommand",
    "UsageError",
    "parse",
]

# --------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------


class OptionMap(Mapping[str, tuple[str, ...]]):
    """Immutable, hashable ``{flag name: values}`` mapping with sorted keys."""

    __slots__ = ("_data",)

    def __init__(self, items: Mapping[str, Iterable[str]] | None = None) -> None:
        data = {} if items is None else {k: tuple(v) for k, v in items.items()}
        self._data: dict[str, tuple[str, ...]] = dict(sorted(data.items()))

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __repr__(self) -> str:
        return f"OptionMap({self._data!r})"


_EMPTY = OptionMap()


@dataclass(frozen=True)
class ParsedCommand:
    """A docker command line, normalised.

    Two commands compare equal when they mean the same thing: aliases, flag
    spellings and flag order do not matter (``typed_path`` and ``argv`` are
    kept for display but excluded from comparison).  ``docker-compose up`` and
    ``docker compose up`` are the same command.
    """

    path: tuple[str, ...]  # canonical: ("container", "ls")
    typed_path: tuple[str, ...] = field(compare=False)  # as typed: ("ps",)
    options: OptionMap  # {"all": ("true",), "filter": ("name=web",)}
    args: tuple[str, ...]  # positionals; for run/exec the container command follows
    global_options: OptionMap = _EMPTY  # options before the command (--context, -H)
    argv: tuple[str, ...] = field(default=(), compare=False)  # the words given to parse()
    # Options of the group, before its subcommand: compose's -f FILE, -p NAME.
    group_options: OptionMap = _EMPTY
    # The command's flag names in the order they were first typed (for display).
    order: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # Accept plain dicts/lists from callers building commands by hand
        # (tests, lesson checks) while keeping the object hashable.
        for name in ("options", "global_options", "group_options"):
            value = getattr(self, name)
            if not isinstance(value, OptionMap):
                object.__setattr__(self, name, OptionMap(value))
        for name in ("path", "typed_path", "args", "argv", "order"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    @property
    def spec(self) -> CommandSpec:
        return BY_PATH[self.path]

    @property
    def name(self) -> str:
        """The command as the learner typed it: ``docker ps``."""
        return " ".join(("docker", *self.typed_path))

    def _key(self, name: str) -> str:
        # Accept "all", "--all", "-a" and hidden aliases ("net").
        bare = name.lstrip("-")
        spec = self.spec
        flag = spec.short_flag(bare) if len(bare) == 1 else spec.long_flag(bare)
        return flag.name if flag is not None else bare

    def values(self, name: str) -> tuple[str, ...]:
        """All values given for a flag, in order (``()`` if absent)."""
        return self.options.get(self._key(name), ())

    def option(self, name: str, default: str | None = None) -> str | None:
        """The effective (last) value of a flag, or ``default``."""
        values = self.values(name)
        return values[-1] if values else default

    def flag(self, name: str) -> bool:
        """True if a boolean flag is on (``-a``, ``--all``, ``--all=true``)."""
        return self.option(name) == "true"

    @property
    def group_spec(self) -> CommandSpec | None:
        """The group the command belongs to (``docker compose``), or None at the top."""
        return BY_PATH[self.path[:1]] if len(self.path) > 1 else None

    @property
    def wants_help(self) -> bool:
        """True if docker would only print help (``--help``, ``-h``, ``help``, a bare group)."""
        if self.flag("help") or any(
                opts.get("help") == ("true",) for opts in (self.global_options, self.group_options)):
            return True
        if not self.path:  # bare "docker" prints help; "docker --version" does not
            return "version" not in self.global_options
        if self.spec.is_group:  # "docker compose" prints help; "docker compose -v" does not
            return not self.flag("version")
        return self.path == ("help",)

    def canonical(self) -> str:
        """A normalised, re-parseable command line.

        Canonical path, global then command options sorted by long name
        (``--name=value``; switches as ``--flag`` or ``--flag=false``), then
        the positionals.  ``docker ps -a`` and ``docker container ls --all``
        give the same string.
        """
        words = ["docker"]
        words += _render_options(ROOT, self.global_options)
        group = self.group_spec
        if group is not None and self.group_options:
            words += self.path[:1]
            words += _render_options(group, self.group_options)
            words += self.path[1:]
        else:
            words += self.path
        words += _render_options(self.spec, self.options)
        if self.args and _needs_separator(self.spec, self.args):
            words.append("--")
        words += self.args
        return shlex.join(words)

    def __str__(self) -> str:
        return self.canonical()


def _render_options(spec: CommandSpec, options: Mapping[str, tuple[str, ...]]) -> list[str]:
    words: list[str] = []
    for name, values in options.items():  # OptionMap keeps keys sorted
        flag = spec.long_flag(name)
        for value in values:
            if flag is not None and not flag.takes_value:
                words.append(f"--{name}" if value == "true" else f"--{name}={value}")
            else:
                words.append(f"--{name}={value}")
    return words


def _needs_separator(spec: CommandSpec, args: tuple[str, ...]) -> bool:
    # A positional that looks like a flag must come after "--" to survive a
    # re-parse; for run/exec only the first one matters (the rest is the
    # container command and is never parsed as flags).
    def looks_like_flag(word: str) -> bool:
        return word.startswith("-") and word != "-"

    if spec.interspersed:
        return any(looks_like_flag(a) for a in args)
    return looks_like_flag(args[0])


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------

_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse(argv: Sequence[str]) -> ParsedCommand:
    """Parse docker arguments (with or without a leading ``"docker"``).

    Raises :class:`UnknownCommand` (with did-you-mean suggestions) for words
    that are not a docker command, :class:`UnsupportedCommand` for real
    docker commands outside this model, and :class:`UsageError` for unknown
    flags, missing flag values and wrong argument counts.
    """
    words = list(argv)
    if words and words[0] == "sudo":
        raise UnknownCommand(
            "No need for sudo: the tutor already talks to the Docker engine. "
            "Type the command without it.",
            command="sudo",
            suggestions=(shlex.join(words[1:]),) if len(words) > 1 else (),
        )
    if words and words[0] in ("docker", "docker.exe"):
        words = words[1:]
    elif words and words[0] in ("docker-compose", "docker-compose.exe"):
        # Compose v1's own program: the same commands as the v2 plugin.
        words = ["compose", *words[1:]]

    global_opts, rest = _parse_options(ROOT, words, "docker")
    typed, spec, group_opts, rest = _resolve(rest)
    command = " ".join(("docker", *typed))
    options, args = _parse_options(spec, rest, command)

    if spec.is_group and args:  # "docker container" followed by a flag, then a word
        raise _unknown_subcommand(typed, args[0])
    if options.get("help") != ["true"] and not spec.is_group:
        _check_arg_count(spec, command, args)

    return ParsedCommand(
        path=spec.path,
        typed_path=typed,
        options=OptionMap(options),
        args=tuple(args),
        global_options=OptionMap(global_opts),
        argv=tuple(argv),
        group_options=OptionMap(group_opts),
        order=tuple(options),  # a dict keeps the order flags were first seen
    )


def _resolve(
    words: list[str],
) -> tuple[tuple[str, ...], CommandSpec, dict[str, list[str]], list[str]]:
    """Split off the command words.

    Returns (typed path, spec, the group's options, remaining words).  Only a
    group with options of its own (compose) has group options: they come
    between the group word and the subcommand (``docker compose -f x.yml up``).
    """
    if not words:
        return (), ROOT, {}, []
    first = words[0]
    spec = lookup((first,))
    if spec is None:
        raise _unknown_top_level(first)
    if not spec.is_group:
        return (first,), spec, {}, words[1:]
    group_opts: dict[str, list[str]] = {}
    rest = words[1:]
    if spec.flags:
        group_opts, rest = _parse_options(spec, rest, f"docker {first}")
    # A group: the next word, if it is not a flag, must be a subcommand.
    if rest and not rest[0].startswith("-"):
        typed = (first, rest[0])
        sub = lookup(typed)
        if sub is None:
            raise _unknown_subcommand((first,), rest[0])
        return typed, sub, group_opts, rest[1:]
    # No subcommand ("docker compose --help"): the group's options are the command's.
    return (first,), spec, {}, words[1:]


def _parse_options(
    spec: CommandSpec, words: list[str], command: str
) -> tuple[dict[str, list[str]], list[str]]:
    """pflag-style option parsing. Returns ({flag name: values}, positionals)."""
    options: dict[str, list[str]] = {}
    args: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word == "--":
            args.extend(words[i:])
            break
        if word.startswith("--"):
            name, has_eq, value = word[2:].partition("=")
            if not name or name.startswith(("-", "=")):
                raise UsageError(f"'{word}' is not a valid flag for '{command}'.", command=command, flag=word)
            flag = spec.long_flag(name)
            if flag is None:
                raise _unknown_flag(spec, command, word)
            if flag.takes_value and not has_eq:
                if i >= len(words):
                    raise _missing_value(command, word, flag)
                value, i = words[i], i + 1
            elif not flag.takes_value:
                value = _bool_value(command, word, flag, value) if has_eq else "true"
            _store(options, flag, value)
        elif word.startswith("-") and word != "-":
            i = _parse_short_group(spec, command, word, words, i, options)
        elif spec.interspersed:
            args.append(word)
        else:
            # run/create/exec/top/commit (and docker itself): the rest is not ours.
            args.append(word)
            args.extend(words[i:])
            break
    return options, args


def _parse_short_group(
    spec: CommandSpec,
    command: str,
    word: str,
    words: list[str],
    i: int,
    options: dict[str, list[str]],
) -> int:
    """Parse ``-abc`` / ``-p8080:80`` / ``-e=A``; returns the next word index."""
    letters = word[1:]
    j = 0
    while j < len(letters):
        letter = letters[j]
        flag = spec.short_flag(letter)
        if flag is None:
            if letter == "h":  # docker still honours -h as a deprecated --help
                _store(options, _help_flag(spec), "true")
                j += 1
                continue
            raise _unknown_flag(spec, command, f"-{letter}", group=word)
        remaining = letters[j + 1 :]
        if len(letters) - j > 2 and remaining[0] == "=":  # -e=A, -d=false
            value = remaining[1:]
            if not flag.takes_value:
                value = _bool_value(command, word, flag, value)
            j = len(letters)
        elif not flag.takes_value:
            value = "true"
            j += 1
        elif remaining:  # -p8080:80, -dp8080:80
            value = remaining
            j = len(letters)
        elif i < len(words):  # -p 8080:80
            value, i = words[i], i + 1
            j = len(letters)
        else:
            raise _missing_value(command, f"-{letter}", flag)
        _store(options, flag, value)
    return i


def _help_flag(spec: CommandSpec) -> Flag:
    flag = spec.long_flag("help")
    assert flag is not None  # every spec indexes --help
    return flag


def _store(options: dict[str, list[str]], flag: Flag, value: str) -> None:
    if flag.repeatable:
        options.setdefault(flag.name, []).append(value)
    else:
        options[flag.name] = [value]  # docker keeps the last one


def _bool_value(command: str, word: str, flag: Flag, value: str) -> str:
    if value in _TRUE:
        return "true"
    if value in _FALSE:
        return "false"
    raise UsageError(
        f"{word}: --{flag.name} is a switch for '{command}'; it can only be "
        f"'true' or 'false', not {value!r}.",
        command=command,
        flag=word,
    )


