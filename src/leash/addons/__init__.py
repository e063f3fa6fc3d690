"""Integrations (Unleash's addons): their configurations, the webhook provider's deliveries and
the integration events that record them."""
