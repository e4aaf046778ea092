using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>
/// Plans and creates submissions. Creation is idempotent: every name is decided in the plan, before the first
/// request, so a request whose write was applied but whose response was lost (a 500 after the write, a dropped
/// connection) is recognised when it is repeated — the pod that answers 409 carries this submission's
/// <c>spark-app-selector</c> — and the submission goes on to create the objects the pod owns.
/// </summary>
internal sealed class SparkSubmitter(KubeConnection connection, SparkApplicationsOptions options)
{
    private string Ns => options.Namespace;

    public static SparkSubmitPlan Plan(SparkApplicationSpec spec, SparkApplicationsOptions options)
    {
        var errors = spec.Validate().ToList();
        var target = options.Target ?? throw new InvalidOperationException($"{nameof(SparkApplicationsOptions.Target)} is required to submit");
        var ids = options.Ids.Next();
        SparkFileShipping? shipping = null;
        try
        {
            shipping = SparkFileShipping.Plan(spec, ids, target.FileUploadPath, options.ResolvePath);
        }
        catch (InvalidInputException e)
        {
            errors.AddRange(e.Errors);
        }
        var templateConf = new Dictionary<string, string>(target.BaseConf, StringComparer.Ordinal);
        foreach (var (k, v) in spec.Conf) templateConf[k] = v;
        var templates = SparkPodTemplateFiles.Load(templateConf, options.ResolvePath, errors);
        if (errors.Count > 0 || shipping is null) throw new InvalidInputException(errors);
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, target, ids, shipping.Sources) { Templates = templates });
        return new SparkSubmitPlan(submission, shipping.Uploads) { Warnings = SparkSubmitOptionNames.MisplacedIn(spec) };
    }

    /// <summary>
    /// Uploads large local files, creates the driver pod, then its ConfigMaps and Service in parallel with an
    /// owner reference to it: two API round trips. The kubelet retries mounting the ConfigMaps until they exist,
    /// exactly as with spark-submit. If the second round fails for good the pod is deleted again; if even that
    /// cannot be done, <c>apps</c> reports the pod as Failed once its ConfigMap is overdue.
    /// </summary>
    public async Task<SparkSubmitResult> SubmitAsync(SparkSubmitPlan plan, CancellationToken cancellationToken)
    {
        var submission = plan.Submission;
        if (plan.Uploads.Count > 0)
        {
            var s3 = options.S3Client?.Invoke()
                     ?? throw new InvalidOperationException($"{nameof(SparkApplicationsOptions.S3Client)} is required to upload local files");
            using (s3) await S3Uploader.UploadAsync(s3, plan.Uploads, options.Progress, cancellationToken).ConfigureAwait(false);
        }

        var podName = submission.Names.DriverPod;
        options.Progress.Report(new ProgressEvent($"Pod/{podName}", ProgressStatus.Started, "creating the driver pod"));
        var created = await CreateDriverPodAsync(submission, cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(submission.OwnedBy(created).All.Select(o => CreateOwnedAsync(o, cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            await DeleteQuietlyAsync(podName).ConfigureAwait(false);
            throw;
        }
        options.Progress.Report(new ProgressEvent($"Pod/{podName}", ProgressStatus.Done, $"submitted {submission.Names.AppId}"));
        return new SparkSubmitResult(submission, created.Metadata.Uid);
    }

    private async Task<V1Pod> CreateDriverPodAsync(SparkSubmission submission, CancellationToken cancellationToken)
    {
        var podName = submission.Names.DriverPod;
        try
        {
            return await connection.CallAsync($"create Pod/{podName}",
                (k, ct) => k.CoreV1.CreateNamespacedPodAsync(submission.DriverPod, Ns, fieldManager: Resources.KindlingLabels.FieldManager, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 409)
        {
            // The retry policy repeats a create whose response was lost; the first attempt's pod answers 409.
            var existing = await ReadPodAsync(podName, cancellationToken).ConfigureAwait(false);
            if (existing is not null && IsOurs(existing, submission)) return Recovered(existing);
            var owner = existing is null ? null : SparkApplicationStates.AppIdOf(existing);
            throw new KindlingException(
                $"Pod/{podName} already exists in namespace {Ns}{(owner is null ? "" : $" and belongs to application {owner}")}; " +
                $"choose another {SparkConfKeys.DriverPodName} or remove that pod (kindling kill {owner ?? podName})", e);
        }
        catch (KindlingException e) when (e is not KubernetesApiException { StatusCode: < 500 })
        {
            // Retries exhausted on a 5xx or a broken connection: the write may still have been applied.
            var existing = await TryReadPodAsync(podName, cancellationToken).ConfigureAwait(false);
            if (existing is not null && IsOurs(existing, submission)) return Recovered(existing);
            throw;
        }
    }

    private V1Pod Recovered(V1Pod pod)
    {
        options.Progress.Report(new ProgressEvent($"Pod/{pod.Metadata.Name}", ProgressStatus.Changed, "created by an earlier attempt whose answer was lost; continuing"));
        return pod;
    }

    private static bool IsOurs(V1Pod pod, SparkSubmission submission) =>
        SparkApplicationStates.AppIdOf(pod) == submission.Names.AppId && pod.Metadata.DeletionTimestamp is null;

    private Task<V1Pod?> ReadPodAsync(string podName, CancellationToken cancellationToken) =>
        connection.TryCallAsync($"read Pod/{podName}", (k, ct) => k.CoreV1.ReadNamespacedPodAsync(podName, Ns, cancellationToken: ct), cancellationToken);

    private async Task<V1Pod?> TryReadPodAsync(string podName, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadPodAsync(podName, cancellationToken).ConfigureAwait(false);
        }
        catch (KindlingException)
        {
            return null; // still unreachable: the original failure is the one to report
        }
    }

    private async Task CreateOwnedAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        var action = $"create {obj.Kind}/{obj.Metadata.Name}";
        const string manager = Resources.KindlingLabels.FieldManager;
        try
        {
            _ = obj switch
            {
                V1ConfigMap map => await connection.CallAsync(action, (k, ct) => k.CoreV1.CreateNamespacedConfigMapAsync(map, Ns, fieldManager: manager, cancellationToken: ct), cancellationToken).ConfigureAwait(false),
                V1Service svc => (object)await connection.CallAsync(action, (k, ct) => k.CoreV1.CreateNamespacedServiceAsync(svc, Ns, fieldManager: manager, cancellationToken: ct), cancellationToken).ConfigureAwait(false),
                V1Secret secret => await connection.CallAsync(action, (k, ct) => k.CoreV1.CreateNamespacedSecretAsync(secret, Ns, fieldManager: manager, cancellationToken: ct), cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"unexpected owned object {obj.Kind}"),
            };
        }
        catch (KubernetesApiException e) when (e.StatusCode == 409)
        {
            // The name embeds this submission's unique id: a conflict means a repeated request already created it.
        }
    }

    private async Task DeleteQuietlyAsync(string podName)
    {
        try
        {
            await connection.TryCallAsync($"delete Pod/{podName}",
                (k, ct) => k.CoreV1.DeleteNamespacedPodAsync(podName, Ns, propagationPolicy: "Background", cancellationToken: ct),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (KindlingException)
        {
            // The original failure is the one to report; apps reports the pod once its ConfigMap is overdue.
        }
    }
}
