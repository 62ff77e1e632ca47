"""Site-wide pages: home, language choice, health check, error pages."""
