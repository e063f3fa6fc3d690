"""The web admin UI: vendored static files and the routes that serve them."""
