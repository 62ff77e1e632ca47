"""Courses: content loading, the catalog, modules and progress."""
