"""Checks of deploy/: each returns the problems it finds, an empty list when the files are right.

A test runs every check on the real files and on a deliberately broken copy, which shows that the
check can fail. The checks read only what the files say; nothing is started.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.deploy.deploy_files import (
    DEPLOY,
    DURABLE,
    LOOPBACK,
    MASTER_KEY_VARIABLES,
    PROCESSES,
    REPO,
    REQUIRED,
    SAME_EVERYWHERE,
    SERVERS,
    SERVICES,
    UI_PORTS,
    VERIFY_TOKENS,
    WITHOUT_KEY,
    Deploy,
    depends_on,
    environment,
    from_images,
    hosts,
    image_problem,
    logical_lines,
    port_bindings,
    settings_variables,
)

_REQUIRED_INTERPOLATION = re.compile(r"\$\{(\w+):\?")


def missing_services(deploy: Deploy) -> list[str]:
    return [f"no service {name!r}" for name in (*PROCESSES, *SERVERS) if name not in deploy.services]


def unpinned_images(deploy: Deploy) -> list[str]:
    problems = []
    for name, service in deploy.services.items():
        if "image" not in service:
            problems.append(f"{name}: no image name (a built image needs one, pinned)")
        elif (problem := image_problem(str(service["image"]))) is not None:
            problems.append(f"{name}: {problem}")
    for reference in from_images(deploy.dockerfile):
        if (problem := image_problem(reference)) is not None:
            problems.append(f"Dockerfile: {problem}")
    return problems


def process_problems(deploy: Deploy) -> list[str]:
    """The relay and the services run the project's image, built from deploy/Dockerfile, as themselves."""
    problems, images = [], set()
    for name, command in PROCESSES.items():
        service = deploy.services.get(name, {})
        build = service.get("build") or {}
        context = (DEPLOY / str(build.get("context", "."))).resolve()
        if context != REPO or build.get("dockerfile") != "deploy/Dockerfile":
            problems.append(f"{name}: not built from deploy/Dockerfile in the repository ({build})")
        images.add(service.get("image"))
        if service.get("command") != command:
            problems.append(f"{name}: command {service.get('command')!r}, expected {command!r}")
    if len(images) != 1:
        problems.append(f"the processes run different images: {sorted(map(str, images))}")
    return problems


def unknown_variables(deploy: Deploy) -> list[str]:
    """Every KLACHTSPOOR_* name, in an environment, an interpolation or the env file, is a setting; a
    service's own setting appears only in that service."""
    owners = settings_variables()
    problems = []
    for name, service in deploy.services.items():
        for variable in environment(service):
            if variable.startswith("KLACHTSPOOR_") and variable not in owners:
                problems.append(f"{name}: {variable} is not a setting")
            elif owners.get(variable) not in (None, name):
                problems.append(f"{name}: {variable} is a setting of {owners[variable]} only")
    mentioned = set(re.findall(r"KLACHTSPOOR_\w+", deploy.compose_text + deploy.env_example))
    problems += [f"{variable} is not a setting" for variable in sorted(mentioned - set(owners))]
    return problems


def missing_variables(deploy: Deploy) -> list[str]:
    """Each process gets what its code reads, pointing at the servers of this stack."""
    problems = []
    for name, required in REQUIRED.items():
        env = environment(deploy.services.get(name, {}))
        problems += [f"{name}: {variable} is not set" for variable in sorted(required - set(env))]
        problems += _pointing_at_the_stack(deploy, name, env)
        if name in WITHOUT_KEY and set(MASTER_KEY_VARIABLES) & set(env):
            problems.append(f"{name}: gets the master key, which it never needs")
        if name in VERIFY_TOKENS:
            problems += _token_key(deploy, name, env)
    for variable in SAME_EVERYWHERE:
        values = {environment(deploy.services.get(name, {})).get(variable) for name in PROCESSES}
        if len(values) != 1:
            problems.append(f"the processes disagree on {variable}: {sorted(map(str, values))}")
    return problems


def _pointing_at_the_stack(deploy: Deploy, name: str, env: dict[str, str]) -> list[str]:
    expected = {
        "KLACHTSPOOR_EVENTSTORE_URL": ("esdb", "eventstore"),
        "KLACHTSPOOR_DATABASE_URL": ("postgresql", "postgres"),
        "KLACHTSPOOR_NATS_URL": ("nats", "nats"),
        "OTEL_EXPORTER_OTLP_ENDPOINT": ("http", "otel-collector"),
        "KLACHTSPOOR_SMTP_HOST": ("", "mailpit"),
    }
    problems = []
    for variable, (scheme, host) in expected.items():
        value = env.get(variable)
        if value is None:
            continue
        if scheme and not value.startswith(f"{scheme}://"):
            problems.append(f"{name}: {variable}={value!r} is not a {scheme}:// URL")
        if hosts(value) != [host]:
            problems.append(f"{name}: {variable}={value!r} does not point at the {host} service")
    if env.get("OTEL_TRACES_EXPORTER", "otlp") != "otlp":
        problems.append(f"{name}: OTEL_TRACES_EXPORTER is not otlp")
    if "KLACHTSPOOR_HTTP_HOST" in env and env["KLACHTSPOOR_HTTP_HOST"] != "0.0.0.0":
        problems.append(f"{name}: listens on {env['KLACHTSPOOR_HTTP_HOST']}, unreachable from outside")
    return problems


def _token_key(deploy: Deploy, name: str, env: dict[str, str]) -> list[str]:
    key_file = env.get("KLACHTSPOOR_JWT_PUBLIC_KEY_FILE", "")
    if not key_file:
        return [] if env.get("KLACHTSPOOR_JWT_JWKS_URL") else [f"{name}: no JWT public key nor JWKS URL"]
    if not _granted_secret(deploy, name, key_file):
        return [f"{name}: the JWT public key {key_file} is not a secret of the stack granted to it"]
    return []


def _granted_secret(deploy: Deploy, name: str, path: str) -> bool:
    """``path`` is ``/run/secrets/<secret>`` of a secret the stack declares and grants to ``name``."""
    secret = Path(path).name
    declared = deploy.compose.get("secrets") or {}
    granted = deploy.services[name].get("secrets") or []
    return path == f"/run/secrets/{secret}" and secret in declared and secret in granted


def secret_problems(deploy: Deploy) -> list[str]:
    """Secrets come from the env file (every required one listed, empty, in .env.example) or from
    compose secrets under deploy/secrets/; git ignores both."""
    problems = []
    for name in PROCESSES:
        env = environment(deploy.services.get(name, {}))
        value, key_file = env.get("KLACHTSPOOR_MASTER_KEY"), env.get("KLACHTSPOOR_MASTER_KEY_FILE")
        if value is not None and not re.fullmatch(r"\$\{KLACHTSPOOR_MASTER_KEY:\?[^}]*\}", value):
            problems.append(f"{name}: the master key is neither a secret file nor required from the env file")
        if key_file is not None and not _granted_secret(deploy, name, key_file):
            problems.append(
                f"{name}: the master key file {key_file} is not a secret of the stack granted to it"
            )
    example = dict(
        line.split("=", 1) for line in deploy.env_example.splitlines() if "=" in line and line[0] != "#"
    )
    for variable in sorted(set(_REQUIRED_INTERPOLATION.findall(deploy.compose_text))):
        if variable not in example:
            problems.append(f".env.example does not list {variable}")
        elif example[variable].strip():
            problems.append(f".env.example gives {variable} a value; a secret must be filled in")
    for name, secret in (deploy.compose.get("secrets") or {}).items():
        if not str(secret.get("file", "")).startswith("./secrets/"):
            problems.append(f"secret {name} is not read from deploy/secrets/")
    ignored = deploy.gitignore.split()
    problems += [f"deploy/.gitignore does not ignore {p}" for p in (".env", "secrets/") if p not in ignored]
    return problems


def port_problems(deploy: Deploy) -> list[str]:
    """Published: the HTTP services on their own port, the trace and mail UIs, and EventStoreDB (its UI,
    and the conformance suite's server); all on the loopback interface only."""
    allowed = {name: {int(_port_setting(deploy, name))} for name in SERVICES}
    allowed |= {name: {port} for name, port in UI_PORTS.items()} | {"eventstore": {2113}}
    problems = []
    for name, service in deploy.services.items():
        for interface, _, target in port_bindings(service):
            if target not in allowed.get(name, set()):
                problems.append(f"{name}: publishes port {target}")
            if interface != LOOPBACK:
                problems.append(f"{name}: port {target} is published beyond {LOOPBACK}")
    for name in (*SERVICES, *UI_PORTS):
        if not list(port_bindings(deploy.services.get(name, {}))):
            problems.append(f"{name}: its port is not published")
    return problems


def _port_setting(deploy: Deploy, name: str) -> str:
    return environment(deploy.services.get(name, {})).get(f"KLACHTSPOOR_{name.upper()}_PORT", "0")


def dependency_problems(deploy: Deploy) -> list[str]:
    """depends_on names real services, waits for health only where there is a healthcheck, and every
    process waits for each server its variables point at."""
    problems = []
    for name, service in deploy.services.items():
        for target, condition in depends_on(service).items():
            if target not in deploy.services:
                problems.append(f"{name}: depends on {target!r}, which does not exist")
            elif condition == "service_healthy" and "healthcheck" not in deploy.services[target]:
                problems.append(f"{name}: waits for {target} to be healthy, which has no healthcheck")
    for name in PROCESSES:
        service = deploy.services.get(name, {})
        pointed = {host for value in environment(service).values() for host in hosts(value)}
        for server in sorted(pointed & set(SERVERS) - set(depends_on(service))):
            problems.append(f"{name}: uses {server} without depending on it")
        for server in DURABLE:
            if server in pointed and depends_on(service).get(server) != "service_healthy":
                problems.append(f"{name}: starts before {server} is healthy")
    return problems


def server_problems(deploy: Deploy) -> list[str]:
    problems = []
    declared = deploy.compose.get("volumes") or {}
    for name in DURABLE:
        service = deploy.services.get(name, {})
        sources = {str(v).split(":", 1)[0] for v in service.get("volumes") or []}
        if not sources & set(declared):
            problems.append(f"{name}: no named volume keeps its data")
        if "healthcheck" not in service:
            problems.append(f"{name}: no healthcheck")
    command = deploy.services.get("nats", {}).get("command") or []
    if not {"-js", "--jetstream"} & set(command):
        problems.append("nats: JetStream is not enabled")
    return problems


def collector_problems(deploy: Deploy) -> list[str]:
    """The collector receives OTLP where the processes send it and exports traces to Jaeger."""
    config = deploy.collector
    problems = []
    http = (((config.get("receivers") or {}).get("otlp") or {}).get("protocols") or {}).get("http") or {}
    sent_to = {
        environment(deploy.services.get(name, {})).get("OTEL_EXPORTER_OTLP_ENDPOINT", "").rsplit(":", 1)[-1]
        for name in PROCESSES
    }
    if sent_to != {str(http.get("endpoint", "")).rsplit(":", 1)[-1]}:
        problems.append(f"the OTLP/HTTP receiver ({http}) is not on the port the processes send to {sent_to}")
    traces = ((config.get("service") or {}).get("pipelines") or {}).get("traces") or {}
    if "otlp" not in (traces.get("receivers") or []):
        problems.append("the traces pipeline does not take the otlp receiver")
    viewers = {n for n, s in deploy.services.items() if str(s.get("image", "")).startswith("jaegertracing/")}
    exporters = config.get("exporters") or {}
    to_viewer = [
        e
        for e in traces.get("exporters") or []
        if e.split("/")[0] in {"otlp", "otlphttp"}
        and hosts(str(exporters.get(e, {}).get("endpoint", ""))) == sorted(viewers)
    ]
    if not to_viewer:
        problems.append(
            f"no exporter of the traces pipeline sends OTLP to the trace viewer {sorted(viewers)}"
        )
    service = deploy.services.get("otel-collector", {})
    config_path = next(
        (a.split("=", 1)[1] for a in service.get("command") or [] if a.startswith("--config=")), ""
    )
    if f"./otel-collector.yaml:{config_path}:ro" not in (service.get("volumes") or []):
        problems.append(f"the collector does not read deploy/otel-collector.yaml (--config={config_path})")
    return problems


def dockerfile_problems(deploy: Deploy) -> list[str]:
    lines = logical_lines(deploy.dockerfile)
    problems = []
    copied = next((i for i, line in enumerate(lines) if re.match(r"COPY .*requirements\.lock", line)), None)
    installed = [i for i, line in enumerate(lines) if re.match(r"RUN .*-r requirements\.lock", line)]
    if copied is None or not [i for i in installed if i > copied]:
        problems.append("the image does not install requirements.lock")
    if not [line for line in lines if re.match(r"RUN .*install .*--no-deps .*\.$", line)]:
        problems.append("the project is not installed with --no-deps")
    users = [line.split()[1].split(":")[0] for line in lines if line.startswith("USER ")]
    if not users or users[-1] in {"root", "0"}:
        problems.append("the image runs as root")
    if any(line.startswith("ENTRYPOINT") for line in lines):
        problems.append("an ENTRYPOINT would turn the compose commands into its arguments")
    venvs = [m.group(1) for line in lines if (m := re.search(r"-m venv (\S+)", line))]
    if not venvs or not any(f"PATH={venvs[-1]}/bin:" in line for line in lines if line.startswith("ENV ")):
        problems.append("the virtual environment's bin/ is not first on PATH (python, klachtspoor)")
    if not all(image.startswith("python:3.11") for image in from_images(deploy.dockerfile)):
        problems.append("the image is not built on python:3.11")
    return problems


def readme_problems(deploy: Deploy) -> list[str]:
    """deploy/README.md's settings table has a row for every setting, and the README names no variable
    that is neither a setting nor one the tests read (tests/conftest.py)."""
    owners = settings_variables()
    section = deploy.readme.split("\n## Settings", 1)[-1]
    rows = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    problems = [
        f"README: {v} has no row in the settings table" for v in sorted(owners) if f"`{v}`" not in rows
    ]
    read_by_tests = (REPO / "tests" / "conftest.py").read_text()
    for variable in sorted(set(re.findall(r"KLACHTSPOOR_\w+", deploy.readme)) - set(owners)):
        if variable not in read_by_tests:
            problems.append(f"README: {variable} is not a setting")
    return problems


CHECKS = (
    missing_services,
    unpinned_images,
    process_problems,
    unknown_variables,
    missing_variables,
    secret_problems,
    port_problems,
    dependency_problems,
    server_problems,
    collector_problems,
    dockerfile_problems,
    readme_problems,
)
