"""stockpyl's base-stock level for normally distributed demand per period: the referee for one
of Fulcrum's reorder points. argv: service level, mean, sd, lead time (periods). Prints JSON."""
import json
import sys

from stockpyl.newsvendor import newsvendor_normal

alpha, mean, sd, lead = (float(v) for v in sys.argv[1:5])
# The critical ratio p / (p + h) is the service level when h = 1 and p = alpha / (1 - alpha).
level, cost = newsvendor_normal(1.0, alpha / (1.0 - alpha), mean, sd, lead_time=int(lead))
print(json.dumps({"baseStockLevel": float(level), "expectedCost": float(cost)}))
