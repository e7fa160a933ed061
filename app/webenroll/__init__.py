"""Blueprint: web-based device enrollment in Safari (enrollment-today.md §4)."""
