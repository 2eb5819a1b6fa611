"""Broken copies of the deployment files, one per way a check must notice: (name, check, how to
break the files, a fragment of the problem the check must then report)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import yaml

from tests.deploy import compose_checks as checks
from tests.deploy.deploy_files import Deploy

Check = Callable[[Deploy], list[str]]
Mutation = Callable[[Deploy], Deploy]


def compose(edit: Callable[[dict[str, Any]], object]) -> Mutation:
    """A copy of the stack with ``edit`` applied to the parsed compose file (and its text to match)."""

    def mutate(deploy: Deploy) -> Deploy:
        changed = copy.deepcopy(deploy.compose)
        edit(changed["services"])
        return dataclasses.replace(deploy, compose=changed, compose_text=yaml.safe_dump(changed))

    return mutate


def whole(edit: Callable[[dict[str, Any]], object]) -> Mutation:
    """Like :func:`compose`, for edits outside ``services`` (top-level secrets, volumes)."""

    def mutate(deploy: Deploy) -> Deploy:
        changed = copy.deepcopy(deploy.compose)
        edit(changed)
        return dataclasses.replace(deploy, compose=changed, compose_text=yaml.safe_dump(changed))

    return mutate


def text(field: str, old: str, new: str) -> Mutation:
    def mutate(deploy: Deploy) -> Deploy:
        original = getattr(deploy, field)
        assert old in original, f"the {field} no longer contains {old!r}: update this test"
        return dataclasses.replace(deploy, **{field: original.replace(old, new)})

    return mutate


def collector(edit: Callable[[dict[str, Any]], object]) -> Mutation:
    def mutate(deploy: Deploy) -> Deploy:
        changed = copy.deepcopy(deploy.collector)
        edit(changed)
        return dataclasses.replace(deploy, collector=changed)

    return mutate


def env(service: str, **values: str | None) -> Mutation:
    """Set (or, with None, remove) variables in one service's environment."""

    def edit(services: dict[str, Any]) -> None:
        environment = services[service]["environment"]
        for name, value in values.items():
            if value is None:
                environment.pop(name)
            else:
                environment[name] = value

    return compose(edit)


BROKEN: list[tuple[str, Check, Mutation, str]] = [
    ("mail catcher missing", checks.missing_services, compose(lambda s: s.pop("mailpit")), "'mailpit'"),
    (
        "image without tag",
        checks.unpinned_images,
        compose(lambda s: s["nats"].update(image="nats")),
        "no tag",
    ),
    (
        "image on latest",
        checks.unpinned_images,
        compose(lambda s: s["postgres"].update(image="postgres:latest")),
        "not a version",
    ),
    (
        "base image on latest",
        checks.unpinned_images,
        text("dockerfile", "3.11.13-slim-bookworm", "latest"),
        "Dockerfile",
    ),
    (
        "relay command",
        checks.process_problems,
        compose(lambda s: s["relay"].update(command=["klachtspoor", "relay"])),
        "relay: command",
    ),
    (
        "other Dockerfile",
        checks.process_problems,
        compose(lambda s: s["reporting"]["build"].update(dockerfile="Dockerfile")),
        "reporting: not built",
    ),
    (
        "other image",
        checks.process_problems,
        compose(lambda s: s["intake"].update(image="klachtspoor:0.0.9")),
        "different images",
    ),
    (
        "misspelt setting",
        checks.unknown_variables,
        env("intake", KLACHTSPOOR_EVENTSTORE_URI="x"),
        "not a setting",
    ),
    (
        "notify's setting elsewhere",
        checks.unknown_variables,
        env("escalation", KLACHTSPOOR_NOTIFY_ACK_WAIT="30"),
        "setting of notify only",
    ),
    (
        "unknown in env file",
        checks.unknown_variables,
        text("env_example", "\nPOSTGRES", "\nKLACHTSPOOR_SMTP_SSL=\nPOSTGRES"),
        "SMTP_SSL",
    ),
    (
        "relay without NATS",
        checks.missing_variables,
        env("relay", KLACHTSPOOR_NATS_URL=None),
        "NATS_URL is not set",
    ),
    (
        "notify without SMTP",
        checks.missing_variables,
        env("notify", KLACHTSPOOR_SMTP_HOST=None),
        "SMTP_HOST is not set",
    ),
    (
        "database elsewhere",
        checks.missing_variables,
        env("escalation", KLACHTSPOOR_DATABASE_URL="postgresql://k@localhost:5432/k"),
        "does not point at the postgres",
    ),
    (
        "postgres event store",
        checks.missing_variables,
        env("relay", KLACHTSPOOR_EVENTSTORE_URL=None),
        "EVENTSTORE_URL is not set",
    ),
    (
        "key for the read side",
        checks.missing_variables,
        env("reporting", KLACHTSPOOR_MASTER_KEY="${K}"),
        "never needs",
    ),
    (
        "namespaces differ",
        checks.missing_variables,
        env("reporting", KLACHTSPOOR_EVENTSTORE_NAMESPACE="b"),
        "disagree",
    ),
    (
        "loopback only",
        checks.missing_variables,
        env("intake", KLACHTSPOOR_HTTP_HOST="127.0.0.1"),
        "unreachable",
    ),
    ("no traces", checks.missing_variables, env("notify", OTEL_TRACES_EXPORTER="none"), "not otlp"),
    (
        "token key not granted",
        checks.missing_variables,
        compose(lambda s: s["intake"].pop("secrets")),
        "JWT public key",
    ),
    (
        "literal master key",
        checks.secret_problems,
        env("notify", KLACHTSPOOR_MASTER_KEY="c2VjcmV0"),
        "master key",
    ),
    (
        "master key file not granted",
        checks.secret_problems,
        compose(lambda s: s["notify"].pop("secrets")),
        "master key file",
    ),
    (
        "master key file for the read side",
        checks.missing_variables,
        env("reporting", KLACHTSPOOR_MASTER_KEY_FILE="/run/secrets/master_key"),
        "never needs",
    ),
    (
        "password filled in",
        checks.secret_problems,
        text("env_example", "POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=x\n"),
        "gives",
    ),
    (
        "secret unlisted",
        checks.secret_problems,
        text("env_example", "POSTGRES_PASSWORD=\n", ""),
        "does not list",
    ),
    ("secrets tracked", checks.secret_problems, text("gitignore", "secrets/", "nothing/"), "secrets/"),
    (
        "secret file elsewhere",
        checks.secret_problems,
        whole(lambda c: c["secrets"]["jwt_public_key"].update(file="./jwt.pem")),
        "deploy/secrets/",
    ),
    (
        "database published",
        checks.port_problems,
        compose(lambda s: s["postgres"].update(ports=["127.0.0.1:5432:5432"])),
        "postgres: publishes",
    ),
    (
        "all interfaces",
        checks.port_problems,
        compose(lambda s: s["intake"].update(ports=["8001:8001"])),
        "beyond",
    ),
    (
        "trace UI hidden",
        checks.port_problems,
        compose(lambda s: s["jaeger"].pop("ports")),
        "jaeger: its port",
    ),
    (
        "no wait for NATS",
        checks.dependency_problems,
        compose(lambda s: s["relay"]["depends_on"].pop("nats")),
        "without depending",
    ),
    (
        "started, not healthy",
        checks.dependency_problems,
        compose(lambda s: s["escalation"]["depends_on"].update(eventstore={"condition": "service_started"})),
        "before eventstore is healthy",
    ),
    (
        "unknown dependency",
        checks.dependency_problems,
        compose(lambda s: s["intake"]["depends_on"].update(redis={"condition": "service_started"})),
        "does not exist",
    ),
    (
        "health without check",
        checks.dependency_problems,
        compose(lambda s: s["otel-collector"]["depends_on"].update(jaeger={"condition": "service_healthy"})),
        "no healthcheck",
    ),
    (
        "no volume",
        checks.server_problems,
        compose(lambda s: s["postgres"].pop("volumes")),
        "postgres: no named volume",
    ),
    (
        "no JetStream",
        checks.server_problems,
        compose(lambda s: s["nats"].update(command=["-m", "8222"])),
        "JetStream",
    ),
    (
        "no healthcheck",
        checks.server_problems,
        compose(lambda s: s["eventstore"].pop("healthcheck")),
        "eventstore: no",
    ),
    (
        "traces elsewhere",
        checks.collector_problems,
        collector(lambda c: c["exporters"]["otlp/jaeger"].update(endpoint="zipkin:4317")),
        "trace viewer",
    ),
    (
        "receiver port",
        checks.collector_problems,
        collector(lambda c: c["receivers"]["otlp"]["protocols"]["http"].update(endpoint="0.0.0.0:4319")),
        "OTLP/HTTP receiver",
    ),
    (
        "pipeline without OTLP",
        checks.collector_problems,
        collector(lambda c: c["service"]["pipelines"]["traces"].update(receivers=[])),
        "otlp receiver",
    ),
    (
        "config not mounted",
        checks.collector_problems,
        compose(lambda s: s["otel-collector"].update(volumes=[])),
        "does not read",
    ),
    (
        "no lock file",
        checks.dockerfile_problems,
        text("dockerfile", "-r requirements.lock", "klachtspoor"),
        "lock",
    ),
    (
        "dependencies resolved",
        checks.dockerfile_problems,
        text("dockerfile", "--no-deps .", "."),
        "--no-deps",
    ),
    (
        "root",
        checks.dockerfile_problems,
        text("dockerfile", "USER klachtspoor:klachtspoor", "USER root"),
        "root",
    ),
    (
        "entrypoint",
        checks.dockerfile_problems,
        text("dockerfile", "CMD [", 'ENTRYPOINT ["tini"]\nCMD ['),
        "ENTRYPOINT",
    ),
    (
        "venv off PATH",
        checks.dockerfile_problems,
        text("dockerfile", "PATH=/opt/venv/bin:$PATH", "LANG=C.UTF-8"),
        "PATH",
    ),
    (
        "other Python",
        checks.dockerfile_problems,
        text("dockerfile", "python:3.11.13", "python:3.12.11"),
        "python:3.11",
    ),
    (
        "setting undocumented",
        checks.readme_problems,
        text("readme", "| `KLACHTSPOOR_NOTIFY_ACK_WAIT` |", "| `ACK_WAIT` |"),
        "NOTIFY_ACK_WAIT has no row",
    ),
    (
        "documented, not a setting",
        checks.readme_problems,
        text("readme", "`KLACHTSPOOR_SMTP_TIMEOUT`", "`KLACHTSPOOR_SMTP_TIMEOUT`, `KLACHTSPOOR_SMTP_SSL`"),
        "SMTP_SSL is not a setting",
    ),
]
