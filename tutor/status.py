"""Exit statuses of the ``docker-tutor`` command, one name per outcome."""

from enum import IntEnum


class ExitStatus(IntEnum):
    SUCCESS = 0
    ERROR = 1
    USAGE = 2            # bad command-line arguments (argparse uses 2 too)
    LESSON_ERRORS = 3    # lint found invalid lesson files
    ENGINE_UNAVAILABLE = 4
    SELFTEST_FAILED = 5
    INTERRUPTED = 130    # Ctrl-C outside the REPL, as shells report it
