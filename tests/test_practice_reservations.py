"""Names and ports that sessions on one machine hand out are reserved per engine, so a
class entering a step in the same second is given a name each (no engine: the engine
side is tests/fake_engine.py; the reservations are real files and locks in tmp_path)."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, dedent, write_course
from fake_engine import FakeEngine

from tutor.course.lesson import Lesson
from tutor.engine.endpoint import Endpoint
from tutor.lessonfile.loader import load_course
from tutor.practice.labels import LEARNER_LABEL
from tutor.practice.place import LessonPlace
from tutor.practice.reservations import (
    CHOOSING_LOCK,
    RESERVATION_SECONDS,
    Ledger,
    engine_key,
    ledger_for,
)
from tutor.practice.sessions import SessionLock
from tutor.practice.values import choose_again, choose_missing, personal_suffix
from tutor.progress import LessonRecord

LESSON = """
id: race
title: Race
summary: Two learners, one engine.
needs_engine: true
steps:
  - id: run
    type: command
    task: Start `{{{{ name }}}}` on port {{{{ port }}}}.
    vars:
      name: {{ free_name: web }}
      port: {{ free_port: {port} }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running }}
    hints: [docker run -d.]
    explanation: Runs.
    solution: ["docker run -d --name {{{{ name }}}} -p {{{{ port }}}}:80 busybox httpd -f -p 80"]
"""
ANA, BEN = "a1b2c3d4e5f6", "f6e5d4c3b2a1"


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lesson(tmp_path: Path) -> Lesson:
    # A port below 64000: a personal port (up to 990 above) stays a port.
    port = unused_port() % 30000 + 20000
    course = load_course(write_course(tmp_path / "lessons", {"race": dedent(
        LESSON.format(port=port))}))
    assert not course.problems, [str(p) for p in course.problems]
    return course.lessons[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "runtime" / "reservations" / "engine"


class Seat:
    """One learner's session: their lesson record, and their ledger on the engine."""

    def __init__(self, lesson: Lesson, folder: Path | None, learner: str, session: str,
                 **ledger: object) -> None:
        self.lesson = lesson
        self.learner = learner
        self.place = LessonPlace(Path("/nonexistent"), lesson, LessonRecord())
        self.ledger = Ledger(folder, learner, session, **ledger)  # type: ignore[arg-type]

    def choose(self, api: FakeEngine, shared: bool | None = None) -> dict[str, str]:
        choose_missing(api, self.place, self.lesson.steps[0], self.learner, shared,
                       self.ledger)
        return {key.split(".")[-1]: value for key, value in self.place.record.values.items()}


def test_a_learner_alone_keeps_the_lessons_own_names(lesson, folder):
    ana = Seat(lesson, folder, ANA, "s-ana")
    values = ana.choose(FakeEngine())
    assert values == {"name": "web", "port": str(lesson.steps[0].own_vars()[1].default)}
    kept = json.loads((folder / "s-ana.json").read_text())
    assert kept["learner"] == ANA and kept["values"] == {"free_name": ["web"],
                                                           "free_port": [values["port"]]}


def test_two_sessions_choosing_at_once_are_given_a_name_and_a_port_each(lesson, folder):
    """Neither is told the engine is shared and nothing runs on it yet: the second to
    choose sees the first one's reservation, and takes names of its own."""
    api = FakeEngine()
    seats = [Seat(lesson, folder, ANA, "s-ana"), Seat(lesson, folder, BEN, "s-ben")]
    together = threading.Barrier(2)
    chosen: dict[str, dict[str, str]] = {}

    def enter(seat: Seat) -> None:
        together.wait()
        chosen[seat.learner] = seat.choose(api)

    threads = [threading.Thread(target=enter, args=(seat,)) for seat in seats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    names = {learner: values["name"] for learner, values in chosen.items()}
    assert chosen[ANA]["port"] != chosen[BEN]["port"]
    first = ANA if names[ANA] == "web" else BEN
    second = BEN if first == ANA else ANA
    assert names[first] == "web"
    assert names[second] == f"web-{personal_suffix(second)}"


def test_told_the_engine_is_not_shared_a_second_session_still_avoids_the_first(
        lesson, folder):
    api = FakeEngine()
    ana = Seat(lesson, folder, ANA, "s-ana")  # kept: a session's reservations end with it
    ana.choose(api, shared=False)
    assert Seat(lesson, folder, BEN, "s-ben").choose(api, shared=False)["name"] == "web-2"


def test_the_same_learners_other_session_is_not_someone_else(lesson, folder):
    api = FakeEngine()
    assert Seat(lesson, folder, ANA, "s-one").choose(api)["name"] == "web"
    assert Seat(lesson, folder, ANA, "s-two").choose(api)["name"] == "web"


def test_a_name_recorded_earlier_and_reserved_by_another_session_now_is_chosen_anew(
        lesson, folder):
    api = FakeEngine()
    ana = Seat(lesson, folder, ANA, "s-ana")
    ana.place.record.values["run.name"] = "web"  # from yesterday's session
    ben = Seat(lesson, folder, BEN, "s-ben")
    ben.choose(api)  # Ben took web today
    assert ana.choose(api)["name"] == f"web-{personal_suffix(ANA)}"


def test_a_name_lost_to_another_learner_is_chosen_anew_and_reserved(lesson, folder):
    api = FakeEngine()
    ana = Seat(lesson, folder, ANA, "s-ana")
    ana.choose(api)
    assert choose_again(api, ana.place, lesson.steps[0], ANA, "free_name", "web", ana.ledger)
    assert ana.place.record.values["run.name"] == f"web-{personal_suffix(ANA)}"
    kept = json.loads((folder / "s-ana.json").read_text())
    assert kept["values"]["free_name"] == [f"web-{personal_suffix(ANA)}"]
    assert not choose_again(api, ana.place, lesson.steps[0], ANA, "free_name", "db",
                            ana.ledger)


def test_a_session_that_ends_lets_its_names_go(lesson, folder):
    api = FakeEngine()
    ana = Seat(lesson, folder, ANA, "s-ana")
    ana.choose(api)
    ana.ledger.release()
    assert not (folder / "s-ana.json").exists()
    assert Seat(lesson, folder, BEN, "s-ben").choose(api)["name"] == "web"


def test_a_killed_sessions_reservations_lapse_at_once_and_are_tidied(lesson, folder):
    """The killed process held the lock on its session file; the kernel let it go."""
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from tutor.practice.reservations import Ledger\n"
        "ledger = Ledger(Path(sys.argv[1]), 'someone-else', 's-killed')\n"
        "with ledger.choosing() as claim:\n"
        "    claim.keep('race/run.name', 'free_name', 'web')\n"
        "os._exit(0)  # no clean-up: as if killed\n")
    subprocess.run([sys.executable, "-c", script, str(folder)], check=True, cwd=REPO,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    assert (folder / "s-killed.json").exists()
    assert Seat(lesson, folder, BEN, "s-ben").choose(FakeEngine())["name"] == "web"
    assert not (folder / "s-killed.json").exists()
    assert not (folder / "s-killed.lock").exists()


def test_a_reservation_not_renewed_lapses_even_while_its_session_runs(lesson, folder):
    api = FakeEngine()
    ana = Seat(lesson, folder, ANA, "s-ana", clock=lambda: 1_000_000.0)
    ana.choose(api)
    soon = Seat(lesson, folder, BEN, "s-soon", clock=lambda: 1_000_000.0 + 60)
    assert soon.choose(api)["name"] == f"web-{personal_suffix(BEN)}"
    later = Seat(lesson, folder, "c0ffee000000", "s-later",
                 clock=lambda: 1_000_001.0 + RESERVATION_SECONDS)
    # Ana's lapsed; Ben's (renewed at +60) still holds his.
    assert later.choose(api, shared=False)["name"] == "web"


def test_a_corrupt_record_is_passed_over_and_a_dead_ones_removed(lesson, folder):
    folder.mkdir(parents=True)
    alive = SessionLock(folder, "s-garbled")
    alive.hold()
    (folder / "s-garbled.json").write_text("{not json")
    (folder / "s-dead.json").write_text(json.dumps(["not", "a", "record"]))
    (folder / "s-odd.json").write_text(json.dumps({"learner": BEN, "expires": "soon",
                                                   "values": {"free_name": ["web"]}}))
    SessionLock(folder, "s-odd").hold()
    assert Seat(lesson, folder, ANA, "s-ana").choose(FakeEngine())["name"] == "web"
    assert (folder / "s-garbled.json").exists()  # its session runs: left alone
    assert not (folder / "s-dead.json").exists()


def test_a_folder_that_cannot_be_made_reserves_nothing_and_choosing_goes_on(lesson, tmp_path):
    (tmp_path / "a-file").write_text("")
    ana = Seat(lesson, tmp_path / "a-file" / "reservations" / "engine", ANA, "s-ana")
    assert ana.choose(FakeEngine())["name"] == "web"


def test_a_record_that_cannot_be_written_reserves_nothing_and_choosing_goes_on(lesson,
                                                                                 folder):
    (folder / "s-ana.json").mkdir(parents=True)  # os.replace cannot put a file there
    api = FakeEngine()
    assert Seat(lesson, folder, ANA, "s-ana").choose(api)["name"] == "web"
    assert not list(folder.glob("*.tmp"))
    # Nothing was reserved, so Ben is given web as well (the engine decides then).
    assert Seat(lesson, folder, BEN, "s-ben").choose(api)["name"] == "web"


def test_a_choosing_lock_held_too_long_does_not_stop_a_session(lesson, folder):
    folder.mkdir(parents=True)
    with open(folder / CHOOSING_LOCK, "w") as stuck:
        fcntl.flock(stuck, fcntl.LOCK_EX)
        ana = Seat(lesson, folder, ANA, "s-ana", lock_wait=0)
        assert ana.choose(FakeEngine())["name"] == "web"
    assert json.loads((folder / "s-ana.json").read_text())["values"]["free_name"] == ["web"]


def test_the_folders_are_open_to_every_user_as_tmp_is(lesson, tmp_path):
    folder = tmp_path / "runtime" / "reservations" / "engine"
    ana = Seat(lesson, folder, ANA, "s-ana")
    ana.choose(FakeEngine())
    for level in (folder, folder.parent, folder.parent.parent):
        assert level.stat().st_mode & 0o7777 == 0o1777
    assert (folder / "s-ana.json").stat().st_mode & 0o777 == 0o644


def test_one_engine_is_one_record_whatever_the_path_to_its_socket(tmp_path):
    socket_file = tmp_path / "docker.sock"
    socket_file.write_text("")
    (tmp_path / "alias.sock").symlink_to(socket_file)
    direct = Endpoint(host=f"unix://{socket_file}", source="DOCKER_HOST")
    aliased = Endpoint(host=f"unix://{tmp_path / 'alias.sock'}", source="DOCKER_HOST")
    remote = Endpoint(host="tcp://10.0.0.5:2376", source="DOCKER_HOST")
    assert engine_key(direct) == engine_key(aliased) != engine_key(remote)
    ledger = ledger_for(tmp_path / "runtime", remote, ANA, "s-ana")
    assert ledger.folder == tmp_path / "runtime" / "reservations" / engine_key(remote)
    assert ledger_for(None, remote, ANA, "s-ana").folder is None


@pytest.mark.parametrize("state, age, personal", [
    ("running", 3600, True),
    ("created", 2, True),      # their `docker run` between create and start: no port yet
    ("created", 3600, False),  # made long ago and never started: left behind
    ("exited", 2, False),      # a learner who practised here once
])
def test_another_learners_container_running_or_just_created_makes_names_personal(
        lesson, state, age, personal):
    api = FakeEngine()
    api.add_container("web", state=state, labels={LEARNER_LABEL: BEN},
                      created=int(time.time()) - age)
    name = Seat(lesson, None, ANA, "s-ana").choose(api)["name"]
    assert name == (f"web-{personal_suffix(ANA)}" if personal else "web-2")


def test_the_learners_own_just_created_container_keeps_names_plain(lesson):
    api = FakeEngine()
    api.add_container("box", state="created", labels={LEARNER_LABEL: ANA},
                      created=int(time.time()))
    assert Seat(lesson, None, ANA, "s-ana").choose(api)["name"] == "web"
