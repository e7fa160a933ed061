"""How a pass removes rows: small transactions with a pause between them, so a request that
writes meanwhile waits for one small transaction at most, never for the whole pass."""

from __future__ import annotations

import time

BATCH = 1000  # rows a transaction removes at most
PAUSE = 0.01  # seconds between two transactions, so waiting writers go first


def pause() -> None:
    time.sleep(PAUSE)
