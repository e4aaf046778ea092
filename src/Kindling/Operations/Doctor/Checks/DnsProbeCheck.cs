using k8s;
using k8s.Models;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The real DNS check, which only a pod can make: a short-lived pod running the Spark image resolves a headless
/// Service that selects it, as an executor resolves <c>spark.driver.host</c>. The Service publishes not-ready
/// addresses so the name resolves as soon as the pod has an IP. The pod runs as the restricted Pod Security
/// profile requires, and both objects are deleted afterwards (the Service is owned by the pod, so the garbage
/// collector removes it even when Kindling is interrupted). Not part of <c>up</c>'s checks: it needs the namespace
/// and the image, and takes seconds.
/// </summary>
internal sealed class DnsProbeCheck : IDoctorCheck
{
    /// <summary>The label the probe pod and its Service carry.</summary>
    public const string ProbeLabel = "kindling.dev/doctor-probe";

    // The apache/spark images run as the spark user, uid 185 (apache/spark-docker Dockerfiles).
    private const long SparkUid = 185;

    public string Name => "dns-probe";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.Inputs.DnsProbe)
            return [CheckResult.Warn(Name, "skipped (--no-dns-probe); only the DNS Service was checked")];
        var ns = context.Namespace;
        var exists = await context.Connection.TryCallAsync($"read Namespace {ns}",
            (k, ct) => k.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (exists is null)
            return [CheckResult.Warn(Name, $"namespace {ns} does not exist yet, so no probe pod was started", "run kindling doctor again after kindling up")];

        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var name = $"{context.Spec.Name}-doctor-dns-{id}";
        var fqdn = $"{name}.{ns}.svc";
        var pod = await context.Connection.CallAsync($"create Pod {ns}/{name}",
            (k, ct) => k.CoreV1.CreateNamespacedPodAsync(ProbePod(context, name, fqdn), ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        try
        {
            await context.Connection.CallAsync($"create Service {ns}/{name}",
                (k, ct) => k.CoreV1.CreateNamespacedServiceAsync(ProbeService(name, ns, pod), ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            context.Inputs.Progress.Report(new ProgressEvent(Name, ProgressStatus.Waiting, $"pod {ns}/{name} resolving {fqdn}"));
            var outcome = await WaitAsync(context, name, cancellationToken).ConfigureAwait(false);
            return [outcome];
        }
        finally
        {
            // Deleting the pod takes the owned Service with it; both deletes are idempotent and never cancelled half-way.
            await DeleteQuietlyAsync(context, name).ConfigureAwait(false);
        }
    }

    private async Task<CheckResult> WaitAsync(DoctorContext context, string name, CancellationToken cancellationToken)
    {
        var ns = context.Namespace;
        var time = context.Inputs.Time;
        var started = time.GetTimestamp();
        while (true)
        {
            var pod = await context.Connection.CallAsync($"read Pod {ns}/{name}",
                (k, ct) => k.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            var phase = pod.Status?.Phase;
            if (phase == "Succeeded")
                return CheckResult.Ok(Name, $"a pod running the Spark image resolved the headless Service {name}.{ns}.svc");
            if (phase == "Failed")
                return CheckResult.Fail(Name, $"a pod running the Spark image could not resolve the headless Service {name}.{ns}.svc: executors would not find the driver",
                    "check CoreDNS (kubectl -n kube-system logs -l k8s-app=kube-dns) and NetworkPolicies that block egress to it on port 53");
            var waiting = pod.Status?.ContainerStatuses?.Select(c => c.State?.Waiting).FirstOrDefault(w => w is not null);
            if (waiting?.Reason is "ImagePullBackOff" or "ErrImagePull" or "InvalidImageName" or "CreateContainerConfigError")
                return CheckResult.Warn(Name, $"the probe pod could not start ({waiting.Reason}: {waiting.Message}), so DNS was not probed", "see the images check");
            if (time.GetElapsedTime(started) > context.Inputs.DnsProbeTimeout)
                return CheckResult.Warn(Name, $"the probe pod did not finish within {context.Inputs.DnsProbeTimeout.TotalSeconds:0}s (phase {phase ?? "unknown"}), so DNS was not probed",
                    $"kubectl -n {ns} describe pod {name} while kindling doctor runs");
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DeleteQuietlyAsync(DoctorContext context, string name)
    {
        var ns = context.Namespace;
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await context.Connection.TryCallAsync($"delete Service {ns}/{name}",
                (k, ct) => k.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: ct), bounded.Token).ConfigureAwait(false);
            await context.Connection.TryCallAsync($"delete Pod {ns}/{name}",
                (k, ct) => k.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0, cancellationToken: ct), bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KindlingException or OperationCanceledException)
        {
            // The pod ends by itself (activeDeadlineSeconds) and the Service goes with it.
        }
    }

    private static V1Pod ProbePod(DoctorContext context, string name, string fqdn) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                [ProbeLabel] = name,
                ["app.kubernetes.io/managed-by"] = KindlingLabels.ManagedBy,
            },
            Annotations = new Dictionary<string, string> { ["sidecar.istio.io/inject"] = "false" },
        },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            ActiveDeadlineSeconds = 300,
            EnableServiceLinks = false,
            AutomountServiceAccountToken = false,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = SparkUid,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Containers =
            [
                new V1Container
                {
                    Name = "probe",
                    Image = context.Inputs.Images.Spark,
                    // getent uses the pod's resolv.conf like the JVM's resolver; retried while the endpoint is published.
                    Command = ["/bin/sh", "-c", "for i in $(seq 1 30); do getent hosts \"$0\" && exit 0; sleep 2; done; exit 1", fqdn],
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
                        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
                    },
                    SecurityContext = new V1SecurityContext
                    {
                        AllowPrivilegeEscalation = false,
                        Capabilities = new V1Capabilities { Drop = ["ALL"] },
                        ReadOnlyRootFilesystem = true,
                    },
                },
            ],
        },
    };

    private static V1Service ProbeService(string name, string ns, V1Pod owner) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [ProbeLabel] = name, ["app.kubernetes.io/managed-by"] = KindlingLabels.ManagedBy },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true }],
        },
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            PublishNotReadyAddresses = true,
            Selector = new Dictionary<string, string> { [ProbeLabel] = name },
            Ports = [new V1ServicePort { Name = SparkConventions.DriverPortName, Port = 7078, TargetPort = 7078 }],
        },
    };
}
