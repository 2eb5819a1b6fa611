"""The pure core of notify: what a case says about its notifications, and what to record after a try."""
