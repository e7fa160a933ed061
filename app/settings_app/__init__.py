"""Blueprint: the simulated iOS Settings app (account-driven user enrollment, §3)."""
