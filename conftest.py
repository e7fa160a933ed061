"""Load the package's pytest plugin even where the installed entry point predates it.

The entry point has this same name, so when it is installed this line is a no-op: never twice.
"""

pytest_plugins = ["app.pytest_plugin"]
