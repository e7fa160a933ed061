"""What automated suites observe and steer: the journal, the decision trace, injected faults."""
