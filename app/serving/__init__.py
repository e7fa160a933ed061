"""Serving the simulator as a product: gunicorn's start-up banner (where everything is), the TLS
certificate of `make run TLS=1`, and the Graph API's JSON bodies written by orjson
(json_body.py). gunicorn's own settings are in gunicorn.conf.py."""
