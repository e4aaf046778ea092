# Kindling: a ready `spark` session in every notebook.
#
# IPython runs this file from its profile's startup folder when a kernel starts. It defines `spark`, a
# stand-in that builds a client-mode SparkSession the first time it is used, from the environment the Kindling
# Jupyter Deployment sets. The notebook pod is the Spark driver; its executors are pods Spark creates next to it.
#
# Nothing here imports pyspark or checks the environment at kernel start: a kernel must always start, and a
# missing variable is reported, with its name, when `spark` is first used.

import json as _kindling_json
import os as _kindling_os
import re as _kindling_re
import secrets as _kindling_secrets


class KindlingSparkConfigError(RuntimeError):
    """The notebook pod's environment cannot describe a Spark session."""


# Variable -> what it is. The Kindling Deployment sets all of them.
_KINDLING_REQUIRED = {
    "SPARK_MASTER": "spark.master",
    "SPARK_IMAGE": "spark.kubernetes.container.image",
    "SPARK_NAMESPACE": "spark.kubernetes.namespace",
    "SPARK_DRIVER_POD_NAME": "the notebook pod's name (downward API metadata.name)",
    "SPARK_DRIVER_HOST": "spark.driver.host (the headless driver Service)",
    "SPARK_DRIVER_PORT": "spark.driver.port",
    "SPARK_BLOCKMANAGER_PORT": "spark.driver.blockManager.port",
    "SPARK_SERVICE_ACCOUNT": "spark.kubernetes.authenticate.driver.serviceAccountName",
}

# Optional variable -> Spark conf key. When a variable is absent, Spark's own default applies.
_KINDLING_OPTIONAL = {
    "SPARK_UI_PORT": "spark.ui.port",
    "SPARK_EXECUTOR_INSTANCES": "spark.executor.instances",
    "SPARK_EXECUTOR_CORES": "spark.executor.cores",
    "SPARK_EXECUTOR_MEMORY": "spark.executor.memory",
    "SPARK_DYNAMIC_ALLOCATION_ENABLED": "spark.dynamicAllocation.enabled",
    "SPARK_DYNAMIC_ALLOCATION_MIN_EXECUTORS": "spark.dynamicAllocation.minExecutors",
    "SPARK_DYNAMIC_ALLOCATION_MAX_EXECUTORS": "spark.dynamicAllocation.maxExecutors",
    "SPARK_DYNAMIC_ALLOCATION_EXECUTOR_IDLE_TIMEOUT": "spark.dynamicAllocation.executorIdleTimeout",
    # Set when the ServiceAccount has an IRSA role: S3A then uses the pod's web-identity token.
    "SPARK_S3A_CREDENTIALS_PROVIDER": "spark.hadoop.fs.s3a.aws.credentials.provider",
}

# Spark rejects spark.kubernetes.executor.podNamePrefix values longer than this (they must stay valid DNS labels
# once "-exec-<id>" is appended).
_KINDLING_MAX_PREFIX = 47


def kindling_executor_pod_name_prefix(pod_name, session_id):
    """Executor pods are named <prefix>-exec-<n>. The prefix starts from the notebook pod's name, so `kubectl get
    pods` shows whose executors they are, and ends with a per-session id: executor ids restart at 1 in every new
    SparkContext, and the previous session's executors may still be terminating under the same names."""
    suffix = _kindling_re.sub(r"[^a-z0-9]", "", str(session_id).lower())
    if not suffix:
        raise KindlingSparkConfigError("the Spark session id must contain a letter or digit")
    base = _kindling_re.sub(r"[^a-z0-9-]+", "-", pod_name.lower())
    base = _kindling_re.sub(r"-+", "-", base).strip("-")
    room = _KINDLING_MAX_PREFIX - len(suffix) - 1
    # Keep the end of the name: a Deployment pod's name ends with its unique ReplicaSet hash and pod suffix.
    base = base[-room:].lstrip("-") if room > 0 else ""
    return f"{base}-{suffix}" if base else suffix[:_KINDLING_MAX_PREFIX]


def kindling_spark_conf(env, session_id):
    """Pure function: the notebook pod's environment (a dict) -> client-mode Spark conf (a dict of strings).

    Raises KindlingSparkConfigError naming every missing required variable."""
    missing = [name for name in _KINDLING_REQUIRED if not env.get(name)]
    if missing:
        details = ", ".join(f"{name} ({_KINDLING_REQUIRED[name]})" for name in missing)
        raise KindlingSparkConfigError(
            "cannot start Spark: the notebook pod's environment lacks " + details
            + ". Kindling's Jupyter Deployment sets these; was this notebook started outside it?")

    conf = {key: env[name] for name, key in _KINDLING_OPTIONAL.items() if env.get(name)}

    # Dynamic allocation on Kubernetes has no external shuffle service; shuffle tracking keeps executors that
    # hold shuffle data until it is no longer needed, which is what makes dynamic allocation safe here.
    if conf.get("spark.dynamicAllocation.enabled", "").lower() == "true":
        conf["spark.dynamicAllocation.shuffleTracking.enabled"] = "true"

    # Extra conf from kindling.yaml's spark.conf. It may tune anything except the client-mode wiring below.
    extra = env.get("SPARK_EXTRA_CONF_JSON")
    if extra:
        try:
            parsed = _kindling_json.loads(extra)
        except ValueError as error:
            raise KindlingSparkConfigError(f"SPARK_EXTRA_CONF_JSON is not valid JSON: {error}") from None
        if not isinstance(parsed, dict):
            raise KindlingSparkConfigError("SPARK_EXTRA_CONF_JSON must be a JSON object of conf key to value")
        conf.update({str(key): str(value) for key, value in parsed.items()})

    pod_name = env["SPARK_DRIVER_POD_NAME"]
    conf.update({
        "spark.master": env["SPARK_MASTER"],
        "spark.submit.deployMode": "client",
        # Executors connect back to the driver through the headless Service, which resolves to this pod's IP.
        "spark.driver.host": env["SPARK_DRIVER_HOST"],
        # Fixed ports, because the Service and the NetworkPolicy name them.
        "spark.driver.port": env["SPARK_DRIVER_PORT"],
        "spark.driver.blockManager.port": env["SPARK_BLOCKMANAGER_PORT"],
        # The Service name does not resolve to a local interface, so listen on all of them.
        "spark.driver.bindAddress": "0.0.0.0",
        # Spark makes this pod the owner of every executor pod: they are deleted when the notebook pod goes.
        "spark.kubernetes.driver.pod.name": pod_name,
        "spark.kubernetes.executor.podNamePrefix": kindling_executor_pod_name_prefix(pod_name, session_id),
        "spark.kubernetes.container.image": env["SPARK_IMAGE"],
        "spark.kubernetes.namespace": env["SPARK_NAMESPACE"],
        # Executors are named explicitly rather than through Spark's fallback to the driver's account, which
        # client mode does not document: with IRSA, this account is what gives executors their S3 access.
        "spark.kubernetes.authenticate.driver.serviceAccountName": env["SPARK_SERVICE_ACCOUNT"],
        "spark.kubernetes.authenticate.executor.serviceAccountName": env["SPARK_SERVICE_ACCOUNT"],
        # An Istio sidecar would keep executor pods alive after the executor exits.
        "spark.kubernetes.executor.annotation.sidecar.istio.io/inject": "false",
    })
    # Executors start from Kindling's pod template (restricted Pod Security context, node placement); the driver
    # reads it from the notebook pod's own file system.
    template = env.get("SPARK_EXECUTOR_POD_TEMPLATE_FILE")
    if template:
        conf["spark.kubernetes.executor.podTemplateFile"] = template
        conf["spark.kubernetes.executor.podTemplateContainerName"] = "spark-kubernetes-executor"
    return dict(sorted(conf.items()))


class _KindlingLazySparkSession:
    """Looks like a SparkSession; builds the real one on first use. After `spark.stop()` the next use builds a
    fresh session, so a notebook can be re-run from the top."""

    def __init__(self, environ):
        self._environ = environ
        self._session = None

    def _get(self):
        if self._session is None:
            conf = kindling_spark_conf(dict(self._environ), _kindling_secrets.token_hex(3))
            from pyspark.sql import SparkSession

            builder = SparkSession.builder
            for key, value in conf.items():
                builder = builder.config(key, value)
            self._session = builder.getOrCreate()
        return self._session

    def stop(self):
        if self._session is not None:
            session, self._session = self._session, None
            session.stop()

    def __getattr__(self, name):
        # IPython probes display hooks (_repr_html_, _ipython_display_ ...) and Python probes dunders; answering
        # them must not start a session. Other private names (_jsc, _jvm ...) belong to the real session.
        if name.startswith(("__", "_repr_", "_ipython_")) or name in ("_environ", "_session"):
            raise AttributeError(name)
        return getattr(self._get(), name)

    def __repr__(self):
        if self._session is None:
            return "<Kindling SparkSession: not started yet; first use starts it>"
        return repr(self._session)


spark = _KindlingLazySparkSession(_kindling_os.environ)
