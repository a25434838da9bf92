"""Deterministic demo data for 惠企直达: Fujian departments, enterprises, policy items and one
account per role. `huiqi demo` (management command `load_demo`) writes it; the generators here
are pure functions of a seed so that every run produces the same enterprises."""
