"""Contracts: the sponsor's programs, the agreements between the parties, their negotiation
rounds and documents."""
