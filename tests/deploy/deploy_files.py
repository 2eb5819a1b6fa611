"""The deployment files in deploy/, parsed (no docker here), and what the checks expect of them.

What a process needs is stated here once, from the code (``klachtspoor/bootstrap.py``, the services'
bootstraps); which variables exist is asked of the settings classes themselves.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"

PROCESSES: dict[str, list[str]] = {
    "relay": ["klachtspoor", "relay", "run"],
    "intake": ["python", "-m", "services.intake"],
    "escalation": ["python", "-m", "services.escalation"],
    "notify": ["python", "-m", "services.notify"],
    "reporting": ["python", "-m", "services.reporting"],
}
SERVICES = ("intake", "escalation", "notify", "reporting")
SERVERS = ("eventstore", "postgres", "nats", "otel-collector", "jaeger", "mailpit")
UI_PORTS = {"jaeger": 16686, "mailpit": 8025}
LOOPBACK = "127.0.0.1"
DURABLE = ("eventstore", "postgres", "nats")
"""Servers whose data must survive a restart: a named volume and a healthcheck each."""

_STORE = {"KLACHTSPOOR_EVENTSTORE_URL", "KLACHTSPOOR_DATABASE_URL"}
_OTEL = {"OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT"}
_KEY = {"KLACHTSPOOR_MASTER_KEY_FILE"}
MASTER_KEY_VARIABLES = ("KLACHTSPOOR_MASTER_KEY", "KLACHTSPOOR_MASTER_KEY_FILE")
_BUS = {"KLACHTSPOOR_NATS_URL"}
_DATA = {"KLACHTSPOOR_TENANTS_FILE", "KLACHTSPOOR_POLICIES_DIR"}
_API = {"KLACHTSPOOR_HTTP_HOST", "KLACHTSPOOR_JWT_ISSUER", "KLACHTSPOOR_JWT_AUDIENCE"}
REQUIRED: dict[str, set[str]] = {
    "relay": _STORE | _OTEL | _BUS,
    "intake": _STORE | _OTEL | _KEY | _DATA | _API | {"KLACHTSPOOR_INTAKE_PORT"},
    "escalation": _STORE | _OTEL | _KEY | _BUS | _DATA | _API | {"KLACHTSPOOR_ESCALATION_PORT"},
    "notify": _STORE
    | _OTEL
    | _KEY
    | _BUS
    | _DATA
    | {"KLACHTSPOOR_HTTP_HOST", "KLACHTSPOOR_NOTIFY_PORT"}
    | {"KLACHTSPOOR_SMTP_HOST", "KLACHTSPOOR_SMTP_PORT", "KLACHTSPOOR_MAIL_FROM"},
    "reporting": _STORE | _OTEL | _API | {"KLACHTSPOOR_REPORTING_PORT"},
}
WITHOUT_KEY = ("relay", "reporting")
"""They never decrypt (the read side holds no keys): the master key stays out of their environment."""
VERIFY_TOKENS = ("intake", "escalation", "reporting")
OUR_PACKAGES = {"klachtspoor", "services"}
SAME_EVERYWHERE = (
    "KLACHTSPOOR_EVENTSTORE_URL",
    "KLACHTSPOOR_EVENTSTORE_NAMESPACE",
    "KLACHTSPOOR_DATABASE_URL",
)


@dataclass(frozen=True)
class Deploy:
    """The parsed deployment files; tests replace one part with a broken copy."""

    compose: dict[str, Any]
    compose_text: str
    collector: dict[str, Any]
    dockerfile: str
    env_example: str
    gitignore: str
    readme: str
    dockerignore: str
    runtime_lock: str
    """requirements.lock (what the image installs), beside deploy/ in the repository root."""
    dev_lock: str
    """requirements-dev.lock: what ``make`` installs on top (dev tools, test tools)."""

    @classmethod
    def load(cls, directory: Path = DEPLOY) -> Deploy:
        text = (directory / "compose.yaml").read_text()
        return cls(
            compose=yaml.safe_load(text),
            compose_text=text,
            collector=yaml.safe_load((directory / "otel-collector.yaml").read_text()),
            dockerfile=(directory / "Dockerfile").read_text(),
            env_example=(directory / ".env.example").read_text(),
            gitignore=(directory / ".gitignore").read_text(),
            readme=(directory / "README.md").read_text(),
            dockerignore=(directory / "Dockerfile.dockerignore").read_text(),
            runtime_lock=(directory.parent / "requirements.lock").read_text(),
            dev_lock=(directory.parent / "requirements-dev.lock").read_text(),
        )

    @property
    def services(self) -> dict[str, Any]:
        services: dict[str, Any] = self.compose.get("services") or {}
        return services


def environment(service: dict[str, Any]) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {key: "" if value is None else str(value) for key, value in raw.items()}


def hosts(value: str) -> list[str]:
    """The host names in a URL (several for ``esdb+discover://a:2113,b:2113``) or a bare host."""
    value = re.sub(r"\$\{[^}]*\}", "interpolated", value)  # a password from the env file, say
    netloc = urlsplit(value).netloc if "://" in value else value
    return [part.rsplit(":", 1)[0] if ":" in part else part for part in netloc.rsplit("@", 1)[-1].split(",")]


def port_bindings(service: dict[str, Any]) -> Iterator[tuple[str, str, int]]:
    """(host interface, published port, container port) of each published port, short or long form."""
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            yield str(entry.get("host_ip", "")), str(entry.get("published", "")), int(entry["target"])
            continue
        parts = str(entry).split("/")[0].rsplit(":", 2)
        parts = [""] * (3 - len(parts)) + parts
        yield parts[0], parts[1], int(parts[2])


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    raw = service.get("depends_on") or {}
    if isinstance(raw, list):
        return dict.fromkeys(raw, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in raw.items()}


def settings_variables() -> dict[str, str | None]:
    """Every variable a settings class reads, with the service that owns it (None: every process).

    The services' bootstraps are imported so that their own settings classes (subclasses of the shared
    ``Settings``) exist; any such class under ``services.<name>`` belongs to that service."""
    from klachtspoor.settings import Settings

    for name in SERVICES:
        importlib.import_module(f"services.{name}.bootstrap")
    owners: dict[str, str | None] = {}
    pending: list[type[Settings]] = [Settings]
    while pending:
        cls = pending.pop()
        module = cls.__module__.split(".")
        owner = module[1] if module[0] == "services" else None
        prefix = cls.model_config.get("env_prefix", "")
        for field in cls.model_fields:
            owners.setdefault(f"{prefix}{field}".upper(), owner)
        ours = (sub for sub in cls.__subclasses__() if sub.__module__.split(".")[0] in OUR_PACKAGES)
        pending.extend(ours)
    return owners


def image_problem(reference: str) -> str | None:
    """None when ``reference`` names one version (a versioned tag or a digest)."""
    if "$" in reference:
        return f"{reference}: chosen by a variable, not pinned"
    name, _, digest = reference.partition("@")
    if digest:
        return None if re.fullmatch(r"sha256:[0-9a-f]{64}", digest) else f"{reference}: malformed digest"
    last = name.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"{reference}: no tag, which means latest"
    tag = last.split(":", 1)[1]
    if tag == "latest" or not re.search(r"\d", tag):
        return f"{reference}: tag {tag!r} is not a version"
    return None


def from_images(dockerfile: str) -> list[str]:
    images, stages = [], set()
    for line in logical_lines(dockerfile):
        words = line.split()
        if words and words[0].upper() == "FROM":
            args = [w for w in words[1:] if not w.startswith("--")]
            if args[0] not in stages:
                images.append(args[0])
            if len(args) == 3 and args[1].upper() == "AS":
                stages.add(args[2])
    return images


def logical_lines(dockerfile: str) -> list[str]:
    """Instructions with their continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    return [
        line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
