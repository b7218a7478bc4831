"""Customer tables (CSV, XLSX; Chinese or English headers) <-> validated models."""
