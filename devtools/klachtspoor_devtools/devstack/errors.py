"""Errors of the dev stack; each names the server, the path or port, and where to look next."""

from __future__ import annotations


class DevStackError(RuntimeError):
    """A server or child process of the dev stack could not be started or stopped."""


class DataDirInUseError(DevStackError):
    """Another live process owns the data directory (two launchers on one directory would corrupt it)."""
