# kindling verify, object storage: write a small Parquet dataset through S3A (the pod's IRSA role), read it back,
# check the row count, and delete it unless asked to keep it.
import sys

from pyspark.sql import SparkSession

path, rows, keep = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "keep"

spark = SparkSession.builder.getOrCreate()
spark.range(rows).selectExpr("id", "id * id AS square").write.mode("overwrite").parquet(path)
read = spark.read.parquet(path).count()
print(f"KINDLING-VERIFY rows={read}", flush=True)
if not keep:
    # Hadoop's FileSystem API, the same S3A client and credentials that wrote the files.
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(path)
    deleted = target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(target, True)
    print(f"KINDLING-VERIFY deleted={str(bool(deleted)).lower()}", flush=True)
spark.stop()
if read != rows:
    sys.exit(f"read {read} rows back, wrote {rows}")
