"""`removed`: these containers are gone, and the learner's commands removed no other.

For practising ``prune`` safely: a prune removes whatever its filter matches, so a step
about pruning judges both sides. The containers it names must no longer exist, and no
other container may have been removed (a ``destroy`` event) while the learner's own
commands ran in this step. Only those windows count: on a shared engine, someone else
removes containers at any moment. Without windows (the check is evaluated outside the
tutor) every removal since the step began counts.

The engine does not say who removed a container, so on a busy shared engine another
user's container may go during the learner's command. Two fields narrow what counts as
"other": ``among`` to containers with one of the given labels (``KEY`` or
``KEY=VALUE``), and ``among_like`` to containers that share a label's value with a
given container: ``{container: "{{ batch }}", label: org.docker-tutor.learner}`` counts
the containers of the learner a step's fixture was set up for, fixtures and their own
alike, and nobody else's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, name_list, quote
from tutor.checks.events import ACTION_ALIASES, _during, action_matches, recent_events
from tutor.checks.queries import find_container, inspect_named
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import render_value


@dataclass(frozen=True)
class Like:
    """Containers that carry ``label`` with the value ``container`` has."""

    container: str
    label: str


@dataclass(frozen=True, kw_only=True)
class RemovedCheck(Check):
    kind = "removed"
    containers: tuple[str, ...]
    among: tuple[str, ...] = ()  # label selectors; empty (and no among_like): every container
    among_like: Like | None = None

    def check(self, ctx: CheckContext) -> CheckResult:
        wanted = [render_value(name, ctx.values) for name in self.containers]
        among = [render_value(selector, ctx.values) for selector in self.among]
        if self.among_like is not None:
            selector, why = _like(ctx, self.among_like)
            if selector is None:
                return CheckResult.fail(why)
            among.append(selector)
        found = []
        remaining = [name for name in wanted if inspect_named(ctx.api, name) is not None]
        if remaining:
            found.append(f"{_containers(remaining)} still exist"
                         f"{'s' if len(remaining) == 1 else ''}; expected "
                         f"{'it' if len(remaining) == 1 else 'them'} removed")
        others = _other_removals(ctx, set(wanted), among)
        if others:
            when = "while your commands ran" if ctx.windows is not None else \
                "since this step began"
            found.append(f"{when}, the engine also removed {_containers(others)}, which "
                         f"{'was' if len(others) == 1 else 'were'} not to be removed: a prune "
                         f"removes everything its filters match, so narrow them "
                         f"(--filter label=KEY=VALUE)")
        return CheckResult.fail(*found) if found else CheckResult.ok()


def _like(ctx: CheckContext, like: Like) -> tuple[str | None, str]:
    """The selector ``LABEL=VALUE`` of the reference container, or (None, why not)."""
    name = render_value(like.container, ctx.values)
    label = render_value(like.label, ctx.values)
    details, why = find_container(ctx.api, name, ctx.learner_label)
    if details is None:
        return None, f"{why}; it tells whose removed containers count ({label})"
    value = ((details.get("Config") or {}).get("Labels") or {}).get(label)
    if value is None:
        return None, f"container {quote(name)} has no label {label}, which tells whose removed " \
                     f"containers count"
    return f"{label}={value}", ""


def _containers(names: list[str]) -> str:
    noun = "container" if len(names) == 1 else "containers"
    return f"{noun} {', '.join(quote(n) for n in names)}" if len(names) <= 4 else \
        f"{noun} {name_list(names, 4)}"


def _matches(labels: dict[str, str], selectors: list[str]) -> bool:
    """Whether the labels match one of the selectors (``KEY`` or ``KEY=VALUE``)."""
    for selector in selectors:
        key, eq, value = selector.partition("=")
        if key in labels and (not eq or labels[key] == value):
            return True
    return False


def _other_removals(ctx: CheckContext, wanted: set[str], among: list[str]) -> list[str]:
    """Names of the containers destroyed since the step began (during the learner's
    commands, when known) that are not ``wanted`` (and match ``among``, when given)."""
    # Podman says "remove" where Docker says "destroy" (see ACTION_ALIASES).
    events = recent_events(ctx, {"type": "container",
                                 "event": ["destroy", *ACTION_ALIASES["destroy"]]})
    others: list[str] = []
    for event in events:
        if not action_matches(event.get("Action") or event.get("status") or "", "destroy"):
            continue
        when = event.get("timeNano")
        if ctx.windows is not None and not _during(when, ctx.windows):
            continue  # not one of the learner's commands: someone else's business
        attributes = (event.get("Actor") or {}).get("Attributes") or {}
        if among and not _matches(attributes, among):
            continue  # a container this check cannot tell is anyone's
        name = attributes.get("name") or str(event.get("id") or "?")[:12]
        if name not in wanted and name not in others:
            others.append(name)
    return others


def parse_removed(value: Any, pc: ParseContext) -> RemovedCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    containers = fields.text_items("containers")
    among = fields.text_items("among", required=False) or ()
    among_like = None
    if fields.has("among_like"):
        like_fields = type(fields)(fields.raw("among_like"), pc.where.at_field("among_like"),
                                   pc.problems, fields.line_of("among_like"), fields.declared)
        if like_fields.ok:
            container = like_fields.template_text("container")
            label = like_fields.template_text("label")
            like_fields.finish()
            if container is not None and label is not None:
                among_like = Like(container, label)
    fields.finish()
    if len(pc.problems) != before or not containers:
        return None
    return RemovedCheck(containers=containers, among=among, among_like=among_like)
