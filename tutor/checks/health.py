"""`health`: a container's HEALTHCHECK reports the wanted state (healthy, by default).

The engine runs an image's (or ``docker run --health-cmd``'s) health command inside
the container every interval and keeps the verdict in ``State.Health``. A container
without a health check has no such state at all, which is a different mistake from a
check that fails, and the message says which it is. Use ``wait``: the first verdict
comes one interval after the start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, excerpt, quote
from tutor.checks.containers import describe_state
from tutor.checks.queries import find_container, is_podman
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import render_value

HEALTH_STATES = ("healthy", "unhealthy", "starting")


@dataclass(frozen=True, kw_only=True)
class HealthCheck(Check):
    kind = "health"
    container: str
    status: str = "healthy"

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        # Waiting is for a verdict still to come; a container without a health check, or
        # one that stopped, will not get one: say so at once instead of after the wait.
        result, settled = self._judge(ctx)
        if result.passed or settled or self.wait is None:
            return result.with_hint(render_value(self.hint, ctx.values)) if self.hint else result
        return super().evaluate(ctx)

    def check(self, ctx: CheckContext) -> CheckResult:
        return self._judge(ctx)[0]

    def _judge(self, ctx: CheckContext) -> tuple[CheckResult, bool]:
        """The verdict, and whether waiting could change it."""
        name = render_value(self.container, ctx.values)
        wanted = render_value(self.status, ctx.values)
        details, why = find_container(ctx.api, name, ctx.learner_label)
        if details is None:
            return CheckResult.fail(why), False  # it may still be created
        subject = f"container {quote(name)}"
        state = details.get("State") or {}
        health = state.get("Health")
        # Podman reports {"Status": ""} for a container without a health check.
        if not health or not (health.get("Status") or _test_of(details)):
            return CheckResult.fail(_no_health_check(subject, details, wanted)), True
        status = health.get("Status") or "unknown"
        if status == wanted:
            return CheckResult.ok(), True
        if not state.get("Running"):
            return CheckResult.fail(f"{subject} is {describe_state(state)}, so its health "
                                    f"check no longer runs (last verdict: {status}); expected "
                                    f"{wanted}"), True
        never = ""
        if not health.get("Log") and is_podman(ctx.api):
            never = ("; Podman runs health probes from systemd timers, so where it runs "
                     "without systemd no probe ever runs")
        return CheckResult.fail(f"{subject} is {status}; expected {wanted}"
                                f"{_last_probe(health, _test_of(details))}{never}"), False


def _test_of(details: dict) -> list[str]:
    return list(((details.get("Config") or {}).get("Healthcheck") or {}).get("Test") or [])


def _no_health_check(subject: str, details: dict, wanted: str) -> str:
    test = _test_of(details)
    if test[:1] == ["NONE"]:
        return (f"{subject} has its health check switched off (HEALTHCHECK NONE or "
                f"--no-healthcheck); expected {wanted}")
    image = (details.get("Config") or {}).get("Image") or "its image"
    return (f"{subject} has no health check, so the engine reports no health state: {image} "
            f"had no HEALTHCHECK when the container was created, and it was not started with "
            f"--health-cmd (rebuilding an image changes no container made from it before: run "
            f"a new one); expected {wanted}")


def _last_probe(health: dict, test: list[str]) -> str:
    """`` (the last probe, `wget ...`, exited with 1: "connection refused")``."""
    log = health.get("Log") or []
    command = _command_words(test)
    if not log:
        return f" (no probe has finished yet{': ' + command if command else ''})"
    last = log[-1]
    output = str(last.get("Output") or "").strip()
    said = f": {quote(excerpt(output))}" if output else ", printing nothing"
    what = f"the last probe, {command}," if command else "the last probe"
    streak = health.get("FailingStreak") or 0
    failing = f"; {streak} failed in a row" if streak > 1 else ""
    return f" ({what} exited with {last.get('ExitCode', '?')}{said}{failing})"


def _command_words(test: list[str]) -> str:
    if not test:
        return ""
    if test[0] == "CMD-SHELL" and len(test) > 1:
        return f"`{excerpt(test[1], 80)}`"
    if test[0] == "CMD":
        return f"`{excerpt(json.dumps(test[1:]), 80)}`"
    return ""


def parse_health(value: Any, pc: ParseContext) -> HealthCheck | None:
    if isinstance(value, str):  # shorthand: health: web
        if not pc.check_placeholders(value, pc.where, pc.line):
            return None
        return HealthCheck(container=value.strip())
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    container = fields.template_text("container")
    status = fields.one_of("status", HEALTH_STATES, required=False) or "healthy"
    fields.finish()
    if len(pc.problems) != before or container is None:
        return None
    return HealthCheck(container=container, status=status)
