"""How notify is reached: the JetStream subscriber and the health endpoints."""
