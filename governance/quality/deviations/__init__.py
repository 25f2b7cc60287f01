"""Deviations (deviation, OOS, OOT, complaint) the CDMO reports and investigates, held to
the quality agreement's notification deadlines, and the CAPAs raised from a deviation or an
audit finding, whose effectiveness only the sponsor's QA lead verifies (e-signed)."""
