"""IKMS analytics: the Parquet lake, indicator and risk specifications, and their engines.

This package never imports Django (checked by tests/test_architecture.py); the web application
triggers runs and reads their results. The engine arrives with the monitoring issue."""

__all__: list[str] = []
