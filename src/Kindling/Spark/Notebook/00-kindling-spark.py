# Kindling: a ready `spark` session in every notebook.
#
# IPython runs this file from its profile's startup folder when a kernel starts. It defines `spark`, a
# stand-in that builds a client-mode SparkSession the first time it is used, from the environment the Kindling
# Jupyter Deployment sets. The notebook pod is the Spark driver; its executors are pods Spark creates next to it.
#
# Nothing here imports pyspark or checks the environment at kernel start: a kernel must always start, and a
# missing variable is reported, with its name, when `spark` is first used.

import errno as _kindling_errno
import json as _kindling_json
import os as _kindling_os
import re as _kindling_re
import secrets as _kindling_secrets
import socket as _kindling_socket
import tempfile as _kindling_tempfile


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

# Each session (kernel) of this notebook pod is its own Spark driver and needs its own driver and block manager
# ports. Session slot i uses SPARK_DRIVER_PORT + 2i and SPARK_BLOCKMANAGER_PORT + 2i (and SPARK_UI_PORT + i for the
# UI): the headless driver Service and the NetworkPolicy expose exactly these (Kindling's NotebookSessionPorts).
_KINDLING_PORT_STRIDE = 2


class KindlingSessionPorts:
    """The ports of one claimed session slot. The slot stays claimed while this object (its lock file) is open."""

    def __init__(self, slot, driver, block_manager, ui, lock):
        self.slot, self.driver, self.block_manager, self.ui = slot, driver, block_manager, ui
        self._lock = lock

    def release(self):
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.close()


def _kindling_port_free(port):
    """True when nothing in this pod listens on the port (the driver binds 0.0.0.0)."""
    with _kindling_socket.socket(_kindling_socket.AF_INET, _kindling_socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("0.0.0.0", port))
        except OSError as error:
            if error.errno in (_kindling_errno.EADDRINUSE, _kindling_errno.EACCES):
                return False
            raise
    return True


def kindling_claim_session_ports(env, lock_dir=None):
    """Claims a free session slot for this kernel and returns its KindlingSessionPorts.

    Race-free between kernels starting at once: a slot is claimed by an exclusive, non-blocking flock on a per-slot
    lock file, which the kernel holds for its life (the kernel process exiting releases it, so a crashed kernel
    leaves no stale claim). A bind test then skips ports something else already listens on."""
    import fcntl

    sessions = int(env.get("SPARK_SESSIONS") or "1")
    driver = int(env["SPARK_DRIVER_PORT"])
    block_manager = int(env["SPARK_BLOCKMANAGER_PORT"])
    ui = int(env.get("SPARK_UI_PORT") or "4040")
    lock_dir = lock_dir or env.get("SPARK_SESSION_LOCK_DIR") or _kindling_tempfile.gettempdir()
    _kindling_os.makedirs(lock_dir, exist_ok=True)
    for slot in range(sessions):
        ports = (driver + _KINDLING_PORT_STRIDE * slot, block_manager + _KINDLING_PORT_STRIDE * slot, ui + slot)
        lock = open(_kindling_os.path.join(lock_dir, f"kindling-spark-session-{ports[0]}.lock"), "a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        if _kindling_port_free(ports[0]) and _kindling_port_free(ports[1]):
            return KindlingSessionPorts(slot, ports[0], ports[1], ports[2], lock)
        lock.close()
    last = driver + _KINDLING_PORT_STRIDE * (sessions - 1)
    raise KindlingSparkConfigError(
        f"all {sessions} Spark sessions of this notebook pod are in use (driver ports {driver}-{last}, "
        f"block manager ports {block_manager}-{block_manager + _KINDLING_PORT_STRIDE * (sessions - 1)}): "
        "stop a session you no longer need (spark.stop(), or shut its kernel down), or raise spark.notebookSessions "
        "in kindling.yaml and run 'kindling up'")


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


def kindling_spark_conf(env, session_id, ports=None):
    """Pure function: the notebook pod's environment (a dict) and the session's claimed ports (a
    KindlingSessionPorts; the first slot's ports when None) -> client-mode Spark conf (a dict of strings).

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

    # Secret conf (keys matching Spark's redaction pattern): the key names in one variable, each value from the
    # environment's Secret through its own secretKeyRef variable, so no value sits in the pod spec.
    secret_keys = env.get("SPARK_SECRET_CONF_KEYS")
    if secret_keys:
        try:
            keys = _kindling_json.loads(secret_keys)
        except ValueError as error:
            raise KindlingSparkConfigError(f"SPARK_SECRET_CONF_KEYS is not valid JSON: {error}") from None
        for index, key in enumerate(keys):
            value = env.get(f"SPARK_SECRET_CONF_{index}")
            if value is None:
                raise KindlingSparkConfigError(f"SPARK_SECRET_CONF_{index} (the value of {key}) is not set")
            conf[str(key)] = value

    pod_name = env["SPARK_DRIVER_POD_NAME"]
    conf.update({
        "spark.master": env["SPARK_MASTER"],
        "spark.submit.deployMode": "client",
        # Executors connect back to the driver through the headless Service, which resolves to this pod's IP.
        "spark.driver.host": env["SPARK_DRIVER_HOST"],
        # Fixed ports of this session's slot, because the Service and the NetworkPolicy name them.
        "spark.driver.port": str(ports.driver) if ports else env["SPARK_DRIVER_PORT"],
        "spark.driver.blockManager.port": str(ports.block_manager) if ports else env["SPARK_BLOCKMANAGER_PORT"],
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
    if ports is not None:
        conf["spark.ui.port"] = str(ports.ui)
    return dict(sorted(conf.items()))


class _KindlingLazySparkSession:
    """Looks like a SparkSession; builds the real one on first use. After `spark.stop()` the next use builds a
    fresh session, so a notebook can be re-run from the top."""

    def __init__(self, environ):
        self._environ = environ
        self._session = None
        self._ports = None

    def _get(self):
        if self._session is None:
            env = dict(self._environ)
            # The slot stays this kernel's across spark.stop() and a new session, until the kernel exits.
            if self._ports is None:
                kindling_spark_conf(env, "check")  # a missing variable is reported before any port is claimed
                self._ports = kindling_claim_session_ports(env)
            conf = kindling_spark_conf(env, _kindling_secrets.token_hex(3), self._ports)
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
        if name.startswith(("__", "_repr_", "_ipython_")) or name in ("_environ", "_session", "_ports"):
            raise AttributeError(name)
        return getattr(self._get(), name)

    def __repr__(self):
        if self._session is None:
            return "<Kindling SparkSession: not started yet; first use starts it>"
        return repr(self._session)


spark = _KindlingLazySparkSession(_kindling_os.environ)
