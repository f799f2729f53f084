"""Lesson files that attack or confuse the loader: alias bombs, recursive aliases,
bytes that are not UTF-8 or not allowed in YAML, and a folder without course.yaml.

Every one gets a clear problem naming the file and the line, quickly, and
``lint DIR`` and ``--lessons DIR`` agree on what is wrong.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import SHIPPED_LESSONS

from tutor.cli import main
from tutor.environment import Environment
from tutor.lessonfile.lesson_file import load_lesson
from tutor.lessonfile.loader import lint
from tutor.schema.yamldoc import MAX_VALUES, YamlError, parse_yaml
from tutor.status import ExitStatus


def billion_laughs(levels: int = 9) -> str:
    lines = ["id: laughs", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    lines.append(f"title: *{chr(ord('a') + levels - 1)}")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_with_its_line():
    text = billion_laughs()
    with pytest.raises(YamlError) as caught:
        parse_yaml(text)
    assert f"more than {MAX_VALUES:,} values" in caught.value.message
    assert caught.value.line is not None and 1 <= caught.value.line <= text.count("\n")


def test_an_alias_bomb_in_a_lesson_file_is_a_lint_problem(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(billion_laughs())
    problems: list = []
    assert load_lesson(path, problems) is None
    (problem,) = problems
    assert str(problem).startswith(f"{path}:")
    assert "aliases" in problem.message


def test_a_recursive_alias_is_refused_not_a_recursion_error(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("id: loop\nsummary: s\ntitle: &t [What, *t]\n")
    problems: list = []
    assert load_lesson(path, problems) is None
    (problem,) = problems
    assert problem.line == 3
    assert "refers to the value that contains it" in problem.message


def test_modest_aliases_still_work():
    data = parse_yaml("hint: &h Look at the port.\nhints: [*h, *h]\n")
    assert data["hints"] == ["Look at the port.", "Look at the port."]


def test_a_byte_that_is_not_utf8_is_reported_by_line(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"id: latin\nsummary: s\ntitle: caf\xe9\n")
    problems: list = []
    assert load_lesson(path, problems) is None
    (problem,) = problems
    assert problem.line == 3
    assert "not UTF-8" in problem.message and "0xe9" in problem.message
    assert "position" not in problem.message and "byte 2" not in problem.message


def test_a_nul_byte_is_reported_by_line_and_column(tmp_path):
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"id: nul\n\nsummary: a\x00b\n")
    problems: list = []
    assert load_lesson(path, problems) is None
    (problem,) = problems
    assert problem.line == 3
    assert "column 11" in problem.message and "#x0000" in problem.message
    assert "position" not in problem.message


def _env(tmp_path: Path, lessons: Path) -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={},
                       data_dir=tmp_path / "data", lessons_dir=lessons, stdout_isatty=False,
                       stdin_isatty=False, width=300)


def test_lint_and_the_tutor_agree_on_a_folder_without_course_yaml(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "what-is-docker.yaml").write_text(
        (SHIPPED_LESSONS / "what-is-docker.yaml").read_text())
    problems = lint([folder])
    assert [str(p) for p in problems] == [
        f"{folder / 'course.yaml'}: is missing: a lesson folder needs a course.yaml with the "
        "course's title and its lessons in order (title: ..., lessons: [lesson-id, ...])"]

    env = _env(tmp_path, folder)
    assert main(["lint", str(folder)], env=env) == ExitStatus.LESSON_ERRORS
    env = _env(tmp_path, folder)
    assert main(["--no-banner", "--lessons", str(folder)], env=env) == ExitStatus.ERROR
    assert "course.yaml is missing" in env.stderr.getvalue()  # type: ignore[attr-defined]
