# kindling verify, submitted PySpark job: the seed's Pi, shipped from the client and run in cluster mode.
import random
import sys
from operator import add

from pyspark.sql import SparkSession

partitions = int(sys.argv[1]) if len(sys.argv) > 1 else 2
darts = 100000 * partitions


def hit(_):
    x = random.uniform(-1.0, 1.0)
    y = random.uniform(-1.0, 1.0)
    return 1 if x * x + y * y <= 1.0 else 0


spark = SparkSession.builder.getOrCreate()
inside = spark.sparkContext.parallelize(range(darts), partitions).map(hit).reduce(add)
print(f"Pi is roughly {4.0 * inside / darts:.5f}", flush=True)
spark.stop()
