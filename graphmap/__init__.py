"""graphmap: stakeholder maps of customer organisations and our coverage of them."""

__version__ = "0.1.0"
