"""HTTP routes: turn requests into read-model queries and rows into response models."""
