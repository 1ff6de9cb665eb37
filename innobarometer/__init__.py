"""The publication kit of the Innovation Barometer's books: data, estimates, disclosure, presentation, the site and the build (its chapters' own code lives beside it)."""
