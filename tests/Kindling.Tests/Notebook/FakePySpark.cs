namespace Kindling.Tests.Notebook;

/// <summary>
/// A tiny stand-in for the <c>pyspark</c> package, put on the kernel's PYTHONPATH so pi.ipynb can run end to end
/// without a JVM. It records the conf the start-up file hands to <c>SparkSession.builder</c> and runs the few RDD
/// calls the notebook makes locally, appending one JSON line per event to <c>$FAKE_PYSPARK_RECORD</c>.
/// </summary>
internal static class FakePySpark
{
    public const string RecordVariable = "FAKE_PYSPARK_RECORD";

    private const string SqlModule = """
        import functools
        import json
        import os


        def _record(event, **data):
            with open(os.environ["FAKE_PYSPARK_RECORD"], "a", encoding="utf-8") as f:
                f.write(json.dumps(dict(event=event, **data)) + "\n")


        class _RDD:
            def __init__(self, items):
                self._items = items

            def map(self, fn):
                return _RDD(map(fn, self._items))

            def reduce(self, op):
                return functools.reduce(op, self._items)


        class _SparkContext:
            def parallelize(self, data, numSlices=None):
                items = list(data)
                _record("parallelize", numSlices=numSlices, count=len(items))
                return _RDD(items)


        class _Builder:
            def __init__(self):
                self._conf = {}

            def config(self, key, value):
                if not isinstance(key, str) or not isinstance(value, str):
                    raise TypeError("conf keys and values must be strings")
                self._conf[key] = value
                return self

            def getOrCreate(self):
                _record("getOrCreate", conf=self._conf)
                return SparkSession()


        class _BuilderProperty:
            def __get__(self, obj, owner):
                return _Builder()


        class SparkSession:
            builder = _BuilderProperty()

            def __init__(self):
                self.sparkContext = _SparkContext()

            def stop(self):
                _record("stop")
        """;

    /// <summary>Writes the package under <paramref name="directory"/>, which then goes on PYTHONPATH.</summary>
    public static void WriteTo(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "pyspark", "sql"));
        File.WriteAllText(Path.Combine(directory, "pyspark", "__init__.py"), "\"\"\"Test stand-in for pyspark.\"\"\"\n");
        File.WriteAllText(Path.Combine(directory, "pyspark", "sql", "__init__.py"), SqlModule.Replace("\r\n", "\n") + "\n");
    }
}
