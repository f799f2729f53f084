"""A name or port of the step that someone else took after it was handed out: told
plainly, chosen anew, and the command to type instead (no engine: tests/fake_engine.py;
the real engine's messages are in tests/test_shared_engine.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import dedent, write_course
from fake_engine import FakeEngine

from tutor.lessonfile.loader import load_course
from tutor.practice.labels import LEARNER_LABEL
from tutor.practice.place import LessonPlace
from tutor.practice.races import (
    LostRace,
    after_lost_race,
    explain,
    held_by_another_learner,
    lost_race,
    substituted,
)
from tutor.practice.recording import Made
from tutor.practice.values import personal_suffix, recorded_values
from tutor.progress import LessonRecord

ME, THEM = "a1b2c3d4e5f6", "f6e5d4c3b2a1"
FORMS = {"name": "free_name", "port": "free_port"}
VALUES = {"name": "web", "port": "8080", "image": "busybox"}
NAME_TAKEN = ('docker: Error response from daemon: Conflict. The container name "/web" is '
              'already in use by container "4f1c0ffee". You have to remove (or rename) that '
              "container to be able to reuse that name.")
PORT_TAKEN = ("docker: Error response from daemon: driver failed programming external "
              "connectivity on endpoint web (8d1f): Bind for 0.0.0.0:8080 failed: port is "
              "already allocated.")
RUN = ["docker", "run", "-d", "--name", "web", "-p", "8080:80", "busybox", "httpd", "-f",
       "-p", "80"]


def test_a_name_another_learner_took_is_a_lost_race():
    api = FakeEngine()
    api.add_container("web", labels={LEARNER_LABEL: THEM})
    assert lost_race(api, NAME_TAKEN, VALUES, FORMS, ME) == LostRace(
        "free_name", "web", "Another learner on this engine")


def test_a_name_taken_outside_the_tutor_is_someone_elses():
    api = FakeEngine()
    api.add_container("web")
    assert lost_race(api, NAME_TAKEN, VALUES, FORMS, ME).who == "Someone else on this engine"


def test_the_learners_own_container_is_no_race():
    """Their own `web` from an attempt before: docker's advice (remove it) is right."""
    api = FakeEngine()
    api.add_container("web", labels={LEARNER_LABEL: ME})
    assert lost_race(api, NAME_TAKEN, VALUES, FORMS, ME) is None


def test_a_name_the_step_did_not_hand_out_is_no_race():
    api = FakeEngine()
    api.add_container("web", labels={LEARNER_LABEL: THEM})
    assert lost_race(api, NAME_TAKEN, {"name": "web-3f2a"}, FORMS, ME) is None
    assert lost_race(api, NAME_TAKEN, {"image": "web"}, FORMS, ME) is None


def test_a_port_another_learners_container_publishes_is_a_lost_race():
    api = FakeEngine()
    api.add_container("theirs", ports={"80/tcp": "8080"}, labels={LEARNER_LABEL: THEM})
    assert lost_race(api, PORT_TAKEN, VALUES, FORMS, ME) == LostRace(
        "free_port", "8080", "Another learner on this engine")


def test_a_port_no_container_publishes_was_taken_outside_docker():
    rootless = "listen tcp4 0.0.0.0:8080: bind: address already in use"
    assert lost_race(FakeEngine(), rootless, VALUES, FORMS, ME).who == \
        "A program outside Docker"


@pytest.mark.parametrize("argv, race, new, expected", [
    (RUN, LostRace("free_name", "web", "x"), "web-3f2a",
     "docker run -d --name web-3f2a -p 8080:80 busybox httpd -f -p 80"),
    (["docker", "run", "--name=web", "busybox"], LostRace("free_name", "web", "x"),
     "web-3f2a", "docker run --name=web-3f2a busybox"),
    (RUN, LostRace("free_port", "8080", "x"), "8130",
     "docker run -d --name web -p 8130:80 busybox httpd -f -p 80"),
    (["docker", "run", "--publish=127.0.0.1:8080:80/tcp", "busybox"],
     LostRace("free_port", "8080", "x"), "8130",
     "docker run --publish=127.0.0.1:8130:80/tcp busybox"),
    (["docker", "run", "-p8080:80", "busybox"], LostRace("free_port", "8080", "x"), "8130",
     "docker run -p8130:80 busybox"),
    # The container side and the program's own flags stay as typed.
    (["docker", "run", "-p", "80:8080", "busybox", "httpd", "-p", "8080"],
     LostRace("free_port", "8080", "x"), "8130", None),
])
def test_the_command_to_type_instead(argv, race, new, expected):
    assert substituted(argv, race, new) == expected


def test_the_message_says_who_took_what_and_what_to_type():
    note = explain(LostRace("free_name", "web", "Another learner on this engine"), "web-3f2a",
                   RUN, Made())
    assert note.startswith("Another learner on this engine took the name `web` a moment ago")
    assert "Your name is now `web-3f2a`." in note
    assert note.endswith("Type instead: `docker run -d --name web-3f2a -p 8080:80 busybox "
                         "httpd -f -p 80`")


def test_a_container_that_could_not_start_is_to_be_removed_first():
    made = Made(items=[{"kind": "container", "id": "c0ffee", "name": "web"}])
    note = explain(LostRace("free_port", "8080", "Another learner on this engine"), "8130",
                   RUN, made)
    assert "took port 8080 a moment ago" in note and "Your port is now 8130." in note
    assert ("Docker made your container `web` but could not start it: remove it with "
            "`docker rm web`, then type: `docker run -d --name web -p 8130:80") in note


LESSON = """
id: race
title: Race
summary: s
needs_engine: true
steps:
  - id: run
    type: command
    task: Start `{{ name }}`.
    vars:
      name: { free_name: web }
    check:
      container: { name: "{{ name }}", state: running }
    hints: [docker run -d.]
    explanation: Runs.
    solution: ["docker run -d --name {{ name }} busybox sleep 600"]
"""


def test_after_a_lost_race_the_step_has_a_name_of_the_learners_own(tmp_path: Path):
    course = load_course(write_course(tmp_path / "lessons", {"race": dedent(LESSON)}))
    lesson = course.lessons[0]
    step = lesson.steps[0]
    place = LessonPlace(tmp_path / "workspace", lesson, LessonRecord(values={"run.name": "web"}))
    values = recorded_values(place, step)
    api = FakeEngine()
    api.add_container("web", labels={LEARNER_LABEL: THEM})
    argv = ["docker", "run", "-d", "--name", "web", "busybox", "sleep", "600"]
    note = after_lost_race(api, place, step, values, ME, argv, NAME_TAKEN, Made())
    mine = f"web-{personal_suffix(ME)}"
    assert values["name"] == place.record.values["run.name"] == mine
    assert note is not None and f"`docker run -d --name {mine} busybox sleep 600`" in note
    # Their own container with the name: no race, nothing chosen anew.
    api.add_container(mine, labels={LEARNER_LABEL: ME})
    taken_again = NAME_TAKEN.replace('"/web"', f'"/{mine}"')
    assert after_lost_race(api, place, step, values, ME, argv, taken_again, Made()) is None
    assert values["name"] == mine


def test_any_name_held_by_another_learners_container_is_theirs_to_keep():
    """Outside the step's own values too: docker's advice (remove it) is not given for a
    container that carries another learner's label."""
    api = FakeEngine()
    api.add_container("web", labels={LEARNER_LABEL: THEM})
    note = held_by_another_learner(api, NAME_TAKEN, ME)
    assert note is not None and "another learner's container" in note and "`web-2`" in note
    assert "rm" not in note


@pytest.mark.parametrize("labels", [{LEARNER_LABEL: ME}, {}], ids=["mine", "nobody's"])
def test_a_name_held_by_the_learner_or_nobody_in_particular_keeps_dockers_advice(labels):
    api = FakeEngine()
    api.add_container("web", labels=labels)
    assert held_by_another_learner(api, NAME_TAKEN, ME) is None
    assert held_by_another_learner(api, PORT_TAKEN, ME) is None
