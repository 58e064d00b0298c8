"""Tests of the example blueprints."""
