"""Page objects shared by the browser tests."""
