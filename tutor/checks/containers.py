"""`container`: a container (named, or any) matches every field given."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, join_phrases, quote, to_int
from tutor.checks.container_config import ConfigSpec, config_phrases, parse_config_fields
from tutor.checks.images import env_dict, port_key, subset_phrases
from tutor.checks.mounts import MountSpec, mount_phrases, mount_words, parse_mounts
from tutor.checks.queries import (
    container_name,
    inspect_container,
    inspect_image,
    inspect_named,
    list_containers,
    missing_container,
    not_others,
)
from tutor.checks.reading import ParseContext
from tutor.checks.refs import familiar, is_image_id, normalize, same_id
from tutor.course.placeholders import has_placeholder, render_value
from tutor.schema.fields import MISSING

STATES = ("running", "exited", "created", "paused", "restarting")
ANY_IP = ("", "0.0.0.0", "::")


@dataclass(frozen=True)
class PortSpec:
    container_port: str  # "80/tcp" (may hold placeholders until rendered)
    host_port: int | str  # 8080, or "{{ port }}"
    host_ip: str | None = None  # "127.0.0.1" pins the address


def describe_state(state: dict) -> str:
    status = state.get("Status") or "unknown"
    if status in ("exited", "dead"):
        return f"{status} (exit code {state.get('ExitCode', '?')})"
    if status == "created":
        return "created (never started)"
    return status


def describe_bindings(bindings: list[dict] | None, with_ip: bool) -> list[str]:
    shown: list[str] = []
    for binding in bindings or []:
        port = binding.get("HostPort") or "a random port"
        ip = binding.get("HostIp") or ""
        text = f"{ip}:{port}" if with_ip and ip not in ANY_IP else (
            f"0.0.0.0:{port}" if with_ip else port)
        if text not in shown:
            shown.append(text)
    return shown


def published(details: dict) -> dict[str, list[dict]]:
    """container port -> host bindings; the live ones when running, else the configured ones."""
    running = (details.get("State") or {}).get("Running")
    if running:
        ports = (details.get("NetworkSettings") or {}).get("Ports") or {}
    else:
        ports = (details.get("HostConfig") or {}).get("PortBindings") or {}
    return {key: value for key, value in ports.items() if value}


@dataclass(frozen=True, kw_only=True)
class ContainerCheck(Check):
    kind = "container"
    name: str | None = None
    image: str | None = None
    state: str | None = None
    exit_code: int | str | None = None
    ports: tuple[PortSpec, ...] | None = None
    mounts: tuple[MountSpec, ...] | None = None
    env: tuple[tuple[str, str], ...] | None = None
    labels: tuple[tuple[str, str], ...] | None = None
    # restart policy and count, command and entrypoint (container_config.py)
    config: ConfigSpec = field(default_factory=ConfigSpec)
    absent: bool = False

    def image_refs(self) -> set[str]:
        return {self.image} if self.image and not has_placeholder(self.image) else set()

    # -- evaluation ------------------------------------------------------------------

    def check(self, ctx: CheckContext) -> CheckResult:
        spec = _Rendered(self, ctx)
        if spec.name is not None:
            return self._check_named(ctx, spec, spec.name)
        # Any container that matches, but not another learner's on a shared engine.
        return self._check_any(ctx, spec, not_others(list_containers(ctx.api),
                                                     ctx.learner_label))

    def _check_named(self, ctx: CheckContext, spec: _Rendered, name: str) -> CheckResult:
        details = inspect_named(ctx.api, name)
        subject = f"container {quote(name)}"
        if details is None:
            if self.absent:
                return CheckResult.ok()
            # Only a failure lists every container, to say which ones there are.
            return CheckResult.fail(missing_container(
                name, not_others(list_containers(ctx.api), ctx.learner_label)))
        phrases = spec.mismatches(details, ctx)
        state = describe_state(details.get("State") or {})
        if self.absent:
            if phrases:
                return CheckResult.ok()  # a container by that name exists, but not this one
            return CheckResult.fail(f"{subject} exists ({state}); expected no such container")
        if not phrases:
            return CheckResult.ok()
        if phrases[0].startswith(("is ", "has not run", "exited with code")):
            return CheckResult.fail(join_phrases(f"{subject} exists but", phrases))
        verb = "has" if state.startswith(("exited", "dead")) else "is"
        return CheckResult.fail(join_phrases(f"{subject} {verb} {state} but", phrases))

    def _check_any(self, ctx: CheckContext, spec: _Rendered, summaries: list[dict]) -> CheckResult:
        cheap: list[tuple[int, dict, list[str]]] = []
        closest: tuple[int, float, dict] | None = None
        for summary in summaries:
            quick = spec.summary_mismatches(summary, ctx)
            if quick:
                cheap.append((len(quick), summary, quick))
                continue
            details = inspect_container(ctx.api, summary["Id"])
            if details is None:
                continue
            phrases = spec.mismatches(details, ctx)
            if not phrases:
                if self.absent:
                    return CheckResult.fail(
                        f"expected no container {spec.expectation()}; found "
                        f"{quote(container_name(details))} ({_origin(details)})")
                return CheckResult.ok()
            key = (len(phrases), -float(summary.get("Created") or 0))
            if closest is None or key < closest[:2]:
                closest = (*key, details)
        if self.absent:
            return CheckResult.ok()
        if not summaries:
            return CheckResult.fail(f"no containers exist; expected a container "
                                    f"{spec.expectation()}")
        if closest is not None:
            details = closest[2]
        else:
            cheap.sort(key=lambda item: (item[0], -float(item[1].get("Created") or 0)))
            details = inspect_container(ctx.api, cheap[0][1]["Id"])
            if details is None:  # removed meanwhile: describe it from the listing
                _, summary, quick = cheap[0]
                return CheckResult.fail(join_phrases(
                    f"no container matches: closest is {quote(container_name(summary))} but it",
                    quick))
        phrases = spec.mismatches(details, ctx)
        return CheckResult.fail(join_phrases(
            f"no container matches: closest is {quote(container_name(details))} "
            f"({_origin(details)}) but it", phrases))


def _origin(details: dict) -> str:
    image = (details.get("Config") or {}).get("Image") or details.get("Image") or "?"
    return f"from {familiar(image)}, {describe_state(details.get('State') or {})}"


class _Rendered:
    """A container check's fields with placeholders filled in for one evaluation."""

    def __init__(self, check: ContainerCheck, ctx: CheckContext) -> None:
        values = ctx.values
        self.name = render_value(check.name, values)
        self.image = render_value(check.image, values)
        self.state = check.state and render_value(check.state, values)
        self.exit_code = (None if check.exit_code is None
                          else to_int(render_value(check.exit_code, values), "exit_code"))
        self.ports = None if check.ports is None else [
            PortSpec(port_key(render_value(p.container_port, values)),
                     str(to_int(render_value(p.host_port, values), f"port for {p.container_port}")),
                     render_value(p.host_ip, values))
            for p in check.ports]
        self.mounts = None if check.mounts is None else [
            dataclasses.replace(m, destination=render_value(m.destination, values),
                                source=render_value(m.source, values))
            for m in check.mounts]
        self.env = render_value(check.env, values)
        self.labels = render_value(check.labels, values)
        self.config = check.config.rendered(values)
        self._image_id: str | bool | None = False  # False: not looked up yet
        self._api = ctx.api

    # -- what is expected, in words ---------------------------------------------------

    def expectation(self) -> str:
        parts = []
        if self.name is not None:
            parts.append(f"named {quote(self.name)}")
        if self.image is not None:
            parts.append(f"from {quote(self.image)}")
        if self.state is not None:
            parts.append(self.state)
        if self.exit_code is not None:
            parts.append(f"exit code {self.exit_code}")
        for port in self.ports or []:
            parts.append(f"publishing {port.container_port} on {_host(port)}")
        for mount in self.mounts or []:
            parts.append(f"with {mount_words(mount)}")
        for key, value in self.env or []:
            parts.append(f"with {key}={value} in its environment")
        for key, value in self.labels or []:
            parts.append(f"with label {key}={value}")
        parts.extend(self.config.words())
        return "(" + ", ".join(parts) + ")" if parts else "at all"

    # -- matching --------------------------------------------------------------------

    def expected_image_id(self) -> str | None:
        if self._image_id is False:
            image = inspect_image(self._api, self.image)
            self._image_id = image.get("Id") if image else None
        return self._image_id  # type: ignore[return-value]

    def image_matches(self, typed: str, image_id: str) -> bool:
        if typed and not is_image_id(typed) and normalize(typed) == normalize(self.image):
            return True
        if is_image_id(self.image):
            return bool(image_id) and same_id(self.image, image_id)
        expected_id = self.expected_image_id()
        return expected_id is not None and expected_id == image_id

    def summary_mismatches(self, summary: dict, ctx: CheckContext) -> list[str]:
        """Mismatches visible in the one-call listing (image, state, labels)."""
        phrases = []
        if self.image is not None and not self.image_matches(summary.get("Image") or "",
                                                             summary.get("ImageID") or ""):
            phrases.append(f"was started from {quote(familiar(summary.get('Image') or '?'))}; "
                           f"expected {quote(self.image)}")
        if self.state is not None and summary.get("State") != self.state:
            phrases.append(f"is {summary.get('State')}; expected {self.state}")
        if self.labels is not None:
            phrases.extend(subset_phrases("label", self.labels, summary.get("Labels") or {}))
        return phrases

    def mismatches(self, details: dict, ctx: CheckContext) -> list[str]:
        config = details.get("Config") or {}
        state = details.get("State") or {}
        status = state.get("Status")
        phrases: list[str] = []
        if self.state is not None and status != self.state:
            phrases.append(f"is {describe_state(state)}; expected {self.state}")
        if self.image is not None:
            typed = config.get("Image") or ""
            if not self.image_matches(typed, details.get("Image") or ""):
                phrases.append(f"was started from {quote(familiar(typed))}; "
                               f"expected {quote(self.image)}")
        if self.exit_code is not None:
            if status in ("exited", "dead"):
                if state.get("ExitCode") != self.exit_code:
                    phrases.append(f"exited with code {state.get('ExitCode')}; "
                                   f"expected exit code {self.exit_code}")
            elif self.state is None or status == self.state:
                doing = "has not run yet" if status == "created" else f"is still {status}"
                phrases.append(f"{doing}; expected it to have exited with code {self.exit_code}")
        if self.ports is not None:
            phrases.extend(port_phrases(self.ports, published(details)))
        if self.mounts is not None:
            phrases.extend(mount_phrases(self.mounts, details.get("Mounts") or [], ctx.workspace))
        if self.env is not None:
            phrases.extend(subset_phrases("env", self.env, env_dict(config.get("Env"))))
        if self.labels is not None:
            phrases.extend(subset_phrases("label", self.labels, config.get("Labels") or {}))
        phrases.extend(config_phrases(self.config, details))
        return phrases


def _host(port: PortSpec) -> str:
    return f"{port.host_ip}:{port.host_port}" if port.host_ip else str(port.host_port)


def port_phrases(wanted: list[PortSpec], actual: dict[str, list[dict]]) -> list[str]:
    phrases = []
    for port in wanted:
        bindings = actual.get(port.container_port)
        if not bindings:
            if not actual:
                phrases.append(f"publishes nothing; expected {port.container_port} on {_host(port)}")
            else:
                others = "; ".join(f"{key} on {', '.join(describe_bindings(value, False))}"
                                   for key, value in sorted(actual.items()))
                phrases.append(f"publishes only {others}, not {port.container_port}; "
                               f"expected {port.container_port} on {_host(port)}")
            continue
        if any(_binding_matches(b, port) for b in bindings):
            continue
        found = ", ".join(describe_bindings(bindings, bool(port.host_ip)))
        phrases.append(f"publishes {port.container_port} on {found}; expected {_host(port)}")
    return phrases


def _binding_matches(binding: dict, port: PortSpec) -> bool:
    if binding.get("HostPort") != str(port.host_port):
        return False
    return port.host_ip is None or (binding.get("HostIp") or "") == port.host_ip


# -- parsing -----------------------------------------------------------------------------


def parse_container(value: Any, pc: ParseContext) -> ContainerCheck | None:
    if isinstance(value, str):  # shorthand: container: web
        if not pc.check_placeholders(value, pc.where, pc.line):
            return None
        return ContainerCheck(name=value.strip())
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    name = fields.template_text("name", required=False)
    image = fields.image_ref("image", required=False)
    state = fields.one_of("state", STATES, required=False)
    exit_code = fields.template_int("exit_code", required=False, minimum=0, maximum=255)
    ports = _parse_ports(fields)
    mounts = parse_mounts(fields)
    env = fields.string_map("env")
    labels = fields.string_map("labels")
    config = parse_config_fields(fields)
    absent = fields.flag("absent")
    if exit_code is not None and state not in (None, "exited"):
        fields.field_problem("exit_code", f"only an exited container has an exit code; "
                                          f"state is '{state}'")
    fields.finish()
    if len(pc.problems) != before:
        return None
    return ContainerCheck(name=name, image=image, state=state, exit_code=exit_code, ports=ports,
                          mounts=mounts, env=env, labels=labels, config=config or ConfigSpec(),
                          absent=absent)


def _parse_ports(fields: Any) -> tuple[PortSpec, ...] | None:
    value = fields.raw("ports")
    if value is MISSING:
        return None
    if not isinstance(value, dict) or not value:
        fields.field_problem("ports", 'must be a mapping such as {"80/tcp": 8080}')
        return None
    specs = []
    for key, host in value.items():
        where = fields.where.at_field("ports").at_field(str(key))
        line = fields.item_line("ports", value, key)
        key_text = str(key).strip()
        number, _, protocol = key_text.partition("/")
        if not has_placeholder(key_text) and (
                not number.isdigit() or protocol not in ("", "tcp", "udp", "sctp")):
            fields.problem(f"'{key_text}' is not a container port such as 80 or 80/tcp",
                           line, where)
            continue
        if not fields._placeholders("ports", key_text, line, where):
            continue
        host_ip = None
        host_port: Any = host
        if isinstance(host, str) and ":" in host:
            host_ip, _, host_port = host.rpartition(":")
            host_ip = host_ip.strip("[]")
        parsed = fields.int_value("ports", host_port, line, where, 1, 65535)
        if parsed is None:
            continue
        if host_ip is not None and not fields._placeholders("ports", host_ip, line, where):
            continue
        specs.append(PortSpec(port_key(key_text), parsed, host_ip))
    return tuple(specs)
