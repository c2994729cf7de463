"""Qt table models over the live floor: rows kept by id, ranged updates per batch."""
