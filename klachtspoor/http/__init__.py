"""HTTP plumbing shared by the services: app factory, problem+json errors, health, auth dependency."""
