"""The `dockerfile` check against the real engine: it builds the Dockerfile, judges the
image (config, files, start command, HTTP answer), and removes what it made.

Needs an engine (``eval "$(scripts/engine-up)"``); see tests/engine_helpers.py.
"""

from __future__ import annotations

from pathlib import Path

import docker.errors
import pytest
from conftest import dedent
from engine_helpers import busybox_engine, ensure_image, made_resources, unique_name

from tutor.checks import CheckContext, CheckResult, dockerfile_image, evaluate, parse_check
from tutor.checks.dockerfile_image import CHECK_LABEL
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

pytestmark = pytest.mark.engine

WHERE = Where(Path("lessons/engine.yaml"), lesson="engine", step="s", step_number=1)

# A web "app" that is no Python: busybox httpd serving pages that an install step makes
# from a manifest-like list.
SITE = {
    "pages.list": "about\ncontact\n",
    "index.html": "Hello from busybox\n",
    "serve.sh": "exec httpd -f -p 8080 -h /srv/www\n",
    "notes.txt": "not for the image\n",
    ".dockerignore": "notes.txt\n",
}
SITE_DOCKERFILE = """
    FROM busybox
    WORKDIR /srv
    COPY pages.list .
    RUN mkdir -p www && while read page; do echo "page $page" > "www/$page.html"; done < pages.list
    COPY index.html www/
    COPY . .
    EXPOSE 8080
    CMD ["sh", "serve.sh"]
"""
SITE_CHECK = """
    dockerfile:
      path: Dockerfile
      install: { manifest: pages.list, run: 'while read' }
      workdir: /srv
      files: [/srv/www/about.html, /srv/www/index.html, /srv/serve.sh]
      exposed_ports: [8080]
      exec_form: true
      runs: serve.sh
      http: { port: 8080, path: /about.html, contains: page about }
"""


api = pytest.fixture(scope="module")(busybox_engine)


made = pytest.fixture(made_resources)


@pytest.fixture
def tags(api, monkeypatch) -> list[str]:
    """The tags the check's builds used (to prove what it made is gone)."""
    used: list[str] = []
    build = api.build

    def recording_build(*args, **kwargs):
        used.append(kwargs["tag"])
        return build(*args, **kwargs)

    monkeypatch.setattr(api, "build", recording_build)
    return used


@pytest.fixture
def judge(api, tmp_path: Path):
    def run(dockerfile: str, check: str = SITE_CHECK, files: dict[str, str] = SITE,
            **values: str) -> CheckResult:
        for name, content in files.items():
            (tmp_path / name).write_text(content)
        (tmp_path / "Dockerfile").write_text(dedent(dockerfile))
        problems: list = []
        parsed = parse_check(parse_yaml(dedent(check)), WHERE.at_field("check"), problems, 1,
                             set(values))
        assert not problems, [str(p) for p in problems]
        return evaluate(parsed, CheckContext(api=api, workspace=tmp_path, values=values))

    return run


def site(*replace: tuple[str, str]) -> str:
    text = SITE_DOCKERFILE
    for old, new in replace:
        assert old in text
        text = text.replace(old, new)
    return text


def assert_gone(api, tag: str) -> None:
    with pytest.raises(docker.errors.ImageNotFound):
        api.inspect_image(tag)
    assert api.containers(all=True, filters={"label": f"{CHECK_LABEL}={tag}"}) == []


# -- a correct Dockerfile, and what the check leaves behind ------------------------------------


def test_a_non_python_app_passes_and_nothing_is_left(api, judge, tags):
    result = judge(SITE_DOCKERFILE)
    assert result.passed, result.messages
    assert len(tags) == 1 and tags[0].startswith("tutor-check:")
    assert_gone(api, tags[0])


def test_the_learners_own_images_of_the_same_dockerfile_stay(api, judge, made, tmp_path):
    for name, content in SITE.items():
        (tmp_path / name).write_text(content)
    (tmp_path / "Dockerfile").write_text(dedent(SITE_DOCKERFILE))
    tag = made.image(f"{unique_name()}:1")
    ids = []
    for build_tag in (tag, None):  # a named build, and one without -t (a <none> image)
        events = list(api.build(path=str(tmp_path), tag=build_tag, rm=True, decode=True))
        ids.append(next(e["aux"]["ID"] for e in events if "aux" in e))
    assert judge(SITE_DOCKERFILE).passed
    for image_id in ids:
        assert api.inspect_image(image_id)["Id"] == image_id
    assert api.inspect_image(tag)["Id"] == ids[0]


# -- build failures are the learner's ------------------------------------------------------------


def test_a_failing_run_is_reported_with_its_output(api, judge, tags):
    result = judge(site(("COPY pages.list .\n", "")))
    lint, failure = result.messages
    assert lint.startswith("Dockerfile: pages.list is not in the image yet when the install runs")
    assert failure.startswith(
        "docker build failed at RUN mkdir -p www && while read page; do echo \"page $page\" > "
        "\"www/$page.html\"; done < pages.list: The command '/bin/sh -c mkdir -p www && while "
        "read page; do echo \"page $page\" > \"www/$page.html\"; done < pages.list' returned a "
        "non-zero code: ")
    assert failure.endswith("\nIts last lines of output:\n"
                            "  /bin/sh: can't open pages.list: no such file")
    with pytest.raises(docker.errors.ImageNotFound):
        api.inspect_image(tags[0])


def test_copying_a_missing_file_is_reported(judge):
    result = judge(site(("COPY index.html www/", "COPY index.htm www/")))
    assert result.messages == (
        "docker build failed at COPY index.htm www/: COPY failed: file not found in build "
        "context or excluded by .dockerignore: stat index.htm: file does not exist",)


def test_a_file_excluded_by_dockerignore_is_not_in_the_image(judge):
    check = SITE_CHECK.replace("/srv/serve.sh]", "/srv/serve.sh, /srv/notes.txt]")
    assert judge(SITE_DOCKERFILE, check).messages == (
        "/srv/notes.txt is not in the built image",)


def test_a_dockerfile_the_engine_refuses(judge):
    result = judge("FROM busybox\nRUNN echo hi\n", "dockerfile: {path: Dockerfile}")
    assert result.messages == ("docker build refused the Dockerfile: dockerfile parse error "
                               "line 2: unknown instruction: RUNN",)


# -- the image's config and start command -------------------------------------------------------


def test_the_install_after_the_rest_of_the_source(judge):
    result = judge(site(("COPY pages.list .\n", "COPY . .\n")))
    assert len(result.messages) == 1
    assert result.messages[0].startswith(
        "Dockerfile: COPY . . (line 3) copies more than pages.list before the install")
    assert "so the install re-runs on every code change" in result.messages[0]


def test_shell_form_start_commands(judge):
    assert judge(site(('CMD ["sh", "serve.sh"]', "CMD sh serve.sh"))).messages == (
        'CMD is in shell form: the image starts ["/bin/sh", "-c", "sh serve.sh"], so the shell '
        "is the container's main process (PID 1), not the app, and it does not pass the SIGTERM "
        "of docker stop on: docker stop waits 10 seconds, then kills it. Use the exec form, a "
        'JSON list, so the app itself is PID 1: CMD ["sh", "serve.sh"]',)
    message = judge(site(('CMD ["sh", "serve.sh"]', "ENTRYPOINT sh serve.sh"))).messages[0]
    assert message.startswith('ENTRYPOINT is in shell form: the image starts ["/bin/sh", "-c", '
                              '"sh serve.sh"]')
    assert judge(site(('CMD ["sh", "serve.sh"]', 'ENTRYPOINT ["sh"]\nCMD serve.sh'))).messages[
        0] == ('CMD is in shell form (["/bin/sh", "-c", "serve.sh"]), so the ENTRYPOINT ["sh"] '
               "gets those words as its arguments; write CMD as a JSON list too")
    assert judge(site(('CMD ["sh", "serve.sh"]', "CMD ['sh', 'serve.sh']"))).messages[0] == (
        "CMD ['sh', 'serve.sh'] looks like the exec form but is not valid JSON (JSON needs "
        "double quotes), so Docker ran it in shell form, as [\"/bin/sh\", \"-c\", \"['sh', "
        "'serve.sh']\"], which fails; write CMD [\"sh\", \"serve.sh\"]")


def test_a_shell_that_execs_the_app_is_fine(judge):
    assert judge(site(('CMD ["sh", "serve.sh"]', "CMD cd /srv && exec sh serve.sh"))).passed


def test_config_mismatches(judge):
    check = """
        dockerfile:
          path: Dockerfile
          workdir: /app
          user: www
          exposed_ports: [80]
          env: { MODE: production }
    """
    assert judge(SITE_DOCKERFILE, check).messages == (
        "the built image's working directory is /srv; expected WORKDIR /app",
        "the built image runs as root (it has no USER); expected USER www",
        "the built image exposes 8080/tcp; expected 80/tcp",
        "the built image has no ENV MODE; expected MODE=production")
    fixed = site(("EXPOSE 8080", "EXPOSE 80\nENV MODE=production\nUSER www\nWORKDIR /app"))
    assert judge(fixed, check).passed


def test_no_workdir_and_where_the_files_landed(judge):
    dockerfile = site(("    WORKDIR /srv\n", ""))
    check = SITE_CHECK.replace("contains: page about }", "contains: page about }\n"
                               "      files: [/srv/serve.sh, /srv/pages.list]")
    check = check.replace("      files: [/srv/www/about.html, /srv/www/index.html, /srv/serve.sh]\n",
                          "")
    assert judge(dockerfile, check).messages == (
        "the built image has no WORKDIR, so its working directory is /: files copied to a "
        "relative destination (COPY . .) land in / among the system's folders (/etc, /usr, "
        "...), and its commands run there; add WORKDIR /srv before copying them",
        "/srv/serve.sh (serve.sh is at /serve.sh) and /srv/pages.list (pages.list is at "
        "/pages.list) are not in the built image")


def test_what_the_start_command_runs(judge):
    assert judge(site(('CMD ["sh", "serve.sh"]', 'CMD ["httpd", "-f", "-p", "8080"]'))
                 ).messages == ('the built image starts ["httpd", "-f", "-p", "8080"] in /srv, '
                                "which does not run /srv/serve.sh",)
    assert judge(site(("COPY . .\n", "COPY index.html .\n"))).messages == (
        "/srv/serve.sh is not in the built image",
        'the built image starts ["sh", "serve.sh"] in /srv, but /srv/serve.sh is not in the '
        "image")
    # Run by its absolute path, or as the ENTRYPOINT: the same file.
    assert judge(site(('CMD ["sh", "serve.sh"]', 'ENTRYPOINT ["sh", "/srv/serve.sh"]'))).passed


# -- running it ---------------------------------------------------------------------------------


def test_an_app_that_stops_is_reported_with_its_output(judge):
    files = {**SITE, "serve.sh": "echo cannot start the server; exit 3\n"}
    message = judge(SITE_DOCKERFILE, files=files).messages[0]
    assert message == ("a container from the built image stopped (exit code 3) before "
                       "answering HTTP on its port 8080. Its last lines of output:\n"
                       "  cannot start the server")


def test_a_wrong_answer(judge):
    check = SITE_CHECK.replace("path: /about.html, contains: page about",
                               "path: /contact.html, contains: page about")
    message = judge(SITE_DOCKERFILE, check).messages[0]
    assert message.startswith("a container from the built image, its port 8080 published on "
                              "port ")
    assert message.endswith("/contact.html answered 200 but the page does not contain "
                            '"page about"; it starts with "page contact"')


def test_nothing_listening_on_the_port(judge, monkeypatch):
    monkeypatch.setattr(dockerfile_image, "START_SECONDS", 2.0)
    files = {**SITE, "serve.sh": "echo listening on 9090; exec httpd -f -p 9090 -h /srv/www\n"}
    message = judge(SITE_DOCKERFILE, files=files).messages[0]
    assert message.endswith(": nothing answered HTTP within 2 s. Its last lines of output:\n"
                            "  listening on 9090")


def test_placeholders_are_rendered(judge):
    check = SITE_CHECK.replace("port: 8080, path", "port: '{{ port }}', path").replace(
        "workdir: /srv", "workdir: '{{ dir }}'")
    assert judge(SITE_DOCKERFILE, check, port="8080", dir="/srv").passed
    assert judge(SITE_DOCKERFILE, check, port="8080", dir="/app").messages == (
        "the built image's working directory is /srv; expected WORKDIR /app",)


# -- the capstone's Python app -------------------------------------------------------------------

FLASK_APP = {
    "app.py": dedent("""
        import os
        from flask import Flask

        app = Flask(__name__)

        @app.route("/")
        def hello():
            return "Hello from Flask"

        if __name__ == "__main__":
            app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
    """),
    "requirements.txt": "flask\n",
}
FLASK_CHECK = """
    dockerfile:
      path: Dockerfile
      install: { manifest: requirements.txt, run: 'pip3? install' }
      workdir: /app
      files: [/app/app.py, /app/requirements.txt]
      exposed_ports: [5000]
      exec_form: true
      runs: app.py
      http: { port: 5000, contains: Hello from Flask }
"""


def test_the_flask_capstone(api, judge):
    ensure_image(api, "python", "3.11-slim")
    good = """
        FROM python:3.11-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """
    assert judge(good, FLASK_CHECK, FLASK_APP).passed
    no_workdir = """
        FROM python:3.11-slim
        COPY . .
        RUN pip install -r requirements.txt
        EXPOSE 5000
        CMD ["python", "app.py"]
    """
    messages = judge(no_workdir, FLASK_CHECK, FLASK_APP).messages
    assert len(messages) == 3
    assert messages[0].startswith("Dockerfile: COPY . . (line 2) copies more than "
                                  "requirements.txt before the install")
    assert messages[1].startswith("the built image has no WORKDIR")
    assert messages[2] == ("/app/app.py (app.py is at /app.py) and /app/requirements.txt "
                           "(requirements.txt is at /requirements.txt) are not in the built "
                           "image")


def test_labels_of_what_the_check_makes(api, judge, tags, monkeypatch):
    """The probe container carries the check's label with the build's tag, like the image."""
    seen: list[tuple[dict, dict]] = []
    create = api.create_container

    def recording_create(image, **kwargs):
        seen.append((api.inspect_image(image)["Config"]["Labels"] or {}, kwargs["labels"]))
        return create(image, **kwargs)

    monkeypatch.setattr(api, "create_container", recording_create)
    assert judge(SITE_DOCKERFILE).passed
    (image_labels, container_labels), = seen
    assert image_labels[CHECK_LABEL] == container_labels[CHECK_LABEL] == tags[0]
    assert_gone(api, tags[0])
