"""leash: a self-hosted feature-flag server that speaks the Unleash API."""

__version__ = "0.1.0"
