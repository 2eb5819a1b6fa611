"""The procedure policies, read from ``policies/<id>/v<version>.yaml`` and validated once at start.

Every version of every policy is loaded, not only the latest: a case pinned to version 1 is handled by
version 1 for its whole life, even after version 2 is published. The file's place is part of its
identity, so ``policies/so-trainingsbureau/v2.yaml`` must say ``id: so-trainingsbureau`` and
``version: 2``; a mismatch is refused, because a pinned case would otherwise follow the wrong rules.
The directory is ``settings.policies_dir`` (default ``policies``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import yaml
from pydantic import ValidationError

from contracts.policy import ProcedurePolicy
from contracts.vocabulary import TenantKind
from klachtspoor.settings import Settings
from klachtspoor.tenants import TenantRegistry

_FILE_RE = re.compile(r"v(?P<version>[1-9][0-9]*)\.yaml")
_INNER_FIELD_RE = re.compile(r"(?P<field>[a-z_][a-z0-9_.]*): ")


class UnknownPolicy(LookupError):
    """No policy with this id (or not this version of it) in the registry."""

    def __init__(self, policy_id: str, version: int | None = None, known: Iterable[str] = ()) -> None:
        self.policy_id, self.version = policy_id, version
        wanted = repr(policy_id) if version is None else f"{policy_id!r} version {version}"
        super().__init__(f"Unknown policy {wanted} (known: {', '.join(known) or 'none'})")


class PolicyFileError(ValueError):
    """A policy file is unreadable, not YAML, misplaced or invalid; names the file and the fields."""

    def __init__(self, path: Path | str, problems: Iterable[str]) -> None:
        self.path, self.problems = str(path), tuple(problems)
        super().__init__(f"Invalid policy file {self.path}: {'; '.join(self.problems)}")


class PolicyRegistry:
    """Every version of every policy, by id. Immutable once built; build it in a bootstrap."""

    def __init__(self, policies: Iterable[ProcedurePolicy]) -> None:
        versions: dict[str, dict[int, ProcedurePolicy]] = {}
        for policy in policies:
            by_version = versions.setdefault(policy.id, {})
            if policy.version in by_version:
                raise ValueError(f"Policy {policy.id!r} version {policy.version} is given twice")
            by_version[policy.version] = policy
        self._versions: Mapping[str, Mapping[int, ProcedurePolicy]] = {
            policy_id: dict(sorted(by_version.items())) for policy_id, by_version in sorted(versions.items())
        }

    @classmethod
    def from_directory(cls, path: Path | str) -> PolicyRegistry:
        """Load ``<path>/<id>/v<n>.yaml``; any other ``.yaml`` file in the tree is an error, not ignored."""
        root = Path(path)
        if not root.is_dir():
            raise PolicyFileError(root, ["not a directory of policies"])
        return cls(load_policy_file(file, root) for file in sorted(root.rglob("*.yaml")))

    @classmethod
    def from_settings(cls, settings: Settings) -> PolicyRegistry:
        return cls.from_directory(settings.policies_dir)

    def get(self, policy_id: str, version: int | None = None) -> ProcedurePolicy:
        """The given version of the policy, or its latest when ``version`` is None."""
        versions = self._versions.get(policy_id)
        if versions is None:
            raise UnknownPolicy(policy_id, version, self.ids)
        if version is None:
            return versions[max(versions)]
        policy = versions.get(version)
        if policy is None:
            raise UnknownPolicy(policy_id, version, [f"{policy_id} v{v}" for v in versions])
        return policy

    def latest_version(self, policy_id: str) -> int:
        return self.get(policy_id).version

    def versions(self, policy_id: str) -> tuple[int, ...]:
        if policy_id not in self._versions:
            raise UnknownPolicy(policy_id, known=self.ids)
        return tuple(self._versions[policy_id])

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._versions)

    def __contains__(self, policy_id: object) -> bool:
        return policy_id in self._versions

    def __iter__(self) -> Iterator[ProcedurePolicy]:
        """Every version of every policy, by id then version."""
        for versions in self._versions.values():
            yield from versions.values()

    def __len__(self) -> int:
        return sum(len(versions) for versions in self._versions.values())


def check_directory(path: Path | str, tenants: TenantRegistry | None = None) -> list[str]:
    """Every problem in the directory, one line each (not only the first), plus, with ``tenants``, the
    references between the two files: each tenant's policy exists and each confidant is a confidant_org."""
    root = Path(path)
    if not root.is_dir():
        return [str(PolicyFileError(root, ["not a directory of policies"]))]
    problems: list[str] = []
    loaded: list[ProcedurePolicy] = []
    for file in sorted(root.rglob("*.yaml")):
        try:
            loaded.append(load_policy_file(file, root))
        except PolicyFileError as error:
            problems.append(str(error))
    if tenants is not None:
        problems.extend(_reference_problems(PolicyRegistry(loaded), tenants))
    return problems


def _reference_problems(policies: PolicyRegistry, tenants: TenantRegistry) -> list[str]:
    problems = []
    for tenant in tenants:
        if tenant.policy is not None and tenant.policy not in policies:
            problems.append(f"Tenant {tenant.slug} names policy {tenant.policy!r}, which does not exist")
    for policy in policies:
        confidant = policy.confidant.organisation if policy.confidant else None
        if confidant is None:
            continue
        where = f"Policy {policy.id} v{policy.version} confidant.organisation"
        if confidant not in tenants:
            problems.append(f"{where}: {confidant!r} is not a tenant")
        elif tenants.get(confidant).kind is not TenantKind.CONFIDANT_ORG:
            problems.append(f"{where}: tenant {confidant!r} is not a {TenantKind.CONFIDANT_ORG.value}")
    return problems


def load_policy_file(file: Path, root: Path) -> ProcedurePolicy:
    """One policy file, checked against its place ``<root>/<id>/v<n>.yaml``."""
    relative = file.relative_to(root)
    match = _FILE_RE.fullmatch(relative.name)
    if len(relative.parts) != 2 or match is None:
        raise PolicyFileError(file, [f"(file): expected <policy id>/v<version>.yaml, found {relative}"])
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise PolicyFileError(file, [f"(file): cannot read: {error.strerror or error}"]) from error
    except yaml.YAMLError as error:
        raise PolicyFileError(file, [f"(file): not YAML: {error}"]) from error
    try:
        policy = ProcedurePolicy.model_validate(raw)
    except ValidationError as error:
        raise PolicyFileError(file, _problems(error)) from error
    problems = []
    if policy.id != relative.parts[0]:
        problems.append(f"id: {policy.id!r} does not match its directory {relative.parts[0]!r}")
    if policy.version != int(match.group("version")):
        problems.append(f"version: {policy.version} does not match its file name {relative.name!r}")
    if problems:
        raise PolicyFileError(file, problems)
    return policy


def _problems(error: ValidationError) -> list[str]:
    """One ``field: message`` per error. A model's own check starts its message with the field inside the
    model (``phone: …``), so the model's location and that field are joined into one dotted path."""
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        location = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        inner = _INNER_FIELD_RE.match(message) if item["type"] == "value_error" else None
        if inner:
            location = ".".join(part for part in (location, inner.group("field")) if part)
            message = message[inner.end() :]
        problems.append(f"{location or '(policy)'}: {message}")
    return problems
