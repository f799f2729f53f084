"""``{{ var }}`` placeholders in lesson text and check fields.

A placeholder is a bare lowercase identifier between double braces, with
optional spaces: ``{{ port }}``, ``{{name}}``. Go templates such as
``{{.Names}}`` or ``{{ json .Config }}`` are not placeholders and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")


def template_names(text: str) -> set[str]:
    """The placeholder names used in ``text``."""
    if not isinstance(text, str):
        return set()
    return set(PLACEHOLDER.findall(text))


def has_placeholder(value: Any) -> bool:
    return isinstance(value, str) and PLACEHOLDER.search(value) is not None


def render_template(text: str, values: Mapping[str, str]) -> str:
    """Replace each placeholder by its value; an unknown one is left as written."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(substitute, text)


def render_value(value: Any, values: Mapping[str, str]) -> Any:
    """Render every string (and mapping key) inside lists, tuples and mappings."""
    if isinstance(value, str):
        return render_template(value, values)
    if isinstance(value, tuple):
        return tuple(render_value(item, values) for item in value)
    if isinstance(value, list):
        return [render_value(item, values) for item in value]
    if isinstance(value, dict):
        return {render_value(key, values): render_value(item, values)
                for key, item in value.items()}
    return value
