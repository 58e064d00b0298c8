"""The Venue AV integration."""
