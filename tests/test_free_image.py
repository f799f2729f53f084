"""Image names chosen like container names: a lesson never moves a learner's own tag.

``free_image`` vars, the lint warning for fixed image names, and selftest's guard
that what existed before it started is exactly as it was.
"""

from __future__ import annotations

import pytest
from conftest import dedent, write_course
from test_practice_fixtures import RecordingApi

from tutor.course.practice_spec import VarSpec
from tutor.lessonfile.loader import lint, load_course
from tutor.practice.untouched import EngineState, changes
from tutor.practice.variables import choose_values, first_free_image

LESSON = dedent("""
    id: lab
    title: Lab
    summary: s
    vars:
      hello: { free_image: "hello:1" }
    steps:
      - id: build
        type: command
        task: Build `{{ hello }}` ({{ hello_repository }}, tag {{ hello_tag }}).
        check:
          image: { ref: "{{ hello }}" }
        hints: [docker build -t.]
        explanation: Built.
        solution: ["docker build -t {{ hello }} ."]
    """)


def test_free_image_is_the_wanted_name_when_nobody_has_it():
    api = RecordingApi()
    api.add_image("busybox:latest")
    assert first_free_image(api, "hello:1") == "hello:1"


def test_free_image_steps_around_names_that_exist():
    api = RecordingApi()
    api.add_image("hello:1")
    api.add_image("hello-2:1")
    assert first_free_image(api, "hello:1") == "hello-3:1"
    # Another tag of the same repository is no reason to move away.
    other = RecordingApi()
    other.add_image("hello:2")
    assert first_free_image(other, "hello:1") == "hello:1"


def test_free_image_provides_the_repository_and_tag_too():
    spec = VarSpec("hello", "free_image", "hello:1")
    assert spec.names() == ("hello", "hello_repository", "hello_tag")
    assert spec.values("team/hello-2:1.0") == {"hello": "team/hello-2:1.0",
                                               "hello_repository": "team/hello-2",
                                               "hello_tag": "1.0"}
    api = RecordingApi()
    api.add_image("hello:1")
    assert choose_values(api, [spec]) == {"hello": "hello-2:1"}


def test_a_lesson_using_free_image_loads_with_its_derived_names(tmp_path):
    course = load_course(write_course(tmp_path / "lessons", {"lab": LESSON}))
    assert not course.problems and not course.warnings, [str(p) for p in course.problems]


@pytest.mark.parametrize("value, message", [
    ("hello", "must be an image name with a tag"),
    ("localhost:5000/hello", "must be an image name with a tag"),
    ("Hello:1", "must be an image name with a tag"),
])
def test_free_image_must_name_a_tagged_image(tmp_path, value, message):
    text = LESSON.replace('free_image: "hello:1"', f'free_image: "{value}"')
    course = load_course(write_course(tmp_path / "lessons", {"lab": text}))
    assert any(message in str(p) and "vars.hello.free_image" in str(p) for p in course.problems), \
        [str(p) for p in course.problems]


def test_lint_warns_about_a_fixed_image_name_a_learner_could_have(tmp_path):
    text = LESSON.replace("{{ hello }} .", "hello:1 .")
    lessons = write_course(tmp_path / "lessons", {"lab": text})
    course = load_course(lessons)
    assert course.lessons and not course.problems  # a warning does not stop the lesson
    [warning] = course.warnings
    assert warning.warning and "fixed image name hello:1" in warning.message
    assert "step 'build'" in str(warning) and str(warning).count("warning:") == 1
    assert [str(p) for p in lint([lessons])] == [str(warning)]


def test_the_shipped_lessons_build_no_fixed_image_names():
    from conftest import SHIPPED_LESSONS

    assert load_course(SHIPPED_LESSONS).warnings == ()


# -- the guard ------------------------------------------------------------------------------------


def state(tags: dict[str, str], containers: dict[str, tuple[str, bool]]) -> EngineState:
    return EngineState(tags, containers)


def test_the_guard_reports_a_moved_or_removed_tag_the_commands_named():
    before = state({"hello:1": "sha256:" + "a" * 64, "busybox:latest": "sha256:" + "b" * 64,
                    "untouched:1": "sha256:" + "c" * 64}, {})
    after = state({"hello:1": "sha256:" + "d" * 64, "untouched:1": "sha256:" + "e" * 64}, {})
    found = changes(before, after, ["docker build -t hello:1 .", "docker rmi busybox"])
    assert found == [f"image tag busybox:latest was removed (it named {'b' * 12})",
                     f"image tag hello:1 was moved from {'a' * 12} to {'d' * 12}"]


def test_the_guard_reports_containers_the_commands_stopped_or_removed():
    before = state({}, {"1" * 64: ("web", True), "2" * 64: ("db", True), "3" * 64: ("x", True)})
    after = state({}, {"1" * 64: ("web", False)})
    found = changes(before, after, ["docker stop web", f"docker rm -f {'2' * 12}"])
    assert found == ["container web was stopped", "container db was removed"]


def test_the_guard_is_quiet_when_nothing_named_changed():
    before = state({"hello:1": "sha256:" + "a" * 64}, {"1" * 64: ("web", True)})
    assert changes(before, before, ["docker build -t hello:1 .", "docker stop web"]) == []
