using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Jupyter;
using Kindling.Resources;
using Kindling.Spark;
using Kindling.Spark.Verify;

namespace Kindling.Operations.Verify;

/// <summary>
/// Stage 1: a kernel of the live notebook, reached as a user reaches it (the port-forward of <c>kindling
/// notebook</c>, the token from the Secret), computes Pi with its ready <c>spark</c> session; the executor pods
/// owned by the notebook pod appear and are gone after <c>spark.stop()</c>; the kernel is deleted.
/// </summary>
internal static class NotebookVerification
{
    public const string Name = "notebook";

    public static async Task<IReadOnlyList<string>> RunAsync(VerifyRun run, CancellationToken cancellationToken)
    {
        var environment = run.Environment;
        var connection = run.Connection;
        var names = environment.Names;
        var podName = await NotebookOperation.ReadyPodAsync(connection, run.Ns, names.JupyterDeployment, cancellationToken).ConfigureAwait(false);
        var token = await NotebookOperation.TokenAsync(connection, run.Ns, names.TokenSecret, cancellationToken).ConfigureAwait(false);
        var pod = await connection.CallAsync($"read Pod/{podName}",
            (k, ct) => k.CoreV1.ReadNamespacedPodAsync(podName, run.Ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var checks = new List<string>();

        var forwardErrors = new List<string>();
        await using var forwarder = PortForwarder.Start(connection, new PortForwardTarget(run.Ns, podName, environment.Spec.Notebook.Port, 0),
            message => { lock (forwardErrors) forwardErrors.Add(message); });
        using var stopForward = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forwarding = forwarder.RunAsync(stopForward.Token);
        try
        {
            using var jupyter = new JupyterClient(new Uri($"http://127.0.0.1:{forwarder.LocalPort}/"), token, TimeSpan.FromSeconds(30), environment.Time);
            string version;
            try
            {
                version = await jupyter.CheckAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (JupyterException e)
            {
                string[] forward;
                lock (forwardErrors) forward = [.. forwardErrors];
                var why = e.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                    ? $"the notebook in Pod/{podName} refused the token of Secret/{names.TokenSecret} ({e.Message}); it was started with another token: run 'kindling notebook --rotate-token'"
                    : $"Jupyter in Pod/{podName} did not answer through the port-forward to port {environment.Spec.Notebook.Port}: {e.Message}" +
                      (forward.Length > 0 ? $" (port-forward: {forward[^1]})" : "") + "; see 'kindling status'";
                throw new VerifyStageFailedException(why, await run.LogTailAsync(podName, JupyterDeployment.ContainerName, cancellationToken).ConfigureAwait(false));
            }
            checks.Add($"Jupyter {version} answered through a port-forward to Pod/{podName} and accepted the token of Secret/{names.TokenSecret}");

            var kernelId = await jupyter.StartKernelAsync(run.Options.KernelName, cancellationToken).ConfigureAwait(false);
            run.Report(Name, ProgressStatus.Started, $"kernel {kernelId} started; computing Pi on {VerifyPrograms.Partitions} executors");
            try
            {
                await using var kernel = await jupyter.ConnectAsync(kernelId, cancellationToken).ConfigureAwait(false);
                using (var info = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    info.CancelAfter(TimeSpan.FromMinutes(1));
                    await kernel.KernelInfoAsync(info.Token).ConfigureAwait(false);
                }
                checks.Add($"a {run.Options.KernelName} kernel started and answered on its websocket");

                var result = await ExecuteAsync(run, jupyter, kernel, kernelId, VerifyPrograms.NotebookCell(run.AppName("notebook"), run.LabelConf), pod, "the Pi cell", cancellationToken).ConfigureAwait(false);
                var report = Parse(result.Stdout)
                    ?? throw new VerifyStageFailedException("the Pi cell ran but printed no result line", Lines(result));
                run.NotebookAppId = report.AppId;
                run.Applications.Add(report.AppId);
                if (Math.Abs(report.Pi - Math.PI) > VerifyPrograms.PiTolerance)
                    throw new VerifyStageFailedException(
                        $"the notebook computed π ≈ {report.Pi.ToString("0.#####", CultureInfo.InvariantCulture)}, more than {VerifyPrograms.PiTolerance.ToString(CultureInfo.InvariantCulture)} from π: its tasks did not all run", Lines(result));
                checks.Add($"the session {report.AppId} computed π ≈ {report.Pi.ToString("0.#####", CultureInfo.InvariantCulture)} from {report.Darts} darts in {report.Partitions} partitions (within {VerifyPrograms.PiTolerance.ToString(CultureInfo.InvariantCulture)})");

                var executors = await ExecutorsAppearAsync(run, pod, report.AppId, cancellationToken).ConfigureAwait(false);
                checks.Add($"{executors.Count} executor pods owned by Pod/{podName} ran: {string.Join(", ", executors)}");

                await ExecuteAsync(run, jupyter, kernel, kernelId, VerifyPrograms.StopCell, pod, "spark.stop()", cancellationToken).ConfigureAwait(false);
                var gone = await run.WaitUntilAsync(async ct => (await run.PodsAsync(ExecutorSelector(report.AppId), ct).ConfigureAwait(false)).Items.Count == 0,
                    run.Options.ExecutorTimeout, cancellationToken).ConfigureAwait(false);
                if (!gone)
                {
                    var left = await run.PodsAsync(ExecutorSelector(report.AppId), cancellationToken).ConfigureAwait(false);
                    throw new VerifyStageFailedException(
                        $"{left.Items.Count} executor pods of {report.AppId} were still there {VerifyRun.Seconds(run.Options.ExecutorTimeout)} after spark.stop(): " +
                        string.Join(", ", left.Items.Select(p => $"{p.Metadata.Name} ({PodConditions.Summary(p)})")) + "; 'kindling apps --orphans' lists and removes them",
                        await run.LogTailAsync(podName, JupyterDeployment.ContainerName, cancellationToken).ConfigureAwait(false));
                }
                checks.Add("spark.stop() ended the session and its executor pods are gone");
            }
            finally
            {
                // A kernel left behind would hold a Spark session slot and its executors: delete it even when cancelled.
                using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await jupyter.DeleteKernelAsync(kernelId, cleanup.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is KindlingException or OperationCanceledException)
                {
                    run.Report(Name, ProgressStatus.Failed, $"kernel {kernelId} could not be deleted ({e.Message}); it ends with the notebook pod");
                }
            }
            var remaining = await jupyter.ListKernelsAsync(cancellationToken).ConfigureAwait(false);
            if (remaining.Contains(kernelId)) throw new VerifyStageFailedException($"kernel {kernelId} is still running after it was deleted");
            checks.Add($"kernel {kernelId} deleted");
        }
        finally
        {
            await stopForward.CancelAsync().ConfigureAwait(false);
            await forwarding.ConfigureAwait(false);
        }
        return checks;
    }

    private static string ExecutorSelector(string appId) =>
        $"{SparkConventions.AppIdLabel}={appId},{SparkConventions.RoleLabel}={SparkConventions.ExecutorRole}";

    /// <summary>Runs a cell with the job timeout; a cell that hangs is interrupted and explained by the notebook pod's log.</summary>
    private static async Task<KernelExecution> ExecuteAsync(VerifyRun run, JupyterClient jupyter, KernelChannels kernel, string kernelId, string code, V1Pod pod, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(run.Options.JobTimeout);
        KernelExecution result;
        try
        {
            result = await kernel.ExecuteAsync(code, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await jupyter.InterruptAsync(kernelId, cancellationToken).ConfigureAwait(false);
            }
            catch (JupyterException)
            {
                // The kernel is deleted next anyway.
            }
            var executors = await run.PodsAsync($"{SparkConventions.RoleLabel}={SparkConventions.ExecutorRole},{VerifyRun.RunLabel}={run.RunId}", cancellationToken).ConfigureAwait(false);
            var states = executors.Items.Count == 0
                ? "no executor pod of the session exists"
                : string.Join(", ", executors.Items.Select(p => $"{p.Metadata.Name}: {PodConditions.Summary(p)}"));
            throw new VerifyStageFailedException(
                $"{what} did not finish within {VerifyRun.Seconds(run.Options.JobTimeout)} ({states}): executors never registered with the notebook's driver? " +
                "Check that the executor image can be pulled, the nodes have room ('kindling doctor'), and the NetworkPolicy lets executors reach the driver ports",
                await run.LogTailAsync(pod.Metadata.Name, JupyterDeployment.ContainerName, cancellationToken).ConfigureAwait(false));
        }
        if (!result.Ok)
            throw new VerifyStageFailedException($"{what} failed in the kernel: {result.Error ?? result.Status}",
                [.. Lines(result), .. await run.LogTailAsync(pod.Metadata.Name, JupyterDeployment.ContainerName, cancellationToken).ConfigureAwait(false)]);
        return result;
    }

    /// <summary>Waits until the session's executor pods (owned by the notebook pod, as Spark's client mode makes them) exist.</summary>
    private static async Task<IReadOnlyList<string>> ExecutorsAppearAsync(VerifyRun run, V1Pod pod, string appId, CancellationToken cancellationToken)
    {
        IReadOnlyList<V1Pod> owned = [];
        var appeared = await run.WaitUntilAsync(async ct =>
        {
            var pods = await run.PodsAsync(ExecutorSelector(appId), ct).ConfigureAwait(false);
            owned = [.. pods.Items.Where(p => p.Metadata.OwnerReferences?.Any(o => o.Kind == "Pod" && o.Uid == pod.Metadata.Uid) == true)];
            return owned.Count >= VerifyPrograms.Partitions;
        }, run.Options.ExecutorTimeout, cancellationToken).ConfigureAwait(false);
        if (!appeared)
        {
            var all = await run.PodsAsync(ExecutorSelector(appId), cancellationToken).ConfigureAwait(false);
            var foreign = all.Items.Except(owned).Select(p => $"{p.Metadata.Name} (not owned by Pod/{pod.Metadata.Name})");
            throw new VerifyStageFailedException(
                $"{owned.Count} of {VerifyPrograms.Partitions} executor pods owned by Pod/{pod.Metadata.Name} appeared within {VerifyRun.Seconds(run.Options.ExecutorTimeout)}" +
                (all.Items.Count > owned.Count ? ": " + string.Join(", ", foreign) + "; spark.kubernetes.driver.pod.name must name the notebook pod" : ""),
                await run.LogTailAsync(pod.Metadata.Name, JupyterDeployment.ContainerName, cancellationToken).ConfigureAwait(false));
        }
        return [.. owned.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal)];
    }

    private sealed record Report(double Pi, long Darts, int Partitions, string AppId);

    private static Report? Parse(string stdout)
    {
        var line = stdout.Split('\n').LastOrDefault(l => l.StartsWith(VerifyPrograms.NotebookMarker + "{", StringComparison.Ordinal));
        if (line is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(line[VerifyPrograms.NotebookMarker.Length..]);
            var root = doc.RootElement;
            return new Report(root.GetProperty("pi").GetDouble(), root.GetProperty("darts").GetInt64(), root.GetProperty("partitions").GetInt32(),
                root.GetProperty("appId").GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static IReadOnlyList<string> Lines(KernelExecution result) =>
        [.. (result.Stdout + result.Stderr).Split('\n').Concat(result.Traceback.SelectMany(t => t.Split('\n'))).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).TakeLast(VerifyRun.LogTail)];
}
