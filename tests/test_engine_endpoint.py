"""Finding the engine the way the docker CLI does, from environment and config files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tutor.engine.endpoint import (
    DEFAULT_HOST,
    Endpoint,
    TlsSettings,
    alternative_sockets,
    cli_environment,
    context_dir_name,
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


def test_context_dirs_are_named_by_sha256_of_the_name() -> None:
    assert context_dir_name("colima") == hashlib.sha256(b"colima").hexdigest()


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
