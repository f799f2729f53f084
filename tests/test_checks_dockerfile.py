"""The `dockerfile` check without an engine: the pre-build lint on the Dockerfile's text,
and reading the check from lesson YAML. What the engine builds is judged in
tests/test_checks_dockerfile_engine.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, dedent, line_of

from tutor.checks import CheckContext, EngineUnavailable, evaluate, parse_check
from tutor.checks.dockerfile import DockerfileCheck, Install
from tutor.checks.dockerfile_lint import (
    Instruction,
    copy_sources,
    install_findings,
    read_instructions,
)
from tutor.checks.images import ImageCheck
from tutor.checks.network import HttpCheck
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/capstone.yaml"), lesson="capstone", step="dockerfile", step_number=3)
PIP = "pip3? install"


@pytest.fixture
def context(tmp_path: Path) -> Path:
    for name in ("app.py", "requirements.txt", "requirements-dev.txt", "package.json",
                 "package-lock.json", "server.js"):
        (tmp_path / name).write_text("x\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("x\n")
    return tmp_path


def lint(context: Path, dockerfile: str, manifest: tuple[str, ...] = ("requirements.txt",),
         run: str = PIP) -> list[str]:
    return install_findings(read_instructions(dedent(dockerfile)), manifest, run, context)


# -- reading the text ---------------------------------------------------------------------------


def test_instructions_in_any_case_with_continuations_and_comments():
    text = dedent("""
        # escape=`
        from python:3-slim
        # a comment
        run python -m pip install --no-cache-dir `
            # a comment inside the continuation
            --requirement requirements.txt
        copy app.py .
    """)
    found = read_instructions(text)
    assert [(i.keyword, i.line) for i in found] == [("FROM", 2), ("RUN", 4), ("COPY", 7)]
    assert found[1].args.split() == ["python", "-m", "pip", "install", "--no-cache-dir",
                                     "--requirement", "requirements.txt"]
    assert found[1].shown == ("RUN python -m pip install --no-cache-dir --requirement "
                              "requirements.txt")


@pytest.mark.parametrize("args, sources", [
    ("requirements.txt .", ["requirements.txt"]),
    ("./requirements.txt /app/", ["requirements.txt"]),
    ("--chown=1000:1000 a.txt b.txt ./", ["a.txt", "b.txt"]),
    ('--chown=1:1 ["req s.txt", "./"]', ["req s.txt"]),
    (". .", ["."]),
    ("./ /app", ["."]),
    ("--from=builder /install /usr/local", []),
    ("https://example.org/x.tar.gz /tmp/", []),
])
def test_copy_sources(args, sources):
    assert copy_sources(Instruction("COPY", args, 1)) == sources


# -- the install-first advice --------------------------------------------------------------------


def test_manifest_installed_before_the_source_passes(context):
    assert lint(context, """
        FROM python:3.11-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        CMD ["python", "app.py"]
    """) == []


def test_source_copied_before_the_install_re_runs_it(context):
    assert lint(context, """
        FROM python:3.11-slim
        WORKDIR /app
        COPY . .
        RUN pip install -r requirements.txt
    """) == [
        "COPY . . (line 3) copies more than requirements.txt before the install (RUN pip install "
        "-r requirements.txt, line 4), so the install re-runs on every code change: a change to "
        "any file it copies invalidates Docker's build cache from line 3 on. Copy "
        "requirements.txt alone, install, then copy the rest."]


@pytest.mark.parametrize("copy", ["COPY app.py requirements.txt ./", "COPY src requirements.txt ./",
                                  "ADD requirements*.txt app.py ./", "COPY *.txt ./"])
def test_anything_else_copied_before_the_install_is_reported(context, copy):
    findings = lint(context, f"""
        FROM python:3.11-slim
        {copy}
        RUN pip install -r requirements.txt
    """)
    assert len(findings) == 1 and "the install re-runs on every code change" in findings[0]
    assert findings[0].startswith(f"{copy} (line 2) copies more than requirements.txt")


def test_the_manifest_in_any_spelling_passes(context):
    for copy in ('COPY ["requirements.txt", "/app/"]', "COPY --chown=1:1 ./requirements.txt ./",
                 "copy requirements.txt /app/requirements.txt"):
        assert lint(context, f"""
            FROM python:3.11-slim
            WORKDIR /app
            {copy}
            RUN pip3 install -r requirements.txt
        """) == [], copy


def test_the_install_is_the_first_matching_run_once_the_manifest_is_in(context):
    assert lint(context, """
        FROM python:3.11-slim
        RUN pip install --upgrade pip
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        COPY . .
    """) == []


def test_manifest_not_copied_before_the_install(context):
    assert lint(context, """
        FROM python:3.11-slim
        WORKDIR /app
        RUN pip install flask
        COPY . .
    """) == [
        "requirements.txt is not in the image yet when the install runs (RUN pip install flask, "
        "line 3); copy it in before, such as COPY requirements.txt ., so the install gets what "
        "it lists"]


def test_a_source_that_is_not_in_the_context_is_left_to_the_build(context):
    findings = lint(context, """
        FROM python:3.11-slim
        COPY requirement.txt .
        RUN pip install -r requirements.txt
    """)
    assert findings == [
        "requirements.txt is not in the image yet when the install runs (RUN pip install -r "
        "requirements.txt, line 3); copy it in before, such as COPY requirements.txt ., so the "
        "install gets what it lists"]


def test_no_install_at_all(context):
    assert lint(context, "FROM python:3.11-slim\nCOPY . .\n") == [
        "no RUN installs the dependencies that requirements.txt lists"]


def test_only_the_install_stage_counts(context):
    assert lint(context, """
        FROM python:3.11-slim AS deps
        COPY requirements.txt .
        RUN pip install --prefix=/install -r requirements.txt
        FROM python:3.11-slim
        COPY --from=deps /install /usr/local
        COPY . .
    """) == []
    findings = lint(context, """
        FROM python:3.11-slim AS build
        COPY . .
        FROM python:3.11-slim
        COPY . .
        COPY requirements.txt .
        RUN pip install -r requirements.txt
    """)
    assert len(findings) == 1 and findings[0].startswith("COPY . . (line 4)")


def test_another_language_with_two_manifest_files(context):
    manifest = ("package.json", "package-lock.json")
    good = """
        FROM node:20-slim
        WORKDIR /app
        COPY package*.json ./
        RUN npm ci
        COPY . .
        CMD ["node", "server.js"]
    """
    assert lint(context, good, manifest, r"\bnpm (ci|install)\b") == []
    findings = lint(context, """
        FROM node:20-slim
        COPY package.json server.js ./
        RUN npm ci
    """, manifest, r"\bnpm (ci|install)\b")
    assert findings[0].startswith("package-lock.json is not in the image yet when the install "
                                  "runs (RUN npm ci, line 3)")
    assert findings[1].startswith("COPY package.json server.js ./ (line 2) copies more than "
                                  "package.json and package-lock.json before the install")


# -- the check as lesson YAML --------------------------------------------------------------------

ALL_FIELDS = """
check:
  dockerfile:
    path: "{{ app_dir }}/Dockerfile"
    install: { manifest: requirements.txt, run: 'pip3? install' }
    workdir: /app
    user: app
    cmd: [python, app.py]
    exposed_ports: [5000]
    env: { PORT: 5000 }
    exec_form: true
    runs: app.py
    files: [/app/app.py, "{{ dir }}/requirements.txt"]
    http: { port: 5000, path: /health, contains: ok }
"""


def parse(text: str, declared: tuple[str, ...] = ("app_dir", "dir")):
    document = parse_yaml(dedent(text))
    problems: list = []
    check = parse_check(document["check"], WHERE.at_field("check"), problems,
                        document.line_of("check"), set(declared))
    return check, problems


def test_all_fields_parse():
    check, problems = parse(ALL_FIELDS)
    assert problems == []
    assert check == DockerfileCheck(
        path="{{ app_dir }}/Dockerfile", install=Install(("requirements.txt",), "pip3? install"),
        workdir="/app", user="app",
        config=ImageCheck(ref="(built)", cmd=("python", "app.py"), exposed_ports=("5000",),
                          env=(("PORT", "5000"),)),
        exec_form=True, runs="app.py", files=("/app/app.py", "{{ dir }}/requirements.txt"),
        http=HttpCheck(port=5000, path="/health", contains="ok"))


def test_only_the_path():
    check, problems = parse("check:\n  dockerfile: {path: Dockerfile}\n")
    assert problems == [] and check == DockerfileCheck(path="Dockerfile")


@pytest.mark.parametrize("snippet, field, message", [
    ("{workdir: /app}", "check.dockerfile.path", "is required"),
    ("{path: Dockerfile, expose: 5000}", "check.dockerfile.expose",
     "unknown field 'expose' (did you mean 'exposed_ports'?)"),
    ("{path: Dockerfile, workdir: app}", "check.dockerfile.workdir",
     "'app' must be an absolute path in the image, such as /app"),
    ("{path: Dockerfile, files: [app.py]}", "check.dockerfile.files",
     "'app.py' must be an absolute path in the image, such as /app.py"),
    ("{path: Dockerfile, install: {manifest: requirements.txt}}", "check.dockerfile.install.run",
     "is required"),
    ("{path: Dockerfile, install: {manifest: /app/requirements.txt, run: pip}}",
     "check.dockerfile.install.manifest", "must be a file of the build context"),
    ("{path: Dockerfile, install: {manifest: requirements.txt, run: 'pip (install'}}",
     "check.dockerfile.install.run", "is not a regular expression"),
    ("{path: Dockerfile, install: {manifest: a, run: b, command: c}}",
     "check.dockerfile.install.command", "unknown field 'command'"),
    ("{path: Dockerfile, http: {port: 70000}}", "check.dockerfile.http.port",
     "must be between 1 and 65535, found 70000"),
    ("{path: Dockerfile, exec_form: yes please}", "check.dockerfile.exec_form",
     "must be true or false"),
    ("{path: 5}", "check.dockerfile.path", "must be text"),
    ("Dockerfile", "check.dockerfile", "expected a mapping of fields"),
])
def test_field_problems(snippet, field, message):
    check, problems = parse(f"check:\n  dockerfile: {snippet}\n", declared=())
    assert check is None
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].where.field == field, str(problems[0])
    assert message in problems[0].message, str(problems[0])
    assert problems[0].line == 2


def test_field_problem_lines_in_block_style():
    text = """
        check:
          dockerfile:
            path: Dockerfile
            install:
              manifest: requirements.txt
              run: "{{ command }}"
            runs: "{{ script }}"
    """
    check, problems = parse(text, declared=("script_name",))
    assert check is None
    found = {(p.where.field, p.line) for p in problems}
    assert found == {("check.dockerfile.install.run", line_of(dedent(text), "run: ")),
                     ("check.dockerfile.runs", line_of(dedent(text), "runs"))}
    assert any("did you mean 'script_name'?" in p.message for p in problems)


# -- before any build -------------------------------------------------------------------------


def test_a_missing_dockerfile_is_reported_without_the_engine(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "dockerfile").write_text("FROM busybox\n")
    check, _ = parse("check:\n  dockerfile: {path: app/Dockerfile}\n")
    result = evaluate(check, CheckContext(api=None, workspace=tmp_path, values={}))
    assert result.messages == (
        f"Dockerfile not found at app/Dockerfile (the workspace is {tmp_path}); there is "
        f"{tmp_path / 'app' / 'dockerfile'}: the name is Dockerfile, exactly",)


def test_an_engine_that_is_down_is_not_the_learners_mistake(tmp_path):
    import docker

    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    api = docker.APIClient(base_url=f"unix://{tmp_path / 'no-engine.sock'}", version="1.41")
    check, _ = parse("check:\n  dockerfile: {path: Dockerfile}\n")
    with pytest.raises(EngineUnavailable):
        evaluate(check, CheckContext(api=api, workspace=tmp_path, values={}))


def test_the_parser_is_not_loaded_before_the_first_prompt():
    code = ("import sys; from pathlib import Path; from tutor.lessonfile.loader import load_course; "
            f"course = load_course(Path({str(REPO / 'lessons')!r})); "
            "assert not course.problems; print('dockerfile_parse' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False"]
