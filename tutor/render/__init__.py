"""Everything the tutor shows: theme, console, banner, and how lessons look."""
