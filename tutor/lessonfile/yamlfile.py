"""Reading a lesson folder's YAML files: every way a file can be unreadable becomes a
problem naming the file (and the line, when there is one). Also the rule ids follow
(of lessons, steps and topics)."""

from __future__ import annotations

import re
from pathlib import Path

from tutor.schema.location import LessonProblem, Where
from tutor.schema.yamldoc import YamlError, parse_yaml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COURSE_FILE = "course.yaml"  # a lesson folder's title, topics and lessons in order

def read_yaml_file(path: Path, problems: list[LessonProblem]) -> object | None:
    where = Where(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(LessonProblem(where, "file not found"))
        return None
    except OSError as error:
        problems.append(LessonProblem(where, f"cannot be read: {error.strerror or error}"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(LessonProblem(
            where, f"is not UTF-8 text: byte 0x{data[error.start]:02x} at column {column} "
                   "cannot be read (save the file as UTF-8)", line))
        return None
    try:
        return parse_yaml(text)
    except YamlError as error:
        problems.append(LessonProblem(where, error.message, error.line))
        return None


def read_course_file(path: Path) -> tuple[object | None, list[LessonProblem]]:
    """course.yaml as YAML, with the problems of reading it."""
    problems: list[LessonProblem] = []
    return read_yaml_file(path, problems), problems
