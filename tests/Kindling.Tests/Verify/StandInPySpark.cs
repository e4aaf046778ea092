namespace Kindling.Tests.Verify;

/// <summary>
/// A stand-in <c>pyspark</c> for the real Jupyter kernel of the verify tests. It computes locally, and plays the part
/// of Spark's client-mode driver on Kubernetes that the verify command can observe: on <c>getOrCreate</c> it reads
/// the driver pod (<c>spark.kubernetes.driver.pod.name</c>) from the API server and creates
/// <c>spark.executor.instances</c> executor pods owned by it, named and labelled as Spark's ExecutorPodsAllocator does;
/// <c>stop()</c> deletes them. It talks to the fake API server over HTTPS with the bearer token, as Spark's
/// fabric8 client would. <c>STANDIN_NO_EXECUTORS=1</c> models executors that never register: no pods, and the job
/// waits for resources forever, warning as TaskSchedulerImpl does.
/// </summary>
internal static class StandInPySpark
{
    private const string SqlModule = """
        import functools
        import json
        import os
        import ssl
        import sys
        import time
        import urllib.request
        import uuid


        def _record(event, app_id, **data):
            with open(os.environ["STANDIN_RECORD"], "a", encoding="utf-8") as f:
                f.write(json.dumps(dict(event=event, appId=app_id, **data)) + "\n")


        def _api(method, path, body=None):
            context = ssl.create_default_context(cafile=os.environ["STANDIN_KUBE_CA"])
            request = urllib.request.Request(os.environ["STANDIN_KUBE_URL"].rstrip("/") + path, method=method,
                                             data=None if body is None else json.dumps(body).encode())
            request.add_header("Authorization", "Bearer " + os.environ["STANDIN_KUBE_TOKEN"])
            request.add_header("Content-Type", "application/json")
            with urllib.request.urlopen(request, context=context) as response:
                return json.loads(response.read() or b"{}")


        class _RDD:
            def __init__(self, items, context):
                self._items, self._context = items, context

            def map(self, fn):
                return _RDD(map(fn, self._items), self._context)

            def reduce(self, op):
                if not self._context._executors:
                    while True:
                        print("WARN TaskSchedulerImpl: Initial job has not accepted any resources; check your cluster UI "
                              "to ensure that workers are registered and have sufficient resources", file=sys.stderr, flush=True)
                        time.sleep(1)
                return functools.reduce(op, self._items)


        class _SparkContext:
            def __init__(self, conf):
                self._conf = conf
                self.applicationId = "spark-" + uuid.uuid4().hex
                self._executors = []

            def parallelize(self, data, numSlices=None):
                return _RDD(list(data), self)

            def _start_executors(self):
                if os.environ.get("STANDIN_NO_EXECUTORS") == "1":
                    return
                ns = self._conf["spark.kubernetes.namespace"]
                driver = _api("GET", f"/api/v1/namespaces/{ns}/pods/{self._conf['spark.kubernetes.driver.pod.name']}")
                labels = {k[len("spark.kubernetes.executor.label."):]: v for k, v in self._conf.items()
                          if k.startswith("spark.kubernetes.executor.label.")}
                for i in range(1, int(self._conf.get("spark.executor.instances", "2")) + 1):
                    name = f"{self._conf['spark.kubernetes.executor.podNamePrefix']}-exec-{i}"
                    _api("POST", f"/api/v1/namespaces/{ns}/pods", {
                        "apiVersion": "v1", "kind": "Pod",
                        "metadata": {
                            "name": name,
                            "labels": dict(labels, **{"spark-app-selector": self.applicationId, "spark-role": "executor", "spark-exec-id": str(i)}),
                            "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": driver["metadata"]["name"],
                                                 "uid": driver["metadata"]["uid"], "controller": True}],
                        },
                        # What Spark builds from Kindling's executor template: restricted Pod Security, or admission refuses it.
                        "spec": {"restartPolicy": "Never",
                                 "securityContext": {"runAsNonRoot": True, "runAsUser": 185, "seccompProfile": {"type": "RuntimeDefault"}},
                                 "containers": [{"name": "spark-kubernetes-executor", "image": self._conf["spark.kubernetes.container.image"],
                                                 "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}]},
                    })
                    self._executors.append((ns, name))

            def _stop(self):
                for ns, name in self._executors:
                    _api("DELETE", f"/api/v1/namespaces/{ns}/pods/{name}")
                self._executors = []


        class _Conf:
            def __init__(self, conf):
                self._conf = conf

            def get(self, key, default=None):
                return self._conf.get(key, default)


        class _Builder:
            def __init__(self):
                self._conf = {}

            def config(self, key, value):
                if not isinstance(key, str) or not isinstance(value, str):
                    raise TypeError("conf keys and values must be strings")
                self._conf[key] = value
                return self

            def getOrCreate(self):
                return SparkSession(self._conf)


        class _BuilderProperty:
            def __get__(self, obj, owner):
                return _Builder()


        class SparkSession:
            builder = _BuilderProperty()

            def __init__(self, conf):
                self.conf = _Conf(conf)
                self.sparkContext = _SparkContext(conf)
                _record("start", self.sparkContext.applicationId, conf=conf)
                self.sparkContext._start_executors()

            def stop(self):
                self.sparkContext._stop()
                _record("stop", self.sparkContext.applicationId)
        """;

    /// <summary>Writes the package under <paramref name="directory"/>, which then goes on the kernel's PYTHONPATH.</summary>
    public static void WriteTo(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "pyspark", "sql"));
        File.WriteAllText(Path.Combine(directory, "pyspark", "__init__.py"), "\"\"\"Test stand-in for pyspark.\"\"\"\n");
        File.WriteAllText(Path.Combine(directory, "pyspark", "sql", "__init__.py"), SqlModule.Replace("\r\n", "\n") + "\n");
    }
}
