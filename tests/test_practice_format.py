"""Practice-step fields in lesson files: lesson vars, file-writing solutions, cleanup steps."""

from __future__ import annotations

import io
import sys

from conftest import FakePractice, dedent, line_of, write_course

from tutor.course.lesson import Course, Lesson
from tutor.course.practice_spec import WriteFile
from tutor.environment import Environment
from tutor.lessonfile.lesson_file import load_lesson
from tutor.lessonfile.loader import load_course
from tutor.progress import LessonRecord, Progress, ProgressStore
from tutor.steps.cleanup import CleanupStep
from tutor.steps.command import CommandStep
from tutor.steps.say import SayStep

PRACTICE = dedent(
    """
    id: lab
    title: Lab
    summary: A practice lesson.
    needs_engine: true
    vars:
      registry_port: { free_port: 5000 }
    steps:
      - id: write-it
        type: command
        task: Write a Dockerfile in {{ workspace }}, then push to localhost:{{ registry_port }}.
        check: { workspace_file: { path: Dockerfile, contains: FROM } }
        hints: [Use /edit Dockerfile.]
        explanation: Pushed to {{ registry_port }}.
        solution:
          - write: Dockerfile
            content: "FROM busybox\\n"
          - docker images
        alternatives:
          - [{ write: Dockerfile, content: "from busybox\\n" }]
        wrong:
          - commands: [{ write: Dockerfile, content: "" }]
            reason: FROM
      - id: tidy
        type: cleanup
        text: Time to tidy up.
    """
)


def test_lesson_vars_are_visible_in_steps_and_workspace_is_built_in(tmp_path):
    problems = []
    path = tmp_path / "lab.yaml"
    path.write_text(PRACTICE)
    lesson = load_lesson(path, problems)
    assert problems == []
    assert [(v.name, v.form, v.default) for v in lesson.variables] == [
        ("registry_port", "free_port", "5000")]
    step = lesson.steps[0]
    assert isinstance(step, CommandStep)
    assert step.solution == (WriteFile("Dockerfile", "FROM busybox\n"), "docker images")
    assert step.alternatives == ((WriteFile("Dockerfile", "from busybox\n"),),)
    assert step.wrong_attempts[0].commands == (WriteFile("Dockerfile", ""),)
    assert isinstance(lesson.steps[1], CleanupStep)


def test_a_step_cannot_use_a_var_nobody_declared(tmp_path):
    text = PRACTICE.replace("localhost:{{ registry_port }}", "localhost:{{ regsitry_port }}")
    path = tmp_path / "lab.yaml"
    path.write_text(text)
    problems = []
    assert load_lesson(path, problems) is None
    messages = [str(p) for p in problems]
    assert any("{{ regsitry_port }}" in m and "step 'write-it'" in m for m in messages), messages


def test_write_action_needs_path_and_content_with_location(tmp_path):
    text = PRACTICE.replace('      - write: Dockerfile\n        content: "FROM busybox\\n"\n',
                            "      - write: Dockerfile\n")
    assert text != PRACTICE
    path = tmp_path / "lab.yaml"
    path.write_text(text)
    problems = []
    assert load_lesson(path, problems) is None
    (problem,) = [p for p in problems if "content" in str(p)]
    assert problem.where.field == "solution[1].content"
    assert problem.line == line_of(text, "- write: Dockerfile")


def test_lesson_vars_must_be_well_formed(tmp_path):
    text = PRACTICE.replace("{ free_port: 5000 }", "{ free_port: lots }")
    path = tmp_path / "lab.yaml"
    path.write_text(text)
    problems = []
    load_lesson(path, problems)
    assert any("vars.registry_port.free_port" in str(p) and "port number" in str(p)
               for p in problems), [str(p) for p in problems]


def test_lesson_record_keeps_values_and_created_across_saves(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    progress = Progress()
    record = progress.lesson("lab")
    record.values["registry_port"] = "5001"
    record.created.append({"kind": "container", "id": "abc", "name": "registry"})
    store.save(progress)
    loaded = store.load().progress.lessons["lab"]
    assert loaded.values == {"registry_port": "5001"}
    assert loaded.created == [{"kind": "container", "id": "abc", "name": "registry"}]


CLEANUP_COURSE = Course(title="c", lessons=(Lesson(
    id="lab", title="Lab", summary="s",
    steps=(SayStep(id="a", text="first"), CleanupStep(id="tidy", text="Time to tidy up."),
           SayStep(id="z", text="last words")),
),))


def test_cleanup_step_lists_created_resources_and_removes_on_yes(make_talk):
    practice = FakePractice()
    practice.created = [{"kind": "container", "id": "1", "name": "web"},
                        {"kind": "image", "ref": "hello:1"}]
    talk = make_talk(CLEANUP_COURSE, practice=practice)
    talk.say("")  # start the lesson
    shown = talk.say("")  # to the cleanup step
    assert "container web" in shown and "image hello:1" in shown
    assert "Remove all 2?" in shown
    after = talk.say("y")
    assert "Removed: container web, image hello:1." in after
    assert ("remove_created", 2) in practice.calls
    assert talk.position == ("lab", "z")  # removing moved on


def test_cleanup_step_keeps_everything_on_no(make_talk):
    practice = FakePractice()
    practice.created = [{"kind": "container", "id": "1", "name": "web"}]
    talk = make_talk(CLEANUP_COURSE, practice=practice)
    talk.say("")
    talk.say("")
    assert "Cancelled" in talk.say("n")
    assert not any(call[0] == "remove_created" for call in practice.calls)
    assert talk.position == ("lab", "tidy")
    talk.say("")
    assert talk.position == ("lab", "z")


def test_cleanup_command_with_nothing_created(make_talk):
    talk = make_talk(CLEANUP_COURSE, practice=FakePractice())
    talk.say("")
    assert "Nothing from this lesson is left to clean up." in talk.say("/cleanup")


def test_lesson_start_hands_the_record_to_practice(make_talk):
    practice = FakePractice()
    talk = make_talk(CLEANUP_COURSE, practice=practice)
    talk.say("")
    assert practice.begun == ["lab"]
    assert practice.record is talk.conv.progress.lessons["lab"]
    assert isinstance(practice.record, LessonRecord)


def _editing_session(tmp_path, environ):
    from tutor.practice.session import PracticeSession

    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ,
                      data_dir=tmp_path / "data", stdout_isatty=False, stdin_isatty=False,
                      width=200)
    return env, PracticeSession(env, workspace_root=tmp_path / "ws")


def test_edit_is_handed_to_practice(make_talk):
    practice = FakePractice()
    talk = make_talk(CLEANUP_COURSE, practice=practice)
    talk.say("/edit Dockerfile")
    assert ("edit", "Dockerfile") in practice.calls


def test_edit_opens_the_editor_on_a_workspace_file(tmp_path):
    editor = tmp_path / "fake-editor"
    editor.write_text(f"#!{sys.executable}\nimport sys\n"
                      "open(sys.argv[1], 'w').write('FROM busybox\\n')\n")
    editor.chmod(0o755)
    env, practice = _editing_session(tmp_path, {"EDITOR": str(editor), "PATH": "/usr/bin:/bin"})
    practice.edit("Dockerfile")
    assert (tmp_path / "ws" / "Dockerfile").read_text() == "FROM busybox\n"
    assert "Saved" in env.stdout.getvalue()


def test_edit_refuses_paths_outside_the_workspace(tmp_path):
    env, practice = _editing_session(tmp_path, {"EDITOR": "/bin/false"})
    practice.edit("../../etc/passwd")
    assert "outside the lesson's workspace" in env.stdout.getvalue()


def test_workspace_option_sets_where_practice_runs(make_env, tmp_path):
    from tutor.cli import build_parser

    args = build_parser().parse_args(["--workspace", str(tmp_path / "w"), "lint"])
    assert args.workspace == tmp_path / "w"
    env = make_env()
    assert env.workspace_root == env.data_dir / "workspace"
    env.environ = {"DOCKER_TUTOR_WORKSPACE": str(tmp_path / "elsewhere")}
    assert env.workspace_root == tmp_path / "elsewhere"


def test_inventory_reports_only_new_resources():
    from tutor.practice.inventory import Snapshot, added
    from tutor.practice.protocol import describe_created as describe

    before = Snapshot(frozenset({"a"}), {"a": "old"}, frozenset({"busybox:latest"}))
    after = Snapshot(frozenset({"a", "b"}), {"a": "old", "b": "web"},
                     frozenset({"busybox:latest", "hello:1"}))
    items = added(before, after)
    assert items == [{"kind": "container", "id": "b", "name": "web"},
                     {"kind": "image", "ref": "hello:1"}]
    assert [describe(i) for i in items] == ["container web", "image hello:1"]


def test_say_steps_fill_in_the_workspace_and_lesson_vars(make_talk, tmp_path):
    lesson_yaml = dedent(
        """
        id: lab
        title: Lab
        summary: s
        vars:
          port: { free_port: 5000 }
        steps:
          - id: where
            type: say
            text: Your files are in {{ workspace }}; the app listens on {{ port }}.
        """
    )
    course = load_course(write_course(tmp_path / "lessons", {"lab": lesson_yaml}))
    assert not course.problems, [str(p) for p in course.problems]
    practice = FakePractice()
    practice.values_for = lambda step: {"workspace": "/home/me/ws/lab", "port": "5001"}
    talk = make_talk(course, practice=practice)
    shown = talk.say("")
    assert "Your files are in /home/me/ws/lab; the app listens on 5001." in shown


def test_undeclared_placeholder_outside_practice_steps_is_a_lint_problem(tmp_path):
    lesson_yaml = dedent(
        """
        id: lab
        title: Lab
        summary: s
        steps:
          - id: where
            type: say
            text: Open {{ workspace }} and port {{ port }}.
        """
    )
    course = load_course(write_course(tmp_path / "lessons", {"lab": lesson_yaml}))
    messages = [str(p) for p in course.problems]
    assert len(messages) == 1, messages
    assert "step 'where'" in messages[0] and "{{ port }}" in messages[0]
    assert "{{ workspace }}" not in messages[0].split("uses")[1].split("but")[0]


def test_edit_refuses_a_home_folder_path_and_creates_no_tilde_folder(tmp_path):
    env, practice = _editing_session(tmp_path, {"EDITOR": "/bin/true"})
    practice.edit("~/x")
    assert "outside the lesson's workspace" in env.stdout.getvalue()
    assert not (tmp_path / "ws" / "~").exists()
