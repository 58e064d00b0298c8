"""Device simulators used for development and tests (never shipped)."""
