"""Every engine-facing check kind against the real Docker engine on this machine.

Needs an engine (``eval "$(scripts/engine-up)"``); skipped without one, except in
CI where that is a failure (see tests/engine_helpers.py). Containers and images
carry the label org.docker-tutor.test=1 and are removed after each test.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import docker.errors
import pytest
from check_kit import WHERE, check_runner, failed
from engine_helpers import busybox_engine, free_port, made_resources, unique_name

from tutor.checks import CheckContext, CheckResult, evaluate, parse_check
from tutor.schema.yamldoc import parse_yaml

pytestmark = pytest.mark.engine


api = pytest.fixture(scope="module")(busybox_engine)


made = pytest.fixture(made_resources)


@pytest.fixture
def run(api, tmp_path: Path):
    return check_runner(api, tmp_path)


HTTPD = ["sh", "-c", "mkdir -p /www && echo 'Hello from busybox' > /www/index.html "
                     "&& exec httpd -f -p 80 -h /www"]


# -- container ---------------------------------------------------------------------------------


def test_running_container_with_published_port(made, run):
    port = free_port()
    name, _ = made.container(command=HTTPD, ports={80: ("127.0.0.1", port)})
    check = "{container: {name: '{{ name }}', image: busybox, state: running, ports: {80: '{{ port }}'}}}"
    assert run(check, name=name, port=str(port)).passed
    assert run("{container: {name: '{{ name }}', ports: {80: '127.0.0.1:{{ port }}'}}}",
               name=name, port=str(port)).passed
    assert failed(run(check, name=name, port=str(port + 1))) == (
        f'container "{name}" is running but publishes 80/tcp on {port}; expected {port + 1}')
    # Any container, no name: this one is a match too.
    assert run("{container: {image: busybox, state: running, ports: {80: '{{ port }}'}}}",
               port=str(port)).passed


def test_exited_container(made, run):
    name, container_id = made.container(command=["sh", "-c", "exit 3"])
    assert made.wait_exit(container_id) == 3
    assert failed(run("{container: {name: '{{ n }}', state: running}}", n=name)) == (
        f'container "{name}" exists but is exited (exit code 3); expected running')
    assert run("{container: {name: '{{ n }}', state: exited, exit_code: 3}}", n=name).passed
    assert failed(run("{container: {name: '{{ n }}', exit_code: 0}}", n=name)) == (
        f'container "{name}" exists but exited with code 3; expected exit code 0')


def test_created_container_ports_come_from_its_configuration(made, run):
    port = free_port()
    name, _ = made.container(command=HTTPD, ports={80: port}, start=False)
    assert run("{container: {name: '{{ n }}', state: created, ports: {'80/tcp': '{{ p }}'}}}",
               n=name, p=str(port)).passed
    assert failed(run("{container: {name: '{{ n }}', state: running}}", n=name)) == (
        f'container "{name}" exists but is created (never started); expected running')


def test_missing_and_absent_container(made, run):
    name = unique_name()
    message = failed(run("{container: '{{ n }}'}", n=name))
    assert message.startswith(f'no container named "{name}" exists')
    assert run("{container: {name: '{{ n }}', absent: true}}", n=name).passed


def test_nameless_container_describes_the_closest(made, run, api):
    marker = unique_name("label")
    made.container(command=["sleep", "600"])
    check = ("{container: {image: busybox, state: running, labels: {org.docker-tutor.test: '1'}, "
             "env: {MARKER: '{{ m }}'}}}")
    message = failed(run(check, m=marker))
    assert message.startswith("no container matches: closest is ")
    assert f"has no environment variable MARKER; expected MARKER={marker}" in message


def test_container_env_and_mount(made, run, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    name, _ = made.container(command=["sleep", "600"], binds={str(site): {"bind": "/srv",
                                                                          "mode": "ro"}})
    assert run("{container: {name: '{{ n }}', mounts: [{destination: /srv, source: site, "
               "type: bind}], labels: {org.docker-tutor.test: '1'}}}", n=name).passed
    assert failed(run("{container: {name: '{{ n }}', mounts: [{destination: /data, "
                      "type: volume}]}}", n=name)) == (
        f'container "{name}" is running but has mounts at /srv, none at /data; '
        f"expected a volume at /data")


# -- file / exec -------------------------------------------------------------------------------------


def test_file_in_running_and_stopped_containers(made, run):
    running, _ = made.container(command=["sh", "-c", "echo hello > /tmp/hello.txt; sleep 600"])
    stopped, stopped_id = made.container(command=["sh", "-c", "echo done > /tmp/out.txt"])
    made.wait_exit(stopped_id)
    wait = "\n  wait: 5\n"
    assert run(f"\ncheck:\n  file: {{container: '{{{{ n }}}}', path: /tmp/hello.txt, "
               f"contains: hello}}{wait}", n=running).passed
    assert run("{file: {container: '{{ n }}', path: /tmp/out.txt, contains: done}}",
               n=stopped).passed
    assert run("{file: {container: '{{ n }}', path: /tmp, directory: true}}", n=stopped).passed
    assert failed(run("{file: {container: '{{ n }}', path: /tmp/missing.txt}}", n=stopped)) == (
        f'/tmp/missing.txt is missing in container "{stopped}" (/tmp exists)')
    assert failed(run("{file: {container: '{{ n }}', path: /nope/x.txt}}", n=stopped)) == (
        f'/nope/x.txt is missing in container "{stopped}" (/nope does not exist either)')
    assert failed(run("{file: {container: '{{ n }}', path: /tmp/out.txt, contains: hello}}",
                      n=stopped)) == (
        f'/tmp/out.txt in container "{stopped}" does not contain "hello"; it holds "done"')


def test_file_through_a_symlink(made, run):
    name, container_id = made.container(
        command=["sh", "-c", "echo linked > /tmp/real.txt && ln -s real.txt /tmp/link.txt"])
    made.wait_exit(container_id)
    assert run("{file: {container: '{{ n }}', path: /tmp/link.txt, contains: linked}}",
               n=name).passed


def test_exec(made, run):
    name, _ = made.container(command=["sh", "-c", "echo hi > /tmp/x; sleep 600"])
    assert run("\ncheck:\n  exec: {container: '{{ n }}', command: cat /tmp/x, "
               "output_contains: hi}\n  wait: 5\n", n=name).passed
    assert failed(run("{exec: {container: '{{ n }}', command: [cat, /tmp/nope]}}", n=name)) == (
        f'in container "{name}", `cat /tmp/nope` exited with code 1; expected 0 '
        f"(output: \"cat: can't open '/tmp/nope': No such file or directory\")")
    assert run("{exec: {container: '{{ n }}', command: [sh, -c, 'exit 4'], exit_code: 4}}",
               n=name).passed
    message = failed(run("{exec: {container: '{{ n }}', command: [no-such-program]}}", n=name))
    assert message.startswith(f'in container "{name}", `no-such-program` exited with code 12')


def test_exec_in_a_stopped_container(made, run):
    name, container_id = made.container(command=["true"])
    made.wait_exit(container_id)
    assert failed(run("{exec: {container: '{{ n }}', command: [cat, /etc/hostname]}}",
                      n=name)) == (
        f'container "{name}" is exited (exit code 0); `cat /etc/hostname` can only run in a '
        f"running container")


# -- http ---------------------------------------------------------------------------------------------


def test_http_from_a_busybox_httpd(made, run):
    port = free_port()
    made.container(command=HTTPD, ports={80: ("127.0.0.1", port)})
    assert run("\ncheck:\n  http: {port: '{{ p }}', contains: Hello from busybox}\n  wait: 10\n",
               p=str(port)).passed
    assert failed(run("{http: {port: '{{ p }}', path: /missing.html}}", p=str(port))) == (
        f"GET http://127.0.0.1:{port}/missing.html answered 404; expected 200")
    closed = free_port()
    assert failed(run("{http: {port: '{{ p }}'}}", p=str(closed))).startswith(
        f"GET http://127.0.0.1:{closed}/ got no answer (")


# -- image / archive ---------------------------------------------------------------------------------


@pytest.fixture
def committed(api, made) -> str:
    """A labelled test image with a known configuration."""
    _name, container_id = made.container(command=["sh", "-c", "mkdir -p /app"])
    made.wait_exit(container_id)
    repository = unique_name("tutor-test-image")
    api.commit(container_id, repository=repository, tag="1.0", changes=[
        'CMD ["python3", "app.py"]', "WORKDIR /app", "ENV MODE=dev", "EXPOSE 8080",
        "LABEL tier=web org.docker-tutor.test=1"])
    return made.image(f"{repository}:1.0")


def test_image(run, committed):
    repository = committed.split(":")[0]
    assert run("{image: busybox}").passed
    assert run("{image: 'docker.io/library/busybox:latest'}").passed
    assert run("{image: {ref: '{{ i }}', cmd: [python3, app.py], workdir: /app, env: {MODE: dev}, "
               "exposed_ports: [8080], labels: {tier: web}}}", i=committed).passed
    assert failed(run("{image: {ref: '{{ i }}', cmd: [python, app.py]}}", i=committed)) == (
        f'image "{committed}" runs ["python3", "app.py"] via CMD; expected ["python", "app.py"]')
    assert failed(run("{image: '{{ r }}:2.0'}", r=repository)) == (
        f'image "{repository}:2.0" does not exist ({repository} has tags: 1.0)')
    assert failed(run("{image: {ref: '{{ i }}', absent: true}}", i=committed)).startswith(
        f'image "{committed}" still exists (ID ')


def test_archive_made_by_docker_save(api, run, tmp_path):
    target = tmp_path / "busybox.tar"
    if shutil.which("docker"):
        subprocess.run(["docker", "save", "-o", str(target), "busybox:latest"], check=True,
                       capture_output=True, timeout=120)
    else:  # the same stream through the API
        with target.open("wb") as handle:
            for chunk in api.get_image("busybox:latest"):
                handle.write(chunk)
    assert run("{archive: {path: busybox.tar, image: busybox}}").passed
    assert failed(run("{archive: {path: busybox.tar, image: 'myapp:1.0'}}")) == (
        "busybox.tar holds busybox:latest; expected myapp:1.0")


# -- registry ------------------------------------------------------------------------------------------


@pytest.fixture
def registry(api, made) -> str:
    try:
        api.inspect_image("registry:2")
    except docker.errors.NotFound:
        pytest.skip("image registry:2 is not present (docker image inspect registry:2 fails); "
                    "scripts/engine-up seeds it into the local mirror: docker pull registry:2")
    port = free_port()
    made.container(image="registry:2", ports={5000: ("127.0.0.1", port)})
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"http://{address}/v2/", timeout=1):
                return address
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"the test registry at {address} did not start")
            time.sleep(0.2)


def push(api, ref: str) -> None:
    repository, _, tag = ref.rpartition(":")
    for line in api.push(repository, tag=tag, stream=True, decode=True):
        if "error" in line:
            pytest.fail(f"docker push {ref} failed: {line['error']}")


def test_registry_tag_and_digest(api, made, run, registry, committed):
    repository = "tutor-test/app"
    remote = f"{registry}/{repository}:1.0"
    api.tag(committed, f"{registry}/{repository}", tag="1.0")
    made.image(remote)
    values = {"reg": registry, "repo": repository, "local": committed}
    check = ("{registry_tag: {registry: '{{ reg }}', repository: '{{ repo }}', tag: '1.0', "
             "digest_of: '{{ local }}'}}")
    assert failed(run(check, **values)) == (
        f'registry {registry} has no repository "{repository}"; expected tag 1.0 '
        f"(push {remote})")
    push(api, remote)
    assert run(check, **values).passed
    assert run("{image: {ref: '{{ local }}', digest_from: '{{ reg }}/{{ repo }}'}}",
               **values).passed
    assert failed(run("{registry_tag: {registry: '{{ reg }}', repository: '{{ repo }}', "
                      "tag: '2.0'}}", **values)) == (
        f"registry {registry} has {repository} with tags: 1.0; expected 2.0")
    # busybox was never pushed there: same tag list, different digest.
    message = failed(run(check, **{**values, "local": "busybox:latest"}))
    assert 'local image "busybox:latest" was never pushed there' in message


# -- events --------------------------------------------------------------------------------------------


def test_exec_start_event(api, made, run):
    name, container_id = made.container(command=["sleep", "600"])
    began = time.time()
    assert failed(run("{events: {action: exec_start, container: '{{ n }}'}}", since=began,
                      n=name)).startswith(f'no exec_start event for container "{name}"')
    exec_id = api.exec_create(container_id, ["true"])["Id"]
    api.exec_start(exec_id)
    assert run("{events: {action: exec_start, container: '{{ n }}'}}", since=began,
               n=name).passed


def test_image_pull_event(api, run):
    began = time.time()
    api.pull("busybox", tag="latest")
    assert run("{events: {type: image, action: pull, container: busybox}}", since=began).passed
    assert run("{events: {type: image, action: pull, container: 'docker.io/library/busybox'}}",
               since=began).passed


# -- typed, judged by meaning against the engine ------------------------------------------------


def typed(api, check: str, line: str) -> CheckResult:
    from tutor.dockercli import parse, split_command

    document = parse_yaml("check: " + check)
    problems: list = []
    parsed_check = parse_check(document["check"], WHERE.at_field("check"), problems, 1, set())
    assert not problems
    return evaluate(parsed_check, CheckContext(api=api, workspace=Path("."), values={},
                                               last_command=parse(split_command(line))))


def test_typed_takes_a_real_containers_id_prefix_for_its_name(api, made):
    name, container_id = made.container(name=unique_name("typed"), command=["sleep", "60"])
    check = f"{{typed: [\"docker inspect --format '{{{{.State.Status}}}}' {name}\"]}}"
    for ref in (name, container_id, container_id[:6]):
        line = f"docker container inspect --format '{{{{.State.Status}}}}' {ref}"
        assert typed(api, check, line).passed, ref
    _, other = made.container(name=unique_name("other"), command=["sleep", "60"])
    line = f"docker inspect --format '{{{{.State.Status}}}}' {other[:12]}"
    assert not typed(api, check, line).passed


def test_typed_takes_a_real_images_id_for_its_tag(api):
    image_id = api.inspect_image("busybox:latest")["Id"]
    check = "{typed: [docker image inspect busybox]}"
    for ref in ("busybox:latest", image_id, image_id.removeprefix("sha256:")[:12]):
        assert typed(api, check, f"docker image inspect {ref}").passed, ref
