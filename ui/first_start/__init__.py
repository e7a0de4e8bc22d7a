"""The first-start assistant and the support tools of the Help menu."""
