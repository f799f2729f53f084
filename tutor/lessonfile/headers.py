"""A large course opened for the first time: its lessons read from their headers.

Parsing and checking every step of a thousand lesson files takes seconds (most of it
libyaml and the steps' checks), and the parse cache (tutor.lessonfile.cache) only helps
from the second start. So when many lesson files are not in the cache, each is read
from its header alone: the text of its ``steps:`` block is cut out before the YAML is
parsed, and the steps are parsed (and checked) when the lesson's steps are first
needed. ``tutor.lessonfile.fill`` then parses the whole course in the background and
fills the cache, so the next start knows every problem and reads no header twice.

Anything the header pass is unsure of (no top-level block ``steps:``, YAML it cannot
parse, any problem at all) is left to the full parse, so a broken header is reported
exactly as before. A lesson whose steps turn out broken says so when it is opened
(``tutor.course.lesson.problems_on_opening``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.course.lesson import Lesson, Step, StepsOnDemand

if TYPE_CHECKING:
    from tutor.schema.location import LessonProblem

# Opened from headers when more lesson files than this are not in the parse cache:
# below it, parsing them fully takes well under a second.
HEADERS_FIRST_AT = 40

# The top-level key of the steps, its value on the lines below (a block sequence).
# Patterns start with a newline, not ^: the regex engine then skips to each newline
# quickly, where ^ would be tried at every character of 20 KB files.
_STEPS_KEY = re.compile(r"\nsteps:[ \t]*(?:#[^\n]*)?\n")
# The next top-level line after the steps: another key, or a document marker.
_TOP_LEVEL = re.compile(r"\n(?:[^\s#\-]|-\S)")
_FIRST_CONTENT = re.compile(r"\n([ ]*)(\S)")


class DeferredSteps(StepsOnDemand):
    """A lesson's steps, parsed from its file when first needed. Until then its length
    is the number of items the file's ``steps:`` block shows."""

    def __init__(self, length: int, source: Path, ids: Sequence[str]) -> None:
        super().__init__(length, source)
        self.ids = ids
        self._problems: tuple[LessonProblem, ...] = ()

    @property
    def steps(self) -> DeferredSteps:
        return self

    def _read(self) -> tuple[Step, ...]:
        steps, self._problems = self._parse()
        return steps

    def _parse(self) -> tuple[tuple[Step, ...], tuple[LessonProblem, ...]]:
        from tutor.lessonfile.lesson_file import load_lesson

        problems: list[LessonProblem] = []
        lesson = load_lesson(self.source, problems)
        return (tuple(lesson.steps) if lesson is not None else ()), tuple(problems)

    def problems(self) -> tuple[LessonProblem, ...]:
        """What keeps the lesson from being played, found by parsing it whole."""
        self._load()
        return self._problems

    def read_once(self) -> tuple[Step, ...]:
        """The steps for one pass over the course, not kept (as LazySteps.read_once)."""
        return self._steps if self._steps is not None else self._parse()[0]

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return tuple, (tuple(self),)  # kept anywhere, they are the parsed steps


def read_header(path: Path) -> Lesson | None:
    """The lesson from its file without parsing its steps; None when the header pass
    cannot be sure (the full parse then reads the file)."""
    from tutor.lessonfile.lesson_file import lesson_from_data
    from tutor.schema.yamldoc import YamlError, parse_yaml

    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    cut = cut_steps(text)
    if cut is None:
        return None
    head, length, ids = cut
    try:
        data = parse_yaml(head)
    except YamlError:
        return None
    problems: list[LessonProblem] = []
    lesson = lesson_from_data(path, data, problems,
                              steps_later=DeferredSteps(length, path, ids))
    return lesson if lesson is not None and not problems else None


def cut_steps(text: str) -> tuple[str, int, list[str]] | None:
    """The file's text with its ``steps:`` block blanked out (so every other line keeps
    its number), the number of steps the block shows and the ids on their first lines;
    None when the block is not a plain block sequence under a top-level ``steps:``."""
    text = "\n" + text  # so that the first line, too, follows a newline
    key = _STEPS_KEY.search(text)
    if key is None:
        return None
    begin = key.end() - 1  # the block starts with the newline ending "steps:"
    after = _TOP_LEVEL.search(text, begin)
    end = after.start() + 1 if after is not None else len(text)
    block = text[begin:end]
    first = _first_item(block)
    if first is None:
        return None
    item = f"\n{first}-"
    length = block.count(item + " ") + block.count(item + "\n") + block.count(item + "\t")
    ids = re.findall(rf"\n{first}-[ \t]+id:[ \t]*([a-z0-9][a-z0-9-]*)[ \t]*(?=\n)", block)
    blanked = "\n" * block.count("\n")
    return text[1:key.start() + 1] + blanked + text[end:], length, ids


def _first_item(block: str) -> str | None:
    """The indentation of the block's first item; None when the block does not start
    with one (a comment-only or empty block, or something else)."""
    for found in _FIRST_CONTENT.finditer(block):
        indent, char = found.groups()
        if char == "#":
            continue
        return indent if char == "-" else None
    return None
