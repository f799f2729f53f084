"""`events`: the engine reported an event (``exec_start``, ``kill``...) since the step began.

For actions that leave no state behind: ``docker exec`` and ``docker attach``
change nothing a later inspect could see, but the engine logs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, quote
from tutor.checks.helpers import is_check_event
from tutor.checks.images import find_image
from tutor.checks.queries import call, is_podman
from tutor.checks.reading import ParseContext
from tutor.checks.refs import is_image_id, normalize
from tutor.course.placeholders import has_placeholder, render_value

EVENT_TYPES = ("container", "image", "volume", "network", "daemon", "plugin", "service",
               "node", "secret", "config")


# Podman's Docker-compatible API reports `docker exec` as "exec" (and "exec_died"), where
# Docker says "exec_create", "exec_start: CMD", "exec_die". Docker has no plain "exec".
# A container removed is "destroy" to Docker and "remove" to Podman (Docker says "remove"
# of no container).
ACTION_ALIASES = {"exec_start": ("exec",), "destroy": ("remove",)}

# Podman's file event log (events_logger = "file", the default without journald) returns
# nothing when `until` has passed already: it stops reading the log at once (podman issue
# #29579). Asked up to a moment ahead, it reads the log; the call lasts until then.
PODMAN_UNTIL_LEAD = 1.0


def base_action(action: str) -> str:
    """``exec_start: sh -c ls`` -> ``exec_start``."""
    return action.split(":", 1)[0].strip()


def action_matches(happened: str, wanted: str) -> bool:
    base = base_action(happened)
    return happened == wanted or base == wanted or base in ACTION_ALIASES.get(wanted, ())


def actor_matches(event_type: str, event: dict, name: str) -> bool:
    """Whether the event is about ``name``: a container's name, or an image reference."""
    actor = event.get("Actor") or {}
    attributes = actor.get("Attributes") or {}
    if event_type != "image":
        return attributes.get("name") == name
    # A pull names the reference in the actor ID ("busybox:1.35") and only the repository
    # in "name"; tag and untag events have the image ID there and the reference in "name".
    # Podman's pull events have no actor ID and the full reference in "name".
    actor_id = actor.get("ID") or event.get("id") or ""
    typed = attributes.get("name", "") if is_image_id(actor_id) or not actor_id else actor_id
    try:
        return bool(typed) and normalize(typed) == normalize(name)
    except ValueError:
        return False


@dataclass(frozen=True, kw_only=True)
class EventsCheck(Check):
    kind = "events"
    action: str
    type: str = "container"
    container: str | None = None

    def check(self, ctx: CheckContext) -> CheckResult:
        action = render_value(self.action, ctx.values)
        event_type = render_value(self.type, ctx.values)
        name = render_value(self.container, ctx.values)
        since = ctx.since
        podman = is_podman(ctx.api)
        until = ctx.now() + (PODMAN_UNTIL_LEAD if podman else 0.0)
        # Podman tags the image `docker build -t` makes without a tag event: its one
        # "build" event names the new image by ID. That image, named so now, was tagged.
        built = (built_image_id(ctx, name)
                 if podman and event_type == "image" and action == "tag" else None)
        seen: list[str] = []
        elsewhere = 0  # matching events outside the learner's own commands
        # An object named by a var (a free name) is this learner's alone; a fixed name
        # (busybox) is everyone's, so only events during the learner's commands count.
        shared = ctx.windows is not None and not has_placeholder(self.container)
        for event in read_events(ctx.api, since, until, {"type": event_type}):
            if (event.get("Type") or event.get("type")) != event_type:
                continue
            when = event.get("timeNano")
            if when is not None and when < since * 1e9 - 1e6:
                continue  # the engine's "since" has one-second steps
            if is_check_event(event):
                continue  # a check's own probe or helper, not the learner's work
            happened = event.get("Action") or event.get("status") or ""
            if built is not None and happened == "build" and names_image(event, built):
                happened = action
            elif name is not None and not actor_matches(event_type, event, name):
                continue
            if action_matches(happened, action):
                if shared and not _during(when, ctx.windows or ()):
                    elsewhere += 1
                    continue
                return CheckResult.ok()
            if base_action(happened) not in seen:
                seen.append(base_action(happened))
        subject = f"{action} event"
        if name is not None:
            subject += f" for container {quote(name)}" if event_type == "container" else (
                f" for {event_type} {quote(name)}")
        elif event_type != "container":
            subject = f"{event_type} {subject}"
        owner = f"its {event_type} events" if name is not None else f"{event_type} events"
        found = f"{owner}: {', '.join(seen)}" if seen else f"no {event_type} events"
        if name is not None and not seen:
            found = f"no events for {quote(name)}"
        if _log_cut_short(ctx.api, since, until):
            return CheckResult.fail(
                f"no {subject} among the engine's recent events, but the engine has been busy: "
                f"it keeps only its last {ENGINE_EVENT_LOG} events, and they no longer reach "
                "back to when this step began; run the command again")
        if elsewhere:
            return CheckResult.fail(
                f"no {subject} from a command you ran here: the engine reported "
                f"{'one' if elsewhere == 1 else elsewhere} from elsewhere, and on a shared engine "
                "the tutor cannot tell yours from someone else's; run the command here")
        return CheckResult.fail(f"no {subject} since this step began ({found})")


def read_events(api: Any, since: float, until: float,
                filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The engine's events between ``since`` (whole seconds) and ``until``, read whole."""
    stream = call(api.events, since=int(since), until=f"{until:.9f}", decode=True,
                  filters=filters)
    try:
        return call(list, stream)
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()


def recent_events(ctx: CheckContext, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The engine's events matching ``filters`` from the step's start until now (Podman
    asked a moment ahead, see PODMAN_UNTIL_LEAD), the second before the start left out."""
    until = ctx.now() + (PODMAN_UNTIL_LEAD if is_podman(ctx.api) else 0.0)
    events = read_events(ctx.api, ctx.since, until, filters)
    # The engine's "since" has one-second steps.
    return [event for event in events
            if event.get("timeNano") is None or event["timeNano"] >= ctx.since * 1e9 - 1e6]


def built_image_id(ctx: CheckContext, name: str | None) -> str | None:
    """The ID (without ``sha256:``) of the image named exactly ``name``, if there is one."""
    image = find_image(ctx.api, name) if name else None
    return str(image["Id"]).removeprefix("sha256:") if image else None


def names_image(event: dict, image_id: str) -> bool:
    actor = event.get("Actor") or {}
    named = {actor.get("ID") or "", (actor.get("Attributes") or {}).get("name") or ""}
    return image_id in {value.removeprefix("sha256:") for value in named}


# Docker's engine answers "events since" from memory, and keeps only its most recent
# events: on a busy shared engine an early event may be gone before the check asks.
ENGINE_EVENT_LOG = 256


def _log_cut_short(api: Any, since: float, until: float) -> bool:
    """Whether the engine's log of events (all kinds) is full and starts after ``since``:
    then what the learner did may have fallen out of it. Asked only when a check fails."""
    events = read_events(api, since, until)
    if len(events) < ENGINE_EVENT_LOG:
        return False
    oldest = min((event.get("timeNano") or 0 for event in events), default=0)
    return oldest > since * 1e9


# The engine stamps events a moment after the CLI returns, and clocks may differ slightly.
WINDOW_SLACK_SECONDS = 1.0


def _during(time_nano: int | None, windows: tuple[tuple[float, float], ...]) -> bool:
    if time_nano is None:
        return False
    when = time_nano / 1e9
    return any(start - WINDOW_SLACK_SECONDS <= when <= end + WINDOW_SLACK_SECONDS
               for start, end in windows)


def parse_events(value: Any, pc: ParseContext) -> EventsCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    event_type = fields.one_of("type", EVENT_TYPES, required=False) or "container"
    action = fields.template_text("action")
    container = fields.template_text("container", required=False)
    fields.finish()
    if len(pc.problems) != before or action is None:
        return None
    return EventsCheck(action=action, type=event_type, container=container)
