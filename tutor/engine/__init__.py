"""The engine layer: which Docker engine to talk to, talking to it, running the CLI.

Nothing here imports the docker SDK at import time (it is slow to import and the
tutor must show its first prompt fast); :class:`Engine` imports it on first use.
"""

from tutor.engine.endpoint import (
    DEFAULT_HOST,
    Endpoint,
    TlsSettings,
    cli_environment,
    resolve_endpoint,
)

__all__ = [
    "DEFAULT_HOST",
    "Endpoint",
    "TlsSettings",
    "cli_environment",
    "resolve_endpoint",
]
