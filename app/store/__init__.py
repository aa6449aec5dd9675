"""Storage: the encrypted connection, key slots, migrations, backups."""

from app.store.db import DB_NAME, Store  # noqa: F401
