"""The Textual annotator.  Only this package imports Textual."""
