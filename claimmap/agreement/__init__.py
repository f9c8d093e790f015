"""Agreement statistics between analysts: pure functions over layers, no database.

``unitizing`` holds Krippendorff's alpha for unitizing a continuum (uα), ``coding``
the alpha for coded units (nominal, ordinal, interval, with missing values).
"""
