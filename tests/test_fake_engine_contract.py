"""The in-memory engine (tests/fake_engine.py) against a real one.

~190 tests judge checks against the fake; this file holds the fake to the real
engine. One scenario (tests/contract_scenario.py) is built on both; then the same
questions are asked of both and the answers compared: the fields the checks read
(not whole payloads), through the checks' own query helpers where they have one,
and the verdicts and messages of real checks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from contract_scenario import SITE_FILE, FakeWorld, Names, RealWorld, World
from engine_helpers import TEST_LABEL, ensure_image, require_engine

from tutor.checks import CheckContext, evaluate, parse_check
from tutor.checks.files import GO_MODE_DIR, read_file, stat_path
from tutor.checks.images import env_dict
from tutor.checks.queries import (
    container_name,
    find_container,
    inspect_image,
    inspect_named,
    list_containers,
    list_images,
    translate,
)
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

pytestmark = pytest.mark.engine

DIGEST = re.compile(r"^(?P<repository>[^@]+)@sha256:[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def worlds(tmp_path_factory) -> Any:
    api = require_engine()
    ensure_image(api, "busybox")
    bind_dir = tmp_path_factory.mktemp("contract-bind")
    names = Names.make(bind_dir)
    real, fake = RealWorld(api, names), FakeWorld(names)
    try:
        real.build()
        fake.build()
        real.act()
        fake.act()
        yield real, fake
    finally:
        real.remove()


def both(worlds, question) -> tuple[Any, Any]:
    real, fake = worlds
    return question(real), question(fake)


def assert_same(worlds, question) -> Any:
    """Ask both worlds; the answers must be equal. Returns the (real) answer."""
    real_answer, fake_answer = both(worlds, question)
    assert fake_answer == real_answer
    return real_answer


def error_of(call) -> tuple[str, int | None] | None:
    """The SDK error a call raises, as (class name, HTTP status); None when it returns."""
    import docker.errors

    try:
        call()
    except docker.errors.APIError as error:
        return type(error).__name__, error.status_code
    return None


# -- containers -----------------------------------------------------------------------------


def container_view(world: World, name: str) -> dict:
    details, why = find_container(world.api, name)
    assert details is not None, why
    state = details["State"]
    config = details["Config"]
    image = inspect_image(world.api, config["Image"])
    spec = next(s for s in world.names.containers() if s.name == name)
    env = env_dict(config.get("Env"))
    running = state.get("Running")
    return {
        "name": container_name(details),
        "state": (state["Status"], state["Running"], state["Paused"], state["ExitCode"]),
        "image": (config["Image"], image is not None and details["Image"] == image["Id"]),
        "command": (config.get("Entrypoint"), config.get("Cmd"), config.get("WorkingDir")),
        "env": {key: env.get(key) for key in [*spec.env, "A", "B"]},
        "labels": config.get("Labels"),
        "mounts": sorted((m.get("Type"), m.get("Name") or m.get("Source"), m.get("Destination"),
                          m.get("RW")) for m in details.get("Mounts") or []),
        # What the port check reads: live bindings when running, the requested ones if not.
        "ports": (details["NetworkSettings"]["Ports"] if running
                  else details["HostConfig"]["PortBindings"]),
        "live_ports_when_stopped": None if running else details["NetworkSettings"]["Ports"],
        "exposed": sorted(config.get("ExposedPorts") or {}),
    }


@pytest.mark.parametrize("which", ["web", "app", "exited", "created", "paused"])
def test_container_inspect(worlds, which):
    assert_same(worlds, lambda world: container_view(world, getattr(world.names, which)))


def summary_view(world: World) -> list[dict]:
    mine = {spec.name for spec in world.names.containers()}
    images = {image["Id"]: image for image in list_images(world.api)}
    return [{
        "names": summary["Names"],
        "image": summary["Image"],
        "image_id_listed": summary["ImageID"] in images,
        "state": summary["State"],
        "labels": summary["Labels"],
        "ports": sorted(tuple(sorted(port.items())) for port in summary["Ports"]),
        "mounts": sorted((m.get("Type"), m.get("Destination")) for m in summary["Mounts"]),
        "created_is_a_number": isinstance(summary["Created"], int),
    } for summary in list_containers(world.api) if container_name(summary) in mine]


def test_container_summaries_newest_first(worlds):
    assert_same(worlds, summary_view)


def test_listing_without_all_shows_running_and_paused(worlds):
    def listed(world: World) -> set[str]:
        mine = {spec.name for spec in world.names.containers()}
        return {container_name(c) for c in world.api.containers()} & mine

    assert assert_same(worlds, listed) == {worlds[0].names.web, worlds[0].names.app,
                                           worlds[0].names.paused}


def test_listing_by_label(worlds):
    def listed(world: World) -> list[str]:
        return sorted(container_name(c) for c in world.api.containers(
            all=True, filters={"label": "tier=web"})
            if c["Labels"].get(next(iter(TEST_LABEL))) == "1")

    assert assert_same(worlds, listed) == sorted([worlds[0].names.web, worlds[0].names.app])


# -- images -------------------------------------------------------------------------------------


def image_view(world: World, ref: str) -> dict:
    image = inspect_image(world.api, ref)
    assert image is not None, ref
    config = image["Config"]
    env = env_dict(config.get("Env"))
    return {
        "tags": sorted(tag for tag in image["RepoTags"] if world.names.repository in tag),
        "digests": image["RepoDigests"],
        "cmd": config.get("Cmd"), "entrypoint": config.get("Entrypoint"),
        "exposed": sorted(config.get("ExposedPorts") or {}) or None,
        "workdir": config.get("WorkingDir"),
        "env": {key: env.get(key) for key in ("A", "B")},
        "labels": config.get("Labels"),
    }


def test_built_image_inspect(worlds):
    view = assert_same(worlds, lambda world: image_view(world, world.names.v2))
    assert view["tags"] == [worlds[0].names.v1, worlds[0].names.v2]
    assert view["env"] == {"A": "1", "B": "two words"}


def test_pulled_image_inspect_and_digests(worlds):
    def pulled(world: World) -> dict:
        image = inspect_image(world.api, "busybox")
        assert image is not None
        digests = [DIGEST.match(d) for d in image["RepoDigests"]]
        by_digest = inspect_image(world.api, image["RepoDigests"][0])
        by_short_id = inspect_image(world.api, image["Id"].removeprefix("sha256:")[:12])
        config = image["Config"]
        return {
            "tagged": "busybox:latest" in image["RepoTags"],
            "digest_repositories": sorted({d["repository"] for d in digests if d}),
            "every_digest_well_formed": all(digests) and bool(digests),
            "found_by_digest_and_short_id": (by_digest or {}).get("Id") == image["Id"]
            == (by_short_id or {}).get("Id"),
            "config": (config.get("Cmd"), config.get("Entrypoint"), config.get("WorkingDir"),
                       config.get("ExposedPorts")),
        }

    assert assert_same(worlds, pulled)["digest_repositories"] == ["busybox"]


def test_image_list(worlds):
    def listed(world: World) -> list[dict]:
        names = world.names
        return sorted(({
            "tags": sorted(image["RepoTags"]),
            "digests": image["RepoDigests"],
            "labels": {k: v for k, v in (image["Labels"] or {}).items() if k != "note"},
        } for image in list_images(world.api)
            if names.repository in str(image["RepoTags"])
            or (image["Labels"] or {}).get("dangle") == names.dangling_label),
            key=lambda view: view["tags"])

    views = assert_same(worlds, listed)
    assert [view["tags"] for view in views] == [["<none>:<none>"],
                                                [worlds[0].names.v1, worlds[0].names.v2]]


def test_image_list_by_label(worlds):
    def listed(world: World) -> list[list[str]]:
        return [image["RepoTags"] for image in world.api.images(
            filters={"label": f"dangle={world.names.dangling_label}"})]

    assert assert_same(worlds, listed) == [["<none>:<none>"]]


# -- files ----------------------------------------------------------------------------------------


FILE_PATHS = [SITE_FILE, "/tmp/site", "/tmp/site/", "/tmp/site/nope", "/nope/deeper"]


@pytest.mark.parametrize("path", FILE_PATHS)
def test_files_in_a_running_container(worlds, path):
    def seen(world: World) -> tuple:
        details, _ = find_container(world.api, world.names.web)
        assert details is not None
        stat = stat_path(world.api, details["Id"], path)
        shape = None if stat is None else (
            stat["name"], bool(stat["mode"] & GO_MODE_DIR), stat["mode"] & 0o777,
            stat["size"] if not stat["mode"] & GO_MODE_DIR else "dir")
        return shape, read_file(world.api, details["Id"], path)

    assert_same(worlds, seen)


def test_files_in_a_stopped_container(worlds):
    def seen(world: World) -> tuple:
        details, _ = find_container(world.api, world.names.exited)
        assert details is not None
        return read_file(world.api, details["Id"], "/data/out.txt")

    assert assert_same(worlds, seen) == ("file", b"done\n")


# -- exec -----------------------------------------------------------------------------------------


EXEC_COMMANDS = [["cat", SITE_FILE], ["cat", "/nope"], ["cat", "/tmp/site"], ["echo", "a", "b"],
                 ["true"], ["false"], ["sh", "-c", "exit 3"], ["no-such-program"]]


@pytest.mark.parametrize("command", EXEC_COMMANDS, ids=" ".join)
def test_exec(worlds, command):
    def ran(world: World) -> tuple:
        api = world.api
        details, _ = find_container(api, world.names.web)
        assert details is not None
        created = api.exec_create(details["Id"], command, stdout=True, stderr=True)
        output = api.exec_start(created["Id"], stream=False, demux=False)
        result = api.exec_inspect(created["Id"])
        process = result["ProcessConfig"]
        return (result["ExitCode"], output, result["Running"],
                [process["entrypoint"], *process["arguments"]])

    assert_same(worlds, ran)


def test_exec_in_a_stopped_container_is_a_conflict(worlds):
    def refused(world: World) -> tuple:
        details, _ = find_container(world.api, world.names.exited)
        assert details is not None
        import docker.errors

        try:
            world.api.exec_create(details["Id"], ["true"])
        except docker.errors.APIError as error:
            translated = translate(error)
            return (type(error).__name__, error.status_code, type(translated).__name__,
                    getattr(translated, "status", None),
                    error.explanation == f"Container {details['Id']} is not running")
        return None

    assert assert_same(worlds, refused) == ("APIError", 409, "EngineUnavailable", 409, True)


# -- events ---------------------------------------------------------------------------------------


def test_exec_events(worlds):
    command = ["cat", SITE_FILE]

    def logged(world: World) -> list[tuple]:
        api = world.api
        details, _ = find_container(api, world.names.web)
        assert details is not None
        created = api.exec_create(details["Id"], command)
        api.exec_start(created["Id"])

        def mine(events: list[dict]) -> list[dict]:
            return [e for e in events if (e["Actor"]["Attributes"].get("execID")
                                          == created["Id"])]

        world.wait_for_events(lambda events: len(mine(events)) >= 3, "container")
        return [(e["Type"], e["Action"], e["status"], e["id"] == details["Id"],
                 e["Actor"]["ID"] == details["Id"],
                 {k: v for k, v in e["Actor"]["Attributes"].items() if k != "execID"})
                for e in mine(world.events("container"))]

    events = assert_same(worlds, logged)
    assert [action for _type, action, *_ in events] == [
        f"exec_create: cat {SITE_FILE}", f"exec_start: cat {SITE_FILE}", "exec_die"]


def test_image_events_for_tag_and_pull(worlds):
    def logged(world: World) -> list[tuple]:
        names = world.names
        built = inspect_image(world.api, names.v1)
        assert built is not None
        found = []
        for event in world.events("image"):
            actor = event["Actor"]
            if event["Action"] == "tag" and actor["Attributes"].get("name") == names.v2:
                found.append(("tag", actor["ID"] == built["Id"], actor["Attributes"]))
            elif event["Action"] == "pull" and actor["ID"] == "busybox:latest":
                found.append(("pull", actor["ID"], actor["Attributes"]))
        return found

    assert [kind for kind, *_ in assert_same(worlds, logged)] == ["tag", "pull"]


# -- errors ---------------------------------------------------------------------------------------


def test_a_name_is_not_an_id_prefix(worlds):
    """The engine takes an ID prefix where a name is asked; the checks ask by name."""
    def resolved(world: World) -> dict:
        details, _ = find_container(world.api, world.names.web)
        assert details is not None
        prefix = details["Id"][:12]
        return {
            "inspect by ID prefix": container_name(world.api.inspect_container(prefix)),
            "by name": (inspect_named(world.api, world.names.web) or {}).get("Id") == details["Id"],
            "a prefix is no name": inspect_named(world.api, prefix),
            "no such name": inspect_named(world.api, "tutor-contract-missing"),
        }

    assert assert_same(worlds, resolved)["a prefix is no name"] is None


def test_errors(worlds):
    def raised(world: World) -> dict:
        api = world.api
        missing = "tutor-contract-missing"
        details, _ = find_container(api, world.names.web)
        assert details is not None
        return {
            "no container": error_of(lambda: api.inspect_container(missing)),
            "no image": error_of(lambda: api.inspect_image(f"{missing}:1")),
            "uppercase reference": error_of(lambda: api.inspect_image("Busybox")),
            "reference with a space": error_of(lambda: api.inspect_image("a b")),
            "archive of no container": error_of(lambda: api.get_archive(missing, "/etc")),
            "no such path": error_of(lambda: api.get_archive(details["Id"], "/nope")),
            "tag of no image": error_of(lambda: api.tag(f"{missing}:1", missing, "2")),
            "checks see no image": [inspect_image(api, ref) for ref in
                                    (f"{missing}:1", "Busybox", "a b")],
        }

    assert assert_same(worlds, raised)["no image"] == ("ImageNotFound", 404)


# -- what the checks conclude ------------------------------------------------------------------------

WHERE = Where(Path("lessons/contract.yaml"), lesson="contract", step="s", step_number=1)

CHECKS = [  # (check, whether it passes in this scenario)
    # containers
    ("{container: {name: '{{ web }}', state: running, image: busybox,"
     " env: {GREETING: hi there}, labels: {tier: web}}}", True),
    ("{container: {name: '{{ web }}', ports: {'80/tcp': '{{ web_port }}',"
     " '81/udp': '127.0.0.1:{{ local_port }}'}}}", True),
    ("{container: {name: '{{ web }}', ports: {'80/tcp': '{{ exited_port }}'}}}", False),
    ("{container: {name: '{{ web }}', ports: {'90/tcp': '{{ web_port }}'}}}", False),
    ("{container: {name: '{{ web }}', mounts: [{destination: /srv, source: '{{ bind_dir }}',"
     " type: bind}, {destination: /data, source: '{{ volume }}', type: volume}]}}", True),
    ("{container: {name: '{{ web }}', mounts: [{destination: /data, source: other}]}}", False),
    ("{container: {name: '{{ web }}', state: exited}}", False),
    ("{container: {name: '{{ app }}', image: '{{ v1 }}', labels: {tier: web},"
     " env: {A: '1'}}}", True),
    ("{container: {name: '{{ exited }}', state: exited, exit_code: 3}}", True),
    ("{container: {name: '{{ exited }}', exit_code: 0}}", False),
    ("{container: {name: '{{ exited }}', ports: {'80/tcp': '{{ exited_port }}'}}}", True),
    ("{container: {name: '{{ created }}', state: created}}", True),
    ("{container: {name: '{{ paused }}', state: running}}", False),
    ("{container: {name: '{{ paused }}', state: paused}}", True),
    # images
    ("{image: {ref: '{{ v1 }}', cmd: ['-c', 'echo hi'], entrypoint: [sh],"
     " exposed_ports: ['8000', '53/udp'], workdir: /app, env: {A: '1'},"
     " labels: {tier: web}}}", True),
    ("{image: {ref: '{{ v2 }}', cmd: [python, app.py], exposed_ports: ['5000'],"
     " workdir: /srv}}", False),
    ("{image: {ref: '{{ repository }}:v3'}}", False),
    ("{image: {ref: '{{ uppercase }}'}}", False),  # no valid reference (refused when typed)
    ("{image: {ref: busybox}}", True),
    # files
    ("{file: {container: '{{ web }}', path: /tmp/site/index.html, contains: hello}}", True),
    ("{file: {container: '{{ web }}', path: /tmp/site, directory: true}}", True),
    ("{file: {container: '{{ web }}', path: /tmp/site, contains: hello}}", False),
    ("{file: {container: '{{ web }}', path: /tmp/site/nope}}", False),
    ("{file: {container: '{{ web }}', path: /nope/deeper}}", False),
    ("{file: {container: '{{ exited }}', path: /data/out.txt, contains: done}}", True),
    # exec
    ("{exec: {container: '{{ web }}', command: [cat, /tmp/site/index.html],"
     " output_contains: hello}}", True),
    ("{exec: {container: '{{ web }}', command: [cat, /nope]}}", False),
    ("{exec: {container: '{{ web }}', command: [echo, hi], output_contains: bye}}", False),
    ("{exec: {container: '{{ exited }}', command: ['true']}}", False),
    ("{exec: {container: '{{ paused }}', command: ['true']}}", False),
    # events (after the exec checks above ran)
    ("{events: {action: exec_start, container: '{{ web }}'}}", True),
    ("{events: {action: 'exec_start: cat /tmp/site/index.html'}}", True),
    ("{events: {type: image, action: tag, container: '{{ v2 }}'}}", True),
    ("{events: {type: image, action: pull, container: docker.io/library/busybox:latest}}",
     True),
    ("{events: {type: image, action: pull, container: '{{ repository }}:never'}}", False),
]


def values_of(names: Names) -> dict[str, str]:
    return {key: str(value) for key, value in vars(names).items()} | {
        "v1": names.v1, "v2": names.v2, "uppercase": "Busybox"}


def verdict(world: World, text: str) -> tuple[bool, tuple[str, ...]]:
    values = values_of(world.names)
    document = parse_yaml("check: " + text)
    problems: list = []
    check = parse_check(document["check"], WHERE.at_field("check"), problems, 1, set(values))
    assert not problems, [str(problem) for problem in problems]
    context = CheckContext(api=world.api, workspace=Path(world.names.bind_dir), values=values,
                           since=world.began)
    result = evaluate(check, context)
    return result.passed, result.messages


def test_checks_conclude_the_same(worlds):
    """In order (the events checks see the exec checks' own execs)."""
    differences = []
    for text, passes in CHECKS:
        real_verdict, fake_verdict = (verdict(world, text) for world in worlds)
        if real_verdict != fake_verdict or real_verdict[0] != passes:
            differences.append(f"{text} (expected to {'pass' if passes else 'fail'})\n"
                               f"  real: {real_verdict}\n  fake: {fake_verdict}")
    assert not differences, "\n".join(differences)
