"""Objectives: the sponsor's priority ranking and the objectives both parties agreed."""
