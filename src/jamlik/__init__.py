"""jamlik: steer and follow up municipal equity programmes."""

__version__ = "0.1.0"
