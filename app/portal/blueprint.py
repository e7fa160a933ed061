"""The Company Portal's blueprint."""

from flask import Blueprint

bp = Blueprint("portal", __name__)
