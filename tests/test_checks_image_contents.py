"""The `image_contents` check: an image's size, layers and files, judged on the real engine.

Parsing and sizes need no engine; the rest builds small images (labelled, removed after)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from engine_helpers import TEST_LABEL, ensure_image, require_engine, unique_name

from tutor.checks import CheckContext, CheckResult, evaluate, parse_check
from tutor.checks.dockerfile_image import CHECK_LABEL
from tutor.checks.image_contents import human_size, parse_size
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/demo.yaml"), lesson="demo", step="s", step_number=1)


def parse(text: str, problems: list | None = None):
    found: list = [] if problems is None else problems
    check = parse_check(parse_yaml("check:\n  " + text)["check"], WHERE.at_field("check"),
                        found, 1, {"app"})
    if problems is None:
        assert not found, [str(p) for p in found]
    return check


def problems_of(text: str) -> str:
    problems: list = []
    parse(text, problems)
    assert problems
    return " | ".join(str(p) for p in problems)


# -- sizes and parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "size"), [
    ("10MB", 10_000_000), ("1.5 GB", 1_500_000_000), ("500kB", 500_000), ("2048", 2048),
    ("10M", 10_000_000), ("3 mb", 3_000_000),
])
def test_sizes_are_decimal_like_docker_images(text, size):
    assert parse_size(text) == size


def test_a_size_in_words_is_no_size():
    assert parse_size("ten megabytes") is None
    assert "is not a size such as 10MB" in problems_of('image_contents: {ref: app:1, max_size: big}')


def test_human_sizes_look_like_docker_images():
    assert [human_size(n) for n in (512, 1_980_000, 180_300_000, 2_500_000_000)] == [
        "512 B", "1.98 MB", "180 MB", "2.5 GB"]


def test_paths_must_be_absolute_and_not_both_present_and_absent():
    text = problems_of("image_contents: {ref: app:1, files: [app.py, /a], absent: [/a]}")
    assert "'app.py' must be an absolute path in the image, such as /app.py" in text
    assert "/a cannot be both in files and absent" in text


def test_a_check_that_says_nothing_is_refused():
    assert "says nothing about the image's contents" in problems_of(
        "image_contents: {ref: app:1}")


def test_placeholders_are_taken():
    check = parse('image_contents: {ref: "{{ app }}", max_size: 10MB, contains: '
                  '{/www/index.html: Hello}}')
    assert check.contains == (("/www/index.html", "Hello"),)


# -- the real engine ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api():
    client = require_engine()
    ensure_image(client, "busybox")
    return client


@pytest.fixture(scope="module")
def site(api):
    """A small image: busybox plus a page, a note, and an empty folder."""
    tag = f"{unique_name('tutor-test-contents')}:1"
    dockerfile = ("FROM busybox\nRUN mkdir -p /www/empty && echo 'Hello from the site' > "
                  "/www/index.html\nRUN echo note > /note.txt\nCMD [\"httpd\", \"-f\"]\n")
    _build(api, tag, dockerfile)
    yield tag
    api.remove_image(tag, force=True)


def _build(api, tag: str, dockerfile: str) -> None:
    for event in api.build(fileobj=io.BytesIO(dockerfile.encode()), tag=tag, labels=TEST_LABEL,
                           rm=True, forcerm=True, decode=True):
        assert "error" not in event, event


def judge(api, text: str, ref: str) -> CheckResult:
    return evaluate(parse(text), CheckContext(api=api, workspace=Path("."), values={"app": ref}))


def failure(result: CheckResult) -> str:
    assert not result.passed
    return " | ".join(result.messages)


def probes_left(api) -> list:
    return [c for c in api.containers(all=True, filters={"label": CHECK_LABEL})
            if c["Labels"][CHECK_LABEL].startswith("image_contents:")]


@pytest.mark.engine
def test_real_small_image_with_its_files_passes(api, site):
    before = {c["Id"] for c in probes_left(api)}
    result = judge(api, 'image_contents: {ref: "{{ app }}", max_size: 10MB, max_layers: 4, '
                        'files: [/www/index.html, /www/empty], absent: [/usr/bin/python3], '
                        'contains: {/www/index.html: Hello from the site}}', site)
    assert result.passed, result.messages
    assert {c["Id"] for c in probes_left(api)} <= before  # the probe container is gone


@pytest.mark.engine
def test_real_size_over_the_limit_names_the_biggest_layer(api, site):
    text = failure(judge(api, 'image_contents: {ref: "{{ app }}", max_size: 1kB}', site))
    assert text.startswith(f'image "{site}" is ')
    assert "; expected at most 1 kB; its biggest layer (" in text


@pytest.mark.engine
def test_real_layers_over_the_limit(api, site):
    layers = len(api.inspect_image(site)["RootFS"]["Layers"])
    text = failure(judge(api, 'image_contents: {ref: "{{ app }}", max_layers: 1}', site))
    assert f"has {layers} layers; expected at most 1" in text


@pytest.mark.engine
def test_real_files_present_absent_and_contents(api, site):
    text = failure(judge(api, 'image_contents: {ref: "{{ app }}", files: [/www/missing.html], '
                              'absent: [/note.txt, /bin/sh], contains: {/www/index.html: Bye, '
                              '/www/empty: x}}', site))
    assert f'/www/missing.html is not in image "{site}"' in text
    assert f'/note.txt and /bin/sh are in image "{site}"; expected them left out' in text
    assert '/www/index.html in image' in text and 'does not contain "Bye"; it holds ' \
                                                   '"Hello from the site"' in text
    assert "/www/empty in image" in text and "is a directory" in text


@pytest.mark.engine
def test_real_image_without_a_command_can_be_looked_into(api, tmp_path):
    tag = f"{unique_name('tutor-test-contents')}:bare"
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "hello.txt").write_text("hello\n")
    (context / "Dockerfile").write_text("FROM scratch\nCOPY hello.txt /hello.txt\n")
    for event in api.build(path=str(context), tag=tag, labels=TEST_LABEL, rm=True,
                           decode=True):
        assert "error" not in event, event
    try:
        result = judge(api, 'image_contents: {ref: "{{ app }}", files: [/hello.txt], '
                            'absent: [/bin/sh]}', tag)
        assert result.passed, result.messages
    finally:
        api.remove_image(tag, force=True)


@pytest.mark.engine
def test_real_missing_image_lists_the_tags_there_are(api, site):
    repository = site.rsplit(":", 1)[0]
    text = failure(judge(api, 'image_contents: {ref: "{{ app }}", max_size: 10MB}',
                         f"{repository}:2"))
    assert f"({repository} has tags: 1)" in text
