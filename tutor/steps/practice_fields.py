"""Fields of practice steps that lessons share: vars, setup, and the attempts
selftest plays (solution, alternatives, wrong). See docs/checks.md."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tutor.checks.container_config import restart_policy_problem
from tutor.checks.refs import is_image_id, reference_problem
from tutor.course.practice_spec import (
    CONTAINER_STATES,
    ENGINE_FACTS,
    SETUP_FORMS,
    VAR_FORMS,
    PlayAction,
    SetupAction,
    VarSpec,
    WriteFile,
)
from tutor.schema.fields import MISSING, Fields, describe_type
from tutor.schema.location import Where

# What docker accepts as a volume name (networks and containers take the same).
_OBJECT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]+")


def _plain(value: Any) -> Any:
    """LineMap/LineList to plain dict/list, so runtime code never sees YAML types."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def parse_vars(fields: Fields) -> tuple[VarSpec, ...]:
    value = fields.raw("vars")
    if value is MISSING:
        return ()
    if not isinstance(value, dict):
        fields.field_problem("vars", f"must be a mapping of names, found {describe_type(value)}")
        return ()
    specs = []
    for name, spec in value.items():
        where = fields.where.at_field("vars").at_field(str(name))
        line = value.line_of(name) if hasattr(value, "line_of") else None
        var_fields = Fields(spec, where, fields.problems, line)
        if not var_fields.ok:
            continue
        if not str(name).isidentifier() or not str(name).islower():
            var_fields.problem(f"'{name}' must be a lowercase name (letters, digits, _)", line)
        present = [form for form in VAR_FORMS if var_fields.has(form)]
        if len(present) != 1:
            var_fields.problem(f"needs exactly one of {', '.join(VAR_FORMS)}", line)
            var_fields.read.update(present)
            var_fields.finish()
            continue
        form = present[0]
        raw = var_fields.raw(form)
        if form == "free_port" and not (isinstance(raw, int) and 1 <= raw <= 65535):
            var_fields.field_problem(form, "must be a port number (1-65535)")
        elif form == "engine_fact" and raw not in ENGINE_FACTS:
            var_fields.field_problem(form, f"must be one of {', '.join(ENGINE_FACTS)}")
        elif form != "free_port" and not isinstance(raw, str):
            var_fields.field_problem(form, f"must be text, found {describe_type(raw)}")
        elif form in ("free_volume", "free_network") and not _OBJECT_NAME.fullmatch(raw):
            var_fields.field_problem(form, f"'{raw}' must be a name such as notes: a letter or "
                                           "digit, then letters, digits, _ . or -")
        elif form == "free_image" and not _tagged_reference(raw):
            var_fields.field_problem(form, f"'{raw}' must be an image name with a tag, such "
                                           "as hello:1 (a number needs quotes: \"hello:1\")")
        else:
            specs.append(VarSpec(str(name), form, str(raw)))
        var_fields.finish()
    return tuple(specs)


def parse_setup(fields: Fields) -> tuple[SetupAction, ...]:
    actions = []
    for item, where, line in fields.mappings("setup", required=False):
        entry = Fields(item, where, fields.problems, line)
        if not entry.ok:
            continue
        present = [form for form in SETUP_FORMS if entry.has(form)]
        if len(present) != 1:
            entry.problem(f"needs exactly one of {', '.join(SETUP_FORMS)}", line)
            entry.read.update(entry.mapping)
            entry.finish()
            continue
        form = present[0]
        if form == "pull":
            ref = entry.text(form)
            if ref:
                actions.append(SetupAction(form, ref))
        else:
            spec = entry.raw(form)
            problems_before = len(fields.problems)
            _check_setup_mapping(entry, form, spec)
            if len(fields.problems) == problems_before:
                actions.append(SetupAction(form, _plain(spec)))
        entry.finish()
    return tuple(actions)


SETUP_FIELDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # form: (required fields, optional fields)
    "container": (("as", "image"), ("command", "state", "ports", "env", "files", "volumes",
                                    "network", "restart")),
    "image": (("as", "tag", "dockerfile"), ()),
    "volume": (("as",), ("files",)),
    "network": (("as",), ()),
    "file": (("path", "content"), ()),
}


def _check_setup_mapping(entry: Fields, form: str, spec: Any) -> None:
    sub = Fields(spec, entry.where.at_field(form), entry.problems, entry.line_of(form))
    if not sub.ok:
        return
    required, optional = SETUP_FIELDS[form]
    for name in required:
        sub.text(name)
    for name in optional:
        value = sub.raw(name)
        if value is MISSING:
            continue
        if name == "command" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            sub.field_problem(name, "must be a list of text (the argv)")
        elif name == "state" and value not in CONTAINER_STATES:
            sub.field_problem(name, f"must be one of {', '.join(CONTAINER_STATES)}")
        elif name in ("ports", "env", "files") and not isinstance(value, dict):
            sub.field_problem(name, f"must be a mapping, found {describe_type(value)}")
        elif name == "volumes" and not (isinstance(value, list) and value and all(
                isinstance(v, str) and ":" in v for v in value)):
            sub.field_problem(name, "must be a list of SOURCE:DESTINATION[:ro] such as "
                                    "\"{{ data }}:/data\" (as after docker run -v)")
        elif name == "network" and not isinstance(value, str):
            sub.field_problem(name, f"must be a network name, found {describe_type(value)}")
        elif name == "restart" and (not isinstance(value, str)
                                    or restart_policy_problem(value)):
            sub.field_problem(name, restart_policy_problem(str(value)) or "must be text")
    sub.finish()


def _play_action(fields: Fields, item: Any, where: Where, line: int | None) -> PlayAction | None:
    """One entry of solution/alternatives/wrong: a docker command or {write, content}."""
    if isinstance(item, str) and item.strip():
        return item.strip()
    if isinstance(item, dict):
        entry = Fields(item, where, fields.problems, line)
        path = entry.text("write")
        content = entry.raw("content", required=True)
        if content is not MISSING and not isinstance(content, str):
            entry.field_problem("content", f"must be text, found {describe_type(content)}")
            content = MISSING
        entry.finish()
        if path and isinstance(content, str):
            return WriteFile(path, content)
        return None
    fields.problem("must be a docker command, or {write: PATH, content: TEXT}", line, where)
    return None


def play_list(fields: Fields, value: Any, where: Where, line: int | None) -> tuple[PlayAction, ...]:
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list) or not value:
        fields.problem("must be a list of docker commands (or files to write)", line, where)
        return ()
    actions = []
    for index, item in enumerate(value):
        item_line = value.line_of(index) if hasattr(value, "line_of") else line
        action = _play_action(fields, item, where.at_item(index), item_line)
        if action is not None:
            actions.append(action)
    return tuple(actions)


def play_lists(fields: Fields, name: str) -> tuple[tuple[PlayAction, ...], ...]:
    value = fields.raw(name)
    if value is MISSING:
        return ()
    if not isinstance(value, list):
        fields.field_problem(name, "must be a list of command lists")
        return ()
    result = []
    for index, item in enumerate(value):
        line = value.line_of(index) if hasattr(value, "line_of") else fields.line_of(name)
        actions = play_list(fields, item, fields.where.at_field(name).at_item(index), line)
        if actions:
            result.append(actions)
    return tuple(result)


def _tagged_reference(value: str) -> bool:
    """``hello:1`` or ``team/app:2.0``: a valid reference with a tag and no registry."""
    _repository, colon, tag = value.rpartition(":")
    return (bool(colon) and bool(tag) and "/" not in tag and reference_problem(value) is None
            and not is_image_id(value) and "@" not in value)
