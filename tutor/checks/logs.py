"""`logs`: what a container printed (its output, as `docker logs` shows it) holds a text.

For a container whose work is its output, such as a one-off command or a greeting:
the check reads the engine's log of stdout and stderr, running or stopped. A
container removed with ``--rm`` takes its log along.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, excerpt, quote
from tutor.checks.queries import call, find_container
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import render_value

LOG_LINES = 500  # the last lines compared: enough for a lesson, bounded for a chatty server


def last_lines(text: str, count: int = 3) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return " / ".join(lines[-count:])


@dataclass(frozen=True, kw_only=True)
class LogsCheck(Check):
    kind = "logs"
    container: str
    contains: str

    def check(self, ctx: CheckContext) -> CheckResult:
        name = render_value(self.container, ctx.values)
        wanted = render_value(self.contains, ctx.values)
        details, why = find_container(ctx.api, name, ctx.learner_label)
        if details is None:
            return CheckResult.fail(why)
        raw = call(ctx.api.logs, details["Id"], stdout=True, stderr=True, tail=LOG_LINES)
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
        if wanted in text:
            return CheckResult.ok()
        subject = f"the output of container {quote(name)}"
        if not text.strip():
            return CheckResult.fail(f"{subject} is empty; expected it to contain {quote(wanted)}")
        return CheckResult.fail(f"{subject} does not contain {quote(wanted)}; it ends with "
                                f"{quote(excerpt(last_lines(text)))}")


def parse_logs(value: Any, pc: ParseContext) -> LogsCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    container = fields.template_text("container")
    contains = fields.template_text("contains")
    fields.finish()
    if len(pc.problems) != before or container is None or contains is None:
        return None
    return LogsCheck(container=container, contains=contains)
