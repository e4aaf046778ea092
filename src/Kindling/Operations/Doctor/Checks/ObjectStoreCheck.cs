using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.S3.Model;
using k8s;
using Kindling.Cluster;
using Kindling.Operations.Spark;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// With <c>storage.local</c>: the in-cluster store answers S3 with the environment's credentials, and holds the
/// buckets and log directories Spark needs. It speaks S3 the way Spark's S3A does (SigV4, path style, the credentials
/// from the store's Secret) through a port-forward to the store pod, which the kubelet delivers inside the pod, so the
/// store's NetworkPolicy does not stand in the way of the check. Nothing is written; nothing secret is reported.
/// </summary>
internal sealed class ObjectStoreCheck : IDoctorCheck
{
    public string Name => "object-store";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var spec = context.Spec;
        if (!spec.Storage.Local) return [];
        var name = ObjectStoreNames.Of(spec.Name);
        var ns = context.Namespace;
        var connection = context.Connection;
        var selector = PodConditions.Selector(ObjectStoreNames.Selector(spec.Name));
        var pods = (await connection.CallAsync($"list pods {selector} in {ns}",
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false)).Items;
        if (pods.Count == 0)
            return [CheckResult.Warn(Name, $"storage.local is on but no pod of Deployment/{name} runs in {ns}", "run 'kindling up', which starts the store")];
        if (pods.FirstOrDefault(PodConditions.IsReady) is not { } pod)
            return [CheckResult.Fail(Name, $"the store is not ready: {string.Join("; ", pods.Select(p => $"{p.Metadata.Name}: {PodConditions.Summary(p)}"))}",
                $"kubectl -n {ns} describe pod {pods[0].Metadata.Name}; kubectl -n {ns} logs {pods[0].Metadata.Name}")];

        var secret = await connection.TryCallAsync($"read Secret/{name}",
            (k, ct) => k.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (secret?.Data is not { } data || !data.TryGetValue(ObjectStoreNames.AccessKeyIdKey, out var id) || !data.TryGetValue(ObjectStoreNames.SecretAccessKeyKey, out var key))
            return [CheckResult.Fail(Name, $"Secret/{name} with the store's credentials is missing or incomplete: the store and Spark pods cannot authenticate",
                $"delete it (kubectl -n {ns} delete secret {name}) and run 'kindling up', which creates it, then restart the pods that read it")];

        return [await ProbeAsync(context, pod.Metadata.Name, new BasicAWSCredentials(Encoding.UTF8.GetString(id), Encoding.UTF8.GetString(key)), cancellationToken).ConfigureAwait(false)];
    }

    private async Task<CheckResult> ProbeAsync(DoctorContext context, string pod, AWSCredentials credentials, CancellationToken cancellationToken)
    {
        var spec = context.Spec;
        var forwardErrors = new List<string>();
        await using var forwarder = PortForwarder.Start(context.Connection, new PortForwardTarget(context.Namespace, pod, ObjectStoreNames.Port, 0),
            message => { lock (forwardErrors) forwardErrors.Add(message); });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forwarding = forwarder.RunAsync(stop.Token);
        try
        {
            using var s3 = S3Uploader.CreateClient(LocalObjectStoreConf.Region, string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{forwarder.LocalPort}"), credentials);
            var missing = new List<string>();
            foreach (var bucket in ObjectStoreDirectories.Buckets(spec))
            {
                try
                {
                    await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonServiceException e) when (e.ErrorCode == "NoSuchBucket")
                {
                    missing.Add($"bucket {bucket}");
                }
            }
            foreach (var marker in ObjectStoreDirectories.Markers(spec))
            {
                var slash = marker.IndexOf('/', StringComparison.Ordinal);
                var bucket = marker[..slash];
                if (missing.Contains($"bucket {bucket}")) continue;
                var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = marker[(slash + 1)..], MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
                if (listed.KeyCount is not > 0) missing.Add($"s3a://{marker}");
            }
            var endpoint = ObjectStoreNames.Endpoint(spec.Name, context.Namespace);
            return missing.Count == 0
                ? CheckResult.Ok(Name, $"SeaweedFS answers S3 at {endpoint} with the environment's credentials; {string.Join(", ", ObjectStoreDirectories.Buckets(spec))} " +
                                       (ObjectStoreDirectories.Markers(spec).Count > 0 ? "and the event and driver log directories exist" : "exist"))
                : CheckResult.Fail(Name, $"the store answers at {endpoint} but {string.Join(", ", missing)} is missing: Spark refuses a missing event-log directory",
                    $"restart the store so its start-up hook creates them: kubectl -n {context.Namespace} rollout restart deployment {ObjectStoreNames.Of(spec.Name)}");
        }
        catch (AmazonServiceException e)
        {
            return CheckResult.Fail(Name, $"the store refused S3 requests with the environment's credentials ({e.ErrorCode ?? e.StatusCode.ToString()})",
                $"check that Secret/{ObjectStoreNames.Of(spec.Name)} is the one the store started with: kubectl -n {context.Namespace} rollout restart deployment {ObjectStoreNames.Of(spec.Name)}");
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException)
        {
            string forward;
            lock (forwardErrors) forward = forwardErrors.Count > 0 ? $" (port-forward: {forwardErrors[^1]})" : "";
            return CheckResult.Fail(Name, $"the store pod {pod} does not answer S3 on port {ObjectStoreNames.Port}: {e.Message}{forward}",
                $"kubectl -n {context.Namespace} logs {pod}");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await forwarding.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
