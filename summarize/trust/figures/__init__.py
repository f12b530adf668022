"""The parts of the figure extractor behind :mod:`summarize.trust.numbers`: tokens, the word
tables (data), digit values, and the scanner in three parts (shared helpers, figures written
with digits, figures written with words). Import from :mod:`summarize.trust.numbers`."""
