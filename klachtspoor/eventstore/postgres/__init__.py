"""PostgreSQL adapter of the event store: ``PostgresEventStore.connect(url)``, ``migrate(url)``."""

from klachtspoor.eventstore.postgres.append import RetryTransaction
from klachtspoor.eventstore.postgres.schema import MigrationError, migrate
from klachtspoor.eventstore.postgres.store import PostgresEventStore
from klachtspoor.eventstore.postgres.transactional import append_in_transaction

__all__ = [
    "MigrationError",
    "PostgresEventStore",
    "RetryTransaction",
    "append_in_transaction",
    "migrate",
]
