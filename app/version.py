"""The version, for the control API, the OpenAPI document and the package."""

__version__ = "0.1.0"
