"""``docker-tutor lint``: in-process through tutor.cli.main, and once as the real script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIRST_LESSON, REPO, SECOND_LESSON, SHIPPED_LESSONS, write_course

from tutor import __version__
from tutor.cli import main
from tutor.status import ExitStatus


@pytest.fixture
def bad_dir(tmp_path: Path) -> Path:
    broken = FIRST_LESSON.replace("explanation: Docker Hub", "explaination: Docker Hub")
    return write_course(tmp_path / "bad", {"first": broken, "second": SECOND_LESSON},
                        listed=["first", "second", "ghost"])


def test_lint_shipped_lessons_succeeds(make_env):
    env = make_env()
    status = main(["lint", str(SHIPPED_LESSONS)], env=env)
    assert status == ExitStatus.SUCCESS == 0
    out = env.stdout.getvalue()
    assert out == f"All lesson files are valid ({SHIPPED_LESSONS}).\n"


def test_lint_without_paths_checks_the_lessons_dir(make_env, bad_dir):
    env = make_env(lessons_dir=bad_dir)
    assert main(["lint"], env=env) == ExitStatus.LESSON_ERRORS
    assert "explaination" in env.stdout.getvalue()
    env = make_env()
    assert main(["lint"], env=env) == ExitStatus.SUCCESS


def test_lessons_option_chooses_the_dir_for_lint(make_env, bad_dir):
    env = make_env()  # shipped lessons, overridden by --lessons
    assert main(["--lessons", str(bad_dir), "lint"], env=env) == ExitStatus.LESSON_ERRORS


def test_lint_bad_dir_prints_one_line_per_problem(make_env, bad_dir):
    env = make_env()
    status = main(["lint", str(bad_dir)], env=env)
    assert status == ExitStatus.LESSON_ERRORS == 3
    lines = env.stdout.getvalue().splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert summary == f"{len(problems)} problem(s) found."
    # the broken field: an unknown one and the now-missing one, then the missing file
    assert len(problems) == 3
    assert any(line.startswith(f"{bad_dir / 'first.yaml'}:") and "'explaination'" in line
               for line in problems)
    assert any(line.startswith(f"{bad_dir / 'first.yaml'}:") and "field 'explanation'" in line
               for line in problems)
    assert f"{bad_dir / 'ghost.yaml'}: file not found" in problems
    assert not any("second.yaml" in line for line in problems)


def test_lint_a_single_good_file(make_env):
    env = make_env()
    path = SHIPPED_LESSONS / "what-is-docker.yaml"
    assert main(["lint", str(path)], env=env) == ExitStatus.SUCCESS
    assert "All lesson files are valid" in env.stdout.getvalue()


def test_lint_a_single_bad_file(make_env, bad_dir):
    env = make_env()
    path = bad_dir / "first.yaml"
    assert main(["lint", str(path)], env=env) == ExitStatus.LESSON_ERRORS
    lines = env.stdout.getvalue().splitlines()
    assert lines[-1] == "2 problem(s) found."
    assert all(line.startswith(f"{path}:") for line in lines[:-1])


def test_lint_several_paths_reports_them_all(make_env, bad_dir, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text("")
    env = make_env()
    status = main(["lint", str(SHIPPED_LESSONS / "what-is-docker.yaml"), str(other),
                   str(bad_dir / "first.yaml")], env=env)
    assert status == ExitStatus.LESSON_ERRORS
    out = env.stdout.getvalue()
    assert f"{other}: the file is empty" in out
    assert "3 problem(s) found." in out


def test_lint_a_missing_path(make_env, tmp_path):
    env = make_env()
    missing = tmp_path / "nope.yaml"
    assert main(["lint", str(missing)], env=env) == ExitStatus.LESSON_ERRORS
    assert f"{missing}: file not found" in env.stdout.getvalue()


def _script_env(tmp_path: Path) -> dict[str, str]:
    environ = dict(os.environ)
    environ["DOCKER_TUTOR_HOME"] = str(tmp_path / "home")
    environ["NO_COLOR"] = "1"
    return environ


def _console_script() -> Path:
    script = Path(sys.executable).parent / "docker-tutor"
    if not script.exists():
        pytest.skip("the docker-tutor console script is not installed next to this Python")
    return script


def test_console_script_lint(tmp_path, bad_dir):
    script = _console_script()
    good = subprocess.run([str(script), "lint", "lessons"], cwd=REPO, env=_script_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout == "All lesson files are valid (lessons).\n"
    bad = subprocess.run([str(script), "lint", str(bad_dir)], cwd=REPO,
                         env=_script_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert bad.returncode == ExitStatus.LESSON_ERRORS
    assert "problem(s) found." in bad.stdout


def test_console_script_version(tmp_path):
    script = _console_script()
    result = subprocess.run([str(script), "--version"], env=_script_env(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == f"docker-tutor {__version__}"


def test_python_dash_m_tutor(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tutor", "lint", str(SHIPPED_LESSONS)],
                            cwd=REPO, env=_script_env(tmp_path), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "All lesson files are valid" in result.stdout


def test_doctor_lists_only_images_a_learner_would_pull(make_env, tmp_path):
    """Templated references name images a step builds itself: doctor must not look them up."""
    from conftest import write_course

    from tutor.cli import lesson_images

    lesson = """\
id: lab
title: Lab
summary: s
needs_engine: true
steps:
  - id: one
    type: command
    task: t
    setup:
      - pull: busybox
      - image: { as: old, tag: "tutor-old:1", dockerfile: "FROM busybox" }
      - container: { as: box, image: "{{ old }}", command: [sleep, "5"] }
    check: { image: { ref: busybox } }
    hints: [h]
    explanation: e
    solution: [docker pull busybox]
"""
    env = make_env(write_course(tmp_path / "lessons", {"lab": lesson}))
    assert lesson_images(env) == ["busybox"]
