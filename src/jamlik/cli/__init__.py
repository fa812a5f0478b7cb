"""The `jamlik` command: one Typer app; each area of the system adds its own sub-commands."""

from jamlik.cli.app import app, main

__all__ = ["app", "main"]
