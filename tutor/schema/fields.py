"""Typed reads of a YAML mapping that report every mistake with its location.

Each reader records a problem and returns a neutral value instead of raising,
so one run of the validator lists all the problems in a file, not just the first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tutor.schema.location import LessonProblem, Where
from tutor.schema.yamldoc import LineList, LineMap
from tutor.suggest import did_you_mean

MISSING = object()

COLON_ADVICE = " (an unquoted ': ' inside text starts a mapping in YAML; put the text in quotes)"


def describe_type(value: Any) -> str:
    if isinstance(value, dict) and len(value) == 1:
        return "a mapping" + COLON_ADVICE
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


class Fields:
    """Reads the fields of one mapping; ``finish()`` reports the ones nobody read."""

    def __init__(
        self, mapping: Any, where: Where, problems: list[LessonProblem], line: int | None = None
    ) -> None:
        self.where = where
        self.problems = problems
        self.ok = isinstance(mapping, dict)
        self.mapping: dict = mapping if self.ok else {}
        self.read: set[str] = set()
        # Template variables declared around this mapping (a lesson's vars for its steps).
        self.declared: set[str] = set()
        if not self.ok:
            self.problem(f"expected a mapping of fields, found {describe_type(mapping)}",
                         getattr(mapping, "line", line))

    # -- reporting -------------------------------------------------------------

    def line_of(self, name: str | None = None) -> int | None:
        if isinstance(self.mapping, LineMap):
            return self.mapping.line_of(name) if name else self.mapping.line
        return None

    def problem(self, message: str, line: int | None = None, where: Where | None = None) -> None:
        self.problems.append(LessonProblem(where or self.where, message, line))

    def field_problem(self, name: str, message: str) -> None:
        self.problem(message, self.line_of(name), self.where.at_field(name))

    # -- readers ---------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.mapping

    def raw(self, name: str, required: bool = False) -> Any:
        self.read.add(name)
        if name not in self.mapping:
            if required:
                self.field_problem(name, "is required")
            return MISSING
        return self.mapping[name]

    def text(self, name: str, required: bool = True, default: str | None = None) -> str | None:
        value = self.raw(name, required)
        if value is MISSING:
            return default
        if not isinstance(value, str):
            self.field_problem(name, f"must be text, found {describe_type(value)}")
            return default
        if not value.strip():
            self.field_problem(name, "must not be empty")
            return default
        return value.strip("\n")

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.field_problem(name, f"must be true or false, found {describe_type(value)}")
            return default
        return value

    def text_list(self, name: str, required: bool = True, min_items: int = 0) -> tuple[str, ...]:
        value = self.raw(name, required)
        if value is MISSING:
            return ()
        if isinstance(value, str):
            value = [value]  # a single item written without a list is harmless
        if not isinstance(value, list):
            self.field_problem(name, f"must be a list of text, found {describe_type(value)}")
            return ()
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                line = value.line_of(index) if isinstance(value, LineList) else self.line_of(name)
                self.problem(f"must be non-empty text, found {describe_type(item)}",
                             line, self.where.at_field(name).at_item(index))
                continue
            items.append(item.strip("\n"))
        if len(value) < min_items:
            self.field_problem(name, f"needs at least {min_items} item(s), found {len(value)}")
        return tuple(items)

    def mappings(self, name: str, required: bool = True) -> list[tuple[Any, Where, int | None]]:
        """The items of a list of mappings, each with its location."""
        value = self.raw(name, required)
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.field_problem(name, f"must be a list, found {describe_type(value)}")
            return []
        located = []
        for index, item in enumerate(value):
            line = value.line_of(index) if isinstance(value, LineList) else None
            located.append((item, self.where.at_field(name).at_item(index), line))
        return located

    def one_of(self, name: str, allowed: Sequence[str], required: bool = True) -> str | None:
        value = self.text(name, required)
        if value is not None and value not in allowed:
            self.field_problem(
                name,
                f"'{value}' is not one of {', '.join(allowed)}{did_you_mean(value, allowed)}",
            )
            return None
        return value

    def finish(self) -> None:
        """Unknown fields are errors: a typo must never silently switch a check off."""
        if not self.ok:
            return
        for name in self.mapping:
            if name not in self.read:
                self.problem(
                    f"unknown field '{name}'{did_you_mean(str(name), self.read)}",
                    self.line_of(name),
                    self.where.at_field(str(name)),
                )


def each_item(
    fields: Fields, name: str, parse_item: Callable[[Fields], Any], required: bool = True
) -> list[Any]:
    """Parse a list of mappings with ``parse_item``, dropping the items that failed."""
    results = []
    for item, where, line in fields.mappings(name, required):
        before = len(fields.problems)
        item_fields = Fields(item, where, fields.problems, line)
        if item_fields.ok:
            parsed = parse_item(item_fields)
            item_fields.finish()
            if parsed is not None and len(fields.problems) == before:
                results.append(parsed)
    return results
