"""Readers for check fields: ``tutor.schema.fields.Fields`` plus placeholders.

Every scalar may be (or contain) a ``{{ var }}`` placeholder naming a var the
step declares; numbers may be written as placeholders and are converted when
the check is evaluated. Problems name the field path and line, like the rest of
the lesson validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.checks.refs import reference_problem
from tutor.course.placeholders import has_placeholder, template_names
from tutor.schema.fields import MISSING, Fields, describe_type
from tutor.schema.location import LessonProblem, Where
from tutor.schema.yamldoc import LineList, LineMap
from tutor.suggest import did_you_mean

_INTEGER_TEXT = re.compile(r"\s*-?\d+\s*")
_NUMBER_TEXT = re.compile(r"\s*\d+(\.\d*)?\s*")


def undeclared_message(name: str, declared: set[str]) -> str:
    if not declared:
        return (f"uses {{{{ {name} }}}}, but the step declares no vars "
                f"(declare it under 'vars:')")
    return (f"uses {{{{ {name} }}}}, but the step declares no var '{name}'"
            f"{did_you_mean(name, declared)} (declared: {', '.join(sorted(declared))})")


@dataclass
class ParseContext:
    """Where a check (or one of its parts) is, and how to parse a nested check."""

    where: Where
    problems: list[LessonProblem]
    line: int | None
    declared: set[str]
    parse_nested: Callable[[Any, Where, int | None], Any] = field(
        repr=False, default=lambda value, where, line: None)

    def problem(self, message: str, where: Where | None = None, line: int | None = None) -> None:
        self.problems.append(LessonProblem(where or self.where, message,
                                           line if line is not None else self.line))

    def fields(self, value: Any) -> CheckFields:
        return CheckFields(value, self.where, self.problems, self.line, self.declared)

    def check_placeholders(self, value: Any, where: Where, line: int | None) -> bool:
        """Record a problem for each undeclared placeholder inside ``value``; True when none."""
        ok = True
        for name in sorted(_names_in(value) - self.declared):
            self.problem(undeclared_message(name, self.declared), where, line)
            ok = False
        return ok


def _names_in(value: Any) -> set[str]:
    if isinstance(value, str):
        return template_names(value)
    if isinstance(value, (list, tuple)):
        return set().union(*(_names_in(item) for item in value)) if value else set()
    if isinstance(value, dict):
        names: set[str] = set()
        for key, item in value.items():
            names |= _names_in(key) | _names_in(item)
        return names
    return set()


class CheckFields(Fields):
    """Fields of one check kind's mapping, with placeholder-aware readers."""

    def __init__(self, mapping: Any, where: Where, problems: list[LessonProblem],
                 line: int | None, declared: set[str]) -> None:
        super().__init__(mapping, where, problems, line)
        self.declared = declared

    # -- helpers -------------------------------------------------------------------

    def _placeholders(self, name: str, value: Any, line: int | None = None,
                      where: Where | None = None) -> bool:
        ok = True
        for var in sorted(_names_in(value) - self.declared):
            self.problem(undeclared_message(var, self.declared),
                         line if line is not None else self.line_of(name),
                         where or self.where.at_field(name))
            ok = False
        return ok

    def item_line(self, name: str, container: Any, key: Any) -> int | None:
        if isinstance(container, LineMap):
            return container.line_of(key)
        if isinstance(container, LineList) and isinstance(key, int):
            return container.line_of(key)
        return self.line_of(name)

    # -- readers -------------------------------------------------------------------

    def template_text(self, name: str, required: bool = True,
                      default: str | None = None) -> str | None:
        """Text that may hold placeholders (numbers are refused: YAML turns 1.10 into 1.1)."""
        value = self.text(name, required, default)
        if value is not None and value is not default and not self._placeholders(name, value):
            return None
        return value

    def image_ref(self, name: str, required: bool = True) -> str | None:
        """An image reference (checked unless it holds placeholders)."""
        value = self.template_text(name, required)
        if value is None or has_placeholder(value):
            return value
        problem = reference_problem(value)
        if problem:
            self.field_problem(name, problem)
            return None
        return value

    def scalar_text(self, name: str, required: bool = True) -> str | None:
        """Text, or a whole number written without quotes (a size, a uid)."""
        value = self.raw(name, required)
        if value is MISSING:
            return None
        converted = scalar_to_text(value)
        if converted is None:
            self.field_problem(name, f"must be text, found {describe_type(value)}"
                               + _FLOAT_ADVICE * isinstance(value, float))
            return None
        return converted if self._placeholders(name, converted) else None

    def template_int(self, name: str, required: bool = True, default: int | None = None,
                     minimum: int | None = None, maximum: int | None = None) -> int | str | None:
        """A whole number, or text holding placeholders (converted when evaluated)."""
        value = self.raw(name, required)
        if value is MISSING:
            return default
        return self.int_value(name, value, self.line_of(name), self.where.at_field(name),
                              minimum, maximum)

    def int_value(self, name: str, value: Any, line: int | None, where: Where,
                  minimum: int | None = None, maximum: int | None = None) -> int | str | None:
        if isinstance(value, str) and has_placeholder(value):
            return value if self._placeholders(name, value, line, where) else None
        if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"must be a whole number, found {describe_type(value)}", line, where)
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.problem(f"must be between {minimum} and {maximum}, found {value}", line, where)
            return None
        return value

    def word_list(self, name: str, required: bool = True, allow_text: bool = False,
                  example: str = '[ls, -l, /tmp]') -> tuple[str, ...] | None:
        """An argv: a list of words (numbers allowed: [sleep, 600]).

        With ``allow_text``, a single string is split like a shell would.
        """
        value = self.raw(name, required)
        if value is MISSING:
            return None
        if isinstance(value, str) and allow_text:
            import shlex

            try:
                words = shlex.split(value)
            except ValueError as error:
                self.field_problem(name, f"cannot be split into words: {error}")
                return None
            if not words:
                self.field_problem(name, "must not be empty")
                return None
            return tuple(words) if self._placeholders(name, words) else None
        if not isinstance(value, list):
            self.field_problem(name, f"must be a list of words such as {example}, "
                                     f"found {describe_type(value)}")
            return None
        words = []
        ok = True
        for index, item in enumerate(value):
            text = scalar_to_text(item)
            if text is None:
                advice = " (put it in quotes: YAML reads true, yes, on... as true/false)" \
                    if isinstance(item, bool) else ""
                self.problem(f"must be a word, found {describe_type(item)}{advice}",
                             self.item_line(name, value, index),
                             self.where.at_field(name).at_item(index))
                ok = False
                continue
            words.append(text)
        if ok and not words:
            self.field_problem(name, "must not be empty")
            return None
        if not ok or not self._placeholders(name, words):
            return None
        return tuple(words)

    def text_items(self, name: str, required: bool = True) -> tuple[str, ...] | None:
        """A list of text (a single text is taken as a one-item list)."""
        value = self.raw(name, required)
        if value is MISSING:
            return None
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            self.field_problem(name, f"must be a list, found {describe_type(value)}")
            return None
        items = []
        ok = True
        for index, item in enumerate(value):
            text = scalar_to_text(item)
            if text is None or not text.strip():
                self.problem(f"must be non-empty text, found {describe_type(item)}",
                             self.item_line(name, value, index),
                             self.where.at_field(name).at_item(index))
                ok = False
                continue
            items.append(text)
        if ok and not items:
            self.field_problem(name, "must not be empty")
            return None
        if not ok or not self._placeholders(name, items):
            return None
        return tuple(items)

    def string_map(self, name: str, required: bool = False) -> tuple[tuple[str, str], ...] | None:
        """A mapping of text to text (env, labels): values may be numbers or true/false."""
        value = self.raw(name, required)
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.field_problem(name, f"must be a mapping such as {{KEY: value}}, "
                                     f"found {describe_type(value)}")
            return None
        pairs = []
        ok = True
        for key, item in value.items():
            text = scalar_to_text(item, booleans=True)
            if text is None:
                self.problem(f"must be text, found {describe_type(item)}"
                             + _FLOAT_ADVICE * isinstance(item, float),
                             self.item_line(name, value, key),
                             self.where.at_field(name).at_field(str(key)))
                ok = False
                continue
            pairs.append((str(key), text))
        if not pairs and ok:
            self.field_problem(name, "must not be empty")
            return None
        if not ok or not self._placeholders(name, pairs):
            return None
        return tuple(pairs)

    def flag(self, name: str) -> bool:
        return self.boolean(name, default=False)


_FLOAT_ADVICE = " (YAML reads 1.10 as the number 1.1; put the value in quotes)"


def scalar_to_text(value: Any, booleans: bool = False) -> str | None:
    if isinstance(value, bool):
        return ("true" if value else "false") if booleans else None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    return None


def is_number_text(value: str) -> bool:
    return _NUMBER_TEXT.fullmatch(value) is not None
