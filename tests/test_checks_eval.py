"""Evaluating every check kind against an in-memory engine (tests/fake_engine.py).

The failure messages are the product: these tests pin what the learner reads.
"""

from __future__ import annotations

import io
import json
import socket
import tarfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docker.errors
import pytest
import requests
from check_kit import failed
from fake_engine import FakeEngine, _response

from tutor.checks import CheckContext, CheckResult, EngineUnavailable, evaluate, parse_check
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/demo.yaml"), lesson="demo", step="s", step_number=1)


def check_of(text: str, declared: tuple[str, ...] = ()):
    document = parse_yaml(text if text.startswith("\n") else "check: " + text)
    problems: list = []
    check = parse_check(document["check"], WHERE.at_field("check"), problems, 1, set(declared))
    assert not problems, [str(p) for p in problems]
    return check


class Clock:
    """A fake monotonic clock; ``sleep`` advances it and runs ``on_sleep``."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []
        self.on_sleep = lambda: None

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.on_sleep()


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def run(engine: FakeEngine, tmp_path: Path, clock: Clock):
    """run(check_yaml, **values) -> CheckResult, against the fake engine."""

    def runner(text: str, last_command=None, since: float = 0.0, http_host: str = "127.0.0.1",
               learner_label: tuple[str, str] | None = None, **values: str) -> CheckResult:
        check = check_of(text, tuple(values))
        ctx = CheckContext(api=engine, workspace=tmp_path, values=values,
                           last_command=last_command, since=since, http_host=http_host,
                           clock=clock, sleep=clock.sleep, learner_label=learner_label)
        return evaluate(check, ctx)

    return runner


# -- image ---------------------------------------------------------------------------------------


def test_image_exists_with_folded_references(engine, run):
    engine.add_image("busybox:latest", "busybox:1.35", cmd=["sh"])
    for ref in ("busybox", "busybox:latest", "docker.io/library/busybox:latest",
                "docker.io/busybox", "busybox:1.35"):
        assert run(f"{{image: {{ref: '{ref}'}}}}").passed, ref


def test_image_missing_names_the_other_tags(engine, run):
    engine.add_image("myapp:latest")
    engine.add_image("myapp:0.9")
    assert failed(run("{image: {ref: 'myapp:1.0'}}")) == (
        'image "myapp:1.0" does not exist (myapp has tags: 0.9, latest)')
    assert failed(run("{image: other}")) == (
        'image "other" does not exist (no image named other is present)')


def test_image_tag_is_exact(engine, run):
    engine.add_image("busybox:1.35")
    assert failed(run("{image: busybox}")) == (
        'image "busybox" does not exist (busybox has tags: 1.35)')


def test_image_cmd_and_entrypoint(engine, run):
    engine.add_image("myapp:1.0", cmd=["python3", "app.py"])
    assert failed(run("{image: {ref: 'myapp:1.0', cmd: [python, app.py]}}")) == (
        'image "myapp:1.0" runs ["python3", "app.py"] via CMD; expected ["python", "app.py"]')
    assert run("{image: {ref: 'myapp:1.0', cmd: [python3, app.py]}}").passed
    assert failed(run("{image: {ref: 'myapp:1.0', entrypoint: [tini, --]}}")) == (
        'image "myapp:1.0" has no ENTRYPOINT; expected ["tini", "--"]')


def test_image_shell_form_cmd_is_explained(engine, run):
    engine.add_image("myapp:1.0", cmd=["/bin/sh", "-c", "python app.py"])
    message = failed(run("{image: {ref: 'myapp:1.0', cmd: [python, app.py]}}"))
    assert message == ('image "myapp:1.0" runs ["/bin/sh", "-c", "python app.py"] via CMD '
                       '(shell form; the JSON form CMD ["python", "app.py"] runs it directly); '
                       'expected ["python", "app.py"]')


def test_image_config_fields(engine, run):
    engine.add_image("web:1", exposed=("8080/tcp",), workdir="/srv",
                     env=["PATH=/bin", "MODE=dev"], labels={"tier": "db"})
    message = failed(run("""{image: {ref: 'web:1', exposed_ports: [80], workdir: /app,
                             env: {MODE: prod, DEBUG: 1}, labels: {tier: web}}}"""))
    assert message == (
        'image "web:1" exposes 8080/tcp; expected 80/tcp. It also has WORKDIR /srv; '
        'expected /app. It also has ENV MODE=dev; expected MODE=prod. It also has no ENV DEBUG; '
        'expected DEBUG=1. It also has LABEL tier=db; expected tier=web')
    assert run("{image: {ref: 'web:1', exposed_ports: [8080/tcp], workdir: /srv/, "
               "env: {MODE: dev}, labels: {tier: db}}}").passed


def test_image_without_workdir(engine, run):
    engine.add_image("plain:1")
    assert failed(run("{image: {ref: 'plain:1', workdir: /app}}")) == (
        'image "plain:1" has no WORKDIR (so /); expected WORKDIR /app')


def test_image_digest_from(engine, run):
    digest = "sha256:" + "ab" * 32
    engine.add_image("myapp:1.0", "127.0.0.1:5000/myapp:1.0",
                     repo_digests=(f"127.0.0.1:5000/myapp@{digest}",))
    engine.add_image("local:1")
    assert run("{image: {ref: 'myapp:1.0', digest_from: '127.0.0.1:5000/myapp:1.0'}}").passed
    assert run(f"{{image: {{ref: 'myapp:1.0', digest_from: '127.0.0.1:5000/myapp@{digest}'}}}}"
               ).passed
    assert failed(run("{image: {ref: 'local:1', digest_from: '127.0.0.1:5000/local'}}")) == (
        'image "local:1" has no digest from 127.0.0.1:5000/local (it was not pushed there or '
        'pulled from there); its digests: none')


def test_image_absent(engine, run):
    image_id = engine.add_image("busybox:latest")
    assert run("{image: {ref: 'alpine', absent: true}}").passed
    assert failed(run("{image: {ref: busybox, absent: true}}")) == (
        f'image "busybox" still exists (ID {image_id[7:19]}); expected it to be removed')


# -- container -----------------------------------------------------------------------------------


def test_container_named_and_running(engine, run):
    engine.add_image("busybox:latest")
    engine.add_container("web", image="busybox", ports={"80/tcp": "8080"})
    assert run("{container: {name: web, state: running, image: busybox, "
               "ports: {'80/tcp': 8080}}}").passed
    assert run("{container: web}").passed


def test_container_missing_lists_the_others(engine, run):
    engine.add_container("db")
    engine.add_container("api")
    assert failed(run("{container: {name: web, state: running}}")) == (
        'no container named "web" exists (containers: api, db)')


def test_container_names_are_exact(engine, run):
    engine.add_container("web-2")
    engine.add_container("myweb")
    assert failed(run("{container: web}")) == (
        'no container named "web" exists (containers: myweb, web-2)')


def test_no_containers_at_all(run):
    assert failed(run("{container: web}")) == (
        'no container named "web" exists (there are no containers)')
    assert failed(run("{container: {image: busybox, state: running}}")) == (
        'no containers exist; expected a container (from "busybox", running)')


def test_container_state(engine, run):
    engine.add_container("web", state="exited", exit_code=1)
    engine.add_container("new", state="created")
    assert failed(run("{container: {name: web, state: running}}")) == (
        'container "web" exists but is exited (exit code 1); expected running')
    assert failed(run("{container: {name: new, state: running}}")) == (
        'container "new" exists but is created (never started); expected running')
    assert run("{container: {name: web, state: exited}}").passed


def test_container_exit_code(engine, run):
    engine.add_container("job", state="exited", exit_code=3)
    engine.add_container("srv", state="running")
    assert failed(run("{container: {name: job, exit_code: 0}}")) == (
        'container "job" exists but exited with code 3; expected exit code 0')
    assert run("{container: {name: job, state: exited, exit_code: 3}}").passed
    assert failed(run("{container: {name: srv, exit_code: 0}}")) == (
        'container "srv" exists but is still running; expected it to have exited with code 0')


def test_container_ports(engine, run):
    engine.add_container("web", ports={"80/tcp": "8081"})
    engine.add_container("quiet")
    engine.add_container("tls", ports={"443/tcp": "8443"})
    engine.add_container("local", ports={"80/tcp": "127.0.0.1:8080"})
    assert failed(run("{container: {name: web, ports: {'80/tcp': 8080}}}")) == (
        'container "web" is running but publishes 80/tcp on 8081; expected 8080')
    assert failed(run("{container: {name: quiet, ports: {80: 8080}}}")) == (
        'container "quiet" is running but publishes nothing; expected 80/tcp on 8080')
    assert failed(run("{container: {name: tls, ports: {80: 8080}}}")) == (
        'container "tls" is running but publishes only 443/tcp on 8443, not 80/tcp; '
        'expected 80/tcp on 8080')
    assert run("{container: {name: local, ports: {80: 8080}}}").passed  # any host IP
    assert run("{container: {name: local, ports: {80: '127.0.0.1:8080'}}}").passed
    engine.add_container("open", ports={"80/tcp": "8080"})
    assert failed(run("{container: {name: open, ports: {80: '127.0.0.1:8080'}}}")) == (
        'container "open" is running but publishes 80/tcp on 0.0.0.0:8080; '
        'expected 127.0.0.1:8080')


def test_ports_of_a_stopped_container_come_from_its_configuration(engine, run):
    engine.add_container("web", state="exited", exit_code=0, ports={"80/tcp": "8080"})
    engine.add_container("made", state="created", ports={"80/tcp": "9090"})
    assert run("{container: {name: web, ports: {80: 8080}}}").passed
    assert failed(run("{container: {name: made, ports: {80: 8080}}}")) == (
        'container "made" is created (never started) but publishes 80/tcp on 9090; '
        'expected 8080')


def test_port_placeholders(engine, run):
    engine.add_container("web", ports={"80/tcp": "8080"})
    assert run("{container: {name: '{{ name }}', ports: {80: '{{ port }}'}}}",
               name="web", port="8080").passed
    assert failed(run("{container: {name: '{{ name }}', ports: {80: '{{ port }}'}}}",
                      name="web", port="8081")) == (
        'container "web" is running but publishes 80/tcp on 8080; expected 8081')
    assert failed(run("{container: {name: web, ports: {80: '{{ port }}'}}}", port="eighty")) == (
        'port for 80/tcp must be a whole number, got "eighty"')


def test_container_image_matching(engine, run):
    busybox_id = engine.add_image("busybox:latest", "busybox:1.35")
    engine.add_image("nginx:latest")
    engine.add_container("a", image="busybox:latest")
    engine.add_container("b", image="docker.io/library/busybox")
    engine.add_container("c", image=busybox_id)  # started by ID
    engine.add_container("d", image="busybox:1.35")  # same image, other tag
    engine.add_container("e", image="nginx")
    for name in "abcd":
        assert run(f"{{container: {{name: {name}, image: busybox}}}}").passed, name
    assert run(f"{{container: {{name: c, image: '{busybox_id[7:19]}'}}}}").passed
    assert failed(run("{container: {name: e, image: busybox}}")) == (
        'container "e" is running but was started from "nginx"; expected "busybox"')


def test_container_env_labels_mounts(engine, run, tmp_path):
    (tmp_path / "site").mkdir()
    engine.add_container(
        "web", env={"GREETING": "hi"}, labels={"tier": "db"},
        mounts=[{"Type": "bind", "Source": str(tmp_path / "site"), "Destination": "/srv",
                 "Mode": "", "RW": True, "Propagation": "rprivate"},
                {"Type": "volume", "Name": "data", "Source": "/var/lib/docker/volumes/data/_data",
                 "Destination": "/data", "Driver": "local", "Mode": "z", "RW": True,
                 "Propagation": ""}])
    assert run("""{container: {name: web, env: {GREETING: hi}, labels: {tier: db},
                  mounts: [{destination: /srv, source: site, type: bind},
                           {destination: /data/, source: data, type: volume}]}}""").passed
    assert failed(run("""{container: {name: web, env: {GREETING: hello, NAME: x},
                         labels: {tier: web}}}""")) == (
        'container "web" is running but has environment variable GREETING=hi; expected '
        'GREETING=hello. It also has no environment variable NAME; expected NAME=x. '
        'It also has label tier=db; expected tier=web')
    assert failed(run("{container: {name: web, mounts: [{destination: /logs, type: volume}]}}")) == (
        'container "web" is running but has mounts at /data, /srv, none at /logs; '
        'expected a volume at /logs')
    assert failed(run("{container: {name: web, mounts: [{destination: /data, source: other}]}}")) == (
        'container "web" is running but mounts volume data at /data; expected other')
    assert failed(run("{container: {name: web, mounts: [{destination: /srv, type: volume}]}}")) == (
        'container "web" is running but has a bind mount at /srv; expected a volume at /srv')


def test_container_several_mismatches_make_one_message(engine, run):
    engine.add_container("web", state="exited", exit_code=137)
    assert failed(run("{container: {name: web, state: running, ports: {80: 8080}}}")) == (
        'container "web" exists but is exited (exit code 137); expected running. '
        'It also publishes nothing; expected 80/tcp on 8080')


def test_any_container_matches(engine, run):
    engine.add_image("busybox:latest")
    engine.add_container("pensive_turing", image="busybox")
    engine.add_container("served", image="busybox", ports={"80/tcp": "8080"})
    assert run("{container: {image: busybox, state: running, ports: {80: 8080}}}").passed


def test_no_container_matches_describes_the_closest(engine, run):
    engine.add_image("busybox:latest")
    engine.add_image("nginx:latest")
    engine.add_container("old_one", image="nginx", state="exited")
    engine.add_container("pensive_turing", image="busybox")
    assert failed(run("{container: {image: busybox, state: running, ports: {80: 8080}}}")) == (
        'no container matches: closest is "pensive_turing" (from busybox, running) '
        'but it publishes nothing; expected 80/tcp on 8080')
    # Inspected only the candidate that passed the listing's image and state.
    inspected = [c for c in engine.calls if c[0] == "inspect_container"]
    assert len(inspected) == 1
    assert engine.call_names().count("containers") == 1


def test_closest_among_containers_that_fail_cheap_fields(engine, run):
    engine.add_image("nginx:latest")
    engine.add_container("a", image="nginx", state="exited", exit_code=0)
    assert failed(run("{container: {image: nginx, state: running}}")) == (
        'no container matches: closest is "a" (from nginx, exited (exit code 0)) '
        'but it is exited (exit code 0); expected running')


def test_container_absent(engine, run):
    engine.add_container("web", state="exited")
    assert run("{container: {name: api, absent: true}}").passed
    assert failed(run("{container: {name: web, absent: true}}")) == (
        'container "web" exists (exited (exit code 0)); expected no such container')
    assert run("{container: {name: web, state: running, absent: true}}").passed
    assert failed(run("{container: {state: exited, absent: true}}")) == (
        'expected no container (exited); found "web" (from busybox, exited (exit code 0))')
    assert run("{container: {state: running, absent: true}}").passed


def test_container_check_makes_few_engine_calls(engine, run):
    engine.add_image("busybox:latest")
    for index in range(20):
        engine.add_container(f"c{index}", image="busybox")
    assert run("{container: {name: c7, state: running, image: busybox}}").passed
    # by name, from the engine's index of names: no listing at all
    assert engine.call_names() == ["inspect_container"]


def test_another_learners_containers_neither_pass_a_check_nor_fill_its_message(engine, run):
    """On a shared engine: the containers another learner labelled are theirs."""
    mine, theirs = ("org.docker-tutor.learner", "me"), {"org.docker-tutor.learner": "them"}
    engine.add_image("busybox:latest")
    engine.add_container("their-web", image="busybox", labels=theirs)
    engine.add_container("my-old", image="busybox", state="exited",
                         labels={"org.docker-tutor.learner": "me"})
    engine.add_container("outside", image="busybox", state="exited")
    anything_running = "{container: {image: busybox, state: running}}"
    assert run(anything_running).passed  # no learner known: any container counts
    assert not run(anything_running, learner_label=mine).passed
    message = failed(run("{container: {name: web}}", learner_label=mine))
    assert "my-old" in message and "outside" in message and "their-web" not in message
    assert "their-web" in failed(run("{container: {name: web}}"))


# -- file ----------------------------------------------------------------------------------------


def test_file_in_a_container(engine, run):
    engine.add_container("web", files={"/tmp/hello.txt": "hello world\n"})
    engine.add_container("stopped", state="exited", files={"/data/out.txt": "done"})
    assert run("{file: {container: web, path: /tmp/hello.txt}}").passed
    assert run("{file: {container: web, path: /tmp/hello.txt, contains: world}}").passed
    assert run("{file: {container: web, path: /tmp, directory: true}}").passed
    assert run("{file: {container: stopped, path: /data/out.txt, contains: done}}").passed


def test_file_failures(engine, run):
    engine.add_container("web", files={"/tmp/other.txt": "x", "/tmp/hello.txt": "hi there"})
    assert failed(run("{file: {container: web, path: /tmp/missing.txt}}")) == (
        '/tmp/missing.txt is missing in container "web" (/tmp exists)')
    assert failed(run("{file: {container: web, path: /app/hello.txt}}")) == (
        '/app/hello.txt is missing in container "web" (/app does not exist either)')
    assert failed(run("{file: {container: web, path: /tmp/hello.txt, contains: hello}}")) == (
        '/tmp/hello.txt in container "web" does not contain "hello"; it holds "hi there"')
    assert failed(run("{file: {container: web, path: /tmp, contains: hello}}")) == (
        '/tmp in container "web" is a directory; expected a file containing "hello"')
    assert failed(run("{file: {container: web, path: /tmp/hello.txt, directory: true}}")) == (
        '/tmp/hello.txt in container "web" is a file; expected a directory')
    assert failed(run("{file: {container: api, path: /tmp/hello.txt}}")) == (
        'no container named "api" exists (containers: web)')


def test_file_contains_reads_the_start_of_a_big_file(engine, run):
    engine.add_container("web", files={"/var/log/big.log": "needle\n" + "x" * (3 << 20)})
    assert run("{file: {container: web, path: /var/log/big.log, contains: needle}}").passed
    message = failed(run("{file: {container: web, path: /var/log/big.log, contains: hay}}"))
    assert message.startswith('/var/log/big.log in container "web" does not contain "hay"; '
                              'it holds "needle xxxx')


# -- exec ----------------------------------------------------------------------------------------


def test_exec(engine, run):
    engine.add_container("web", files={"/etc/hostname": "web\n"},
                         exec_results={("sh", "-c", "exit 3"): (3, "")})
    assert run("{exec: {container: web, command: cat /etc/hostname, output_contains: web}}").passed
    assert failed(run("{exec: {container: web, command: [cat, /etc/hostname], "
                      "output_contains: api}}")) == (
        'in container "web", `cat /etc/hostname` printed "web"; expected output containing "api"')
    assert failed(run("{exec: {container: web, command: [cat, /nope]}}")) == (
        'in container "web", `cat /nope` exited with code 1; expected 0 '
        '(output: "cat: can\'t open \'/nope\': No such file or directory")')
    assert run("{exec: {container: web, command: [sh, -c, exit 3], exit_code: 3}}").passed
    engine.calls.clear()
    assert run("{exec: {container: web, command: ['true']}}").passed
    assert engine.call_names() == ["inspect_container", "exec_create",
                                   "exec_start", "exec_inspect"]


def test_exec_needs_a_running_container(engine, run):
    engine.add_container("web", state="exited", exit_code=0)
    assert failed(run("{exec: {container: web, command: ['true']}}")) == (
        'container "web" is exited (exit code 0); `true` can only run in a running container')
    assert "exec_create" not in engine.call_names()


def test_exec_conflict_when_the_container_stops_meanwhile(engine, run, monkeypatch):
    engine.add_container("web")

    def stopped(*args, **kwargs):
        raise docker.errors.APIError("is not running", response=_response(409, "Conflict"))

    monkeypatch.setattr(engine, "exec_create", stopped)
    assert failed(run("{exec: {container: web, command: ['true']}}")) == (
        'container "web" is not running; `true` can only run in a running container')


# -- http ----------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    pages = {"/": (200, b"<html><body>Hello from busybox</body></html>"),
             "/moved": (301, b"")}

    def do_GET(self) -> None:
        status, body = self.pages.get(self.path, (404, b"not found"))
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "http://example.com/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def web_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_http(run, web_port):
    assert run("{http: {port: '{{ port }}', contains: Hello}}", port=str(web_port)).passed
    assert run(f"{{http: {{port: {web_port}, path: /nope, status: 404}}}}").passed
    assert failed(run(f"{{http: {{port: {web_port}, path: /nope}}}}")) == (
        f"GET http://127.0.0.1:{web_port}/nope answered 404; expected 200")
    assert failed(run(f"{{http: {{port: {web_port}, contains: Goodbye}}}}")) == (
        f'GET http://127.0.0.1:{web_port}/ answered 200 but the page does not contain "Goodbye"; '
        f'it starts with "<html><body>Hello from busybox</body></html>"')
    # Redirects are reported, never followed off the machine.
    assert failed(run(f"{{http: {{port: {web_port}, path: /moved}}}}")) == (
        f"GET http://127.0.0.1:{web_port}/moved answered 301; expected 200")


def test_http_nothing_listening(run):
    port = free_port()
    assert failed(run(f"{{http: {{port: {port}}}}}")) == (
        f"GET http://127.0.0.1:{port}/ got no answer (connection refused: nothing listens "
        f"there); expected HTTP 200")


def test_http_port_accepting_but_silent(run):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def accept_and_close() -> None:
        connection, _ = listener.accept()
        connection.recv(1024)
        connection.close()

    thread = threading.Thread(target=accept_and_close, daemon=True)
    thread.start()
    try:
        message = failed(run(f"{{http: {{port: {port}}}}}"))
    finally:
        thread.join(2)
        listener.close()
    assert "the port accepts connections but nothing answered HTTP" in message


# -- registry_tag --------------------------------------------------------------------------------

DIGEST = "sha256:" + "cd" * 32


class _Registry(BaseHTTPRequestHandler):
    tags = {"myapp": ["1.0", "latest"]}
    accept_seen: list[str] = []

    def _answer(self, body: bytes) -> None:
        if self.path.endswith("/tags/list"):
            name = self.path[len("/v2/"):-len("/tags/list")]
            if name not in self.tags:
                payload = json.dumps({"errors": [{"code": "NAME_UNKNOWN"}]}).encode()
                self.send_response(404)
            else:
                payload = json.dumps({"name": name, "tags": self.tags[name]}).encode()
                self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if body:
                self.wfile.write(payload)
            return
        if "/manifests/" in self.path:
            self.accept_seen.append(self.headers.get("Accept", ""))
            self.send_response(200)
            self.send_header("Docker-Content-Digest", DIGEST)
            self.send_header("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            if body:
                self.wfile.write(b"{}")
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._answer(True)

    def do_HEAD(self) -> None:
        self._answer(False)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def registry() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_registry_tag(engine, run, registry):
    assert run(f"{{registry_tag: {{registry: '{registry}', repository: myapp, tag: '1.0'}}}}"
               ).passed
    assert failed(run(f"{{registry_tag: {{registry: '{registry}', repository: myapp, "
                      f"tag: '2.0'}}}}")) == (
        f"registry {registry} has myapp with tags: 1.0, latest; expected 2.0")
    assert failed(run(f"{{registry_tag: {{registry: '{registry}', repository: other, "
                      f"tag: '1'}}}}")) == (
        f'registry {registry} has no repository "other"; expected tag 1 '
        f"(push {registry}/other:1)")


def test_registry_tag_digest(engine, run, registry):
    engine.add_image("myapp:1.0", f"{registry}/myapp:1.0",
                     repo_digests=(f"{registry}/myapp@{DIGEST}",))
    engine.add_image("stale:1.0", repo_digests=(f"{registry}/myapp@sha256:{'ee' * 32}",))
    engine.add_image("never:1.0")
    check = f"{{registry_tag: {{registry: '{registry}', repository: myapp, tag: '1.0', "
    assert run(check + "digest_of: 'myapp:1.0'}}").passed
    assert "application/vnd.oci.image.index.v1+json" in _Registry.accept_seen[-1]
    assert failed(run(check + "digest_of: 'stale:1.0'}}")) == (
        f'registry {registry} has myapp:1.0 as sha256:cdcdcdcdcdcd…; local image "stale:1.0" '
        f"was pushed as sha256:eeeeeeeeeeee…; expected the same image (push it again)")
    assert failed(run(check + "digest_of: 'never:1.0'}}")) == (
        f'registry {registry} has myapp:1.0 (sha256:cdcdcdcdcdcd…), but local image '
        f'"never:1.0" was never pushed there; expected "never:1.0" pushed as '
        f"{registry}/myapp:1.0")
    assert failed(run(check + "digest_of: 'ghost:1'}}")) == (
        f'local image "ghost:1" does not exist, so it cannot be compared with '
        f"{registry}/myapp:1.0")


def test_registry_unreachable(run):
    port = free_port()
    assert failed(run(f"{{registry_tag: {{registry: '127.0.0.1:{port}', repository: a, "
                      f"tag: '1'}}}}")) == (
        f"cannot reach the registry at 127.0.0.1:{port} (connection refused: nothing listens "
        f"there); expected it to list a:1")


# -- archive / workspace_file ----------------------------------------------------------------------


def write_tar(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def docker_save_tar(path: Path, tags: list[str]) -> None:
    manifest = [{"Config": "abc.json", "RepoTags": tags, "Layers": ["l/layer.tar"]}]
    write_tar(path, {"abc.json": b"{}", "l/layer.tar": b"", "repositories": b"{}",
                     "manifest.json": json.dumps(manifest).encode()})


def test_archive(run, tmp_path):
    docker_save_tar(tmp_path / "busybox.tar", ["busybox:latest"])
    assert run("{archive: {path: busybox.tar, image: busybox}}").passed
    assert run("{archive: {path: busybox.tar, image: 'docker.io/library/busybox:latest'}}").passed
    assert failed(run("{archive: {path: busybox.tar, image: 'busybox:1.35'}}")) == (
        "busybox.tar holds busybox:latest; expected busybox:1.35 "
        "(same repository, different tag)")
    assert failed(run("{archive: {path: busybox.tar, image: myapp}}")) == (
        "busybox.tar holds busybox:latest; expected myapp:latest")
    docker_save_tar(tmp_path / "byid.tar", [])
    assert failed(run("{archive: {path: byid.tar, image: busybox}}")) == (
        "byid.tar holds an image without a tag (saved by ID); expected busybox:latest")


def test_archive_oci_layout(run, tmp_path):
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": DIGEST, "size": 2,
        "annotations": {"io.containerd.image.name": "docker.io/library/busybox:latest",
                        "org.opencontainers.image.ref.name": "latest"}}]}
    write_tar(tmp_path / "oci.tar", {"oci-layout": b'{"imageLayoutVersion": "1.0.0"}',
                                     "index.json": json.dumps(index).encode()})
    assert run("{archive: {path: oci.tar, image: busybox}}").passed


def test_archive_failures(run, tmp_path):
    (tmp_path / "notes.txt").write_text("not a tar")
    write_tar(tmp_path / "plain.tar", {"hello.txt": b"hi"})
    assert failed(run("{archive: {path: missing.tar, image: busybox}}")) == (
        f"missing.tar does not exist in the workspace ({tmp_path}); {tmp_path} holds: "
        f"notes.txt, plain.tar")
    assert failed(run("{archive: {path: notes.txt, image: busybox}}")) == (
        "notes.txt is not a tar archive; expected a docker save archive holding busybox")
    assert failed(run("{archive: {path: plain.tar, image: busybox}}")) == (
        "plain.tar is a tar archive but not one made by docker save (it has no manifest.json); "
        "expected a docker save archive holding busybox")


def test_workspace_file(run, tmp_path):
    (tmp_path / "notes.txt").write_text("FROM busybox\n")
    (tmp_path / "dir").mkdir()
    assert run("{workspace_file: {path: notes.txt, contains: FROM busybox}}").passed
    assert failed(run("{workspace_file: {path: notes.txt, contains: alpine}}")) == (
        'notes.txt does not contain "alpine"; it holds "FROM busybox"')
    assert failed(run("{workspace_file: {path: dir}}")) == "dir is a directory; expected a file"
    assert failed(run("{workspace_file: {path: dir/Dockerfile}}")) == (
        f"dir/Dockerfile does not exist in the workspace ({tmp_path}); {tmp_path / 'dir'} "
        f"is empty")


# -- typed -----------------------------------------------------------------------------------------


def typed_command(line: str):
    from tutor.dockercli import parse, split_command

    return parse(split_command(line))


@pytest.mark.parametrize("typed", [
    "docker ps -a",
    "docker ps --all",
    "docker container ls -a",
    "docker container list --all=true",
    "docker container ps -a",
])
def test_typed_folds_aliases_and_flag_spellings(run, typed):
    assert run("{typed: [docker ps -a]}", last_command=typed_command(typed)).passed


def test_typed_flag_order_and_values(run):
    wanted = "{typed: ['docker run -d --name web -p 8080:80 busybox httpd -f -p 80']}"
    same = "docker container run --publish=8080:80 --detach --name=web busybox httpd -f -p 80"
    assert run(wanted, last_command=typed_command(same)).passed
    other = "docker run -d --name web -p 8081:80 busybox httpd -f -p 80"
    assert failed(run(wanted, last_command=typed_command(other))) == (
        f'the last command was "{other}"; expected '
        f'"docker run -d --name web -p 8080:80 busybox httpd -f -p 80"')


def test_typed_one_of_several_and_placeholders(run):
    check = "{typed: ['docker logs {{ name }}', 'docker logs -f {{ name }}']}"
    assert run(check, last_command=typed_command("docker container logs web"), name="web").passed
    assert failed(run(check, last_command=typed_command("docker ps"), name="web")) == (
        'the last command was "docker ps"; expected one of "docker logs web", '
        '"docker logs -f web"')


@pytest.mark.parametrize("typed", ["docker ps --no-trunc", "docker ps -q", "docker ps -s",
                                   "docker container ls --format '{{.Names}}'"])
def test_typed_ignores_flags_that_only_change_the_display(run, typed):
    assert run("{typed: [docker ps]}", last_command=typed_command(typed)).passed


@pytest.mark.parametrize("typed", ["docker ps -a", "docker ps --filter status=exited",
                                   "docker ps -n 1"])
def test_typed_counts_flags_that_change_which_objects(run, typed):
    assert not run("{typed: [docker ps]}", last_command=typed_command(typed)).passed


def test_typed_resolves_container_names_ids_and_prefixes(engine, run):
    box = engine.add_container("box-7")
    engine.add_container("other")
    check = "{typed: [\"docker inspect --format '{{.State.Status}}' box-7\"]}"
    for ref in (box, box[:5], "box-7"):
        line = f"docker container inspect --format '{{{{ .State.Status }}}}' {ref}"
        assert run(check, last_command=typed_command(line)).passed, line
    assert not run(check, last_command=typed_command(
        "docker inspect --format '{{.State.Status}}' other")).passed
    # The lesson's command has --format: it is the point of the step.
    assert not run(check, last_command=typed_command("docker inspect box-7")).passed
    assert not run(check, last_command=typed_command(
        "docker inspect --format '{{.State.Running}}' box-7")).passed


def test_typed_resolves_an_image_by_tag_or_id(engine, run):
    image = engine.add_image("busybox:latest")
    check = "{typed: [docker image inspect busybox]}"
    for ref in ("busybox:latest", image, image.removeprefix("sha256:")[:12]):
        assert run(check, last_command=typed_command(f"docker image inspect {ref}")).passed, ref


def test_typed_before_any_command(run):
    assert failed(run("{typed: docker ps}")) == (
        'no docker command has been run in this step yet; expected "docker ps"')


# -- events ------------------------------------------------------------------------------------------


def test_events(engine, run):
    engine.add_container("web")
    began = time.time() - 5
    engine.add_event("exec_start: sh -c ls", name="web", at=began - 60, execID="old")
    assert failed(run("{events: {action: exec_start, container: web}}", since=began)) == (
        'no exec_start event for container "web" since this step began '
        '(no events for "web")')
    engine.add_event("exec_create: sh -c ls", name="web", at=began + 1)
    engine.add_event("start", name="other", at=began + 1)
    assert failed(run("{events: {action: exec_start, container: web}}", since=began)) == (
        'no exec_start event for container "web" since this step began '
        '(its container events: exec_create)')
    engine.add_event("exec_start: sh -c ls", name="web", at=began + 2)
    assert run("{events: {action: exec_start, container: web}}", since=began).passed
    assert run("{events: {action: 'exec_start: sh -c ls'}}", since=began).passed
    assert failed(run("{events: {action: kill}}", since=began)) == (
        "no kill event since this step began (container events: exec_create, start, exec_start)")
    since, until, filters = next(c for c in engine.calls if c[0] == "events")[1:]
    assert since == int(began) and filters == {"type": "container"} and float(until) > began


def test_an_event_pushed_out_of_a_busy_engines_log_is_said_so(engine, run):
    engine.add_container("web")
    began = time.time() - 30
    engine.add_event("exec_start: sh -c ls", name="web", at=began + 1)
    assert run("{events: {action: exec_start, container: web}}", since=began).passed
    for number in range(300):  # a classroom at work: the learner's event falls out
        engine.add_event("start", name=f"someone-{number}", at=began + 2 + number / 100)
    assert failed(run("{events: {action: exec_start, container: web}}", since=began)) == (
        'no exec_start event for container "web" among the engine\'s recent events, but '
        "the engine has been busy: it keeps only its last 256 events, and they no longer "
        "reach back to when this step began; run the command again")


def test_a_quiet_engines_missing_event_is_plainly_missing(engine, run):
    engine.add_container("web")
    began = time.time() - 30
    for number in range(10):
        engine.add_event("start", name=f"someone-{number}", at=began + 2 + number / 100)
    assert failed(run("{events: {action: exec_start, container: web}}", since=began)) == (
        'no exec_start event for container "web" since this step began (no events for "web")')


def test_image_events_match_the_reference(engine, run):
    began = time.time() - 5
    engine.events_.append({"status": "pull", "id": "busybox:1.35", "Type": "image",
                           "Action": "pull", "Actor": {"ID": "busybox:1.35",
                                                       "Attributes": {"name": "busybox"}},
                           "scope": "local", "time": int(began + 1),
                           "timeNano": int((began + 1) * 1e9)})
    check = "{events: {type: image, action: pull, container: '{{ ref }}'}}"
    assert run(check, since=began, ref="busybox:1.35").passed
    assert run(check, since=began, ref="docker.io/library/busybox:1.35").passed
    assert failed(run(check, since=began, ref="busybox")) == (
        'no pull event for image "busybox" since this step began (no events for "busybox")')
    engine.events_.append({"status": "tag", "id": "sha256:" + "a" * 64, "Type": "image",
                           "Action": "tag", "Actor": {"ID": "sha256:" + "a" * 64,
                                                      "Attributes": {"name": "myapp:1.0"}},
                           "scope": "local", "time": int(began + 2),
                           "timeNano": int((began + 2) * 1e9)})
    assert run("{events: {type: image, action: tag, container: 'myapp:1.0'}}", since=began).passed


# -- all / any / hint ----------------------------------------------------------------------------


def test_all_collects_every_failure_and_hints(engine, run):
    engine.add_container("web", state="exited")
    result = run("""
check:
  all:
    - container: { name: web, state: running }
      hint: Start it with docker start web.
    - image: { ref: busybox }
      hint: Pull it.
    - container: web
""")
    assert not result.passed
    assert result.messages == (
        'container "web" exists but is exited (exit code 0); expected running',
        'image "busybox" does not exist (no image named busybox is present)',
    )
    assert result.hints == ("Start it with docker start web.", "Pull it.")


def test_any_lists_each_alternative(engine, run):
    engine.add_container("web", state="exited")
    result = run("""
check:
  any:
    - container: { name: web, state: running }
    - all: [{ image: alpine }, { container: api }]
  hint: Either will do.
""")
    assert not result.passed
    assert result.messages == (
        "none of the 2 alternatives passed:",
        '1) container "web" exists but is exited (exit code 0); expected running',
        '2) image "alpine" does not exist (no image named alpine is present); and '
        'no container named "api" exists (containers: web)',
    )
    assert result.hints == ("Either will do.",)
    engine.add_image("alpine:latest")
    engine.add_container("api")
    assert run("{any: [{container: {name: web, state: running}}, "
               "{all: [{image: alpine}, {container: api}]}]}").passed


def test_hint_placeholders_are_rendered(run):
    result = run("\ncheck:\n  container: '{{ name }}'\n  hint: Run docker start {{ name }}.\n",
                 name="web")
    assert result.hints == ("Run docker start web.",)


# -- wait --------------------------------------------------------------------------------------------


def test_wait_polls_until_the_state_settles(engine, run, clock):
    engine.add_container("web", state="created")
    container = engine.container("web")
    polls = []

    def settle() -> None:
        polls.append(clock.now)
        if len(polls) == 3:
            container.state = "running"

    clock.on_sleep = settle
    assert run("\ncheck:\n  container: {name: web, state: running}\n  wait: 5\n").passed
    assert clock.sleeps == [0.25, 0.25, 0.25]


def test_wait_gives_up_after_its_time(engine, run, clock):
    engine.add_container("web", state="exited", exit_code=1)
    result = run("\ncheck:\n  container: {name: web, state: running}\n  wait: 2\n")
    assert failed(result) == 'container "web" exists but is exited (exit code 1); expected running'
    assert sum(clock.sleeps) == pytest.approx(2.0)
    assert len(clock.sleeps) == 8
    assert engine.call_names().count("inspect_container") == 9  # one look by name each time


def test_wait_from_a_placeholder_is_capped(engine, run, clock):
    result = run("\ncheck:\n  container: web\n  wait: '{{ delay }}'\n", delay="600")
    assert not result.passed
    assert sum(clock.sleeps) == pytest.approx(30.0)


def test_no_wait_means_one_attempt(engine, run, clock):
    assert not run("{container: web}").passed
    assert clock.sleeps == []


def test_wait_really_sleeps_briefly_by_default(engine, tmp_path):
    engine.add_container("web", state="created")
    check = check_of("\ncheck:\n  container: {name: web, state: running}\n  wait: 0.6\n")
    started = time.monotonic()
    result = evaluate(check, CheckContext(api=engine, workspace=tmp_path, values={}))
    elapsed = time.monotonic() - started
    assert not result.passed and 0.5 <= elapsed < 1.0


# -- engine failures -------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [
    requests.exceptions.ConnectionError("connection refused"),
    docker.errors.APIError("boom", response=_response(500, "Internal Server Error")),
])
@pytest.mark.parametrize("text", [
    "{container: web}", "{image: busybox}", "{file: {container: web, path: /x}}",
    "{exec: {container: web, command: ['true']}}", "{events: {action: start}}",
    "{all: [{workspace_file: {path: x}}, {container: {state: running}}]}",
])
def test_engine_errors_become_engine_unavailable(engine, run, error, text):
    engine.add_container("web")
    engine.unavailable = error
    with pytest.raises(EngineUnavailable):
        run(text)


def test_engine_unavailable_is_not_retried_by_wait(engine, run, clock):
    engine.unavailable = requests.exceptions.ConnectionError("gone")
    with pytest.raises(EngineUnavailable, match="not reachable"):
        run("\ncheck:\n  container: web\n  wait: 10\n")
    assert clock.sleeps == []


def test_unreachable_engine_raises_engine_unavailable(tmp_path):
    """A real client whose socket is gone (no engine needed)."""
    gone = docker.APIClient(base_url=f"unix://{tmp_path}/nothing.sock", version="1.41", timeout=2)
    for text in ("{container: web}", "{file: {container: web, path: /x}}", "{image: busybox}"):
        with pytest.raises(EngineUnavailable, match="not reachable"):
            evaluate(check_of(text), CheckContext(api=gone, workspace=tmp_path, values={}))


def test_all_does_not_wait_when_a_part_without_wait_has_failed():
    """A settled failure (wrong port) is reported at once, not after the other parts' wait."""
    from dataclasses import dataclass

    from tutor.checks.base import Check
    from tutor.checks.combinators import AllCheck

    calls = []

    @dataclass(frozen=True, kw_only=True)
    class Fixed(Check):
        kind = "fixed"
        name: str
        passes: bool

        def check(self, ctx):
            calls.append(self.name)
            return CheckResult.ok() if self.passes else CheckResult.fail(f"{self.name} failed")

    slept = []
    ctx = CheckContext(api=None, workspace=Path("."), values={},
                       clock=lambda: sum(slept), sleep=slept.append)
    result = AllCheck(checks=(Fixed(name="ports", passes=False),
                               Fixed(name="http", passes=False, wait=3))).evaluate(ctx)
    assert not result.passed
    assert result.messages == ("ports failed", "http failed")
    assert slept == []  # no waiting at all
    assert calls == ["ports", "http"]

    calls.clear()
    result = AllCheck(checks=(Fixed(name="ports", passes=True),
                               Fixed(name="http", passes=False, wait=1))).evaluate(ctx)
    assert not result.passed
    assert sum(slept) >= 1  # only unsettled parts left: now it waits
    assert calls.count("http") > 2


# -- reach: why a name does not resolve --------------------------------------------------------


def test_a_name_unresolved_across_networks_is_blamed_on_the_setup(engine, run):
    engine.add_container("client", networks=("bridge",),
                         exec_results={("ping", "-c", "1", "-W", "2", "api"):
                                       (1, "ping: bad address 'api'\n")})
    engine.add_container("api", networks=("backend",))
    assert failed(run("{reach: {from: client, to: api}}")) == (
        'from container "client", "api" cannot be reached: the name "api" does not resolve '
        '(bad address); containers find each other by name only on a user-defined network '
        'they share ("client" is on bridge, "api" on backend)')


def test_a_name_unresolved_on_a_shared_network_is_blamed_on_the_engine(engine, run):
    # Podman's CNI networks without the dnsname plugin: the setup is right, no name answers.
    engine.add_container("client", networks=("backend", "podman"),
                         exec_results={("ping", "-c", "1", "-W", "2", "api"):
                                       (1, "ping: bad address 'api'\n")})
    engine.add_container("api", networks=("backend", "podman"))
    message = failed(run("{reach: {from: client, to: api}}"))
    assert message.startswith(
        'from container "client", "api" cannot be reached: the name "api" does not resolve '
        '(bad address), though both run on the user-defined network backend: this engine '
        'answers no container names on it')
    assert "dnsname plugin or aardvark-dns" in message


def test_sharing_only_the_default_network_is_still_the_setups_fault(engine, run):
    engine.add_container("client", exec_results={("ping", "-c", "1", "-W", "2", "api"):
                                                 (1, "ping: bad address 'api'\n")})
    engine.add_container("api")
    assert "only on a user-defined network they share" in failed(
        run("{reach: {from: client, to: api}}"))
