"""Guided self-study: the recap, what next, the progress report (terminal, JSON,
Markdown), the time spent, and profiles."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from conftest import SHIPPED_LESSONS, saved
from quizkit import FakeClock, write_quiz_course

from tutor.cli import main
from tutor.environment import Environment
from tutor.lessonfile.loader import load_course
from tutor.progress import PASSED, SKIPPED, Progress, ProgressStore
from tutor.progress.reviews import AGAIN, GOOD
from tutor.quiz.questions import collect_questions
from tutor.quiz.schedule import record_answer
from tutor.status import ExitStatus
from tutor.study.recap import cheat_sheet
from tutor.study.recommend import next_lesson, recommend
from tutor.study.report import bar, build_report, report_markdown
from tutor.study.timing import IDLE_CAP_SECONDS, TimeKeeper, duration


@pytest.fixture
def lessons(tmp_path):
    return write_quiz_course(tmp_path / "lessons")


@pytest.fixture
def course(lessons):
    loaded = load_course(lessons)
    assert not loaded.problems
    return loaded


def finish(progress: Progress, lesson_id: str) -> None:
    progress.lesson(lesson_id).completed_at = "2025-03-01T10:00:00+0000"


def key_of(course, step_id: str, mode: str = "ask") -> str:
    return next(q.key for q in collect_questions(course)
                if q.step.id == step_id and q.mode == mode)


# -- the recap ------------------------------------------------------------------------------


def test_the_cheat_sheet_lists_the_practice_commands_then_the_lessons_lines(course):
    lines = cheat_sheet(course.lesson("practice"))
    assert [line.command for line in lines] == [
        "docker run -d --name web busybox sleep 600", "docker ps", "docker ps -a", None]
    assert lines[0].text.startswith("Create and run a new container from an image; -d: run "
                                    "container in background")
    assert "--name: assign a name to the container" in lines[0].text
    assert lines[1].text == "List containers"
    assert lines[3].text == "A container lives as long as its main process."
    assert cheat_sheet(course.lesson("basics")) == []


def test_the_shipped_cheat_sheets_use_defaults_and_setup_names():
    shipped = load_course(SHIPPED_LESSONS)
    commands = [line.command for line in cheat_sheet(shipped.lesson("container-commands"))]
    assert "docker run -d --name web -p 8080:80 busybox httpd -f -p 80" in commands
    assert "docker cp notes.txt box:/tmp/notes.txt" in commands
    assert commands[-3:] == ["docker ps -a", "docker logs web", "docker exec -it web sh"]
    flask = [line.command for line in cheat_sheet(shipped.lesson("flask-capstone"))]
    assert any('-v "$PWD:/app"' in (command or "") for command in flask)
    concept = cheat_sheet(shipped.lesson("what-is-docker"))
    assert concept[0].command == "docker build -t myapp:1 ."


def test_recap_command_and_the_recap_at_the_end_of_a_lesson(make_talk, course):
    talk = make_talk(course)
    out = talk.say("/recap practice")
    assert "Cheat sheet: Practice" in out and "docker ps -a" in out
    assert "has no commands to recap" in talk.say("/recap basics")
    assert "There is no lesson 'nope'" in talk.say("/recap nope")
    assert "Which lesson?" in talk.say("/recap")
    talk.say("/start practice")
    talk.say("/skip")
    out = talk.say("/skip")
    assert "Lesson complete: Practice" in out
    assert "Cheat sheet: Practice" in out and "docker run -d --name web busybox sleep 600" in out
    assert "Cheat sheet: Practice" in talk.say("/recap")  # the lesson finished last


# -- what next --------------------------------------------------------------------------------


def test_the_next_lesson_is_one_whose_prerequisites_are_done(course):
    progress = Progress()
    assert next_lesson(course, progress).id == "basics"
    finish(progress, "practice")  # done out of order
    assert next_lesson(course, progress).id == "basics"
    progress = Progress()
    progress.lesson("basics").step("intro").status = PASSED  # started, not finished
    assert next_lesson(course, progress).id == "basics"
    finish(progress, "basics")
    assert next_lesson(course, progress).id == "practice"
    finish(progress, "practice")
    assert next_lesson(course, progress) is None


def test_next_lesson_skips_one_whose_prerequisites_are_missing(tmp_path):
    from conftest import FIRST_LESSON, SECOND_LESSON, write_course

    third = SECOND_LESSON.replace("id: second", "id: third").replace(
        "title: Second lesson", "title: Third lesson").replace("requires: [first]",
                                                               "requires: []")
    course = load_course(write_course(tmp_path / "l", {"first": FIRST_LESSON,
                                                       "second": SECOND_LESSON,
                                                       "third": third},
                                      listed=["second", "first", "third"]))
    progress = Progress()
    # "second" comes first in the course but needs "first".
    assert next_lesson(course, progress).id == "first"


def test_due_reviews_then_the_weakest_topic(course):
    clock = FakeClock()
    progress = Progress()
    assert recommend(course, progress, clock()).quiz_advice(course) is None
    finish(progress, "basics")
    record_answer(progress.quiz.question(key_of(course, "kernel")), GOOD, clock())
    record_answer(progress.quiz.question(key_of(course, "registry")), AGAIN, clock())
    clock.advance(hours=2)
    advice = recommend(course, progress, clock())
    assert advice.due == 2 and advice.lesson is not None and advice.lesson.id == "practice"
    assert advice.quiz_advice(course) == "2 quiz questions are due for review: /quiz goes " \
                                         "over them."
    for step in ("kernel", "registry", "runtimes"):
        record = progress.quiz.question(key_of(course, step))
        record_answer(record, GOOD, clock())
        clock.advance(hours=1)
        record_answer(record, GOOD, clock())
    record_answer(progress.quiz.question(key_of(course, "runtimes")), AGAIN, clock())
    advice = recommend(course, progress, clock())
    assert advice.due == 0
    assert advice.weakest is not None and advice.weakest.topic == "running"
    assert advice.quiz_advice(course) == ("Your weakest topic: Running containers (0% "
                                          "mastered). /quiz running practises it.")


def test_the_start_screen_says_what_is_due(make_talk, course, progress_path):
    clock = FakeClock()
    progress = Progress()
    record_answer(progress.quiz.question(key_of(course, "kernel")), AGAIN, clock())
    talk = make_talk(course, progress=progress)
    talk.conv.clock = lambda: clock.now + timedelta(hours=1)
    talk.conv.greet()
    out = talk.output()
    assert "Press Enter to start “Basics”" in out
    assert "1 quiz question is due for review: /quiz goes over them." in out


def test_next_with_no_lesson_open_and_all_done_recommends_a_quiz(make_talk, course):
    progress = Progress()
    finish(progress, "basics")
    finish(progress, "practice")
    talk = make_talk(course, progress=progress)
    out = talk.say("/next")
    assert "Every lesson is done." in out
    assert "Your weakest topic: The kernel (0% mastered). /quiz kernel practises it." in out


def test_starting_a_lesson_before_its_prerequisites_warns_and_goes_on(make_talk, course):
    talk = make_talk(course)
    out = talk.say("/start practice")
    assert "This lesson builds on: Basics, not finished yet. Fine to go ahead; /start basics " \
           "opens it first." in " ".join(out.split())
    assert talk.position == ("practice", "run-web")


# -- the report -------------------------------------------------------------------------------


def sample_progress(course, clock) -> Progress:
    progress = Progress()
    basics = progress.lesson("basics")
    basics.completed_at = "2025-03-02T10:00:00+0000"
    basics.seconds = 600
    for step_id in ("intro", "kernel", "registry", "runtimes", "just-now"):
        basics.step(step_id).status = PASSED
    basics.step("registry").attempts = 2
    basics.step("kernel").hints = 1
    practice = progress.lesson("practice")
    practice.step("run-web").status = SKIPPED
    practice.seconds = 75
    progress.quiz.seconds = 130
    record_answer(progress.quiz.question(key_of(course, "kernel")), GOOD, clock())
    clock.advance(minutes=15)
    record_answer(progress.quiz.question(key_of(course, "kernel")), GOOD, clock())
    record_answer(progress.quiz.question(key_of(course, "registry")), AGAIN, clock())
    clock.advance(minutes=5)
    return progress


def test_the_report_as_json(course):
    clock = FakeClock()
    report = build_report(course, sample_progress(course, clock), clock(), profile="ana")
    data = report.to_json()
    assert data["version"] == 1 and data["profile"] == "ana"
    assert data["lessons_done"] == 1 and data["lessons_total"] == 2
    basics, practice = data["lessons"]
    assert basics == {"id": "basics", "title": "Basics", "status": "done", "steps_done": 5,
                      "steps": 5, "first_try": 3, "questions": 4, "hints": 1, "skipped": 0,
                      "seconds": 600, "completed_at": "2025-03-02T10:00:00+0000"}
    assert (practice["status"], practice["steps_done"], practice["skipped"]) == ("started", 1, 1)
    topics = {topic["id"]: topic for topic in data["quiz"]["topics"]}
    assert topics["kernel"] == {"id": "kernel", "title": "The kernel", "questions": 2,
                                "answered": 1, "mastered": 1, "due": 0, "mastery": 0.5}
    assert topics["registries"]["due"] == 1
    assert data["quiz"]["due_now"] == 1
    assert data["quiz"]["next_due"] is not None
    assert data["time"] == {"lessons_seconds": 675, "quiz_seconds": 130, "total_seconds": 805}
    assert data["next"]["lesson"] == "practice"
    assert "1 quiz question is due for review: /quiz goes over them." in data["next"]["advice"]
    json.dumps(data)  # plain JSON


def test_the_report_as_markdown(course):
    clock = FakeClock()
    report = build_report(course, sample_progress(course, clock), clock(), profile="ana")
    text = report_markdown(report, clock())
    assert text.startswith("# Docker tutor: progress (ana)\n")
    assert "**1 of 2 lessons complete**; time spent: 11 min in lessons, 2 min in quizzes." in text
    assert "| Basics ✔ | ██████████ 100% | 5/5 | 3/4 | 1 | 0 | 10 min |" in text
    assert "| Practice | █████░░░░░ 50% | 1/2 | 0/2 | 0 | 1 | 1 min |" in text
    assert "| The kernel | █████░░░░░ 1/2 | 1/2 | 0 |" in text
    assert "1 question due now." in text
    assert "- Next lesson: “Practice” (/start practice)." in text


def test_progress_on_the_terminal(make_talk, course):
    clock = FakeClock()
    talk = make_talk(course, progress=sample_progress(course, clock))
    talk.conv.clock = clock
    out = talk.say("/progress")
    assert "1 of 2 lessons complete." in out
    assert "Time spent: 11 min in lessons, 2 min in quizzes." in out
    assert "Quiz mastery" in out and "█████░░░░░ 1/2" in out
    assert "1 question due for review now." in out
    assert "Next lesson: “Practice” (/start practice)." in out


def test_progress_json_and_export_in_the_tutor(make_talk, course, tmp_path):
    clock = FakeClock()
    talk = make_talk(course, progress=sample_progress(course, clock))
    talk.conv.clock = clock
    out = talk.say("/progress --json")
    assert json.loads(out)["lessons_done"] == 1
    target = tmp_path / "out" / "report"
    target.parent.mkdir()
    out = talk.say(f"/progress --export {target}")
    assert f"Wrote your progress report to {target}.md." in " ".join(out.split())
    assert (tmp_path / "out" / "report.md").read_text().startswith("# Docker tutor: progress")
    assert "Could not write" in talk.say(f"/progress --export {tmp_path}/missing/dir/r.md")
    assert "Usage: /progress" in talk.say("/progress --frobnicate")


def cli_env(tmp_path, lessons, environ=None) -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ or {},
                       data_dir=tmp_path / "data", lessons_dir=lessons, stdout_isatty=False,
                       stdin_isatty=False, width=120)


def test_docker_tutor_progress(tmp_path, lessons, course):
    progress = sample_progress(course, FakeClock())
    ProgressStore(tmp_path / "data" / "progress.json").save(progress)
    env = cli_env(tmp_path, lessons)
    assert main(["progress", "--json"], env=env) == ExitStatus.SUCCESS
    data = json.loads(env.stdout.getvalue())
    assert data["lessons_done"] == 1 and data["profile"] is None
    env = cli_env(tmp_path, lessons)
    assert main(["progress"], env=env) == ExitStatus.SUCCESS
    assert "1 of 2 lessons complete." in env.stdout.getvalue()
    env = cli_env(tmp_path, lessons)
    target = tmp_path / "shared.md"
    assert main(["progress", "--export", str(target)], env=env) == ExitStatus.SUCCESS
    assert "| Basics ✔ |" in target.read_text()
    env = cli_env(tmp_path, lessons)
    assert main(["progress", "--export", str(tmp_path / "no" / "r.md")], env=env) == \
        ExitStatus.ERROR


# -- profiles ---------------------------------------------------------------------------------


def test_profiles_keep_separate_progress(tmp_path, lessons):
    env = cli_env(tmp_path, lessons)
    env.profile = "ana"
    assert env.progress_path == tmp_path / "data" / "profiles" / "ana" / "progress.json"
    assert env.history_path == tmp_path / "data" / "profiles" / "ana" / "history"
    assert env.workspace_root == tmp_path / "data" / "profiles" / "ana" / "workspace"
    assert cli_env(tmp_path, lessons).progress_path == tmp_path / "data" / "progress.json"
    from_variable = cli_env(tmp_path, lessons, {"DOCKER_TUTOR_PROFILE": "ben"})
    assert from_variable.profile == "ben"

    progress = Progress()
    progress.lesson("basics").completed_at = "2025-03-01T10:00:00+0000"
    ProgressStore(env.progress_path).save(progress)
    ana = cli_env(tmp_path, lessons)
    assert main(["--profile", "ana", "progress", "--json"], env=ana) == ExitStatus.SUCCESS
    assert json.loads(ana.stdout.getvalue())["lessons_done"] == 1
    assert json.loads(ana.stdout.getvalue())["profile"] == "ana"
    ben = cli_env(tmp_path, lessons)
    assert main(["--profile", "ben", "progress", "--json"], env=ben) == ExitStatus.SUCCESS
    assert json.loads(ben.stdout.getvalue())["lessons_done"] == 0


@pytest.mark.parametrize("name", ["../evil", "a/b", "", ".hidden", "x" * 41])
def test_a_profile_name_must_be_a_plain_name(tmp_path, lessons, name):
    env = cli_env(tmp_path, lessons)
    status = main(["--profile", name, "progress"], env=env)
    if name == "":
        assert status == ExitStatus.SUCCESS  # an empty name is the default learner
        return
    assert status == ExitStatus.USAGE
    assert "cannot name a profile" in env.stderr.getvalue()


# -- time spent -------------------------------------------------------------------------------


def test_time_keeper_caps_idle_time():
    now = iter([0.0, 20.0, 20.0 + 3 * IDLE_CAP_SECONDS, 5.0])
    keeper = TimeKeeper(lambda: next(now))
    assert keeper.tick() == 20.0
    assert keeper.tick() == IDLE_CAP_SECONDS
    assert keeper.tick() == 0.0  # a clock that went back counts nothing


def test_time_in_a_lesson_is_saved_with_it(make_talk, course, progress_path):
    talk = make_talk(course)
    ticks = iter([50.0, 80.0])
    talk.conv.timer.clock = lambda: next(ticks)
    talk.conv.timer.last = 0.0
    talk.say("/start basics")  # 50 s before any lesson: counted nowhere
    talk.say("")  # 30 s in basics
    assert saved(progress_path).lessons["basics"].seconds == 30.0


@pytest.mark.parametrize(("seconds", "text"), [(5, "5 s"), (125, "2 min"), (3900, "1 h 05 min")])
def test_durations(seconds, text):
    assert duration(seconds) == text


def test_bars():
    assert bar(0) == "░" * 10 and bar(1) == "█" * 10 and bar(0.34) == "███░░░░░░░"


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_the_report_fits_narrow_windows_without_cutting_numbers(width):
    from conftest import make_console

    shipped = load_course(SHIPPED_LESSONS)
    clock = FakeClock()
    progress = Progress()
    for question in collect_questions(shipped)[:5]:
        record_answer(progress.quiz.question(question.key), GOOD, clock())
    progress.lesson(shipped.lessons[0].id).seconds = 4000
    console = make_console()
    console.width = width
    from tutor.study.view import show_report

    show_report(console, build_report(shipped, progress, clock()), clock())
    lines = console.file.getvalue().splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    assert not any("…" in line for line in lines)
    for lesson in shipped.lessons:
        assert any(f"0/{len(lesson.steps)}" in line for line in lines), lesson.id
    assert any("1h06" in line or "1 h 06 min" in line for line in lines)


def test_the_tutor_names_the_profile_and_keeps_its_progress_apart(tmp_path, lessons):
    from replkit import CTRL_D, line, run_keys

    data = tmp_path / "data"
    run = run_keys(data, [line("/start basics"), CTRL_D], lessons,
                   argv=("--no-banner", "--profile", "ana"))
    assert "Profile: ana" in run.text
    assert json.loads((data / "profiles" / "ana" / "progress.json").read_text())[
        "current"]["lesson"] == "basics"
    assert not (data / "progress.json").exists()
