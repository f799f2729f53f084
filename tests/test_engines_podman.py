"""Podman's Docker-compatible API: where it answers differently from Docker's engine,
the checks and the tutor's bookkeeping must still judge what the learner did.

Needs scripts/engine/podman-up (TUTOR_TEST_PODMAN_HOST); skipped without it.
"""

from __future__ import annotations

import time

import pytest
from engines_kit import EngineUnderTest, engine_fixture, free_port, until

from tutor.checks.events import EventsCheck
from tutor.checks.images import ImageCheck
from tutor.checks.network import RegistryTagCheck
from tutor.checks.process import ProcessCheck
from tutor.checks.queries import is_podman
from tutor.checks.refs import repo_tags
from tutor.course.practice_spec import SetupAction
from tutor.engine.product import identify
from tutor.practice.diagnose import diagnose
from tutor.practice.engine_limits import limit_hit
from tutor.practice.fixtures import apply_setup, labelled_images
from tutor.practice.inventory import snapshot
from tutor.practice.labels import LEARNER_LABEL
from tutor.practice.values import taken_by_others

pytestmark = pytest.mark.podman

podman = pytest.fixture(engine_fixture("TUTOR_TEST_PODMAN_HOST", "scripts/engine/podman-up"))


def test_the_engine_is_named_podman(podman: EngineUnderTest) -> None:
    status = podman.engine.probe()
    assert status.ok
    product = identify(podman.engine.endpoint, status.platform_name, status.components)
    assert product.podman and product.name.startswith("Podman ")
    assert is_podman(podman.api)


def test_tags_are_listed_with_their_registry_and_read_as_docker_shows_them(
        podman: EngineUnderTest) -> None:
    ref = podman.image("tags")
    podman.docker("tag", "busybox:latest", ref)
    listed = [tag for image in podman.api.images() for tag in image.get("RepoTags") or ()]
    assert f"docker.io/library/{ref}" in listed  # Podman's own spelling
    familiar = [tag for image in podman.api.images() for tag in repo_tags(image)]
    assert ref in familiar and f"docker.io/library/{ref}" not in familiar
    assert ref in snapshot(podman.api).image_tags


def test_an_image_named_localhost_slash_is_the_one_its_short_name_means(
        podman: EngineUnderTest) -> None:
    """`podman build -t app:1` names the image localhost/app:1, and Podman resolves app:1
    to it: the image check accepts it for app:1, and for nothing else."""
    ref = podman.image("local")
    repository, tag = ref.split(":")
    podman.images.append(f"localhost/{ref}")
    podman.api.tag("busybox:latest", f"localhost/{repository}", tag)
    listed = [tag for image in podman.api.images() for tag in image.get("RepoTags") or ()]
    assert f"localhost/{ref}" in listed and f"docker.io/library/{ref}" not in listed
    ctx = podman.context()
    assert ImageCheck(ref=ref).evaluate(ctx).passed
    assert ImageCheck(ref=f"localhost/{ref}").evaluate(ctx).passed
    other = ImageCheck(ref=f"{repository}:2").evaluate(ctx)
    assert not other.passed and "does not exist" in other.messages[0]
    absent = ImageCheck(ref=ref, absent=True).evaluate(ctx)
    assert not absent.passed and "still exists" in absent.messages[0]


def test_exec_is_an_exec_start_event(podman: EngineUnderTest) -> None:
    name = podman.name("exec")
    podman.docker("run", "-d", "--name", name, "busybox", "sleep", "600")
    began = time.time()
    check = EventsCheck(action="exec_start", container=name)
    missing = check.evaluate(podman.context(since=began))
    assert not missing.passed and "no exec_start event" in missing.messages[0]
    podman.docker("exec", name, "true")
    assert check.evaluate(podman.context(since=began)).passed
    # another container's exec does not count
    assert not EventsCheck(action="exec_start", container=name + "-x").evaluate(
        podman.context(since=began)).passed


def test_a_die_event_is_found_although_podman_reads_events_from_a_file(
        podman: EngineUnderTest) -> None:
    """Podman's file event log answers nothing for an `until` already past; the check
    asks a moment ahead."""
    name = podman.name("die")
    began = time.time()
    podman.docker("run", "--name", name, "busybox", "true")
    assert EventsCheck(action="die", container=name).evaluate(podman.context(since=began)).passed
    later = time.time() + 1
    stale = EventsCheck(action="die", container=name).evaluate(podman.context(since=later))
    assert not stale.passed


def test_a_run_rm_ends_in_an_event_that_counts_as_destroy(podman: EngineUnderTest) -> None:
    name = podman.name("once")
    began = time.time()
    podman.docker("run", "--rm", "--name", name, "busybox", "true")
    check = EventsCheck(action="destroy", container=name)
    assert until(lambda: check.evaluate(podman.context(since=began)).passed)


def test_a_setup_container_stops_as_on_docker(podman: EngineUnderTest, tmp_path) -> None:
    """Podman gives containers made through its Docker API a stop timeout of 0 s; the
    tutor's own say 10 s, so the program's TERM trap runs and the exit code is 0."""
    values: dict[str, str] = {}
    spec = {"as": "clock", "image": "busybox",
            "command": ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]}
    apply_setup(podman.api, SetupAction("container", spec), values, "engines/podman",
                tmp_path, None)
    try:
        podman.docker("stop", values["clock"])
        state = podman.api.inspect_container(values["clock"])["State"]
        assert (state["Status"], state["ExitCode"]) == ("exited", 0)
    finally:
        podman.api.remove_container(values["clock"], force=True)


def test_whom_the_main_process_runs_as_without_user_ids_in_top(
        podman: EngineUnderTest) -> None:
    root, nobody = podman.name("root"), podman.name("nobody")
    podman.docker("run", "-d", "--name", root, "busybox", "sleep", "600")
    podman.docker("run", "-d", "--user", "nobody", "--name", nobody, "busybox", "sleep", "600")
    failed = ProcessCheck(container=root, non_root=True).evaluate(podman.context())
    assert not failed.passed and "as root (uid 0)" in failed.messages[0]
    assert ProcessCheck(container=nobody, non_root=True).evaluate(podman.context()).passed
    assert ProcessCheck(container=nobody, user="65534").evaluate(podman.context()).passed


def test_a_pull_event_names_the_image(podman: EngineUnderTest) -> None:
    began = time.time()
    check = EventsCheck(type="image", action="pull", container="busybox:latest")
    assert not check.evaluate(podman.context(since=began)).passed
    podman.docker("pull", "-q", "busybox:latest")
    assert check.evaluate(podman.context(since=began)).passed
    assert not EventsCheck(type="image", action="pull", container="busybox:1.35").evaluate(
        podman.context(since=began)).passed


def test_a_build_with_a_name_counts_as_tagging_it(podman: EngineUnderTest, tmp_path) -> None:
    """Podman's build reports one "build" event naming the image by ID, and no tag event."""
    ref = podman.image("built")
    (tmp_path / "Dockerfile").write_text(f"FROM busybox\nLABEL made={ref}\n")
    began = time.time()
    check = EventsCheck(type="image", action="tag", container=ref)
    assert not check.evaluate(podman.context(since=began)).passed
    podman.docker("build", "-q", "-t", ref, str(tmp_path))
    assert check.evaluate(podman.context(since=began)).passed
    # a build of something else is not this image's tag
    other = podman.image("other")
    assert not EventsCheck(type="image", action="tag", container=other).evaluate(
        podman.context(since=began)).passed


def test_images_are_found_by_several_labels(podman: EngineUnderTest, tmp_path) -> None:
    """Podman finds no image when given several label filters; the tutor asks for one."""
    ref = podman.image("labels")
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    podman.docker("build", "-q", "-t", ref, "--label", "org.docker-tutor.test=engines",
                  "--label", f"org.docker-tutor.test-id={ref}", str(tmp_path))
    both = ["org.docker-tutor.test=engines", f"org.docker-tutor.test-id={ref}"]
    assert podman.api.images(filters={"label": both}) == []  # the difference itself
    found = labelled_images(podman.api, "org.docker-tutor.test=engines",
                            {"org.docker-tutor.test-id": ref})
    assert [repo_tags(image) for image in found] == [[ref]]
    assert labelled_images(podman.api, "org.docker-tutor.test=engines",
                           {"org.docker-tutor.test-id": "someone-else"}) == []


def test_a_free_port_is_checked_without_the_publish_filter(podman: EngineUnderTest) -> None:
    port = free_port(5600, 5700)
    name = podman.name("port")
    podman.docker("run", "-d", "--name", name, "-p", f"{port}:80", "busybox",
                  "httpd", "-f", "-p", "80")
    # someone else's container publishes the port (no learner label): taken
    assert taken_by_others(podman.api, "free_port", str(port), "learner-x")
    mine = podman.name("mine")
    own = free_port(port + 1, 5700)
    podman.docker("run", "-d", "--name", mine, "-p", f"{own}:80", "--label",
                  f"{LEARNER_LABEL}=learner-x", "busybox", "httpd", "-f", "-p", "80")
    assert not taken_by_others(podman.api, "free_port", str(own), "learner-x")


def test_push_to_a_loopback_registry_and_the_registry_tag_check(
        podman: EngineUnderTest) -> None:
    """The lessons' registry on localhost:PORT: Podman pushes to it (podman-up lists the
    lessons' ports as insecure), keeps no digest of the push, and the check still sees
    the local image there; --all-tags is a known limit, reported as such."""
    port = free_port()
    registry = podman.name("registry")
    podman.docker("run", "-d", "--name", registry, "-p", f"{port}:5000", "registry:2")
    assert until(lambda: podman.docker("logs", registry, check=False).returncode == 0)
    local = podman.image("push")
    podman.docker("tag", "busybox:latest", local)
    repository, tag = local.split(":")
    remote = f"localhost:{port}/{local}"
    podman.images.append(remote)
    podman.docker("tag", local, remote)
    pushed = until(lambda: podman.docker("push", remote, check=False).returncode == 0, 20)
    assert pushed, podman.docker("push", remote, check=False).stderr
    check = RegistryTagCheck(registry=f"localhost:{port}", repository=repository, tag=tag,
                             digest_of=local)
    result = check.evaluate(podman.context())
    assert result.passed, result.messages
    wrong = RegistryTagCheck(registry=f"localhost:{port}", repository=repository, tag=tag,
                             digest_of="registry:2").evaluate(podman.context())
    assert not wrong.passed

    all_tags = podman.docker("push", "--all-tags", f"localhost:{port}/{repository}",
                             check=False)
    output = all_tags.stdout + all_tags.stderr
    assert all_tags.returncode != 0 and "image not known" in output
    assert any("--all-tags" in note for note in diagnose(output))
    status = podman.engine.probe()
    product = identify(podman.engine.endpoint, status.platform_name, status.components)
    command = f"docker push --all-tags localhost:{port}/{repository}"
    assert limit_hit(product, [command], output) is not None
    assert limit_hit(product, [f"docker push {remote}"], output) is None
