"""`all: [...]` and `any: [...]`: checks made of other checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, combine_failures
from tutor.checks.reading import ParseContext


@dataclass(frozen=True, kw_only=True)
class AllCheck(Check):
    """Passes when every part passes; a failure lists every part that failed."""

    kind = "all"
    checks: tuple[Check, ...]

    def children(self) -> tuple[Check, ...]:
        return self.checks

    def check(self, ctx: CheckContext) -> CheckResult:
        # One quick look at every part first. Waiting only makes sense when all that
        # is left is state that may still settle: a wrong port mapping never will, so
        # the learner hears about it at once instead of after every part's wait.
        results = [c.attempt(ctx) if c.wait is not None else c.evaluate(ctx) for c in self.checks]
        settled_failure = any(
            not r.passed and c.wait is None for c, r in zip(self.checks, results, strict=False))
        if not settled_failure:
            results = [r if r.passed else c.evaluate(ctx) for c, r in zip(self.checks, results, strict=False)]
        failed = [r for r in results if not r.passed]
        if not failed:
            return CheckResult.ok()
        messages, hints = combine_failures(failed)
        return CheckResult(False, messages, hints)


@dataclass(frozen=True, kw_only=True)
class AnyCheck(Check):
    """Passes when one part passes; a failure says why each alternative failed."""

    kind = "any"
    checks: tuple[Check, ...]

    def children(self) -> tuple[Check, ...]:
        return self.checks

    def check(self, ctx: CheckContext) -> CheckResult:
        results = []
        for child in self.checks:
            result = child.evaluate(ctx)
            if result.passed:
                return CheckResult.ok()
            results.append(result)
        if len(results) == 1:
            return results[0]
        _, hints = combine_failures(results)
        messages = [f"none of the {len(results)} alternatives passed:"]
        for number, result in enumerate(results, start=1):
            messages.append(f"{number}) " + "; and ".join(result.messages or ("failed",)))
        return CheckResult(False, tuple(messages), hints)


def _parse_list(kind: str, value: Any, pc: ParseContext) -> tuple[Check, ...] | None:
    if not isinstance(value, list):
        pc.problem(f"must be a list of checks, such as {kind}: [{{image: busybox}}, "
                   f"{{container: web}}]")
        return None
    if not value:
        pc.problem("needs at least one check")
        return None
    before = len(pc.problems)
    checks = []
    for index, item in enumerate(value):
        line = value.line_of(index) if hasattr(value, "line_of") else pc.line
        check = pc.parse_nested(item, pc.where.at_item(index), line)
        if check is not None:
            checks.append(check)
    if len(pc.problems) != before or len(checks) != len(value):
        return None
    return tuple(checks)


def parse_all(value: Any, pc: ParseContext) -> AllCheck | None:
    checks = _parse_list("all", value, pc)
    return AllCheck(checks=checks) if checks is not None else None


def parse_any(value: Any, pc: ParseContext) -> AnyCheck | None:
    checks = _parse_list("any", value, pc)
    return AnyCheck(checks=checks) if checks is not None else None
