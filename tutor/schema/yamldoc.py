"""Parse YAML into plain containers that remember the line of every key and item.

PyYAML's safe loader forgets positions and silently keeps the last of two
duplicate keys; lesson authors need both reported, so we build values from the
composed node tree ourselves.
"""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's composer is about ten times faster and gives the same nodes and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class LineMap(dict):
    """A mapping with ``line`` (its own) and ``key_lines`` (each key's, 1-based)."""

    line: int | None = None
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence with ``line`` (its own) and ``item_lines`` (each item's, 1-based)."""

    line: int | None = None
    item_lines: list[int]

    def line_of(self, index: int) -> int | None:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


def parse_yaml(text: str) -> Any:
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or str(error)
        if "mapping values are not allowed" in problem:
            problem += ("; an unquoted ': ' inside text starts a mapping in YAML,"
                        " so put the text in quotes or use a | block")
        raise YamlError(f"not valid YAML: {problem}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"not valid YAML: {error}", None) from None
    if node is None:
        return None
    # A fresh constructor per document: it caches every node it has built.
    return _build(node, yaml.SafeLoader(stream=""))


def _build(node: yaml.Node, constructor: yaml.SafeLoader) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = LineMap()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("mapping keys must be plain words", key_node.start_mark.line + 1)
            key = str(constructor.construct_object(key_node))
            key_line = key_node.start_mark.line + 1
            if key in result:
                raise YamlError(
                    f"duplicate key '{key}' (first at line {result.key_lines[key]})", key_line
                )
            result[key] = _build(value_node, constructor)
            result.key_lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LineList()
        items.line = line
        items.item_lines = []
        for item in node.value:
            items.append(_build(item, constructor))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    return constructor.construct_object(node)
