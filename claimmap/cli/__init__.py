"""The command-line front end: a thin layer of click commands over the services."""
