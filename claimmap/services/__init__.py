"""Use cases shared by the CLI and the TUI: each public function is one user action."""
