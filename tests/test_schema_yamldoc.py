"""yamldoc: YAML values that remember the line of every key and item."""

from __future__ import annotations

import pytest
from conftest import dedent, line_of
from hypothesis import given
from hypothesis import strategies as st

from tutor.schema.yamldoc import LineList, LineMap, YamlError, parse_yaml

DOC = dedent(
    """
    # a comment first, so lines are not trivially 1, 2, 3
    id: demo
    title: Demo

    steps:
      - id: one
        type: say
      - id: two
        type: choice
        choices:
          - text: a
          - text: b
    """
)


def test_keys_remember_their_lines():
    data = parse_yaml(DOC)
    assert isinstance(data, LineMap)
    assert data.line_of("id") == line_of(DOC, "id: demo")
    assert data.line_of("title") == line_of(DOC, "title:")
    assert data.line_of("steps") == line_of(DOC, "steps:")


def test_list_items_remember_their_lines():
    data = parse_yaml(DOC)
    steps = data["steps"]
    assert isinstance(steps, LineList)
    assert steps.line_of(0) == line_of(DOC, "- id: one")
    assert steps.line_of(1) == line_of(DOC, "- id: two")
    second = steps[1]
    assert second.line_of("type") == line_of(DOC, "type: choice")
    assert second["choices"].line_of(1) == line_of(DOC, "- text: b")


def test_unknown_key_or_index_falls_back_to_the_container_line():
    data = parse_yaml(DOC)
    step = data["steps"][0]
    assert step.line_of("no-such-key") == step.line == line_of(DOC, "- id: one")
    choices = data["steps"][1]["choices"]
    assert choices.line_of(7) == choices.line


def test_values_are_plain_python_values():
    data = parse_yaml("n: 3\nflag: true\nword: yes please\nitems: [a, 2]\nnothing:\n")
    assert data == {"n": 3, "flag": True, "word": "yes please", "items": ["a", 2], "nothing": None}
    assert isinstance(data["n"], int) and isinstance(data["flag"], bool)


def test_empty_document_is_none():
    assert parse_yaml("") is None
    assert parse_yaml("# only a comment\n") is None


def test_duplicate_key_reports_both_lines():
    text = dedent(
        """
        id: demo
        title: First title
        summary: s
        title: Second title
        """
    )
    with pytest.raises(YamlError) as caught:
        parse_yaml(text)
    assert caught.value.line == line_of(text, "Second title")
    assert "duplicate key 'title'" in caught.value.message
    assert f"line {line_of(text, 'First title')}" in caught.value.message


def test_duplicate_key_in_a_nested_mapping_is_found():
    text = dedent(
        """
        steps:
          - id: one
            type: say
            text: hello
            type: choice
        """
    )
    with pytest.raises(YamlError) as caught:
        parse_yaml(text)
    assert caught.value.line == line_of(text, "type: choice")
    assert f"line {line_of(text, 'type: say')}" in caught.value.message


def test_same_key_in_different_mappings_is_not_a_duplicate():
    data = parse_yaml("- id: a\n- id: b\n")
    assert [item["id"] for item in data] == ["a", "b"]


@pytest.mark.parametrize(
    "text, bad_line",
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 3),  # unclosed flow list: noticed where it goes wrong
        ("a: 1\n\tb: 2\n", 2),  # a tab used for indentation
        ("title: ok\nsteps:\n  - id: a\n    text: Note: this\n", 4),  # an unquoted ': '
    ],
)
def test_invalid_yaml_is_reported_with_a_line(text, bad_line):
    with pytest.raises(YamlError) as caught:
        parse_yaml(text)
    assert caught.value.line == bad_line
    assert caught.value.message.startswith("not valid YAML: ")


def test_complex_mapping_keys_are_rejected_with_a_line():
    with pytest.raises(YamlError) as caught:
        parse_yaml("id: x\n? [a, b]\n: 1\n")
    assert caught.value.line == 2


def _tags(node):
    """Every node's tag, in document order."""
    if isinstance(node.value, list):
        children = [part for item in node.value
                    for part in (item if isinstance(item, tuple) else (item,))]
        return [node.tag] + [tag for child in children for tag in _tags(child)]
    return [node.tag]


# Plain, quoted and flow values of every kind YAML 1.1 gives a tag without being told.
_SCALARS = st.sampled_from([
    "3", "-3", "+3", "0x1f", "0o17", "017", "1_000", "3.5", ".5", "1e3", ".inf", "-.Inf", ".nan",
    "yes", "No", "on", "OFF", "true", "False", "y", "n", "null", "~", "Null", "", "2024-01-31",
    "2024-01-31 10:00:00", "<<", "=", "nginx", "nope", "offline", "true story", "'3'", '"yes"',
    "tee", "0.0.0.0:8080", "1.25", "3:30", "-x", ".hidden", "~/x", "'a: b'", "[1, yes]",
])


@given(st.lists(st.tuples(st.sampled_from(["a", "yes", "3", "null", "on"]), _SCALARS),
                min_size=1, max_size=6, unique_by=lambda pair: pair[0]))
def test_tags_resolve_as_pyyaml_resolves_them(pairs):
    import yaml

    from tutor.schema.yamldoc import _composer

    text = "".join(f"{key}: {value}\n" for key, value in pairs)
    text += "items:\n" + "".join(f"  - {value}\n" for _, value in pairs)
    assert _tags(yaml.compose(text, Loader=_composer())) == _tags(
        yaml.compose(text, Loader=yaml.SafeLoader))
