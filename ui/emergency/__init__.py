"""The emergency bulletin screen and the periodic report dialog."""
