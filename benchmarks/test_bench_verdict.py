"""How many engine calls and how long a practice verdict takes, against the real engine."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from engine_helpers import require_engine

from tutor.checks import CheckContext, evaluate, parse_check
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml


class CountingApi:
    """Wraps the low-level client and counts the HTTP requests it sends."""

    def __init__(self, api):
        self._api = api
        self.requests = 0
        original = api.send

        def send(request, **kwargs):
            self.requests += 1
            return original(request, **kwargs)

        api.send = send

    def __getattr__(self, name):
        return getattr(self._api, name)


@pytest.fixture
def web():
    api = require_engine()
    name = f"bench-web-{uuid.uuid4().hex[:8]}"
    container = api.create_container(
        "busybox", command=["httpd", "-f", "-p", "80"], name=name,
        labels={"org.docker-tutor.test": "1"}, ports=[80],
        host_config=api.create_host_config(port_bindings={80: None}))
    api.start(container["Id"])
    yield api, name
    api.remove_container(container["Id"], force=True)


def test_container_verdict(benchmark, web):
    api, name = web
    problems = []
    check = parse_check(parse_yaml(f"container: {{ name: {name}, state: running, image: busybox }}"),
                        Where(Path("bench.yaml")), problems, 1, set())
    assert not problems
    counting = CountingApi(api)
    context = CheckContext(api=counting, workspace=Path("."), values={})
    verdicts = 0

    def verdict():
        nonlocal verdicts
        verdicts += 1
        return evaluate(check, context)

    result = benchmark(verdict)
    assert result.passed
    calls_per_verdict = counting.requests / verdicts
    benchmark.extra_info["engine_requests_per_verdict"] = round(calls_per_verdict, 1)
    print(f"engine requests per verdict: {calls_per_verdict:.1f}")
    assert calls_per_verdict <= 4


def test_dockerfile_verdict(benchmark, tmp_path):
    """Build, look inside and ask HTTP: one `dockerfile` verdict, with the layer cache warm."""
    api = require_engine()
    (tmp_path / "index.html").write_text("Hello from busybox\n")
    (tmp_path / "Dockerfile").write_text(
        'FROM busybox\nWORKDIR /srv\nCOPY index.html www/\nEXPOSE 8080\n'
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/srv/www"]\n')
    problems = []
    check = parse_check(parse_yaml(
        "dockerfile: { path: Dockerfile, workdir: /srv, files: [/srv/www/index.html], "
        "exec_form: true, http: { port: 8080, contains: Hello } }"),
        Where(Path("bench.yaml")), problems, 1, set())
    assert not problems
    context = CheckContext(api=api, workspace=tmp_path, values={})
    result = benchmark.pedantic(evaluate, args=(check, context), rounds=5, warmup_rounds=1)
    assert result.passed, result.messages
