"""summarize: Arabic news to side-by-side Arabic-English briefs.

The package is layered: ``text`` and ``chunking`` are pure functions over strings,
``registry`` and ``loading`` find and load models, ``pipeline`` runs the work,
``render`` turns results into text, and ``cli`` is a thin shell over all of it.
Nothing heavy (torch, transformers) is imported here.
"""

__version__ = "0.1.0"
