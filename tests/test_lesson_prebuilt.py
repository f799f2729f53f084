"""The lessons' parse made when the wheel is built: a new learner's first start opens the
shipped course from it, and only when it certainly describes the installed files."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SHIPPED_LESSONS

from tutor.course.lesson import LazySteps
from tutor.lessonfile import prebuilt
from tutor.lessonfile.cache import ParseCache
from tutor.lessonfile.loader import load_course, open_cache
from tutor.lessonfile.prebuilt import INDEX_NAME, seeded_results, write_prebuilt

PACKAGE = Path(prebuilt.__file__).resolve().parents[1]
REPO = PACKAGE.parent


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A copy of the shipped lessons standing in for the installed ones, and the build's
    parse of them, as the package's own."""
    lessons = tmp_path / "site" / "_lessons"
    shutil.copytree(SHIPPED_LESSONS, lessons)
    parsed = tmp_path / "site" / "_lessons_parsed"
    write_prebuilt(lessons, parsed)
    monkeypatch.setattr(prebuilt, "SHIPPED_LESSONS_DIR", lessons)
    monkeypatch.setattr(prebuilt, "PREBUILT_DIR", parsed)
    return lessons


def test_the_first_start_opens_the_course_the_build_parsed(installed, tmp_path):
    cache = open_cache(tmp_path / "cache", installed)
    listed = sorted(path.name for path in installed.glob("*.yaml"))
    assert sorted(Path(name).name for name in cache.files) == listed

    course = load_course(installed, tmp_path / "cache")
    parsed_here = load_course(installed)
    assert course.problems == parsed_here.problems == ()
    assert course.warnings == parsed_here.warnings and course.topics == parsed_here.topics
    for seeded, parsed in zip(course.lessons, parsed_here.lessons, strict=True):
        assert isinstance(seeded.steps, LazySteps)
        assert seeded.source == parsed.source == installed / f"{parsed.id}.yaml"
        assert seeded == parsed  # the header, and the steps once read
    # what it seeded is the learner's cache from now on
    again = ParseCache.open(tmp_path / "cache", installed)
    assert sorted(Path(name).name for name in again.files) == listed


def test_a_lesson_edited_after_the_build_is_parsed_as_it_is_now(installed, tmp_path):
    path = installed / "what-is-docker.yaml"
    path.write_text(path.read_text().replace("title: ", "title: Edited ", 1))
    seeded = seeded_results(installed)
    assert len(seeded) == len(list(installed.glob("*.yaml"))) - 1 and path not in seeded
    course = load_course(installed, tmp_path / "cache")
    assert course.lesson("what-is-docker").title.startswith("Edited ")


def test_parse_of_other_source_code_is_not_used(installed, tmp_path, monkeypatch):
    copy = tmp_path / "tutor-copy"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    count = len(list(installed.glob("*.yaml")))
    assert len(seeded_results(installed, package_dir=copy)) == count  # the same sources
    changed = copy / "steps" / "command.py"
    original = changed.read_text()
    changed.write_text(original + "\n# changed after the build\n")
    assert seeded_results(installed, package_dir=copy) == {}
    changed.write_text(original)
    (copy / "steps" / "extra.py").write_text("")
    assert seeded_results(installed, package_dir=copy) == {}  # a file more


def test_another_lesson_folder_is_never_seeded(installed, tmp_path):
    elsewhere = tmp_path / "my-lessons"
    shutil.copytree(installed, elsewhere)
    assert seeded_results(elsewhere) == {} and seeded_results(installed) != {}


def test_a_damaged_parse_is_ignored_and_the_lessons_still_open(installed, tmp_path):
    (prebuilt.PREBUILT_DIR / INDEX_NAME).write_bytes(b"not a pickle")
    course = load_course(installed, tmp_path / "cache")
    assert course.problems == () and len(course.lessons) == len(load_course(installed).lessons)


def test_a_lesson_with_problems_is_left_to_be_parsed_and_reported(tmp_path, monkeypatch):
    lessons = tmp_path / "_lessons"
    shutil.copytree(SHIPPED_LESSONS, lessons)
    broken = lessons / "what-is-docker.yaml"
    broken.write_text(broken.read_text().replace("summary:", "sumary:", 1))
    parsed = tmp_path / "_lessons_parsed"
    count = write_prebuilt(lessons, parsed)
    with open(parsed / INDEX_NAME, "rb") as handle:
        assert "what-is-docker.yaml" not in pickle.load(handle)["files"]
    assert count == len(list(lessons.glob("*.yaml"))) - 1
    monkeypatch.setattr(prebuilt, "SHIPPED_LESSONS_DIR", lessons)
    monkeypatch.setattr(prebuilt, "PREBUILT_DIR", parsed)
    course = load_course(lessons, tmp_path / "cache")
    assert any("unknown field 'sumary'" in str(problem) for problem in course.problems)


def test_the_wheel_carries_the_parse_and_a_first_start_uses_it(tmp_path):
    """Built as pip builds it (the hook runs in the isolated build environment), then
    unpacked as an install would place it: a new learner's course comes from the
    build's parse, with no step type, check or YAML parser loaded."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
         "--disable-pip-version-check", "-w", str(tmp_path / "dist"), str(REPO)],
        capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("docker_tutor-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "tutor/_lessons_parsed/index.pickle" in names
    assert "tutor/_lessons_parsed/container-commands.steps" in names

    probe = (
        "import sys, tutor\n"
        "from pathlib import Path\n"
        "from tutor.environment import default_lessons_dir\n"
        "from tutor.lessonfile.loader import load_course\n"
        f"course = load_course(default_lessons_dir(), Path({str(tmp_path / 'cache')!r}))\n"
        "print(tutor.__file__)\n"
        "print(len(course.lessons), len(course.problems))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tutor.steps', 'tutor.checks',"
        " 'yaml'))))\n")
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
    where, counts, loaded = ran.stdout.splitlines()
    assert where.startswith(str(site))
    assert counts == f"{len(load_course(SHIPPED_LESSONS).lessons)} 0"
    assert loaded == "[]"
