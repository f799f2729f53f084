"""Parse YAML into plain containers that remember the line of every key and item.

PyYAML's safe loader forgets positions and silently keeps the last of two
duplicate keys; lesson authors need both reported, so we build values from the
composed node tree ourselves.

Aliases (``*name``) are allowed, within limits: an alias that contains itself is
refused, and so is a document that expands to more than ``MAX_VALUES`` values
(nine levels of nine-way aliases, the "billion laughs", would otherwise take
minutes and gigabytes).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import yaml

STR_TAG = "tag:yaml.org,2002:str"
# A lesson has a few thousand values; this leaves room for generous use of aliases.
MAX_VALUES = 100_000


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
    # Imported here: a start whose lesson files are all in the parse cache reads no YAML.
    import yaml

    try:
        node = yaml.compose(text, Loader=_composer())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or str(error)
        if "mapping values are not allowed" in problem:
            problem += ("; an unquoted ': ' inside text starts a mapping in YAML,"
                        " so put the text in quotes or use a | block")
        raise YamlError(f"not valid YAML: {problem}", line) from None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (NUL, other control characters): say where.
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        character = f"#x{error.character:04x}" if isinstance(error.character, int) else (
            repr(error.character))
        raise YamlError(f"not valid YAML: the character {character} ({error.reason}) at "
                        f"column {column} is not allowed in a YAML file", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"not valid YAML: {error}", None) from None
    if node is None:
        return None
    # A fresh constructor per document: it caches every node it has built.
    return _Builder(yaml.SafeLoader(stream="")).build(node)


@cache
def _composer() -> type:
    """libyaml's composer (about ten times faster than PyYAML's, with the same nodes and
    marks), with PyYAML's tag resolution made cheap for the common case."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    scalar_node = yaml.ScalarNode
    # The first characters of the values an implicit tag (int, bool, null, float,
    # timestamp, ...) can match; a plain value starting with any other is text.
    tagged_starts = frozenset(base.yaml_implicit_resolvers)
    assert not base.yaml_path_resolvers, "path resolvers would need descend/ascend"
    resolver = yaml.resolver.Resolver()  # the same implicit tags, without a parser
    assert resolver.yaml_implicit_resolvers == base.yaml_implicit_resolvers

    # Keys (``type``, ``title``, ``name``) and words (``nginx``, ``true``) recur in every
    # lesson; their tags depend on the text alone.
    @lru_cache(maxsize=4096)
    def plain_tag(value: str) -> str:
        return str(resolver.resolve(scalar_node, value, (True, False)))

    class Composer(base):  # type: ignore[misc, valid-type]
        # Called for every scalar: most are keys and text, decided by their first letter.
        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is not scalar_node:
                return str(super().resolve(kind, value, implicit))
            if not implicit[0] or (value and value[0] not in tagged_starts):
                return STR_TAG  # quoted, or plain with a first letter no tag starts with
            return plain_tag(value)

        # Called twice for every node, to follow path resolvers, of which there are none.
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    return Composer


class _Builder:
    def __init__(self, constructor: yaml.SafeLoader) -> None:
        self.constructor = constructor
        self.count = 0
        self.open: set[int] = set()  # nodes being built: meeting one again is a cycle

    def build(self, node: yaml.Node) -> Any:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlError(f"the document expands to more than {MAX_VALUES:,} values: "
                            "its aliases (*name) repeat anchors (&name) too often", line)
        key = id(node)
        if key in self.open:
            raise YamlError("an alias (*name) refers to the value that contains it, which "
                            "would repeat forever", line)
        # Node kinds by their ``id`` ("scalar", "mapping", "sequence"): no import of yaml here.
        kind = getattr(node, "id", None)
        if kind == "scalar":
            if node.tag == STR_TAG:
                return node.value  # most values are text: skip the constructor's machinery
            return self.constructor.construct_object(node)
        self.open.add(key)
        try:
            if kind == "mapping":
                return self._mapping(cast("yaml.MappingNode", node), line)
            if kind == "sequence":
                return self._sequence(cast("yaml.SequenceNode", node), line)
            return self.constructor.construct_object(node)
        finally:
            self.open.discard(key)

    def _mapping(self, node: yaml.MappingNode, line: int) -> LineMap:
        result = LineMap()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            if getattr(key_node, "id", None) != "scalar":
                raise YamlError("mapping keys must be plain words", key_node.start_mark.line + 1)
            key = (key_node.value if key_node.tag == STR_TAG
                   else str(self.constructor.construct_object(key_node)))
            key_line = key_node.start_mark.line + 1
            if key in result:
                raise YamlError(
                    f"duplicate key '{key}' (first at line {result.key_lines[key]})", key_line
                )
            result[key] = self.build(value_node)
            result.key_lines[key] = key_line
        return result

    def _sequence(self, node: yaml.SequenceNode, line: int) -> LineList:
        items = LineList()
        items.line = line
        items.item_lines = []
        for item in node.value:
            items.append(self.build(item))
            items.item_lines.append(item.start_mark.line + 1)
        return items
