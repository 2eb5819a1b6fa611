"""Services of klachtspoor: each a separate process that shares only contracts and the klachtspoor package."""
