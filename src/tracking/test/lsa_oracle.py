#!/usr/bin/python3
"""Oracle for assignment_test.cc: optimal costs from scipy.optimize.linear_sum_assignment.

Usage: lsa_oracle.py IN OUT
IN:  first line the number of cases; then per case a line "n m" and n lines of m costs
     (row-major; "inf" marks a forbidden pair).
OUT: one line per case, "feasible <total cost %.17g>" or "infeasible".
Exit status 3 if scipy is missing (a declared dependency of the tracking tests).
"""
import sys

try:
    import numpy as np
    from scipy.optimize import linear_sum_assignment
except ImportError as e:  # the C++ test reports this loudly
    sys.stderr.write("lsa_oracle.py: %s (install Debian's python3-scipy)\n" % e)
    sys.exit(3)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        tokens = f.read().split()
    pos = 0
    count = int(tokens[pos]); pos += 1
    lines = []
    for _ in range(count):
        n, m = int(tokens[pos]), int(tokens[pos + 1]); pos += 2
        c = np.array([float(t) for t in tokens[pos:pos + n * m]], dtype=float).reshape(n, m)
        pos += n * m
        try:
            rows, cols = linear_sum_assignment(c)
        except ValueError:  # "cost matrix is infeasible"
            lines.append("infeasible")
            continue
        lines.append("feasible %.17g" % float(c[rows, cols].sum()))
    with open(dst, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
