"""Text preparation: decoding, cleaning, segmentation and match keys.

Pure functions over strings and bytes; no database, no UI.
"""
