using System.CommandLine;
using System.Text.Json.Nodes;
using k8s;
using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Cli.Commands;

/// <summary>
/// <c>kindling submit &lt;app.py|app.jar|local:///path&gt; [args...]</c>: cluster mode without spark-submit.
/// Arguments that look like options go after <c>--</c>.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport();
        var resource = new Argument<string>("app") { Description = "The application: app.py, app.jar (local files are shipped), or local:///, s3a://, https:// URIs" };
        var appArgs = new Argument<string[]>("args") { Description = "Application arguments (put them after -- when they start with -)", Arity = ArgumentArity.ZeroOrMore };
        var mainClass = new Option<string?>("--class") { Description = "Main class of a JVM application (required for jars)" };
        var name = new Option<string?>("--name") { Description = "Application name (default: the file name or main class)" };
        var conf = new Option<string[]>("--conf") { Description = "Spark configuration key=value; repeatable", AllowMultipleArgumentsPerToken = false };
        var executors = new Option<int?>("--executors") { Description = "Number of executors (spark.executor.instances)" };
        var executorMemory = new Option<string?>("--executor-memory") { Description = "Executor heap, e.g. 2g (spark.executor.memory)" };
        var executorCores = new Option<int?>("--executor-cores") { Description = "Cores per executor (spark.executor.cores)" };
        var driverMemory = new Option<string?>("--driver-memory") { Description = "Driver heap, e.g. 1g (spark.driver.memory)" };
        var driverCores = new Option<int?>("--driver-cores") { Description = "Driver cores (spark.driver.cores)" };
        var pyFiles = new Option<string?>("--py-files") { Description = "Comma-separated .py/.zip/.egg dependencies (local files are shipped)" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the application to finish; the exit code is 0 only if it succeeded" };
        var follow = new Option<bool>("--follow") { Description = "Like --wait, and stream the driver log" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the driver Pod, ConfigMap and Service that would be created; send nothing" };
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json, OutputFormat.Yaml);

        var command = new Command("submit", "Submit a Spark application in cluster mode (driver pod, ConfigMap and headless Service, as spark-submit builds them)");
        command.Arguments.Add(resource);
        command.Arguments.Add(appArgs);
        foreach (var option in new Option[] { mainClass, name, conf, executors, executorMemory, executorCores, driverMemory, driverCores, pyFiles, wait, follow, dryRun, output })
            command.Options.Add(option);
        support.AddTo(command);

        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var format = parse.GetValue(output);
            using var environment = support.Environment(parse, ctx);
            // Every input problem is reported at once: --conf syntax, the spec, then the local files.
            var errors = new List<InputError>();
            IReadOnlyDictionary<string, string> confValues;
            try
            {
                confValues = SparkConfArguments.Parse(parse.GetValue(conf) ?? []);
            }
            catch (InvalidInputException e)
            {
                errors.AddRange(e.Errors);
                confValues = new Dictionary<string, string>();
            }
            var spec = new SparkApplicationSpec
            {
                Resource = parse.GetValue(resource)!,
                Arguments = parse.GetValue(appArgs) ?? [],
                MainClass = parse.GetValue(mainClass),
                Name = parse.GetValue(name),
                Conf = confValues,
                Executors = parse.GetValue(executors),
                ExecutorMemory = parse.GetValue(executorMemory),
                ExecutorCores = parse.GetValue(executorCores),
                DriverMemory = parse.GetValue(driverMemory),
                DriverCores = parse.GetValue(driverCores),
                PyFiles = parse.GetValue(pyFiles)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            };
            var clientOptions = SparkEnvironment.ClientOptions(environment);
            SparkSubmitPlan plan;
            try
            {
                plan = SparkApplications.Plan(spec, clientOptions);
            }
            catch (InvalidInputException e)
            {
                throw new InvalidInputException([.. errors, .. e.Errors]);
            }
            if (errors.Count > 0) throw new InvalidInputException(errors);

            // Sizes first, so "512m became 896Mi" is visible before anything exists. On stderr when stdout is
            // a machine format.
            var sizesWriter = format == OutputFormat.Text ? ctx.Stdout : ctx.Stderr;
            WriteSizes(sizesWriter, plan);

            if (parse.GetValue(dryRun))
            {
                WriteObjects(ctx, plan, format);
                return ExitCodes.Ok;
            }

            var apps = SparkEnvironment.Open(environment, clientOptions);
            var result = await apps.SubmitAsync(plan, ct);
            if (format == OutputFormat.Text)
                ctx.Stdout.WriteLine($"Submitted {result.AppId}: driver pod {result.DriverPod} in namespace {clientOptions.Namespace}");
            var shouldFollow = parse.GetValue(follow);
            if (!shouldFollow && !parse.GetValue(wait))
            {
                WriteResult(ctx, format, result, null);
                return ExitCodes.Ok;
            }
            var final = shouldFollow
                ? await FollowAsync(ctx, apps, result.AppId, ct)
                : await apps.WaitForCompletionAsync(result.AppId, app => ctx.Stderr.WriteLine(SparkCliSupport.Describe(app)), ct);
            if (format == OutputFormat.Text) ctx.Stdout.WriteLine(SparkCliSupport.Describe(final));
            WriteResult(ctx, format, result, final);
            return final.State == SparkApplicationState.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Waits until the driver runs, streams its log to the end, then returns the final state.</summary>
    private static async Task<SparkApplication> FollowAsync(CliContext ctx, SparkApplications apps, string appId, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var final = apps.WaitForCompletionAsync(appId, app =>
        {
            ctx.Stderr.WriteLine(SparkCliSupport.Describe(app));
            if (app.State is SparkApplicationState.Running || app.IsFinished) started.TrySetResult();
        }, stop.Token);
        await Task.WhenAny(started.Task, final);
        if (started.Task.IsCompleted)
        {
            await foreach (var line in apps.GetLogsAsync(appId, new SparkLogOptions { Follow = true }, ct))
                ctx.Stdout.WriteLine(line);
        }
        return await final;
    }

    private static void WriteSizes(TextWriter writer, SparkSubmitPlan plan)
    {
        var sizes = plan.Submission.Sizes;
        writer.WriteLine($"Driver:    {sizes.Driver}");
        writer.WriteLine($"Executors: {sizes.Executors} x {sizes.Executor}");
        writer.WriteLine($"           memory overhead = max({sizes.OverheadFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)} x heap, 384Mi) unless spark.*.memoryOverhead is set");
        foreach (var upload in plan.Uploads) writer.WriteLine($"Upload:    {upload.LocalPath} -> {upload.Uri}");
    }

    private static void WriteObjects(CliContext ctx, SparkSubmitPlan plan, OutputFormat format)
    {
        var submission = plan.Submission;
        ctx.Stderr.WriteLine("Dry run: nothing was sent. The ConfigMaps and Service get an owner reference to the pod once it exists (its uid).");
        if (format == OutputFormat.Json)
        {
            var items = new JsonArray();
            items.Add(JsonNode.Parse(KubernetesJson.Serialize(submission.DriverPod)));
            foreach (var obj in submission.OwnedObjects()) items.Add(JsonNode.Parse(KubernetesJson.Serialize(obj)));
            var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items };
            ctx.Stdout.WriteLine(list.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            ctx.Stdout.Write(submission.ToYaml());
        }
    }

    private static void WriteResult(CliContext ctx, OutputFormat format, SparkSubmitResult result, SparkApplication? final)
    {
        if (format == OutputFormat.Text) return;
        var value = new
        {
            result.AppId,
            result.DriverPod,
            DriverService = result.Submission.Names.DriverService,
            ConfigMap = result.Submission.Names.ConfConfigMap,
            Sizes = new
            {
                DriverMemory = SparkMemory.Quantity(result.Submission.Sizes.Driver.PodMemoryMiB),
                ExecutorMemory = SparkMemory.Quantity(result.Submission.Sizes.Executor.PodMemoryMiB),
                result.Submission.Sizes.Executors,
            },
            Final = final is null ? null : SparkCliSupport.Json(final),
        };
        if (format == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, value);
        else ctx.Stdout.Write(new YamlDotNet.Serialization.SerializerBuilder()
            .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.CamelCaseNamingConvention.Instance).Build().Serialize(value));
    }
}
