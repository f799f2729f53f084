"""What every check shares: the context it runs in, its result, and `wait`.

A check is an immutable tree built by ``tutor.checks.registry.parse_check`` from
lesson YAML. Its field values may still hold ``{{ var }}`` placeholders; they
are rendered from ``CheckContext.values`` each time the check is evaluated.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from tutor.course.placeholders import render_value

if TYPE_CHECKING:  # pragma: no cover
    import docker

POLL_SECONDS = 0.25
MAX_WAIT_SECONDS = 30.0


class EngineUnavailable(Exception):
    """The Docker engine could not be asked (gone away, or it answered with an error).

    Never a verdict about the learner's work: the caller should say the engine
    went away rather than "wrong".
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the engine's HTTP status, when it answered with an error


class Missing(Exception):
    """The engine answered "no such thing" (HTTP 404): an answer, not a failure."""


class CheckValueError(Exception):
    """A field's rendered value cannot be used (``port: "{{ port }}"`` rendered as ``abc``)."""


@dataclass
class CheckContext:
    api: docker.APIClient  # the low-level client
    workspace: Path  # relative paths of archive/workspace_file resolve here
    values: Mapping[str, str]  # template variable values for this step
    last_command: Any = None  # tutor.dockercli ParsedCommand, for `typed`
    since: float = 0.0  # unix time the step began (for `events`)
    # When the learner's own commands ran (unix times). Events about objects every learner
    # shares (a pull of busybox) count only inside these; None: no such filter.
    windows: tuple[tuple[float, float], ...] | None = None
    http_host: str = "127.0.0.1"
    # (key, value) of the label on this learner's containers: on a shared engine, the
    # containers another learner labelled (the same key, another value) are theirs, and
    # a failure's list of the containers there leaves them out.
    learner_label: tuple[str, str] | None = None
    # Injected for tests (and so a UI could make waiting interruptible).
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    now: Callable[[], float] = field(default=time.time, repr=False)  # wall clock, for events


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    messages: tuple[str, ...] = ()  # one per failed leaf: what was expected, what was found
    hints: tuple[str, ...] = ()

    @classmethod
    def ok(cls) -> CheckResult:
        return cls(True)

    @classmethod
    def fail(cls, *messages: str) -> CheckResult:
        return cls(False, tuple(messages))

    def with_hint(self, hint: str | None) -> CheckResult:
        if self.passed or not hint or hint in self.hints:
            return self
        return CheckResult(self.passed, self.messages, (*self.hints, hint))


def combine_failures(results: Iterable[CheckResult]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    messages: list[str] = []
    hints: list[str] = []
    for result in results:
        # Two checks about one missing container say the same thing: once is enough.
        messages.extend(m for m in result.messages if m not in messages)
        hints.extend(h for h in result.hints if h not in hints)
    return tuple(messages), tuple(hints)


@dataclass(frozen=True, kw_only=True)
class Check:
    """One node of a check tree. Subclasses implement ``check`` (one attempt)."""

    kind: ClassVar[str] = ""
    hint: str | None = None  # shown with this check's failure; may hold placeholders
    wait: float | str | None = None  # seconds to keep retrying (a str is a placeholder)

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        """Evaluate once, then, with ``wait``, poll every 0.25 s until it passes or time is up."""
        result = self.attempt(ctx)
        if result.passed or self.wait is None:
            return result
        try:
            wait = min(max(to_float(render_value(self.wait, ctx.values), "wait"), 0.0),
                       MAX_WAIT_SECONDS)
        except CheckValueError as error:
            return CheckResult.fail(str(error))
        deadline = ctx.clock() + wait
        while True:
            remaining = deadline - ctx.clock()
            if remaining <= 0:
                return result
            ctx.sleep(min(POLL_SECONDS, remaining))
            result = self.attempt(ctx)
            if result.passed:
                return result

    def attempt(self, ctx: CheckContext) -> CheckResult:
        """One evaluation, without waiting; attaches this check's hint on failure."""
        try:
            result = self.check(ctx)
        except CheckValueError as error:
            result = CheckResult.fail(str(error))
        if not result.passed and self.hint:
            result = result.with_hint(render_value(self.hint, ctx.values))
        return result

    def check(self, ctx: CheckContext) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def children(self) -> tuple[Check, ...]:
        return ()

    def image_refs(self) -> set[str]:
        """Image references this node itself mentions (not its children's)."""
        return set()


def to_int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise CheckValueError(f"{what} must be a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise CheckValueError(f"{what} must be a whole number, got \"{value}\"") from None


def to_float(value: Any, what: str) -> float:
    if isinstance(value, bool):
        raise CheckValueError(f"{what} must be a number, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise CheckValueError(f"{what} must be a number, got \"{value}\"") from None


def quote(text: str) -> str:
    """Text as the learner sees it in a message: in double quotes."""
    return '"' + text + '"'


def excerpt(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()) if "\n" in text.strip() else text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def name_list(names: Iterable[str], limit: int = 8) -> str:
    names = sorted(names)
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f", … ({len(names) - limit} more)"
    return shown


def join_phrases(subject: str, phrases: list[str]) -> str:
    """``subject`` + the first mismatch, then ". It also ..." for the others."""
    text = f"{subject} {phrases[0]}"
    for phrase in phrases[1:]:
        text += f". It also {phrase}"
    return text
