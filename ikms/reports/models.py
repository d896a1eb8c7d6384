"""Report runs and municipal narratives (see the modules that use them)."""
