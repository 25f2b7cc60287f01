"""The quality agreement's responsibility matrix: who does what (responsible, approves,
consulted, informed) on each GMP activity, the sponsor and the CDMO side by side, and the
deadlines the other quality records keep (how fast a deviation is notified, whether its
closure needs the sponsor's approval). One per quality agreement contract (or amendment of
one): an amended agreement carries its own matrix."""
