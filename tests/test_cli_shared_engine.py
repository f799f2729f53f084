"""--shared-engine and $DOCKER_TUTOR_SHARED_ENGINE: a class tells the tutor its engine is
shared, so names in tasks are personal from the first step (tutor.practice.values)."""

from __future__ import annotations

import io

import pytest
from conftest import SHIPPED_LESSONS

from tutor.cli import main
from tutor.environment import SHARED_ENGINE_VARIABLE, Environment


def quiet_env(tmp_path, environ=None) -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ or {},
                       data_dir=tmp_path, lessons_dir=SHIPPED_LESSONS)


def test_the_flag_marks_the_engine_shared(tmp_path):
    env = quiet_env(tmp_path)
    assert env.shared_engine is None  # noticed on the engine, unless told
    assert main(["--shared-engine", "lint"], env) == 0
    assert env.shared_engine is True


@pytest.mark.parametrize("value, shared", [
    ("1", True), ("yes", True), ("true", True), ("", None), ("0", False), ("no", False),
    ("False", False),
])
def test_the_environment_variable(tmp_path, value, shared):
    assert quiet_env(tmp_path, {SHARED_ENGINE_VARIABLE: value}).shared_engine is shared


def test_the_flag_is_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--shared-engine" in capsys.readouterr().out
