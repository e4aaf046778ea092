# kindling verify, notebook stage: the seed's Pi in this kernel's ready `spark` session.
# The check needs exactly KINDLING_VERIFY_PARTITIONS executors, so this fresh kernel's session is pinned to static
# allocation with that many, on top of the environment's extra conf (the start-up file applies
# SPARK_EXTRA_CONF_JSON after the pod's defaults and before its client-mode wiring).
import json as _kv_json
import os as _kv_os
import random as _kv_random
from operator import add as _kv_add

_kv_partitions = int("__PARTITIONS__")
_kv_extra = _kv_json.loads(_kv_os.environ.get("SPARK_EXTRA_CONF_JSON") or "{}")
_kv_extra.update(__CONF__)
_kv_os.environ["SPARK_EXTRA_CONF_JSON"] = _kv_json.dumps(_kv_extra)

_kv_darts = 100000 * _kv_partitions


def _kv_hit(_):
    x = _kv_random.uniform(-1.0, 1.0)
    y = _kv_random.uniform(-1.0, 1.0)
    return 1 if x * x + y * y <= 1.0 else 0


_kv_inside = spark.sparkContext.parallelize(range(_kv_darts), _kv_partitions).map(_kv_hit).reduce(_kv_add)
print("KINDLING-VERIFY " + _kv_json.dumps({
    "pi": 4.0 * _kv_inside / _kv_darts,
    "darts": _kv_darts,
    "partitions": _kv_partitions,
    "appId": spark.sparkContext.applicationId,
    "executorPodNamePrefix": spark.conf.get("spark.kubernetes.executor.podNamePrefix"),
}))
