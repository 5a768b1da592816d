"""Fixtures for LinearSumAssignmentTest: scipy.optimize.linear_sum_assignment on matrices full of ties.

Run: python3 lsap_scipy.py   (writes lsap_scipy.json next to this file)
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment

rng = np.random.default_rng(7)
cases = []
for k in range(300):
    r, c = int(rng.integers(1, 8)), int(rng.integers(1, 8))
    kind = k % 3
    if kind == 0:
        m = rng.integers(0, 3, size=(r, c)).astype(float)          # many ties
    elif kind == 1:
        m = -np.round(rng.random((r, c)), 1) * (rng.random((r, c)) > 0.4)  # IoU-like, zeros and ties
    else:
        m = rng.normal(size=(r, c))                                  # no ties
    a, b = linear_sum_assignment(m)
    cases.append({'cost': m.tolist(), 'rows': a.tolist(), 'cols': b.tolist()})
m = np.zeros((5, 5)); a, b = linear_sum_assignment(m)
cases.append({'cost': m.tolist(), 'rows': a.tolist(), 'cols': b.tolist()})
json.dump({'scipy': scipy.__version__, 'cases': cases},
          open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lsap_scipy.json'), 'w'))
print(len(cases), 'cases, scipy', scipy.__version__)
