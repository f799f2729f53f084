"""Choose the values of a step's ``vars`` so the task never clashes with the learner's own
containers, ports, images, volumes or networks."""

from __future__ import annotations

import socket
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from tutor.checks.refs import repo_tags

if TYPE_CHECKING:
    import docker

    from tutor.course.practice_spec import VarSpec

PORT_SEARCH_LIMIT = 50
# engine_fact name -> key of the engine's /info answer
ENGINE_INFO_KEYS = {"kernel": "KernelVersion", "os": "OperatingSystem",
                    "architecture": "Architecture", "version": "ServerVersion"}


def container_names(api: docker.APIClient) -> set[str]:
    return _names_of(api.containers(all=True))


def compose_projects(containers: list[dict]) -> set[str]:
    """The Compose projects the containers belong to (Compose labels each container)."""
    return {project for c in containers
            if (project := (c.get("Labels") or {}).get("com.docker.compose.project"))}


def published_ports(api: docker.APIClient) -> set[int]:
    return _ports_of(api.containers(all=True))


def _names_of(containers: list[dict]) -> set[str]:
    return {name.lstrip("/") for c in containers for name in c.get("Names") or ()}


def _ports_of(containers: list[dict]) -> set[int]:
    return {int(port["PublicPort"]) for c in containers for port in c.get("Ports") or ()
            if port.get("PublicPort")}


def port_is_free(port: int) -> bool:
    """True when nothing on this machine listens on the port (loopback or any address)."""
    for address in ("127.0.0.1", "0.0.0.0"):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((address, port))
            except OSError:
                return False
    return True


def first_free_name(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def first_free_port(wanted: int, taken: set[int]) -> int:
    for port in range(wanted, min(wanted + PORT_SEARCH_LIMIT, 65536)):
        if port not in taken and port_is_free(port):
            return port
    return wanted  # everything near is busy: let the check report the clash plainly


def first_free_image(api: docker.APIClient, wanted: str,
                     reserved: Collection[str] = ()) -> str:
    """``hello:1``, or ``hello-2:1``, ``hello-3:1``... when a local image has the name (or
    another session reserved it): a lesson must never build over a learner's own image."""
    repository, _, tag = wanted.rpartition(":")
    candidate, number = wanted, 1
    while candidate in reserved or image_exists(api, candidate):
        number += 1
        candidate = f"{repository}-{number}:{tag}"
    return candidate


def image_exists(api: docker.APIClient, ref: str) -> bool:
    """Whether an image has exactly this name (not an ID prefix that happens to match)."""
    import docker.errors  # the SDK loads after the first prompt

    try:
        image = api.inspect_image(ref)
    except docker.errors.NotFound:
        return False
    return ref in repo_tags(image)


def volume_names(api: docker.APIClient) -> set[str]:
    return {volume["Name"] for volume in (api.volumes() or {}).get("Volumes") or ()}


def network_names(api: docker.APIClient) -> set[str]:
    return {network["Name"] for network in api.networks() or ()}


# On a shared engine each learner's ports start this far apart (by their suffix), so
# a class that starts a step together does not race for 8080.
PERSONAL_PORT_SPACING = 10
PERSONAL_PORT_SLOTS = 100


def personal_default(form: str, default: str, suffix: str) -> str:
    """A var's starting point on a shared engine: ``web-3f2a``, ``hello-3f2a:1``, and a port
    in this learner's own stretch above the default (a suffix is lowercase hex)."""
    if form in ("free_name", "free_volume", "free_network", "free_project"):
        return f"{default}-{suffix}"
    if form == "free_image":
        repository, _, tag = default.rpartition(":")
        return f"{repository}-{suffix}:{tag}"
    if form == "free_port" and default.isdigit():
        slot = int(suffix, 16) % PERSONAL_PORT_SLOTS
        return str(min(int(default) + slot * PERSONAL_PORT_SPACING, 65535))
    return default


def choose_values(api: docker.APIClient, specs: Iterable[VarSpec],
                  personal: str | None = None,
                  reserved: Mapping[str, Collection[str]] | None = None) -> dict[str, str]:
    """Free values for ``specs``, starting from their defaults, or with ``personal`` (a
    learner's suffix) from ``personal_default``; never a value in ``reserved`` (by form:
    what other sessions handed out, tutor.practice.reservations)."""
    specs = list(specs)
    reserved = reserved or {}
    values: dict[str, str] = {}
    # Volumes and networks have names of their own, apart from containers': listed once,
    # and only when a var needs them.
    taken: dict[str, set[str]] = {}
    listers = {"free_volume": volume_names, "free_network": network_names}
    # One listing serves both names and ports: verdicts should cost few engine calls.
    needs_listing = any(s.form in ("free_name", "free_port", "free_project") for s in specs)
    listed = api.containers(all=True) if needs_listing else []
    names = _names_of(listed) | set(reserved.get("free_name", ()))
    ports = _ports_of(listed) | {int(port) for port in reserved.get("free_port", ())
                                 if port.isdigit()}
    projects = compose_projects(listed) | set(reserved.get("free_project", ()))
    info = None
    for spec in specs:
        start = personal_default(spec.form, spec.default, personal) if personal else spec.default
        if spec.form == "free_name":
            values[spec.name] = first_free_name(start, names)
            names.add(values[spec.name])
        elif spec.form == "free_port":
            port = first_free_port(int(start), ports)
            values[spec.name] = str(port)
            ports.add(port)
        elif spec.form in listers:
            names_of_kind = taken.setdefault(
                spec.form, listers[spec.form](api) | set(reserved.get(spec.form, ())))
            values[spec.name] = first_free_name(start, names_of_kind)
            names_of_kind.add(values[spec.name])
        elif spec.form == "free_image":
            values[spec.name] = first_free_image(api, start, reserved.get("free_image", ()))
        elif spec.form == "free_project":
            # Chosen once; a project's containers carry no learner label, so the name is
            # never taken back from the learner (the compose check tells another
            # learner's project of the same name by the folder it was started from).
            values[spec.name] = first_free_name(start, projects)
            projects.add(values[spec.name])
        elif spec.form == "engine_fact":
            info = info if info is not None else api.info()
            values[spec.name] = str(info.get(ENGINE_INFO_KEYS[spec.default], "unknown"))
        else:
            values[spec.name] = spec.default
    return values
