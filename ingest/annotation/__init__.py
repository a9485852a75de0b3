"""The annotated corpus: sampling articles from `../shared/corpora`, checking annotation files, splits, gold files.

Annotations keep ids, text hashes, entities, facts and evidence offsets; the article texts stay in the corpora and
are joined back (and checked against their hash) when a gold file is built for training or evaluation.
See docs/annotation.md for the guidelines and the workflow.
"""
