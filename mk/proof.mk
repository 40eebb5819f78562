# Proof targets (chaos, bench): filled in by the work on faults and speed.
