"""Import and export: CoNLL/BIO columns, brat standoff, Label Studio."""
