"""Adapters of notify: mail templates, SMTP, the organisations' names."""
