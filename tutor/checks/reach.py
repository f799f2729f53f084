"""`reach`: from inside one container, another is reachable by name (or is not).

The check runs a probe in the ``from`` container, as ``docker exec`` would: with a
``port``, ``nc -w 2 NAME PORT`` (a TCP connection, then nothing sent); without one,
``ping -c 1 -W 2 NAME``. busybox, alpine and most distributions have both. The
probe's words tell the outcomes apart: the name does not resolve (``bad address``),
nothing listens (``refused``), no answer in time, or reached.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from tutor.checks.base import (
    Check,
    CheckContext,
    CheckResult,
    EngineUnavailable,
    Missing,
    excerpt,
    quote,
    to_int,
)
from tutor.checks.containers import describe_state
from tutor.checks.docker_networks import describe_networks, networks_of
from tutor.checks.helpers import run_check_exec
from tutor.checks.queries import call, find_container, find_named, inspect_container
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import render_value

PROBE_SECONDS = 2
MISSING_TOOL = ("executable file not found", "not found in $PATH", "no such file or directory")


@dataclass(frozen=True)
class Probe:
    outcome: str  # reached, no-name, refused, timeout, no-tool, other
    argv: tuple[str, ...]
    output: str
    code: int | None


def probe_argv(target: str, port: int | None) -> list[str]:
    if port is None:
        return ["ping", "-c", "1", "-W", str(PROBE_SECONDS), target]
    return ["nc", "-w", str(PROBE_SECONDS), target, str(port)]


def classify(code: int | None, output: str) -> str:
    lowered = output.lower()
    if code in (126, 127) or any(words in lowered for words in MISSING_TOOL):
        return "no-tool"
    if code == 0:
        return "reached"
    if "bad address" in lowered or "unknown host" in lowered or "name or service not known" \
            in lowered or "temporary failure in name resolution" in lowered:
        return "no-name"
    if "refused" in lowered:
        return "refused"
    if "timed out" in lowered or "100% packet loss" in lowered or "unreachable" in lowered \
            or not lowered.strip():
        return "timeout"
    return "other"


def run_probe(api: Any, container_id: str, argv: list[str]) -> Probe:
    output, result = run_check_exec(api, container_id, argv)
    code = result.get("ExitCode")
    return Probe(classify(code, output), tuple(argv), output, code)


@dataclass(frozen=True, kw_only=True)
class ReachCheck(Check):
    kind = "reach"
    source: str  # the container the probe runs in ("from")
    target: str  # a name as the source would use it ("to")
    port: int | str | None = None
    reachable: bool = True

    def check(self, ctx: CheckContext) -> CheckResult:
        source = render_value(self.source, ctx.values)
        target = render_value(self.target, ctx.values)
        port = None if self.port is None else to_int(render_value(self.port, ctx.values), "port")
        details, why = find_container(ctx.api, source, ctx.learner_label)
        if details is None:
            return CheckResult.fail(why)
        state = details.get("State") or {}
        if not state.get("Running") or state.get("Paused"):
            return CheckResult.fail(f"container {quote(source)} is {describe_state(state)}; "
                                    f"it has to run to reach {quote(target)}")
        argv = probe_argv(target, port)
        try:
            probe = run_probe(ctx.api, details["Id"], argv)
        except Missing:
            return CheckResult.fail(f"container {quote(source)} went away during the check")
        except EngineUnavailable as error:
            if error.status == 409:  # stopped meanwhile
                return CheckResult.fail(f"container {quote(source)} stopped during the check")
            raise
        if probe.outcome == "no-tool":
            return CheckResult.fail(
                f"container {quote(source)} has no `{argv[0]}` to test the connection with "
                f"(`{shlex.join(argv)}` said {quote(excerpt(probe.output))}); start it from "
                f"an image that has it, such as busybox")
        reached = probe.outcome == "reached"
        if reached == self.reachable:
            return CheckResult.ok()
        what = f"{quote(target)}" + (f" port {port}" if port is not None else "")
        if reached:
            shared = _shared_networks(ctx.api, details, target)
            via = f" (they share {shared})" if shared else ""
            return CheckResult.fail(f"from container {quote(source)}, {what} answers{via}; "
                                    f"expected it to be unreachable")
        return CheckResult.fail(self._why_not(ctx.api, details, source, target, what, probe))

    def _why_not(self, api: Any, details: dict, source: str, target: str, what: str,
                 probe: Probe) -> str:
        start = f"from container {quote(source)}, {what} cannot be reached: "
        if probe.outcome == "no-name":
            other = _target_details(api, target)
            where = f"{quote(source)} is on {describe_networks(details)}"
            if other is not None:
                where += f", {quote(target)} on {describe_networks(other)}"
                if not (other.get("State") or {}).get("Running"):
                    where += f" ({quote(target)} is {describe_state(other.get('State') or {})})"
            target_runs = other is not None and bool((other.get("State") or {}).get("Running"))
            shared = _user_defined(set(networks_of(details)) & set(networks_of(other or {})))
            if shared and target_runs:
                # Right setup, no answer: the engine serves no names there (Podman's
                # CNI networks without the dnsname plugin, for one).
                return (start + f"the name {quote(target)} does not resolve (bad address), "
                        f"though both run on the user-defined network {shared[0]}: this "
                        f"engine answers no container names on it (on Podman, install the "
                        f"dnsname plugin or aardvark-dns; `docker network inspect "
                        f"{shared[0]}` shows the network)")
            return (start + f"the name {quote(target)} does not resolve (bad address); "
                    f"containers find each other by name only on a user-defined network they "
                    f"share ({where})")
        if probe.outcome == "refused":
            return start + (f"the name resolves, but nothing listens on port {self.port} there "
                            f"(connection refused)")
        if probe.outcome == "timeout":
            return start + f"no answer within {PROBE_SECONDS} s"
        said = quote(excerpt(probe.output)) if probe.output.strip() else "nothing"
        return start + f"`{shlex.join(probe.argv)}` exited with code {probe.code} and said {said}"


# The engines' own networks: no container names are served on them.
DEFAULT_NETWORKS = frozenset({"bridge", "host", "none", "podman"})


def _user_defined(networks: set[str]) -> list[str]:
    return sorted(networks - DEFAULT_NETWORKS)


def _target_details(api: Any, target: str) -> dict | None:
    summary = find_named(call(api.containers, all=True) or [], target)
    return inspect_container(api, summary["Id"]) if summary else None


def _shared_networks(api: Any, details: dict, target: str) -> str:
    other = _target_details(api, target)
    if other is None:
        return ""
    shared = sorted(set(networks_of(details)) & set(networks_of(other)))
    return f"network {', '.join(shared)}" if shared else ""


def parse_reach(value: Any, pc: ParseContext) -> ReachCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    source = fields.template_text("from")
    target = fields.template_text("to")
    port = fields.template_int("port", required=False, minimum=1, maximum=65535)
    reachable = fields.boolean("reachable", default=True)
    fields.finish()
    if len(pc.problems) != before or source is None or target is None:
        return None
    return ReachCheck(source=source, target=target, port=port, reachable=reachable)
