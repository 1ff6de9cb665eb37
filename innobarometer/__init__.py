"""Shared logic of the book "Organiser smartere": data, estimates, charts and Danish formats."""
