"""Parse and validate a check tree from lesson YAML (see docs/checks.md).

A check is a mapping with exactly one key naming its kind, plus optional
``wait: SECONDS`` (at most 30) and ``hint: text``. Each kind has a parser in
``CHECK_KINDS``; adding a kind means writing one module and one line here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from tutor.checks.base import MAX_WAIT_SECONDS, Check
from tutor.checks.combinators import parse_all, parse_any
from tutor.checks.compose import parse_compose
from tutor.checks.containers import parse_container
from tutor.checks.docker_networks import parse_network
from tutor.checks.dockerfile import parse_dockerfile
from tutor.checks.events import parse_events
from tutor.checks.files import parse_archive, parse_exec, parse_file, parse_workspace_file
from tutor.checks.health import parse_health
from tutor.checks.image_contents import parse_image_contents
from tutor.checks.images import parse_image
from tutor.checks.logs import parse_logs
from tutor.checks.network import parse_http, parse_registry_tag
from tutor.checks.process import parse_process
from tutor.checks.reach import parse_reach
from tutor.checks.reading import ParseContext, is_number_text
from tutor.checks.removals import parse_removed
from tutor.checks.typed import parse_typed
from tutor.checks.volumes import parse_volume
from tutor.course.placeholders import has_placeholder
from tutor.schema.fields import describe_type
from tutor.schema.location import LessonProblem, Where
from tutor.schema.yamldoc import LineMap
from tutor.suggest import did_you_mean

KindParser = Callable[[Any, ParseContext], "Check | None"]

CHECK_KINDS: dict[str, KindParser] = {
    "all": parse_all,
    "any": parse_any,
    "image": parse_image,
    "container": parse_container,
    "file": parse_file,
    "exec": parse_exec,
    "http": parse_http,
    "registry_tag": parse_registry_tag,
    "archive": parse_archive,
    "workspace_file": parse_workspace_file,
    "typed": parse_typed,
    "events": parse_events,
    "dockerfile": parse_dockerfile,
    "volume": parse_volume,
    "network": parse_network,
    "reach": parse_reach,
    "logs": parse_logs,
    "health": parse_health,
    "process": parse_process,
    "image_contents": parse_image_contents,
    "compose": parse_compose,
    "removed": parse_removed,
}

COMMON_FIELDS = ("wait", "hint")


def check_kinds() -> tuple[str, ...]:
    return tuple(sorted(CHECK_KINDS))


def parse_check(value: Any, where: Where, problems: list[LessonProblem], line: int | None,
                declared_vars: set[str]) -> Check | None:
    """Validate one check tree; None (with problems recorded) when it is not valid.

    ``where`` names the check itself (``step_where.at_field("check")``), so
    problems read ``check.all[2].container.ports``.
    """
    declared = set(declared_vars)
    before = len(problems)

    def nested(item: Any, item_where: Where, item_line: int | None) -> Check | None:
        return _parse_node(item, item_where, problems, item_line, declared, nested)

    check = nested(value, where, line)
    return check if len(problems) == before else None


def _kind_list() -> str:
    return ", ".join(check_kinds())


def _parse_node(value: Any, where: Where, problems: list[LessonProblem], line: int | None,
                declared: set[str], nested: Callable) -> Check | None:
    pc = ParseContext(where, problems, getattr(value, "line", None) or line, declared, nested)
    if not isinstance(value, dict):
        pc.problem(f"expected a check such as {{image: {{ref: busybox}}}}, found "
                   f"{describe_type(value)}")
        return None

    def line_of(key: str) -> int | None:
        return value.line_of(key) if isinstance(value, LineMap) else pc.line

    kinds = [key for key in value if key in CHECK_KINDS]
    unknown = [key for key in value if key not in CHECK_KINDS and key not in COMMON_FIELDS]
    before = len(problems)
    for key in unknown:
        if kinds:
            message = (f"unknown field '{key}' next to '{kinds[0]}'"
                       f"{did_you_mean(str(key), (*CHECK_KINDS, *COMMON_FIELDS))}"
                       f" (a check has one kind, plus optional wait and hint)")
        else:
            message = (f"unknown check kind '{key}'{did_you_mean(str(key), CHECK_KINDS)}; "
                       f"the kinds are: {_kind_list()}")
        pc.problem(message, where.at_field(str(key)), line_of(key))
    if not kinds:
        if not unknown:
            pc.problem(f"names no check kind; use one of: {_kind_list()}")
        return None
    if len(kinds) > 1:
        pc.problem(f"has {len(kinds)} check kinds ({', '.join(kinds)}); a check has exactly "
                   f"one: combine several with all: [...] or any: [...]",
                   where.at_field(kinds[1]), line_of(kinds[1]))
        return None
    kind = kinds[0]
    wait = _parse_wait(value, pc, where.at_field("wait"), line_of("wait"))
    hint = _parse_hint(value, pc, where.at_field("hint"), line_of("hint"))
    kind_pc = dataclasses.replace(pc, where=where.at_field(kind), line=line_of(kind))
    check = CHECK_KINDS[kind](value[kind], kind_pc)
    if check is None or len(problems) != before:
        return None
    return dataclasses.replace(check, wait=wait, hint=hint)


def _parse_wait(value: dict, pc: ParseContext, where: Where, line: int | None) -> Any:
    if "wait" not in value:
        return None
    wait = value["wait"]
    if isinstance(wait, str) and has_placeholder(wait):
        return wait if pc.check_placeholders(wait, where, line) else None
    if isinstance(wait, str) and is_number_text(wait):
        wait = float(wait)
    if isinstance(wait, bool) or not isinstance(wait, (int, float)):
        pc.problem(f"must be a number of seconds, found {describe_type(wait)}", where, line)
        return None
    if wait <= 0:
        pc.problem(f"must be more than 0 seconds, found {wait:g}", where, line)
        return None
    if wait > MAX_WAIT_SECONDS:
        pc.problem(f"must be at most {MAX_WAIT_SECONDS:g} seconds, found {wait:g}", where, line)
        return None
    return wait


def _parse_hint(value: dict, pc: ParseContext, where: Where, line: int | None) -> str | None:
    if "hint" not in value:
        return None
    hint = value["hint"]
    if not isinstance(hint, str) or not hint.strip():
        pc.problem(f"must be text, found {describe_type(hint)}", where, line)
        return None
    if not pc.check_placeholders(hint, where, line):
        return None
    return hint.strip()
