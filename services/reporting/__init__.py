"""The reporting service: a projection of the global log into PostgreSQL read models (checkpoint in the same
transaction as the rows) and the HTTP API that reads them; it holds no keys and decrypts nothing."""
