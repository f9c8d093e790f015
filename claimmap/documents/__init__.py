"""Readers for documents that are not plain text (PDF, Word, web pages, EPUB).

Each reader turns a file's bytes into a ``DocumentText`` (see ``types``); the
importer cleans, segments and stores it like a text file.  Readers import their
heavy libraries inside the function, so ``claimmap --help`` never pays for them.
"""
