"""Parsing check trees from lesson YAML: every problem names its field path and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import dedent, line_of

from tutor.checks import CheckContext, check_kinds, parse_check, referenced_images
from tutor.checks.combinators import AllCheck, AnyCheck
from tutor.checks.containers import ContainerCheck, MountSpec, PortSpec
from tutor.checks.events import EventsCheck
from tutor.checks.files import ArchiveCheck, ExecCheck, FileCheck, WorkspaceFileCheck
from tutor.checks.images import ImageCheck
from tutor.checks.network import HttpCheck, RegistryTagCheck
from tutor.checks.typed import TypedCheck
from tutor.course.placeholders import render_template, template_names
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/demo.yaml"), lesson="demo", step="run-web", step_number=2)


def parse(text: str, declared: tuple[str, ...] = ()):
    """Parse the ``check:`` of a YAML snippet; returns (check, problems)."""
    document = parse_yaml(dedent(text))
    problems: list = []
    check = parse_check(document["check"], WHERE.at_field("check"), problems,
                        document.line_of("check"), set(declared))
    return check, problems


def only_problem(text: str, declared: tuple[str, ...] = ()):
    check, problems = parse(text, declared)
    assert check is None
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_problem(problem, field: str, needle: str, text: str, occurrence: int = 1) -> None:
    assert problem.where.field == field, str(problem)
    assert problem.line == line_of(dedent(text), needle, occurrence), str(problem)


# -- valid checks ----------------------------------------------------------------------------


def test_the_example_of_the_docs_parses_to_a_container_check():
    check, problems = parse("""
        check:
          container: { name: "{{ name }}", state: running, ports: { "80/tcp": "{{ port }}" } }
    """, declared=("name", "port"))
    assert problems == []
    assert check == ContainerCheck(name="{{ name }}", state="running",
                                   ports=(PortSpec("80/tcp", "{{ port }}"),))


def test_every_kind_parses():
    check, problems = parse("""
        check:
          all:
            - image: { ref: "myapp:1.0", cmd: [python, app.py], entrypoint: [tini],
                       exposed_ports: [80, 53/udp], workdir: /app, env: { PORT: 8080 },
                       labels: { tier: web }, digest_from: "127.0.0.1:5000/myapp" }
            - container: { image: busybox, exit_code: 0, state: exited,
                           mounts: [{ destination: /data, source: site, type: bind }],
                           env: { A: b }, labels: { x: "y" } }
            - file: { container: web, path: /tmp/hello.txt, contains: hello }
            - exec: { container: web, command: cat /etc/hostname, output_contains: web }
            - http: { port: 8080, contains: Hello }
            - registry_tag: { registry: "127.0.0.1:5000", repository: myapp, tag: "1.0",
                              digest_of: "myapp:1.0" }
            - archive: { path: busybox.tar, image: busybox }
            - workspace_file: { path: notes.txt, contains: hi }
            - typed: docker ps -a
            - events: { action: exec_start, container: web }
            - any: [{ image: busybox }, { container: web }]
          wait: 5
          hint: Look at docker ps.
    """)
    assert problems == []
    assert isinstance(check, AllCheck) and check.wait == 5 and check.hint == "Look at docker ps."
    image, container, file, exec_, http, registry, archive, workspace, typed, events, any_ = (
        check.checks)
    assert image == ImageCheck(ref="myapp:1.0", cmd=("python", "app.py"), entrypoint=("tini",),
                               exposed_ports=("80", "53/udp"), workdir="/app",
                               env=(("PORT", "8080"),), labels=(("tier", "web"),),
                               digest_from="127.0.0.1:5000/myapp")
    assert container == ContainerCheck(image="busybox", exit_code=0, state="exited",
                                       mounts=(MountSpec("/data", "site", "bind"),),
                                       env=(("A", "b"),), labels=(("x", "y"),))
    assert file == FileCheck(container="web", path="/tmp/hello.txt", contains="hello")
    assert exec_ == ExecCheck(container="web", command=("cat", "/etc/hostname"),
                              output_contains="web")
    assert http == HttpCheck(port=8080, contains="Hello")
    assert http.path == "/" and http.status == 200
    assert registry == RegistryTagCheck(registry="127.0.0.1:5000", repository="myapp", tag="1.0",
                                        digest_of="myapp:1.0")
    assert archive == ArchiveCheck(path="busybox.tar", image="busybox")
    assert workspace == WorkspaceFileCheck(path="notes.txt", contains="hi")
    assert typed == TypedCheck(commands=("docker ps -a",))
    assert events == EventsCheck(action="exec_start", container="web")
    assert isinstance(any_, AnyCheck) and any_.checks == (ImageCheck(ref="busybox"),
                                                          ContainerCheck(name="web"))
    assert set(check_kinds()) == {"all", "any", "image", "container", "file", "exec", "http",
                                  "registry_tag", "archive", "workspace_file", "typed", "events",
                                  "dockerfile", "volume", "network", "reach", "logs", "health",
                                  "process", "image_contents", "compose", "removed"}


def test_ports_forms():
    check, problems = parse("""
        check:
          container:
            name: web
            ports: { 80: 8080, "443/tcp": "127.0.0.1:8443", "53/udp": "5353" }
    """)
    assert problems == []
    assert check.ports == (PortSpec("80/tcp", 8080), PortSpec("443/tcp", 8443, "127.0.0.1"),
                           PortSpec("53/udp", 5353))


def test_numbers_may_be_placeholders():
    check, problems = parse("""
        check:
          all:
            - http: { port: "{{ port }}", status: "{{ code }}" }
            - container: { name: web, exit_code: "{{ code }}", ports: { 80: "127.0.0.1:{{ port }}" } }
          wait: "{{ delay }}"
    """, declared=("port", "code", "delay"))
    assert problems == []
    assert check.checks[0].port == "{{ port }}"
    assert check.checks[1].ports == (PortSpec("80/tcp", "{{ port }}", "127.0.0.1"),)
    assert check.wait == "{{ delay }}"


# -- kinds and fields ------------------------------------------------------------------------


def test_unknown_kind_is_reported_with_a_suggestion():
    text = """
        check:
          contianer: { name: web }
    """
    problem = only_problem(text)
    assert_problem(problem, "check.contianer", "contianer", text)
    assert "unknown check kind 'contianer' (did you mean 'container'?)" in problem.message
    assert "registry_tag" in problem.message  # the kinds are listed


def test_unknown_field_inside_a_kind_is_reported_with_a_suggestion():
    text = """
        check:
          container:
            name: web
            stat: running
    """
    problem = only_problem(text)
    assert_problem(problem, "check.container.stat", "stat:", text)
    assert problem.message == "unknown field 'stat' (did you mean 'state'?)"
    assert "field 'check.container.stat'" in str(problem)
    assert str(problem).startswith(f"lessons/demo.yaml:{problem.line}: lesson 'demo'")


def test_unknown_field_next_to_a_kind():
    text = """
        check:
          image: busybox
          hnit: pull it
    """
    problem = only_problem(text)
    assert_problem(problem, "check.hnit", "hnit", text)
    assert "unknown field 'hnit'" in problem.message and "did you mean 'hint'" in problem.message


def test_two_kinds_in_one_check():
    text = """
        check:
          image: { ref: busybox }
          container: { name: web }
    """
    problem = only_problem(text)
    assert_problem(problem, "check.container", "container:", text)
    assert "all: [...] or any: [...]" in problem.message


def test_a_check_needs_a_kind():
    text = """
        check:
          wait: 3
    """
    problem = only_problem(text)
    assert problem.where.field == "check"
    assert problem.message.startswith("names no check kind; use one of: all, any, archive")


def test_a_check_must_be_a_mapping():
    problem = only_problem("""
        check: busybox
    """)
    assert problem.where.field == "check"
    assert "expected a check such as {image: {ref: busybox}}, found text" in problem.message


def test_nested_field_path_and_line_in_all():
    text = """
        check:
          all:
            - image: { ref: busybox }
            - container:
                name: web
                ports:
                  "80/tcp": eighty
    """
    problem = only_problem(text)
    assert_problem(problem, "check.all[2].container.ports.80/tcp", '"80/tcp": eighty', text)
    assert problem.message == "must be a whole number, found text"


def test_several_problems_are_all_reported():
    text = """
        check:
          all:
            - container: { name: web, state: runing }
            - any:
                - image: { cmd: [python] }
                - http: { port: 70000 }
    """
    check, problems = parse(text)
    assert check is None
    found = {(p.where.field, p.line) for p in problems}
    source = dedent(text)
    assert found == {
        ("check.all[1].container.state", line_of(source, "runing")),
        ("check.all[2].any[1].image.ref", line_of(source, "image: { cmd")),
        ("check.all[2].any[2].http.port", line_of(source, "70000")),
    }
    messages = {p.where.field: p.message for p in problems}
    assert "(did you mean 'running'?)" in messages["check.all[1].container.state"]
    assert messages["check.all[2].any[1].image.ref"] == "is required"
    assert messages["check.all[2].any[2].http.port"] == "must be between 1 and 65535, found 70000"


@pytest.mark.parametrize("snippet, field, message", [
    ("all: {image: busybox}", "check.all", "must be a list of checks"),
    ("all: []", "check.all", "needs at least one check"),
    ("container: {name: web, state: running, exit_code: 0}", "check.container.exit_code",
     "only an exited container has an exit code"),
    ("container: {name: web, ports: {http: 8080}}", "check.container.ports.http",
     "'http' is not a container port such as 80 or 80/tcp"),
    ("container: {name: web, ports: [80]}", "check.container.ports", "must be a mapping"),
    ("container: {name: web, mounts: [{source: x}]}", "check.container.mounts[1].destination",
     "is required"),
    ("container: {name: web, mounts: [{destination: data}]}",
     "check.container.mounts[1].destination", "must be an absolute path"),
    ("container: {name: web, env: [A=b]}", "check.container.env", "must be a mapping"),
    ("container: {name: web, env: {VERSION: 1.10}}", "check.container.env.VERSION",
     "put the value in quotes"),
    ("file: {container: web, path: tmp/hello.txt}", "check.file.path",
     "must be an absolute path in the container, such as /tmp/hello.txt"),
    ("file: {container: web, path: /tmp, directory: true, contains: x}", "check.file.contains",
     "a directory has no contents"),
    ("image: {ref: busybox, absent: true, cmd: [sh]}", "check.image.cmd",
     "cannot be checked on an image that must be absent"),
    ("image: {ref: app, cmd: python app.py}", "check.image.cmd",
     'must be a list of words such as ["python", "app.py"]'),
    ("exec: {container: web}", "check.exec.command", "is required"),
    ("exec: {container: web, command: [test, yes]}", "check.exec.command[2]",
     "found true/false (put it in quotes"),
    ("image: {ref: 'MyApp:1.0'}", "check.image.ref",
     "'MyApp:1.0' is not a valid image reference (repository names are lowercase)"),
    ("image: 'my app'", "check.image", "(it contains spaces)"),
    ("container: {image: 'a:b:c'}", "check.container.image", "is not a valid image reference"),
    ("archive: {path: a.tar, image: 'Busybox'}", "check.archive.image", "lowercase"),
    ("registry_tag: {registry: '127.0.0.1:5000/myapp', repository: myapp, tag: '1'}",
     "check.registry_tag.registry", "must be just host:port"),
    ("registry_tag: {registry: 'r:5000', repository: myapp, tag: 1.0}",
     "check.registry_tag.tag", "must be text, found a number"),
    ("events: {action: exec_start, type: containr}", "check.events.type",
     "did you mean 'container'?"),
    ("typed: [docker ps, docker pss]", "check.typed[2]", "is not a valid docker command"),
    ("typed: ps -a", "check.typed", "must start with 'docker'"),
    ("typed: {command: docker ps}", "check.typed", "must be a docker command or a list"),
    ("http: {port: 8080, status: ok}", "check.http.status", "must be a whole number"),
    ("workspace_file: {contains: x}", "check.workspace_file.path", "is required"),
    ("archive: {path: a.tar}", "check.archive.image", "is required"),
])
def test_field_problems(snippet, field, message):
    problem = only_problem(f"check:\n  {snippet}\n")
    assert problem.where.field == field, str(problem)
    assert message in problem.message, str(problem)
    assert problem.line == 2


# -- placeholders ---------------------------------------------------------------------------------


def test_undeclared_placeholder_is_a_problem_with_a_suggestion():
    text = """
        check:
          container:
            name: "{{ nmae }}"
    """
    problem = only_problem(text, declared=("name", "port"))
    assert_problem(problem, "check.container.name", "nmae", text)
    assert problem.message == ("uses {{ nmae }}, but the step declares no var 'nmae' "
                               "(did you mean 'name'?) (declared: name, port)")


def test_placeholder_without_any_vars():
    problem = only_problem("""
        check:
          http: { port: "{{ port }}" }
    """)
    assert problem.where.field == "check.http.port"
    assert problem.message == "uses {{ port }}, but the step declares no vars (declare it under 'vars:')"


@pytest.mark.parametrize("snippet, field", [
    ("container: {name: web, ports: {80: '{{ prot }}'}}", "check.container.ports.80"),
    ("container: {name: web, env: {GREETING: '{{ greting }}'}}", "check.container.env"),
    ("exec: {container: web, command: [cat, '{{ fiel }}']}", "check.exec.command"),
    ("typed: ['docker rm {{ nme }}']", "check.typed[1]"),
    ("image: busybox\n  hint: 'Try {{ nam }}'", "check.hint"),
    ("image: busybox\n  wait: '{{ delya }}'", "check.wait"),
    ("image: '{{ tga }}'", "check.image"),
])
def test_undeclared_placeholders_everywhere(snippet, field):
    problem = only_problem(f"check:\n  {snippet}\n", declared=("name", "port"))
    assert problem.where.field == field, str(problem)
    assert "but the step declares no var" in problem.message


def test_go_templates_are_not_placeholders():
    check, problems = parse("""
        check:
          all:
            - typed: ["docker ps --format '{{.Names}}'", "docker inspect -f '{{ json .Config }}' web"]
            - exec: { container: web, command: [echo, "{{.Names}}"], output_contains: "{{ .Names }}" }
    """)
    assert problems == []
    assert check.checks[1].output_contains == "{{ .Names }}"
    assert template_names("{{.Names}} {{ json .Config }} {{ .State.Status }} {{Name}}") == set()


def test_template_names_and_rendering():
    assert template_names("web-{{ suffix }} on {{port}} and {{ port }}") == {"suffix", "port"}
    assert render_template("http://127.0.0.1:{{ port }}/{{.Path}}", {"port": "8080"}) == (
        "http://127.0.0.1:8080/{{.Path}}")
    assert render_template("{{ missing }} stays", {}) == "{{ missing }} stays"


# -- wait ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("wait, message", [
    ("31", "must be at most 30 seconds, found 31"),
    ("0", "must be more than 0 seconds, found 0"),
    ("-1", "must be more than 0 seconds, found -1"),
    ("soon", "must be a number of seconds, found text"),
    ("true", "must be a number of seconds, found true/false"),
])
def test_wait_bounds(wait, message):
    text = f"check:\n  image: busybox\n  wait: {wait}\n"
    problem = only_problem(text)
    assert problem.where.field == "check.wait"
    assert problem.message == message
    assert problem.line == 3


@pytest.mark.parametrize("wait", ["30", "0.5", "10"])
def test_wait_in_bounds(wait):
    check, problems = parse(f"check:\n  image: busybox\n  wait: {wait}\n")
    assert problems == [] and check.wait == float(wait)


def test_wait_and_hint_on_nested_checks():
    check, problems = parse("""
        check:
          all:
            - container: { name: web, state: running }
              wait: 5
              hint: Start it with docker start web.
            - image: busybox
    """)
    assert problems == []
    assert check.wait is None and check.checks[0].wait == 5
    assert check.checks[0].hint == "Start it with docker start web."


# -- referenced images -------------------------------------------------------------------------------


def test_referenced_images():
    check, problems = parse("""
        check:
          all:
            - image: { ref: "busybox:1.35" }
            - container: { image: nginx }
            - any:
                - archive: { path: a.tar, image: "alpine:3" }
                - registry_tag: { registry: "r:5000", repository: x, tag: "1", digest_of: "myapp:1" }
            - container: { image: "{{ img }}" }
            - http: { port: 80 }
    """, declared=("img",))
    assert problems == []
    assert referenced_images(check) == {"busybox:1.35", "nginx", "alpine:3", "myapp:1"}


def test_context_defaults():
    ctx = CheckContext(api=None, workspace=Path("."), values={})
    assert ctx.last_command is None and ctx.since == 0.0 and ctx.http_host == "127.0.0.1"
