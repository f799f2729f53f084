"""A model of the docker command line: split, parse, normalise, classify.

Pure standard library and cheap to import (the REPL loads it at start-up
for completion).  Typical use::

    from tutor.dockercli import split_command, parse, destructive_targets

    argv = split_command(line)          # ShellSyntaxError for pipes, $(...), globs...
    cmd = parse(argv)                   # UnknownCommand / UsageError with did-you-mean
    cmd.canonical()                     # "docker container ls --all"
    destructive_targets(cmd)            # Destruction(...) or None

The model covers the docker CLI's own commands and the common subcommands of
``docker compose`` (``docker-compose`` parses to the same commands).  Its
tables (catalog, flagsets, table_*) mirror the client's ``--help``;
tests/test_dockercli_cli_help.py keeps them honest.  ``explain`` takes a
command apart for /explain, values included; ``complete`` serves completion.
"""

from .catalog import (
    COMMANDS,
    GLOBAL_FLAGS,
    CommandSpec,
    Flag,
    canonical_path,
    describe,
    flags_for,
    lookup,
    subcommand_names,
)
from .effects import (
    Destruction,
    destructive_targets,
    is_interactive,
    is_read_only,
    needs_terminal,
)
from .parse import (
    DockerCliError,
    OptionMap,
    ParsedCommand,
    UnknownCommand,
    UnsupportedCommand,
    UsageError,
    parse,
)
from .shellwords import ShellSyntaxError, split_command

__all__ = [
    "COMMANDS",
    "GLOBAL_FLAGS",
    "CommandSpec",
    "Destruction",
    "DockerCliError",
    "Flag",
    "OptionMap",
    "ParsedCommand",
    "ShellSyntaxError",
    "UnknownCommand",
    "UnsupportedCommand",
    "UsageError",
    "canonical_path",
    "describe",
    "destructive_targets",
    "flags_for",
    "is_interactive",
    "is_read_only",
    "lookup",
    "needs_terminal",
    "parse",
    "split_command",
    "subcommand_names",
]
