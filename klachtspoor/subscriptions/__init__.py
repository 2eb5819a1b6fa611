"""Subscriptions over the global log: projections (exactly-once into the read model), reactors
(at-least-once with an idempotency ledger), checkpoints, and parking of poison events."""

from klachtspoor.subscriptions.model import (
    Projection,
    ProjectionHandler,
    Reactor,
    ReactorHandler,
    RetryPolicy,
    Subscriber,
)
from klachtspoor.subscriptions.parked import (
    ParkedEventNotFound,
    RetryOutcome,
    RetryResult,
    discard_parked,
    request_retry,
    retry_parked,
    wait_for_retry,
)
from klachtspoor.subscriptions.runner import SubscriptionRunner
from klachtspoor.subscriptions.schema import apply_schema
from klachtspoor.subscriptions.supervised import SupervisedRunner, wait_stopped
from klachtspoor.subscriptions.tables import (
    ParkedEvent,
    forget_projection,
    list_parked,
    load_checkpoint,
    save_checkpoint,
)

__all__ = [
    "ParkedEvent",
    "ParkedEventNotFound",
    "Projection",
    "ProjectionHandler",
    "Reactor",
    "ReactorHandler",
    "RetryOutcome",
    "RetryPolicy",
    "RetryResult",
    "Subscriber",
    "SubscriptionRunner",
    "SupervisedRunner",
    "apply_schema",
    "discard_parked",
    "forget_projection",
    "list_parked",
    "load_checkpoint",
    "request_retry",
    "retry_parked",
    "save_checkpoint",
    "wait_for_retry",
    "wait_stopped",
]
