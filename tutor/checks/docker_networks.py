"""`network`: a Docker network exists (or not), with a driver, labels, and containers
attached to it. (HTTP and registries are in network.py.)

Which containers are attached is read from the containers' side: a network's own
inspect lists only running containers, while a stopped container stays connected
and rejoins when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.checks.base import (
    Check,
    CheckContext,
    CheckResult,
    EngineUnavailable,
    Missing,
    join_phrases,
    name_list,
    quote,
)
from tutor.checks.images import subset_phrases
from tutor.checks.queries import call, find_container
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import render_value


def inspect_network(api: Any, name: str) -> dict | None:
    """The network named exactly ``name`` (the engine also resolves ID prefixes)."""
    try:
        details = call(api.inspect_network, name)
    except Missing:
        return None
    except EngineUnavailable as error:
        if error.status == 400:
            return None
        raise
    # The engine tries an exact ID, then an exact name, then an ID prefix: only a name counts.
    return details if details.get("Name") == name else None


def network_names(api: Any) -> list[str]:
    return [network["Name"] for network in call(api.networks) or []]


def missing_network(api: Any, name: str) -> str:
    return f"no network named {quote(name)} exists (networks: {name_list(network_names(api))})"


def networks_of(details: dict) -> list[str]:
    """The networks a container (inspected) is connected to, by name."""
    networks = (details.get("NetworkSettings") or {}).get("Networks") or {}
    return sorted(networks)


def describe_networks(details: dict) -> str:
    names = networks_of(details)
    mode = (details.get("HostConfig") or {}).get("NetworkMode") or ""
    if not names:
        return f"network mode {mode}" if mode else "no network"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def attached_running(details: dict) -> list[str]:
    """Names of the running containers the network's own inspect lists."""
    return sorted((entry.get("Name") or "?") for entry in (details.get("Containers") or {}).values())


@dataclass(frozen=True, kw_only=True)
class NetworkCheck(Check):
    kind = "network"
    name: str
    absent: bool = False
    driver: str | None = None
    containers: tuple[str, ...] | None = None  # attached, running or not
    labels: tuple[tuple[str, str], ...] | None = None

    def check(self, ctx: CheckContext) -> CheckResult:
        name = render_value(self.name, ctx.values)
        subject = f"network {quote(name)}"
        network = inspect_network(ctx.api, name)
        if self.absent:
            if network is None:
                return CheckResult.ok()
            running = attached_running(network)
            note = (f" (containers attached: {name_list(running)}: the engine refuses to remove "
                    f"a network while running containers use it; remove or disconnect them "
                    f"first)" if running else "")
            return CheckResult.fail(f"{subject} still exists{note}; expected it to be removed")
        if network is None:
            return CheckResult.fail(missing_network(ctx.api, name))
        phrases: list[str] = []
        if self.driver is not None:
            wanted = render_value(self.driver, ctx.values)
            if network.get("Driver") != wanted:
                phrases.append(f"uses the driver {network.get('Driver')}; expected {wanted}")
        if self.labels is not None:
            phrases.extend(subset_phrases("label", render_value(self.labels, ctx.values),
                                          network.get("Labels") or {}))
        for container in render_value(self.containers, ctx.values) or ():
            phrase = _attachment_phrase(ctx.api, container, network)
            if phrase:
                phrases.append(phrase)
        if phrases:
            return CheckResult.fail(join_phrases(f"{subject} exists but", phrases))
        return CheckResult.ok()


def _attachment_phrase(api: Any, container: str, network: dict) -> str | None:
    details, _why = find_container(api, container)
    if details is None:
        return f"has no container {quote(container)} attached (there is no such container)"
    connected = (details.get("NetworkSettings") or {}).get("Networks") or {}
    if network.get("Name") in connected:
        return None
    return (f"has no container {quote(container)} attached ({quote(container)} is on "
            f"{describe_networks(details)})")


def parse_network(value: Any, pc: ParseContext) -> NetworkCheck | None:
    if isinstance(value, str):  # shorthand: network: backend
        if not pc.check_placeholders(value, pc.where, pc.line):
            return None
        return NetworkCheck(name=value.strip())
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    name = fields.template_text("name")
    absent = fields.flag("absent")
    driver = fields.template_text("driver", required=False)
    containers = fields.text_items("containers", required=False)
    labels = fields.string_map("labels")
    if absent and (driver is not None or containers is not None or labels is not None):
        fields.field_problem("absent", "an absent network has no driver, labels or containers "
                                       "to compare; drop 'absent' or the other fields")
    fields.finish()
    if len(pc.problems) != before or name is None:
        return None
    return NetworkCheck(name=name, absent=absent, driver=driver, containers=containers,
                        labels=labels)
