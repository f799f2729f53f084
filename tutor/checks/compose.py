"""`compose`: the state of a Compose project, read through the labels Compose puts on
what it creates.

Compose (v2's ``docker compose`` and v1's ``docker-compose`` alike) labels every
container with ``com.docker.compose.project`` and ``com.docker.compose.service``, its
networks and volumes with the project, and containers with the folder the project was
started from (``com.docker.compose.project.working_dir``). The check asks the engine
by these labels, never by container names, which differ between the two
(``web-1``/``hello-web-1`` against ``hello_web_1``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.checks.base import (
    Check,
    CheckContext,
    CheckResult,
    EngineUnavailable,
    Missing,
    excerpt,
    name_list,
    quote,
    to_int,
)
from tutor.checks.containers import STATES, describe_state
from tutor.checks.events import action_matches, recent_events
from tutor.checks.files import workspace_path
from tutor.checks.helpers import is_check_event
from tutor.checks.network import HttpCheck, parse_http
from tutor.checks.queries import call, container_name
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import has_placeholder, render_value
from tutor.schema.fields import MISSING

PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
WORKING_DIR_LABEL = "com.docker.compose.project.working_dir"
ONEOFF_LABEL = "com.docker.compose.oneoff"  # `compose run` containers: not the service's
VOLUME_STATES = ("present", "absent")
LOG_LINES = 4


@dataclass(frozen=True)
class ServiceHttp:
    """A service's container port, wherever the engine published it, answers HTTP so."""

    service: str
    http: HttpCheck  # its port is the container's


@dataclass(frozen=True, kw_only=True)
class ComposeCheck(Check):
    kind = "compose"
    project: str
    services: tuple[tuple[str, str], ...] = ()  # (service, state)
    directory: str | None = None
    down: bool = False
    volumes: str | None = None  # "present" / "absent"
    exec_in: str | None = None  # a service
    http: ServiceHttp | None = None

    def check(self, ctx: CheckContext) -> CheckResult:
        project = render_value(self.project, ctx.values)
        containers = _project_containers(ctx.api, project)
        found: list[str] = []
        if self.down:
            found += _still_up(ctx.api, project, containers)
        if self.services:
            found += self._services(ctx, project, containers)
        if self.directory is not None and containers:
            found += _directory(ctx, project, containers,
                                render_value(self.directory, ctx.values))
        if self.volumes is not None:
            found += _volumes(ctx.api, project, self.volumes)
        if self.exec_in is not None and not found:
            found += _exec_in(ctx, project, render_value(self.exec_in, ctx.values))
        if self.http is not None and not found:  # about the app alone, once all else is right
            found += _http(ctx, containers, self.http)
        return CheckResult.fail(*found) if found else CheckResult.ok()

    def _services(self, ctx: CheckContext, project: str, containers: list[dict]) -> list[str]:
        if not containers:
            return [_no_containers(ctx, project)]
        by_service: dict[str, list[dict]] = {}
        for container in containers:
            by_service.setdefault(_labels(container).get(SERVICE_LABEL, "?"), []).append(container)
        found = []
        for service, wanted in self.services:
            service = render_value(service, ctx.values)
            wanted = render_value(wanted, ctx.values)
            mine = by_service.get(service)
            if not mine:
                found.append(f"service {quote(service)} of Compose project {quote(project)} has "
                             f"no container (the project's services: "
                             f"{name_list(by_service)}); expected one {wanted}")
                continue
            if any(c.get("State") == wanted for c in mine):
                continue
            container = mine[0]
            details = call(ctx.api.inspect_container, container["Id"])
            state = describe_state(details.get("State") or {})
            found.append(f"service {quote(service)}'s container {quote(container_name(container))}"
                         f" is {state}; expected {wanted}{_logs(ctx.api, container['Id'])}")
        return found


def _labels(summary: dict) -> dict[str, str]:
    return summary.get("Labels") or {}


def _project_containers(api: Any, project: str) -> list[dict]:
    listed = call(api.containers, all=True, filters={"label": f"{PROJECT_LABEL}={project}"})
    return [c for c in listed or [] if _labels(c).get(ONEOFF_LABEL, "False") != "True"]


def _no_containers(ctx: CheckContext, project: str) -> str:
    """Why no container belongs to the project: maybe the learner's went under another
    project name (``-p``, another folder)."""
    text = f"no container belongs to Compose project {quote(project)}"
    workspace = _resolved(str(ctx.workspace))
    others = set()
    for container in call(ctx.api.containers, all=True, filters={"label": PROJECT_LABEL}) or []:
        labels = _labels(container)
        if labels.get(PROJECT_LABEL) != project and \
                _resolved(labels.get(WORKING_DIR_LABEL, "")) == workspace:
            others.add(labels[PROJECT_LABEL])
    if others:
        text += (f"; the containers started from this lesson's folder belong to project "
                 f"{name_list(others)} (a project's name comes from -p, COMPOSE_PROJECT_NAME "
                 f"in .env, the file's name: key, else the folder's name)")
    return text


def _still_up(api: Any, project: str, containers: list[dict]) -> list[str]:
    found = []
    if containers:
        shown = ", ".join(f"{container_name(c)} ({c.get('State')})" for c in containers)
        found.append(f"Compose project {quote(project)} still has containers: {shown}; "
                     f"expected none")
    networks = call(api.networks, filters={"label": f"{PROJECT_LABEL}={project}"}) or []
    if networks:
        found.append(f"Compose project {quote(project)} still has its network"
                     f"{'s' if len(networks) > 1 else ''} "
                     f"{name_list(n.get('Name', '?') for n in networks)}; expected none")
    return found


def _volumes(api: Any, project: str, wanted: str) -> list[str]:
    answer = call(api.volumes, filters={"label": f"{PROJECT_LABEL}={project}"}) or {}
    names = [v.get("Name", "?") for v in answer.get("Volumes") or []]
    if wanted == "absent" and names:
        return [f"Compose project {quote(project)} still has volume"
                f"{'s' if len(names) > 1 else ''} {name_list(names)}; expected "
                f"{'it' if len(names) == 1 else 'them'} removed (with its data)"]
    if wanted == "present" and not names:
        return [f"Compose project {quote(project)} has no volumes any more; expected its "
                f"named volumes (and their data) to be kept"]
    return []


def _directory(ctx: CheckContext, project: str, containers: list[dict],
               directory: str) -> list[str]:
    wanted = _resolved(str(workspace_path(ctx, directory)))
    elsewhere = sorted({_labels(c).get(WORKING_DIR_LABEL, "?") for c in containers
                        if _resolved(_labels(c).get(WORKING_DIR_LABEL, "")) != wanted})
    if not elsewhere:
        return []
    return [f"Compose project {quote(project)} was started from {', '.join(elsewhere)}, not "
            f"from {directory} (another project of the same name?)"]


def _exec_in(ctx: CheckContext, project: str, service: str) -> list[str]:
    events = recent_events(ctx, {"type": "container",
                                 "label": [f"{PROJECT_LABEL}={project}",
                                           f"{SERVICE_LABEL}={service}"]})
    for event in events:
        # Podman does not filter events by label: the labels are compared here too.
        labels = (event.get("Actor") or {}).get("Attributes") or {}
        if (labels.get(PROJECT_LABEL), labels.get(SERVICE_LABEL)) != (project, service):
            continue
        if action_matches(event.get("Action") or event.get("status") or "", "exec_start") \
                and not is_check_event(event):
            return []
    return [f"no command ran in service {quote(service)}'s container since this step began "
            f"(no exec_start event for it); expected docker compose exec {service} ..."]


def _http(ctx: CheckContext, containers: list[dict], spec: ServiceHttp) -> list[str]:
    """Ask the service's published port: a lesson need not fix the host port (``ports:
    ["5000"]`` lets the engine choose a free one, so two learners never clash)."""
    service = render_value(spec.service, ctx.values)
    port = to_int(render_value(spec.http.port, ctx.values), "http.port")
    running = [c for c in containers if _labels(c).get(SERVICE_LABEL) == service
               and c.get("State") == "running"]
    if not running:
        return [f"service {quote(service)} has no running container to answer HTTP"]
    details = call(ctx.api.inspect_container, running[0]["Id"])
    bindings = ((details.get("NetworkSettings") or {}).get("Ports") or {}).get(f"{port}/tcp")
    host_port = next((b.get("HostPort") for b in bindings or [] if b.get("HostPort")), None)
    if host_port is None:
        return [f"service {quote(service)} does not publish its port {port} (ports: in the "
                f"Compose file)"]
    result = HttpCheck(port=int(host_port), path=render_value(spec.http.path, ctx.values),
                       status=spec.http.status, contains=spec.http.contains).check(ctx)
    if result.passed:
        return []
    return [f"service {quote(service)}'s port {port}, published on {host_port}: "
            f"{result.messages[0]}"]


def _logs(api: Any, container_id: str) -> str:
    try:
        raw = call(api.logs, container_id, tail=LOG_LINES)
    except (Missing, EngineUnavailable):  # the logs only add to a verdict already made
        return ""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw or "")
    lines = [excerpt(line, 160) for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    return ". Its last lines of output:\n" + "\n".join("  " + line for line in lines)


def _resolved(path: str) -> str:
    if not path:
        return ""
    try:
        return str(Path(path).resolve())
    except OSError:
        return path


# -- reading the check from lesson YAML -------------------------------------------------------


def parse_compose(value: Any, pc: ParseContext) -> ComposeCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    project = fields.template_text("project")
    services = _parse_services(fields)
    directory = fields.template_text("directory", required=False)
    down = fields.flag("down")
    volumes = fields.one_of("volumes", VOLUME_STATES, required=False)
    exec_in = fields.template_text("exec_in", required=False)
    http = _parse_http(fields, pc)
    if down and services:
        fields.field_problem("services", "a project that is down has no services running; "
                                         "drop services or down")
    if project is not None and not has_placeholder(project) and (
            project != project.lower() or not project.replace("-", "").replace("_", "")
            .isalnum()):
        fields.field_problem("project", f"'{project}' is not a Compose project name (lowercase "
                                        f"letters, digits, - and _)")
    if not (services or down or volumes or exec_in or directory or http):
        fields.problem("says nothing about the project: give services, down, volumes, "
                       "directory, exec_in or http")
    fields.finish()
    if len(pc.problems) != before or project is None:
        return None
    return ComposeCheck(project=project, services=services, directory=directory, down=down,
                        volumes=volumes, exec_in=exec_in, http=http)


def _parse_http(fields: Any, pc: ParseContext) -> ServiceHttp | None:
    """``http: {service: web, port: 5000, path, status, contains}``: port is the container's."""
    value = fields.raw("http")
    if value is MISSING:
        return None
    where = pc.where.at_field("http")
    line = fields.line_of("http") or pc.line
    if not isinstance(value, dict):
        pc.problem("must be a mapping such as {service: web, port: 5000}", where, line)
        return None
    service_fields = type(fields)({"service": value.get("service")} if "service" in value
                                  else {}, where, pc.problems, line, fields.declared)
    service = service_fields.template_text("service")
    rest = {key: item for key, item in value.items() if key != "service"}
    http = parse_http(rest, dataclasses.replace(pc, where=where, line=line))
    if service is None or http is None:
        return None
    return ServiceHttp(service, http)


def _parse_services(fields: Any) -> tuple[tuple[str, str], ...]:
    """``[web, cache]`` (each running) or ``{web: running, init: exited}``."""
    value = fields.raw("services")
    if value is MISSING:
        return ()
    where = fields.where.at_field("services")
    if isinstance(value, list):
        names = fields.text_items("services") or ()
        return tuple((name, "running") for name in names)
    if not isinstance(value, dict) or not value:
        fields.field_problem("services", "must be a list of services ([web, db]) or a mapping "
                                         "of service to state ({web: running})")
        return ()
    pairs = []
    for service, state in value.items():
        if state not in STATES and not (isinstance(state, str) and has_placeholder(state)):
            fields.problem(f"must be one of {', '.join(STATES)}, found {state!r}",
                           fields.item_line("services", value, service),
                           where.at_field(str(service)))
            continue
        if fields._placeholders("services", str(service)):
            pairs.append((str(service), str(state)))
    return tuple(pairs)
