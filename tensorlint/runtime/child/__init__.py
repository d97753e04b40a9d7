"""The parts of the check process (driver.py), loaded by file path under a private package name
so that the checked program's own modules never collide with them. Standard library only at the
top of every module: torch and tensorflow are imported when the plan says the file uses them."""
