"""The Graph API's blueprint; its modules register their routes on it."""

from flask import Blueprint

bp = Blueprint("graph", __name__)
