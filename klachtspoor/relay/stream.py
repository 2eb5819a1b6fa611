"""The JetStream stream every relayed event lands in, and how the relay makes sure it exists.

Consumers that declare the stream themselves (FastStream ``JStream``) should use :func:`stream_config`'s
values, so that whoever starts first creates the same stream.
"""

from __future__ import annotations

import dataclasses
import logging

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, StorageType, StreamConfig, StreamInfo
from nats.js.errors import BadRequestError

from klachtspoor.relay.message import SUBJECT_ROOT

log = logging.getLogger(__name__)

STREAM_NAME = "KLACHTSPOOR"
STREAM_SUBJECTS = (f"{SUBJECT_ROOT}.>",)
DUPLICATE_WINDOW = 3600.0
"""Seconds JetStream remembers a Nats-Msg-Id: a relay restarting within the hour republishes nothing twice."""

MAX_AGE = 30 * 24 * 3600.0
"""Seconds a message is kept (30 days): far longer than any outage consumers must outlast; the event
store, not the stream, is the record, so what ages out can be relayed again from a checkpoint."""
MAX_BYTES = 10 * 1024**3
"""Bytes the stream may hold (10 GiB). When full, new publishes are refused (discard ``new``): the relay
retries them until old messages age out, so nothing a consumer still waits for is thrown away."""


@dataclasses.dataclass(frozen=True, slots=True)
class StreamLimits:
    max_age: float = MAX_AGE
    max_bytes: int = MAX_BYTES


_NAME_IN_USE = 10058  # JetStream API error code: stream name already in use with a different configuration


class StreamMisconfigured(RuntimeError):
    """The stream exists with settings the relay cannot change for it."""


def stream_config(name: str = STREAM_NAME, limits: StreamLimits | None = None) -> StreamConfig:
    retention = limits or StreamLimits()
    return StreamConfig(
        name=name,
        subjects=list(STREAM_SUBJECTS),
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW,
        max_age=retention.max_age,
        max_bytes=retention.max_bytes,
        discard=DiscardPolicy.NEW,
    )


async def ensure_stream(
    js: JetStreamContext, name: str = STREAM_NAME, limits: StreamLimits | None = None
) -> StreamInfo:
    """Create the stream, or widen an existing one's subjects and duplicate window to ours.

    Subjects others added are kept; file storage cannot be changed after creation, so a stream on memory
    storage is an error rather than silently losing events on a server restart. ``limits``: the
    retention to create with and, when given, to set on an existing stream (the relay passes the
    configured ones; consumers pass none and leave an existing stream's retention alone).
    """
    wanted = stream_config(name, limits)
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
    retention = (
        {"max_age": wanted.max_age, "max_bytes": wanted.max_bytes, "discard": wanted.discard}
        if limits is not None
        else {}
    )
    unchanged = all(getattr(current, key) == value for key, value in retention.items())
    if subjects == sorted(current.subjects or ()) and window == current.duplicate_window and unchanged:
        return info
    log.warning(
        "Updating JetStream stream %s: subjects %s -> %s, duplicate window %s -> %s s, retention %s",
        name,
        current.subjects,
        subjects,
        current.duplicate_window,
        window,
        retention or "unchanged",
    )
    return await js.update_stream(
        dataclasses.replace(current, subjects=subjects, duplicate_window=window, **retention)  # type: ignore[arg-type]
    )
