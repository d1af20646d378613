# Core tests: CUnit programs, one per subsystem.
