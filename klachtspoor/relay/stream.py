"""The JetStream stream every relayed event lands in, and how the relay makes sure it exists.

Consumers that declare the stream themselves (FastStream ``JStream``) should use :func:`stream_config`'s
values, so that whoever starts first creates the same stream.
"""

from __future__ import annotations

import dataclasses
import logging

from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig, StreamInfo
from nats.js.errors import BadRequestError

from klachtspoor.relay.message import SUBJECT_ROOT

log = logging.getLogger(__name__)

STREAM_NAME = "KLACHTSPOOR"
STREAM_SUBJECTS = (f"{SUBJECT_ROOT}.>",)
DUPLICATE_WINDOW = 3600.0
"""Seconds JetStream remembers a Nats-Msg-Id: a relay restarting within the hour republishes nothing twice."""

_NAME_IN_USE = 10058  # JetStream API error code: stream name already in use with a different configuration


class StreamMisconfigured(RuntimeError):
    """The stream exists with settings the relay cannot change for it."""


def stream_config(name: str = STREAM_NAME) -> StreamConfig:
    return StreamConfig(
        name=name,
        subjects=list(STREAM_SUBJECTS),
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW,
    )


async def ensure_stream(js: JetStreamContext, name: str = STREAM_NAME) -> StreamInfo:
    """Create the stream, or widen an existing one's subjects and duplicate window to ours.

    Subjects others added are kept; file storage cannot be changed after creation, so a stream on memory
    storage is an error rather than silently losing events on a server restart.
    """
    wanted = stream_config(name)
    try:
        return await js.add_stream(wanted)
    except BadRequestError as error:
        if error.err_code != _NAME_IN_USE:
            raise
    info = await js.stream_info(name)
    current = info.config
    if current.storage != StorageType.FILE:
        raise StreamMisconfigured(
            f"JetStream stream {name} uses {current.storage} storage; the relay needs file storage"
        )
    subjects = sorted(set(current.subjects or ()) | set(STREAM_SUBJECTS))
    window = max(current.duplicate_window or 0.0, DUPLICATE_WINDOW)
    if subjects == sorted(current.subjects or ()) and window == current.duplicate_window:
        return info
    log.warning(
        "Updating JetStream stream %s: subjects %s -> %s, duplicate window %s -> %s s",
        name,
        current.subjects,
        subjects,
        current.duplicate_window,
        window,
    )
    return await js.update_stream(dataclasses.replace(current, subjects=subjects, duplicate_window=window))
