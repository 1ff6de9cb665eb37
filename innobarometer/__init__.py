"""The publication kit of the Innovation Barometer's books, from the ground up: paths, text (language,
formats, escaping), estimates (with the disclosure rule), data, presentation, site and building.
A chapter's own code lives beside it, in the package its publication.yml names."""
