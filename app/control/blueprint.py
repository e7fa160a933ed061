"""The control API's blueprint, at /_sim."""

from flask import Blueprint

bp = Blueprint("control", __name__, url_prefix="/_sim")
