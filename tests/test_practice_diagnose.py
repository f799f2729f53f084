"""Learner-sized advice for docker's error messages.

The error texts are what the docker 28 CLI printed against the 20.10 engine on the
test machine (ids shortened where docker prints them in full).
"""

from __future__ import annotations

import pytest

from tutor.practice.diagnose import diagnose

NAME_IN_USE = (
    'docker: Error response from daemon: Conflict. The container name "/web" is already in '
    'use by container "bdc4a916a00cbc0e814a5dc63f47d3d4d41791d8299a071f640d107870b20cf2". '
    "You have to remove (or rename) that container to be able to reuse that name.\n\n"
    "Run 'docker run --help' for more information\n")
PORT_ALLOCATED = (
    "docker: Error response from daemon: driver failed programming external connectivity on "
    "endpoint web2 (86e60457f580b6df7cad2c05f29d0dc9364b7750c214ca2bce49e34e2efd5e13): "
    "Bind for 0.0.0.0:8080 failed: port is already allocated\n\n"
    "Run 'docker run --help' for more information\n")
NO_SUCH_CONTAINER = "Error response from daemon: No such container: webb\n"
RMI_IN_USE_BY_TAG = (
    'Error response from daemon: conflict: unable to remove repository reference "myapp:1" '
    "(must force) - container a12bb81bbb4b is using its referenced image b8009bb1beea\n")
RMI_IN_USE_BY_ID = (
    "Error response from daemon: conflict: unable to delete eff7a5f1bba2 (cannot be forced) - "
    "image is being used by running container 26622e274a14\n")
EXEC_STOPPED = ("Error response from daemon: Container 2540e07f34cfd133978d2c06124e77295ca4f6af"
                "288a1391f29aa0120f9f1852 is not running\n")
CP_INTO_MISSING_DIR = "no such directory\n"  # docker cp notes.txt web:/missing/dir/
CP_INTO_MISSING_PARENT = ("Error response from daemon: Could not find the file /missing/dir in "
                          "container web\n")  # docker cp notes.txt web:/missing/dir/notes.txt
MANIFEST_UNKNOWN = ("Error response from daemon: manifest for python:3.99 not found: "
                    "manifest unknown: manifest unknown\n")
PULL_DENIED = ("Error response from daemon: pull access denied for nosuchimage, repository does "
               "not exist or may require 'docker login': denied: requested access to the "
               "resource is denied\n")
INVALID_REFERENCE = ("docker: invalid reference format: repository name (library/Busybox) must "
                     "be lowercase\n\nRun 'docker run --help' for more information\n")
INVALID_REFERENCE_BARE = "invalid reference format\n"


def only(text: str) -> str:
    notes = diagnose(text)
    assert len(notes) == 1, notes
    return notes[0]


def test_name_in_use_names_the_container_and_the_command_to_free_it():
    note = only(NAME_IN_USE)
    assert "`web`" in note
    assert "docker rm -f web" in note
    assert "/web" not in note  # the leading slash of the engine's name is dropped


def test_port_allocated_points_at_the_host_port():
    note = only(PORT_ALLOCATED)
    assert "host port" in note and "docker ps" in note


def test_address_in_use_is_the_same_mistake():
    # What the engine says when a non-docker process holds the port.
    text = ("docker: Error response from daemon: driver failed programming external connectivity "
            "on endpoint web: Error starting userland proxy: listen tcp4 0.0.0.0:8080: bind: "
            "address already in use.\n")
    # Same advice; the engine's wording names the port, so the note does too.
    assert "host port 8080" in only(text)
    assert only(text) == only(PORT_ALLOCATED)


def test_no_such_container_names_it():
    note = only(NO_SUCH_CONTAINER)
    assert "`webb`" in note and "docker ps -a" in note


def test_rmi_of_an_image_a_container_uses_names_the_container_by_tag():
    note = only(RMI_IN_USE_BY_TAG)
    assert "docker rm a12bb81bbb4b" in note
    assert "docker rmi -f" in note


def test_rmi_of_an_image_a_container_uses_names_the_container_by_id():
    note = only(RMI_IN_USE_BY_ID)
    assert "docker rm 26622e274a14" in note


def test_exec_into_a_stopped_container_says_to_start_it():
    note = only(EXEC_STOPPED)
    assert "*running*" in note and "docker start" in note


def test_cp_into_a_missing_directory_says_cp_does_not_create_it():
    note = only(CP_INTO_MISSING_DIR)
    assert "does not create missing parent directories" in note


def test_cp_into_a_missing_parent_says_the_path_is_not_there():
    note = only(CP_INTO_MISSING_PARENT)
    assert "does not exist inside the container" in note


def test_manifest_unknown_is_about_the_name_and_tag():
    assert "registry has no image python:3.99" in only(MANIFEST_UNKNOWN)
    assert "registry has no image by that name and tag" in only("manifest unknown\n")


def test_pull_access_denied_is_the_same_advice():
    assert diagnose(PULL_DENIED)[0] == only(MANIFEST_UNKNOWN).replace("python:3.99", "nosuchimage")


@pytest.mark.parametrize("text", [INVALID_REFERENCE, INVALID_REFERENCE_BARE])
def test_invalid_reference_format_explains_image_names(text):
    assert "must be lowercase" in only(text)


@pytest.mark.parametrize("text", [
    "",
    "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n",
    "Unable to find image 'busybox:latest' locally\nlatest: Pulling from library/busybox\n",
    "Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup "
    "registry-1.docker.io: no such host\n",
])
def test_ordinary_or_unknown_output_gets_no_advice(text):
    assert diagnose(text) == []


def test_each_note_appears_once_even_when_the_error_repeats():
    assert diagnose(NO_SUCH_CONTAINER * 3) == [only(NO_SUCH_CONTAINER)]


def test_two_different_errors_give_two_notes_in_table_order():
    notes = diagnose(NO_SUCH_CONTAINER + NAME_IN_USE)
    assert len(notes) == 2
    assert "`web`" in notes[0] and "docker rm -f" in notes[0]
    assert "`webb`" in notes[1]




# -- advice that should name the thing but does not ---------------------------------------------
# The error text names it (and the pattern even captures it for exec and cp), yet the note
# speaks of "that host port", "that path", "it". The learner reads the note right under
# docker's message and has to match them up.


def test_port_allocated_names_the_port():
    assert "8080" in only(PORT_ALLOCATED)


def test_exec_into_a_stopped_container_names_it():
    assert "docker start 2540e07f34cf" in only(EXEC_STOPPED)


def test_cp_into_a_missing_parent_names_the_path():
    assert "/missing/dir" in only(CP_INTO_MISSING_PARENT)


def test_manifest_unknown_names_the_image():
    assert "python:3.99" in only(MANIFEST_UNKNOWN)


def test_invalid_reference_format_names_the_reference():
    assert "Busybox" in only(INVALID_REFERENCE)
