"""Helpers for testing with the simulator: a live server in a thread and a Chromium to drive."""
