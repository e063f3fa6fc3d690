"""ASGI entry point for servers: `uvicorn leash.main:app`. Reads settings from the environment."""

from leash.app import create_app
from leash.config import Settings

app = create_app(Settings())
