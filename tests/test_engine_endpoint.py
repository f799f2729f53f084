"""Finding the engine the way the docker CLI does, from environment and config files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.engine.endpoint import (
    DEFAULT_HOST,
    Endpoint,
    TlsSettings,
    alternative_sockets,
    cli_environment,
    resolve_endpoint,
)


def write_config(config_dir: Path, current: str | None) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    data = {"auths": {}}
    if current is not None:
        data["currentContext"] = current
    (config_dir / "config.json").write_text(json.dumps(data), encoding="utf-8")


def write_context(config_dir: Path, name: str, host: str, skip_tls_verify: bool = False,
                  tls_files: tuple[str, ...] = ()) -> Path:
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = config_dir / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({
        "Name": name, "Metadata": {"Description": "test"},
        "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_tls_verify}},
    }), encoding="utf-8")
    tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
    if tls_files:
        tls_dir.mkdir(parents=True)
        for file_name in tls_files:
            (tls_dir / file_name).write_text("pem", encoding="utf-8")
    return tls_dir


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def test_nothing_configured_means_the_default_socket(home: Path) -> None:
    endpoint = resolve_endpoint({"HOME": str(home)})
    assert endpoint == Endpoint(host="unix:///var/run/docker.sock", source="default socket")
    assert endpoint.socket_path == Path("/var/run/docker.sock")
    assert endpoint.is_default
    assert endpoint.describe() == "unix:///var/run/docker.sock (default socket)"


def test_docker_host_wins_over_context_and_config(home: Path) -> None:
    write_config(home / ".docker", "colima")
    write_context(home / ".docker", "colima", "unix:///colima.sock")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_HOST": "unix:///tmp/d.sock",
                                 "DOCKER_CONTEXT": "colima"})
    assert endpoint.host == "unix:///tmp/d.sock"
    assert endpoint.source == "DOCKER_HOST"
    assert endpoint.context is None and endpoint.tls is None
    assert endpoint.socket_path == Path("/tmp/d.sock")


def test_docker_host_tcp_with_tls_verify_reads_cert_path(tmp_path: Path, home: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    for name in ("ca.pem", "cert.pem", "key.pem"):
        (certs / name).write_text("pem", encoding="utf-8")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_HOST": "tcp://10.0.0.5:2376",
                                 "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs)})
    assert endpoint.scheme == "tcp"
    assert endpoint.tls == TlsSettings(verify=True, ca_cert=certs / "ca.pem",
                                       client_cert=certs / "cert.pem",
                                       client_key=certs / "key.pem", cert_dir=certs)


def test_tls_cert_path_defaults_to_the_config_dir_and_skips_missing_files(home: Path) -> None:
    (home / ".docker").mkdir()
    (home / ".docker" / "ca.pem").write_text("pem", encoding="utf-8")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_HOST": "tcp://h:2376",
                                 "DOCKER_TLS_VERIFY": "1"})
    assert endpoint.tls is not None
    assert endpoint.tls.cert_dir == home / ".docker"
    assert endpoint.tls.ca_cert == home / ".docker" / "ca.pem"
    assert endpoint.tls.client_cert is None and endpoint.tls.client_key is None


def test_docker_tls_without_verify_is_tls_without_verification(home: Path) -> None:
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_HOST": "tcp://h:2376",
                                 "DOCKER_TLS": "1"})
    assert endpoint.tls is not None and endpoint.tls.verify is False


def test_tcp_without_tls_variables_is_plain(home: Path) -> None:
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_HOST": "tcp://h:2375",
                                 "DOCKER_CERT_PATH": "/somewhere"})
    assert endpoint.tls is None


def test_docker_context_variable_selects_a_context(home: Path) -> None:
    write_context(home / ".docker", "colima", "unix:///home/me/.colima/default/docker.sock")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONTEXT": "colima"})
    assert endpoint.host == "unix:///home/me/.colima/default/docker.sock"
    assert endpoint.source == "docker context 'colima'"
    assert endpoint.context == "colima"
    assert endpoint.tls is None and endpoint.error is None


def test_current_context_from_config_json_in_docker_config(tmp_path: Path, home: Path) -> None:
    config = tmp_path / "cfg"
    write_config(config, "desktop-linux")
    write_context(config, "desktop-linux", "unix:///home/me/.docker/desktop/docker.sock")
    # A different context in ~/.docker must be ignored: DOCKER_CONFIG moves the whole dir.
    write_config(home / ".docker", "other")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONFIG": str(config)})
    assert endpoint.context == "desktop-linux"
    assert endpoint.host == "unix:///home/me/.docker/desktop/docker.sock"


def test_docker_context_variable_beats_current_context(home: Path) -> None:
    write_config(home / ".docker", "colima")
    write_context(home / ".docker", "colima", "unix:///c.sock")
    write_context(home / ".docker", "podman", "unix:///p.sock")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONTEXT": "podman"})
    assert endpoint.host == "unix:///p.sock"


@pytest.mark.parametrize("where", ["variable", "config"])
def test_context_default_means_the_default_socket(home: Path, where: str) -> None:
    environ = {"HOME": str(home)}
    if where == "variable":
        environ["DOCKER_CONTEXT"] = "default"
    else:
        write_config(home / ".docker", "default")
    endpoint = resolve_endpoint(environ)
    assert endpoint.host == DEFAULT_HOST
    assert endpoint.source == "default socket"
    assert endpoint.is_default


def test_home_argument_overrides_home_variable(tmp_path: Path, home: Path) -> None:
    write_config(home / ".docker", "colima")
    write_context(home / ".docker", "colima", "unix:///c.sock")
    endpoint = resolve_endpoint({"HOME": str(tmp_path / "elsewhere")}, home=home)
    assert endpoint.host == "unix:///c.sock"


def test_context_with_tls_files(home: Path) -> None:
    tls_dir = write_context(home / ".docker", "remote", "tcp://build.example:2376",
                            tls_files=("ca.pem", "cert.pem", "key.pem"))
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONTEXT": "remote"})
    assert endpoint.tls == TlsSettings(verify=True, ca_cert=tls_dir / "ca.pem",
                                       client_cert=tls_dir / "cert.pem",
                                       client_key=tls_dir / "key.pem", cert_dir=tls_dir)


def test_context_skip_tls_verify(home: Path) -> None:
    write_context(home / ".docker", "remote", "tcp://build.example:2376",
                  skip_tls_verify=True, tls_files=("cert.pem", "key.pem"))
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONTEXT": "remote"})
    assert endpoint.tls is not None and endpoint.tls.verify is False
    assert endpoint.tls.ca_cert is None


def test_tcp_context_without_tls_data_is_plain(home: Path) -> None:
    write_context(home / ".docker", "plain", "tcp://build.example:2375")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONTEXT": "plain"})
    assert endpoint.tls is None


def test_missing_context_is_reported_not_raised(home: Path) -> None:
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONTEXT": "nope"})
    assert endpoint.host == ""
    assert endpoint.context == "nope"
    assert endpoint.source == "docker context 'nope'"
    assert endpoint.error is not None and "context not found" in endpoint.error


def test_broken_context_meta_is_reported(home: Path) -> None:
    digest = hashlib.sha256(b"broken").hexdigest()
    meta = home / ".docker" / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text("{not json", encoding="utf-8")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONTEXT": "broken"})
    assert endpoint.error is not None and "Endpoints.docker.Host" in endpoint.error


def test_unreadable_config_json_falls_back_to_the_default(home: Path) -> None:
    (home / ".docker").mkdir()
    (home / ".docker" / "config.json").write_text("{oops", encoding="utf-8")
    assert resolve_endpoint({"HOME": str(home)}).host == DEFAULT_HOST


@pytest.mark.parametrize(("host", "scheme", "path"), [
    ("unix:///run/docker.sock", "unix", Path("/run/docker.sock")),
    ("unix://", "unix", Path("/var/run/docker.sock")),
    ("unix://relative.sock", "unix", Path("/relative.sock")),
    ("tcp://1.2.3.4:2375", "tcp", None),
    ("1.2.3.4:2375", "tcp", None),
    ("ssh://me@box", "ssh", None),
])
def test_scheme_and_socket_path(host: str, scheme: str, path: Path | None) -> None:
    endpoint = Endpoint(host=host, source="DOCKER_HOST")
    assert endpoint.scheme == scheme
    assert endpoint.socket_path == path


# -- the CLI's environment ------------------------------------------------------------------


def test_cli_environment_pins_docker_host_and_drops_the_context() -> None:
    endpoint = Endpoint(host="unix:///var/run/docker.sock", source="default socket")
    child = cli_environment(endpoint, {"PATH": "/bin", "DOCKER_CONTEXT": "colima",
                                       "DOCKER_TLS_VERIFY": "1", "DOCKER_CONFIG": "/cfg"})
    assert child == {"PATH": "/bin", "DOCKER_CONFIG": "/cfg",
                     "DOCKER_HOST": "unix:///var/run/docker.sock"}


def test_cli_environment_for_tls_docker_host(tmp_path: Path) -> None:
    tls = TlsSettings(verify=True, ca_cert=tmp_path / "ca.pem", cert_dir=tmp_path)
    endpoint = Endpoint(host="tcp://h:2376", source="DOCKER_HOST", tls=tls)
    child = cli_environment(endpoint, {"PATH": "/bin"})
    assert child == {"PATH": "/bin", "DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS_VERIFY": "1",
                     "DOCKER_CERT_PATH": str(tmp_path)}


def test_cli_environment_for_tls_without_verification(tmp_path: Path) -> None:
    endpoint = Endpoint(host="tcp://h:2376", source="DOCKER_HOST",
                        tls=TlsSettings(verify=False, cert_dir=tmp_path))
    child = cli_environment(endpoint, {"DOCKER_TLS_VERIFY": "1"})
    assert child == {"DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS": "1",
                     "DOCKER_CERT_PATH": str(tmp_path)}


def test_cli_environment_for_a_plain_context_uses_its_host(home: Path) -> None:
    write_context(home / ".docker", "colima", "unix:///c.sock")
    environ = {"HOME": str(home), "DOCKER_CONTEXT": "colima"}
    child = cli_environment(resolve_endpoint(environ), environ)
    assert child == {"HOME": str(home), "DOCKER_HOST": "unix:///c.sock"}


def test_cli_environment_for_a_tls_context_names_the_context(home: Path) -> None:
    write_context(home / ".docker", "remote", "tcp://h:2376", tls_files=("ca.pem",))
    environ = {"HOME": str(home), "DOCKER_HOST": "", "DOCKER_CONTEXT": "remote"}
    child = cli_environment(resolve_endpoint(environ), environ)
    assert child == {"HOME": str(home), "DOCKER_CONTEXT": "remote"}


def test_cli_environment_for_a_missing_context_lets_the_cli_complain(home: Path) -> None:
    environ = {"HOME": str(home), "DOCKER_CONTEXT": "nope"}
    child = cli_environment(resolve_endpoint(environ), environ)
    assert child == {"HOME": str(home), "DOCKER_CONTEXT": "nope"}


def test_cli_environment_does_not_change_its_input() -> None:
    environ = {"DOCKER_CONTEXT": "x"}
    cli_environment(Endpoint(host=DEFAULT_HOST, source="default socket"), environ)
    assert environ == {"DOCKER_CONTEXT": "x"}


# -- other engines, only as suggestions -----------------------------------------------------


def test_alternative_sockets_lists_only_existing_ones(tmp_path: Path, home: Path) -> None:
    run = tmp_path / "run"
    (run / "podman").mkdir(parents=True)
    (run / "podman" / "podman.sock").touch()
    (home / ".colima" / "default").mkdir(parents=True)
    (home / ".colima" / "default" / "docker.sock").touch()
    found = alternative_sockets({"HOME": str(home), "XDG_RUNTIME_DIR": str(run)})
    assert [(c.label, c.path) for c in found] == [
        ("Colima", home / ".colima" / "default" / "docker.sock"),
        ("Podman", run / "podman" / "podman.sock"),
    ]
    assert found[1].host == f"unix://{run}/podman/podman.sock"


def test_resolution_never_switches_to_an_existing_alternative(tmp_path: Path, home: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "docker.sock").touch()
    endpoint = resolve_endpoint({"HOME": str(home), "XDG_RUNTIME_DIR": str(run)})
    assert endpoint.host == DEFAULT_HOST


# -- context stores made by the real docker CLI ---------------------------------------------

DOCKER_CLI = shutil.which("docker")
needs_cli = pytest.mark.skipif(
    DOCKER_CLI is None,
    reason="the docker CLI writes the real context stores these tests read "
           "(scripts/engine-up installs it)")


def docker_cli(config: Path, *args: str) -> str:
    """Run the real docker CLI on the config directory ``config`` (never the engine)."""
    done = subprocess.run(["docker", "--config", str(config), *args], capture_output=True,
                          text=True, check=False, timeout=60,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                               "HOME": str(config.parent)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def cli_view(config: Path, name: str) -> dict:
    """How the docker CLI itself sees context ``name``."""
    return json.loads(docker_cli(config, "context", "inspect", name, "--format", "{{json .}}"))


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    """A real self-signed certificate and key (the CLI refuses files that are not PEM)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl makes the test certificate; it is not on PATH")
    directory = tmp_path / "pki"
    directory.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
                   capture_output=True, check=True, timeout=60)
    return directory


@needs_cli
def test_a_cli_context_without_config_json_is_found(tmp_path: Path, home: Path) -> None:
    """``docker context create`` writes no config.json; the store is read all the same
    (the SDK's own ContextAPI looks for the store next to a config.json only)."""
    config = tmp_path / "cfg"
    docker_cli(config, "context", "create", "box", "--docker", "host=tcp://10.1.2.3:2375")
    assert not (config / "config.json").exists()
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONFIG": str(config),
                                 "DOCKER_CONTEXT": "box"})
    assert endpoint.host == cli_view(config, "box")["Endpoints"]["docker"]["Host"]
    assert endpoint.host == "tcp://10.1.2.3:2375"
    assert endpoint.source == "docker context 'box'" and endpoint.error is None
    assert endpoint.tls is None  # no TLS material, SkipTLSVerify false: plain HTTP


@needs_cli
def test_the_context_chosen_by_docker_context_use(tmp_path: Path, home: Path) -> None:
    config = tmp_path / "cfg"
    docker_cli(config, "context", "create", "colima", "--docker",
               "host=unix:///home/me/.colima/default/docker.sock")
    docker_cli(config, "context", "use", "colima")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONFIG": str(config)})
    assert endpoint.context == "colima"
    assert endpoint.host == "unix:///home/me/.colima/default/docker.sock"
    assert cli_environment(endpoint, {"DOCKER_CONFIG": str(config)}) == {
        "DOCKER_CONFIG": str(config), "DOCKER_HOST": endpoint.host}


@needs_cli
def test_a_cli_context_with_full_tls_material(tmp_path: Path, home: Path,
                                              certificate: Path) -> None:
    config = tmp_path / "cfg"
    ca, cert, key = certificate / "cert.pem", certificate / "cert.pem", certificate / "key.pem"
    docker_cli(config, "context", "create", "remote", "--docker",
               f"host=tcp://build.example:2376,ca={ca},cert={cert},key={key}")
    view = cli_view(config, "remote")
    tls_dir = Path(view["Storage"]["TLSPath"]) / "docker"
    assert sorted(view["TLSMaterial"]["docker"]) == ["ca.pem", "cert.pem", "key.pem"]
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONFIG": str(config),
                                 "DOCKER_CONTEXT": "remote"})
    assert endpoint.tls == TlsSettings(verify=True, ca_cert=tls_dir / "ca.pem",
                                       client_cert=tls_dir / "cert.pem",
                                       client_key=tls_dir / "key.pem", cert_dir=tls_dir)


@needs_cli
def test_a_cli_context_with_only_a_ca_still_uses_tls(tmp_path: Path, home: Path,
                                                     certificate: Path) -> None:
    """The CLI verifies the engine with the CA and sends no client certificate; the
    SDK's Context would drop TLS altogether (it wants all three files)."""
    config = tmp_path / "cfg"
    docker_cli(config, "context", "create", "ca-only", "--docker",
               f"host=tcp://build.example:2376,ca={certificate / 'cert.pem'}")
    tls_dir = Path(cli_view(config, "ca-only")["Storage"]["TLSPath"]) / "docker"
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONFIG": str(config),
                                 "DOCKER_CONTEXT": "ca-only"})
    assert endpoint.tls == TlsSettings(verify=True, ca_cert=tls_dir / "ca.pem",
                                       cert_dir=tls_dir)


@needs_cli
def test_a_cli_context_that_skips_verification(tmp_path: Path, home: Path) -> None:
    config = tmp_path / "cfg"
    docker_cli(config, "context", "create", "lab", "--docker",
               "host=tcp://lab.example:2376,skip-tls-verify=true")
    assert cli_view(config, "lab")["Endpoints"]["docker"]["SkipTLSVerify"] is True
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONFIG": str(config),
                                 "DOCKER_CONTEXT": "lab"})
    assert endpoint.tls is not None and endpoint.tls.verify is False
    assert endpoint.tls.ca_cert is None and endpoint.tls.client_cert is None


@needs_cli
def test_a_cli_context_whose_meta_json_broke(tmp_path: Path, home: Path) -> None:
    config = tmp_path / "cfg"
    docker_cli(config, "context", "create", "box", "--docker", "host=tcp://10.1.2.3:2375")
    meta = next((config / "contexts" / "meta").glob("*/meta.json"))
    meta.write_text('{"Name": "box", "Endpoints": {"docker": "tcp://x"}}', encoding="utf-8")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONFIG": str(config),
                                 "DOCKER_CONTEXT": "box"})
    assert endpoint.host == "" and endpoint.error == f"{meta} has no Endpoints.docker.Host"


@needs_cli
def test_a_context_the_store_does_not_have(tmp_path: Path, home: Path) -> None:
    config = tmp_path / "cfg"
    docker_cli(config, "context", "create", "box", "--docker", "host=tcp://10.1.2.3:2375")
    endpoint = resolve_endpoint({"HOME": str(home), "DOCKER_CONFIG": str(config),
                                 "DOCKER_CONTEXT": "bxo"})
    assert endpoint.error is not None and endpoint.error.startswith("context not found (no ")
    assert str(config / "contexts" / "meta") in endpoint.error


def test_the_sdk_is_loaded_only_when_a_context_is_configured(tmp_path: Path, home: Path) -> None:
    write_context(home / ".docker", "colima", "unix:///c.sock")
    code = ("import sys; from tutor.engine.endpoint import resolve_endpoint; "
            "endpoint = resolve_endpoint({'HOME': sys.argv[1], **dict([sys.argv[2:4]])}); "
            "print(endpoint.host, 'docker' in sys.modules, 'requests' in sys.modules)")
    without = subprocess.run([sys.executable, "-c", code, str(home), "DOCKER_HOST",
                              "unix:///x.sock"], capture_output=True, text=True, check=True)
    assert without.stdout.split() == ["unix:///x.sock", "False", "False"]
    default = subprocess.run([sys.executable, "-c", code, str(tmp_path), "X", "1"],
                             capture_output=True, text=True, check=True)
    assert default.stdout.split() == [DEFAULT_HOST, "False", "False"]
    with_context = subprocess.run([sys.executable, "-c", code, str(home), "DOCKER_CONTEXT",
                                   "colima"], capture_output=True, text=True, check=True)
    assert with_context.stdout.split() == ["unix:///c.sock", "True", "True"]


@needs_cli
def test_why_the_sdks_context_api_is_not_asked_to_find_the_store(
        tmp_path: Path, certificate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the docker SDK's ContextAPI does with real CLI stores. If this starts to
    fail, the SDK has caught up with the CLI and endpoint.py can lean on it more."""
    from docker.context import ContextAPI

    config = tmp_path / "cfg"
    docker_cli(config, "context", "create", "box", "--docker", "host=tcp://10.1.2.3:2375")
    docker_cli(config, "context", "create", "ca-only", "--docker",
               f"host=tcp://build.example:2376,ca={certificate / 'cert.pem'}")
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "empty-home"))
    monkeypatch.chdir(tmp_path)
    assert ContextAPI.get_context("box") is None  # no config.json: the store is not found
    (config / "config.json").write_text("{}", encoding="utf-8")
    assert ContextAPI.get_context("box").Host == "tcp://10.1.2.3:2375"
    assert ContextAPI.get_context("ca-only").TLSConfig is None  # the CA alone is dropped
