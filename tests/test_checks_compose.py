"""The `compose` check: a Compose project's state, read through Compose's labels.

In memory (containers, networks, volumes and events labelled as Compose labels
them), and with the real `docker compose` against the engine."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from engine_helpers import ensure_image, require_engine, unique_name
from fake_engine import FakeEngine

from tutor.checks import CheckContext, CheckResult, evaluate, parse_check
from tutor.checks.compose import ONEOFF_LABEL, PROJECT_LABEL, SERVICE_LABEL, WORKING_DIR_LABEL
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/demo.yaml"), lesson="demo", step="s", step_number=1)


class ComposeEngine(FakeEngine):
    """The fake engine, with networks, volumes, logs, and events filtered by label."""

    def __init__(self) -> None:
        super().__init__()
        self.networks_: list[dict] = []
        self.volumes_: list[dict] = []
        self.logs_: dict[str, bytes] = {}

    def networks(self, names=None, ids=None, filters=None):
        self._record("networks", filters)
        return [n for n in self.networks_ if _labelled(n, (filters or {}).get("label"))]

    def volumes(self, filters=None):
        self._record("volumes", filters)
        return {"Volumes": [v for v in self.volumes_
                            if _labelled(v, (filters or {}).get("label"))] or None}

    def logs(self, container, tail="all", **kwargs):
        return self.logs_.get(self._find_container(container).name, b"")

    def events(self, since=None, until=None, filters=None, decode=None):
        wanted = (filters or {}).get("label")
        for event in super().events(since, until, filters, decode):
            if _labelled({"Labels": event["Actor"]["Attributes"]}, wanted):
                yield event


def _labelled(thing: dict, selectors) -> bool:
    labels = thing.get("Labels") or {}
    for selector in [selectors] if isinstance(selectors, str) else list(selectors or []):
        key, _, value = selector.partition("=")
        if labels.get(key) != value:
            return False
    return True


def service(engine: ComposeEngine, project: str, name: str, state: str = "running",
            folder: str = "/work/app", oneoff: bool = False, exit_code: int = 0,
            ports: dict[str, str] | None = None) -> str:
    container = f"{project}-{name}-1" if not oneoff else f"{project}-{name}-run-1"
    engine.add_container(container, state=state, exit_code=exit_code, ports=ports, labels={
        PROJECT_LABEL: project, SERVICE_LABEL: name, WORKING_DIR_LABEL: folder,
        ONEOFF_LABEL: "True" if oneoff else "False"})
    return container


def parse(text: str, problems: list | None = None):
    found: list = [] if problems is None else problems
    check = parse_check(parse_yaml("check:\n  " + text)["check"], WHERE.at_field("check"),
                        found, 1, {"project", "workspace"})
    if problems is None:
        assert not found, [str(p) for p in found]
    return check


def problems_of(text: str) -> str:
    problems: list = []
    parse(text, problems)
    assert problems
    return " | ".join(str(p) for p in problems)


def judge(api, text: str, project: str = "hello", workspace: str = "/work/app",
          since: float = 0.0) -> CheckResult:
    return evaluate(parse(text), CheckContext(
        api=api, workspace=Path(workspace), since=since,
        values={"project": project, "workspace": workspace}))


def failure(result: CheckResult) -> str:
    assert not result.passed
    return " | ".join(result.messages)


# -- parsing ----------------------------------------------------------------------------------


def test_parse_services_as_a_list_or_with_states():
    assert parse('compose: {project: hello, services: [web, db]}').services == (
        ("web", "running"), ("db", "running"))
    assert parse('compose: {project: hello, services: {init: exited}}').services == (
        ("init", "exited"),)


def test_parse_refuses_what_cannot_be():
    assert "must be one of running" in problems_of(
        "compose: {project: hello, services: {web: up}}")
    assert "drop services or down" in problems_of(
        "compose: {project: hello, services: [web], down: true}")
    assert "is not a Compose project name" in problems_of("compose: {project: Hello, down: true}")
    assert "says nothing about the project" in problems_of("compose: {project: hello}")
    assert "present, absent" in problems_of("compose: {project: hello, volumes: gone}")


# -- evaluation against the fake engine --------------------------------------------------------


def test_running_services_pass_and_one_off_containers_do_not_count():
    engine = ComposeEngine()
    service(engine, "hello", "web")
    service(engine, "hello", "db")
    assert judge(engine, 'compose: {project: "{{ project }}", services: [web, db], '
                         'directory: "{{ workspace }}"}').passed
    other = ComposeEngine()
    service(other, "hello", "db")
    service(other, "hello", "web", oneoff=True)  # `docker compose run web`: not the service
    assert 'service "web" of Compose project "hello" has no container (the project\'s ' \
           'services: db)' in failure(judge(other, 'compose: {project: hello, services: [web]}'))


def test_a_stopped_service_says_how_it_ended_and_what_it_printed():
    engine = ComposeEngine()
    service(engine, "hello", "web", state="exited", exit_code=1)
    engine.logs_["hello-web-1"] = b"Traceback (most recent call last):\nKeyError: 'QUOTES_URL'\n"
    text = failure(judge(engine, 'compose: {project: hello, services: [web]}'))
    assert text.startswith('service "web"\'s container "hello-web-1" is exited (exit code 1); '
                           'expected running. Its last lines of output:')
    assert "KeyError: 'QUOTES_URL'" in text


def test_no_container_names_the_project_this_folder_has():
    engine = ComposeEngine()
    service(engine, "app", "web", folder="/work/app")
    service(engine, "other", "web", folder="/somewhere/else")
    text = failure(judge(engine, 'compose: {project: hello, services: [web]}'))
    assert text.startswith('no container belongs to Compose project "hello"; the containers '
                           "started from this lesson's folder belong to project app")


def test_a_project_of_the_same_name_from_another_folder_is_told_apart():
    engine = ComposeEngine()
    service(engine, "hello", "web", folder="/home/someone-else/app")
    text = failure(judge(engine, 'compose: {project: hello, services: [web], '
                                 'directory: "{{ workspace }}"}'))
    assert text == ('Compose project "hello" was started from /home/someone-else/app, not from '
                    '/work/app (another project of the same name?)')


def test_down_wants_no_container_and_no_network():
    engine = ComposeEngine()
    service(engine, "hello", "web", state="exited")
    engine.networks_.append({"Name": "hello_default", "Labels": {PROJECT_LABEL: "hello"}})
    engine.networks_.append({"Name": "other_default", "Labels": {PROJECT_LABEL: "other"}})
    text = failure(judge(engine, 'compose: {project: hello, down: true}'))
    assert 'Compose project "hello" still has containers: hello-web-1 (exited)' in text
    assert 'still has its network hello_default; expected none' in text
    assert "other_default" not in text


def test_volumes_kept_or_removed():
    engine = ComposeEngine()
    engine.volumes_.append({"Name": "hello_visits", "Labels": {PROJECT_LABEL: "hello"}})
    assert judge(engine, 'compose: {project: hello, down: true, volumes: present}').passed
    assert 'still has volume hello_visits; expected it removed (with its data)' in failure(
        judge(engine, 'compose: {project: hello, down: true, volumes: absent}'))
    assert "has no volumes any more" in failure(
        judge(ComposeEngine(), 'compose: {project: hello, volumes: present}'))


def test_exec_in_a_service_is_seen_in_its_events():
    engine = ComposeEngine()
    service(engine, "hello", "web")
    service(engine, "hello", "quotes")
    now = time.time()
    engine.add_event("exec_start: wget -q -O - http://web:5000/", name="hello-web-1", at=now)
    engine.add_event("exec_start: ls", name="hello-quotes-1", at=now - 600)  # before the step
    check = 'compose: {project: hello, services: [web, quotes], exec_in: quotes}'
    assert 'no command ran in service "quotes"\'s container since this step began' in failure(
        judge(engine, check, since=now - 5))
    engine.add_event("exec_start: wget -q -O - http://web:5000/", name="hello-quotes-1", at=now)
    assert judge(engine, check, since=now - 5).passed


@pytest.fixture
def site() -> Iterator[int]:
    """A web server on a loopback port, standing in for a service's published port."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"Hello from Flask! Quote of the day: be kind\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_http_asks_the_port_the_engine_published(site):
    engine = ComposeEngine()
    service(engine, "hello", "web", ports={"5000/tcp": str(site)})
    service(engine, "hello", "quotes")
    check = 'compose: {project: hello, http: {service: web, port: 5000, contains: "%s"}}'
    assert judge(engine, check % "Quote of the day").passed
    text = failure(judge(engine, check % "Goodbye"))
    assert text.startswith(f'service "web"\'s port 5000, published on {site}: GET '
                           f'http://127.0.0.1:{site}/ answered 200 but the page does not '
                           f'contain "Goodbye"')
    assert failure(judge(engine, check.replace("service: web", "service: quotes") % "x")) == (
        'service "quotes" does not publish its port 5000 (ports: in the Compose file)')
    assert failure(judge(engine, check.replace("service: web", "service: db") % "x")) == (
        'service "db" has no running container to answer HTTP')


def test_http_needs_a_service_and_a_port():
    text = problems_of("compose: {project: hello, http: {port: 5000}}")
    assert "service" in text
    assert "port" in problems_of("compose: {project: hello, http: {service: web}}")


# -- the real engine, with docker compose ---------------------------------------------------------


COMPOSE_FILE = """\
services:
  web:
    image: busybox
    init: true
    command: ["sleep", "300"]
    volumes: ["data:/data"]
  cache:
    image: busybox
    init: true
    command: ["sh", "-c", "mkdir -p /www && echo cached page > /www/index.html && exec httpd -f -p 8000 -h /www"]
    ports: ["8000"]
volumes:
  data:
"""


def _compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    done = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def project(tmp_path):
    api = require_engine()
    if not _compose_available():
        if os.environ.get("CI"):
            pytest.fail("docker compose is missing; scripts/engine-up installs it")
        pytest.skip("docker compose is not installed (scripts/engine-up installs it)")
    ensure_image(api, "busybox")
    name = unique_name("tutor-test-compose")
    (tmp_path / "compose.yaml").write_text(COMPOSE_FILE)

    def compose(*words: str) -> None:
        subprocess.run(["docker", "compose", "-p", name, *words], cwd=tmp_path, check=True,
                       capture_output=True, timeout=120)

    yield api, name, compose, tmp_path
    compose("down", "-v", "--timeout", "1")


@pytest.mark.engine
def test_real_project_up_exec_down(project):
    api, name, compose, folder = project
    since = time.time()
    compose("up", "-d")
    up = f'compose: {{project: "{name}", services: [web, cache], directory: "{folder}"}}'
    assert judge(api, up, since=since).passed
    page = f'{{compose: {{project: "{name}", http: {{service: cache, port: 8000, ' \
           f'contains: cached page}}}}, wait: 10}}'
    result = evaluate(parse_check(parse_yaml("check: " + page)["check"], WHERE, [], 1, set()),
                      CheckContext(api=api, workspace=folder, values={}))
    assert result.passed, result.messages
    exec_in = f'compose: {{project: "{name}", exec_in: cache}}'
    assert "no command ran" in failure(judge(api, exec_in, since=since))
    compose("exec", "-T", "cache", "true")
    assert judge(api, exec_in, since=since).passed

    compose("stop", "--timeout", "1")
    stopped = failure(judge(api, f'compose: {{project: "{name}", services: [web]}}'))
    assert f'service "web"\'s container "{name}-web-1" is exited' in stopped
    compose("down", "--timeout", "1")
    assert judge(api, f'compose: {{project: "{name}", down: true, volumes: present}}').passed
    assert "still has volume" in failure(
        judge(api, f'compose: {{project: "{name}", down: true, volumes: absent}}'))
    compose("down", "-v")
    assert judge(api, f'compose: {{project: "{name}", down: true, volumes: absent}}').passed
