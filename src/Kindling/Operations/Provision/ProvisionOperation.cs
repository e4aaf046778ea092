using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Tools;

namespace Kindling.Operations.Provision;

/// <summary>
/// <c>kindling up --provision</c>: from nothing to a notebook URL, each stage run only when it is not already up
/// to date (<see cref="StagePlanner"/>): Terraform (EKS), the kubeconfig context (EKS), the images (pushed to the
/// registry, or loaded into a laptop cluster), the environment (<c>up</c>), then the notebook's URL. Each stage is
/// the existing operation (<see cref="InfraApplyOperation"/>, <see cref="KubeconfigOperation"/>,
/// <see cref="ImagesPushOperation"/>/<see cref="ImagesBuildOperation"/>, <see cref="UpOperation"/>,
/// <see cref="NotebookOperation"/>), and each records its success only once it has finished, so a run
/// interrupted anywhere resumes at the stage it was in.
/// </summary>
public static class ProvisionOperation
{
    /// <exception cref="InvalidInputException">The configuration cannot work on this cluster; nothing was changed.</exception>
    /// <exception cref="StageFailedException">A stage failed or was interrupted; its inner exception says why.</exception>
    public static async Task<ProvisionResult> RunAsync(EnvironmentContext environment, ProvisionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var started = environment.Time.GetTimestamp();
        var progress = environment.Progress;
        // Without a kubeconfig context there is no cluster to ask yet (EKS is provisioned); otherwise its nodes are read once.
        var detected = ProvisionTarget.HasContext(environment) ? await environment.DetectClusterAsync(cancellationToken).ConfigureAwait(false) : environment.Cluster;
        var target = ProvisionTarget.Decide(environment);
        if (target.Cluster != detected)
            progress.Report(new ProgressEvent("cluster", ProgressStatus.Info, $"{target.Cluster.Kind}: {target.Cluster.Evidence}"));
        Preflight(environment, target, options);

        var records = new ProvisionRecordStore(environment.StateStore.Directory);
        var run = new StageRun(environment, progress);
        var observe = new ProvisionObservations(environment, options, target);
        NotebookLink? notebook = null;
        IReadOnlyList<string> images = [];

        foreach (var stage in Enum.GetValues<ProvisionStage>())
        {
            var facts = await run.GuardAsync(stage, () => observe.FactsAsync(stage, records.Load(), cancellationToken)).ConfigureAwait(false);
            var decision = StagePlanner.Decide(stage, facts);
            if (decision.Action == StageAction.Skip)
            {
                run.Skipped(decision);
                if (stage == ProvisionStage.Images) images = [environment.Images.Spark, environment.Images.Jupyter];
                continue;
            }
            var outcome = await run.RunAsync(decision, async () =>
            {
                switch (stage)
                {
                    case ProvisionStage.Infra:
                        var infra = await InfraApplyOperation.RunAsync(environment,
                            new InfraOptions { Confirm = options.ConfirmInfra, PublicAddress = options.PublicAddress }, cancellationToken).ConfigureAwait(false);
                        if (!infra.Applied && !infra.Changes.IsEmpty) return false;
                        records.Update(r => r with { Infra = new StageRecord(facts.InfraFingerprint, environment.Time.GetUtcNow()) });
                        return true;
                    case ProvisionStage.Kubeconfig:
                        KubeconfigOperation.Run(environment, new KubeconfigOptions { KubeconfigPath = options.KubeconfigPath });
                        // The next stages talk to the cluster through the context just written.
                        environment.Reconnect();
                        return true;
                    case ProvisionStage.Images:
                        images = await DeliverImagesAsync(environment, target, cancellationToken).ConfigureAwait(false);
                        records.Update(r => r with { Images = new StageRecord(facts.ImagesFingerprint, environment.Time.GetUtcNow()) });
                        return true;
                    case ProvisionStage.Environment:
                        await UpOperation.RunAsync(environment, options.Up, cancellationToken).ConfigureAwait(false);
                        records.Update(r => r with { Environment = new StageRecord(facts.EnvironmentFingerprint, environment.Time.GetUtcNow()) });
                        return true;
                    default:
                        notebook = await NotebookAsync(environment, options, cancellationToken).ConfigureAwait(false);
                        return true;
                }
            }).ConfigureAwait(false);
            if (!outcome)
            {
                progress.Report(new ProgressEvent("infra", ProgressStatus.Info, "Terraform's changes were declined: nothing else ran"));
                return new ProvisionResult(target.Cluster, run.Finish(), environment.Time.GetElapsedTime(started))
                {
                    Declined = true,
                    LocalDefaults = environment.LocalDefaults,
                };
            }
        }

        var result = new ProvisionResult(target.Cluster, run.Finish(), environment.Time.GetElapsedTime(started))
        {
            LocalDefaults = environment.LocalDefaults,
            Notebook = notebook,
            Images = images,
        };
        if (options.OnNotebookForwarded is { } onForwarded)
        {
            await NotebookOperation.RunAsync(environment, new NotebookOptions { LocalPort = options.NotebookPort }, onForwarded, cancellationToken)
                .ConfigureAwait(false);
        }
        return result;
    }

    // What cannot work is refused before anything changes, with the key to fix.
    private static void Preflight(EnvironmentContext environment, ProvisionTarget target, ProvisionOptions options)
    {
        var spec = environment.Spec;
        var kind = target.Cluster.Kind;
        var problems = new List<InputError>();
        if (target.Cluster.IsLocal && ClusterSpecValidator.LocalRegistryProblem(spec, kind) is { } registry)
            problems.Add(new InputError(environment.Config.Locations.GetValueOrDefault("images.registry"), "images.registry",
                $"{registry} (the cluster was detected: {target.Cluster.Evidence})"));
        if (kind == ClusterKinds.Other && spec.Images.Build && (environment.Images.SparkSource == ImageSource.LocalDefault || environment.Images.JupyterSource == ImageSource.LocalDefault))
            problems.Add(new InputError(null, "images.registry",
                $"the cluster is not EKS nor a laptop cluster Kindling knows ({target.Cluster.Evidence}), so the images must go to a registry it can pull from: " +
                "set images.registry, or set cluster.kind (eks to provision EKS, or the laptop cluster's kind)"));
        if (problems.Count > 0) throw new InvalidInputException(problems);
        RefuseUnansweredApproval(environment, target, options);
        // A missing loader is found before a 10-minute build, not after it.
        if (spec.Images.Build && ImageLoader.ToolFor(kind) is { } loader) ToolLocator.Find(environment.Tools, loader);
    }

    /// <summary>
    /// Terraform plans, shows the plan, then asks; when nobody can answer it still plans and then fails ("error
    /// asking for approval", terraform 1.11 run with stdin closed). Kindling shows the plan and asks the same way
    /// when someone is at the terminal, but an unattended run that would need an approval is refused up front,
    /// before Terraform runs and before anything is built, as <c>kindling infra apply</c> refuses: the same run with
    /// <c>--auto-approve</c> is what a script means. A run whose infra stage is up to date needs no approval.
    /// </summary>
    private static void RefuseUnansweredApproval(EnvironmentContext environment, ProvisionTarget target, ProvisionOptions options)
    {
        if (!options.Unattended || options.ConfirmInfra is null || target.Cluster.Kind != ClusterKinds.Eks) return;
        var records = new ProvisionRecordStore(environment.StateStore.Directory).Load();
        var facts = new ProvisionFacts
        {
            ClusterKind = ClusterKinds.Eks,
            Refresh = options.Refresh,
            InfraFingerprint = ProvisionFingerprints.Infra(environment.Spec),
            AppliedInfraFingerprint = records.Infra?.Fingerprint,
            OutputsSaved = KindlingEks.RunsOn(environment.Spec, environment.State),
        };
        var infra = StagePlanner.Decide(ProvisionStage.Infra, facts);
        if (infra.Action == StageAction.Run)
            throw new InvalidInputException("--auto-approve",
                $"Terraform must plan and may change the cloud ({infra.Reason}), and stdin is not a terminal, so nobody can approve the plan; " +
                "nothing was changed. Run 'kindling up --provision --auto-approve' to approve it, or run it at a terminal to see the plan and answer");
    }

    private static async Task<IReadOnlyList<string>> DeliverImagesAsync(EnvironmentContext environment, ProvisionTarget target, CancellationToken cancellationToken)
    {
        if (!target.Cluster.IsLocal)
        {
            var pushed = await ImagesPushOperation.RunAsync(environment, new ImagesOptions(), cancellationToken).ConfigureAwait(false);
            return pushed.Images.Select(i => i.Reference).ToList();
        }
        var built = await ImagesBuildOperation.RunAsync(environment, new ImagesOptions(), cancellationToken).ConfigureAwait(false);
        var references = built.Images.Select(i => i.Reference).ToList();
        await ImageLoader.LoadAsync(environment.Tools, target.Cluster, references, environment.Progress, environment.Time, cancellationToken).ConfigureAwait(false);
        return references;
    }

    private static async Task<NotebookLink> NotebookAsync(EnvironmentContext environment, ProvisionOptions options, CancellationToken cancellationToken)
    {
        var connection = environment.Connection;
        var pod = await NotebookOperation.ReadyPodAsync(connection, environment.Namespace, environment.Names.JupyterDeployment, cancellationToken).ConfigureAwait(false);
        var token = await NotebookOperation.TokenAsync(connection, environment.Namespace, environment.Names.TokenSecret, cancellationToken).ConfigureAwait(false);
        return new NotebookLink($"http://127.0.0.1:{options.NotebookPort}/?token={Uri.EscapeDataString(token)}", pod);
    }
}
