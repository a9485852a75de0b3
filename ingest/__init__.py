"""From news articles to typed, dated, sourced facts: load → language → spaCy → entities → facts → qualifiers."""
