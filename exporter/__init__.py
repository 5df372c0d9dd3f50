"""pantau's outputs for people and machines: reports (the lag list) and, later, metrics."""
