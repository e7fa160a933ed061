"""Serving the simulator as a product: gunicorn's start-up banner (where everything is) and the
TLS certificate of `make run TLS=1`. gunicorn's own settings are in gunicorn.conf.py."""
