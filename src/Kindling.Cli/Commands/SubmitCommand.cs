using System.CommandLine;
using System.Text.Json.Nodes;
using k8s;
using Kindling.Operations;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary>
/// <c>kindling submit [options] &lt;app.py|app.jar|local:///path&gt; [args...]</c>: cluster mode without spark-submit.
/// As with spark-submit, everything after the application is the application's (see <see cref="SubmitArguments"/>).
/// The command maps flags to <see cref="SubmitOptions"/> and prints; <see cref="SubmitOperation"/> does the work.
/// </summary>
internal static class SubmitCommand
{
    private static string[] List(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport();
        var resource = new Argument<string>("app") { Description = "The application: app.py, app.jar (local files are shipped), or local:///, s3a://, https:// URIs" };
        // spark-submit refuses an unknown option before the application (SparkSubmitArguments.handleUnknown:
        // "Unrecognized option"); without this, `submit --fil x` would take --fil for the application. The parser's
        // own wording makes ParseErrorReporter add its did-you-mean and exit 2.
        resource.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[0].Value is { Length: > 1 } token && token.StartsWith('-'))
                result.AddError($"Unrecognized command or argument '{token}'");
        });
        var appArgs = new Argument<string[]>("args") { Description = "Application arguments: everything after the application, as with spark-submit", Arity = ArgumentArity.ZeroOrMore };
        var mainClass = new Option<string?>("--class") { Description = "Main class of a JVM application (required for jars)" };
        var name = new Option<string?>("--name") { Description = "Application name (default: the file name or main class)" };
        var conf = new Option<string[]>("--conf", "-c") { Description = "Spark configuration key=value; repeatable", AllowMultipleArgumentsPerToken = false };
        var propertiesFile = new Option<string?>("--properties-file") { Description = "A Java properties file of spark.* conf; --conf wins over it" };
        var executors = NumberOption.Optional("--executors", ["--num-executors"], "Number of executors (spark.executor.instances)", 0, 100_000);
        var executorMemory = new Option<string?>("--executor-memory") { Description = "Executor heap, e.g. 2g (spark.executor.memory)" };
        var executorCores = NumberOption.Optional("--executor-cores", [], "Cores per executor (spark.executor.cores)", 1, 1024);
        var driverMemory = new Option<string?>("--driver-memory") { Description = "Driver heap, e.g. 1g (spark.driver.memory)" };
        var driverCores = NumberOption.Optional("--driver-cores", [], "Driver cores (spark.driver.cores)", 1, 1024);
        var driverJavaOptions = new Option<string?>("--driver-java-options") { Description = "Extra JVM options of the driver (spark.driver.extraJavaOptions)" };
        var jars = new Option<string?>("--jars") { Description = "Comma-separated jars for driver and executors (local files are shipped)" };
        var packages = new Option<string?>("--packages") { Description = "Comma-separated Maven coordinates groupId:artifactId:version, resolved by the driver" };
        var repositories = new Option<string?>("--repositories") { Description = "Comma-separated extra Maven repositories for --packages" };
        var excludePackages = new Option<string?>("--exclude-packages") { Description = "Comma-separated groupId:artifactId to leave out of --packages" };
        var files = new Option<string?>("--files") { Description = "Comma-separated files placed in every container's working directory (local files are shipped)" };
        var archives = new Option<string?>("--archives") { Description = "Comma-separated archives unpacked in every working directory; env.tar.gz#environment makes ./environment/bin/python the Python" };
        var pyFiles = new Option<string?>("--py-files") { Description = "Comma-separated .py/.zip/.egg dependencies (local files are shipped)" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the resolved Spark conf (secrets redacted as Spark redacts them)" };
        var supervise = new Option<bool>("--supervise") { Description = "Not supported on Kubernetes (spark-submit's standalone-only driver restart)" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the application to finish; the exit code is 0 only if it succeeded" };
        var follow = new Option<bool>("--follow") { Description = "Like --wait, and stream the driver log" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the driver Pod, ConfigMap and Service that would be created; send nothing" };
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json, OutputFormat.Yaml);

        var command = new Command("submit", "Submit a Spark application in cluster mode (driver pod, ConfigMap and headless Service, as spark-submit builds them)");
        command.Arguments.Add(resource);
        command.Arguments.Add(appArgs);
        foreach (var option in new Option[]
                 {
                     mainClass, name, conf, propertiesFile, executors, executorMemory, executorCores, driverMemory, driverCores, driverJavaOptions,
                     jars, packages, repositories, excludePackages, files, archives, pyFiles, verbose, supervise, wait, follow, dryRun, output,
                 })
            command.Options.Add(option);
        support.AddTo(command);

        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var format = parse.GetValue(output);
            // Every input problem is reported at once: the flags, the spec, then the local files.
            var errors = new List<InputError>();
            if (parse.GetValue(supervise))
                errors.Add(new InputError(null, "--supervise",
                    "is not supported on Kubernetes: spark-submit restarts a failed driver only on a standalone cluster. " +
                    "Remove --supervise; use --wait to get the driver's exit code, or a Kubernetes Job around kindling submit to retry"));
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
                DriverJavaOptions = parse.GetValue(driverJavaOptions),
                Jars = List(parse, jars),
                Packages = List(parse, packages),
                Repositories = List(parse, repositories),
                ExcludePackages = List(parse, excludePackages),
                Files = List(parse, files),
                Archives = List(parse, archives),
                PyFiles = List(parse, pyFiles),
            };
            // Sizes first, so "512m became 896Mi" is visible before anything exists. On stderr when stdout is
            // a machine format.
            var info = format == OutputFormat.Text ? ctx.Stdout : ctx.Stderr;
            using var environment = support.Environment(parse, ctx);
            var options = new SubmitOptions
            {
                Environment = environment,
                Application = spec,
                PropertiesFile = parse.GetValue(propertiesFile),
                DryRun = parse.GetValue(dryRun),
                Wait = parse.GetValue(wait),
                Follow = parse.GetValue(follow),
                LogSink = ctx.Stdout.WriteLine,
                // Intermediate states go to stderr as they happen; the final one is printed once, below.
                OnChange = app =>
                {
                    if (!app.IsFinished) ctx.Stderr.WriteLine(SparkCliSupport.Describe(app));
                },
                OnPlanned = plan =>
                {
                    foreach (var warning in plan.Warnings) ctx.Stderr.WriteLine($"warning: {warning}");
                    WriteSizes(info, plan);
                    if (parse.GetValue(verbose)) WriteConf(info, plan);
                },
            };
            if (errors.Count > 0)
            {
                try
                {
                    SubmitOperation.Plan(options);
                }
                catch (InvalidInputException e)
                {
                    errors.AddRange(e.Errors);
                }
                throw new InvalidInputException(errors);
            }
            SparkSubmitResult? created = null;
            options = options with
            {
                OnSubmitted = s =>
                {
                    created = s;
                    if (format == OutputFormat.Text)
                        ctx.Stdout.WriteLine($"Submitted {s.AppId}: driver pod {s.DriverPod} in namespace {s.Submission.DriverPod.Metadata.NamespaceProperty}");
                },
            };

            SubmitResult result;
            try
            {
                result = await SubmitOperation.RunAsync(options, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested && created is { } running)
            {
                // Ctrl+C stops the waiting, not the application: the driver pod runs on in the cluster.
                ctx.Stderr.WriteLine($"Stopped waiting; {running.AppId} keeps running in namespace {environment.Namespace}. " +
                                     $"Follow it with 'kindling logs -f {running.AppId}', stop it with 'kindling kill {running.AppId}'.");
                throw;
            }
            if (result.Submitted is not { } submitted)
            {
                WriteObjects(ctx, result.Plan, format);
                return ExitCodes.Ok;
            }
            if (format == OutputFormat.Text && result.Final is { } final)
            {
                ctx.Stdout.WriteLine(SparkCliSupport.Describe(final));
                ctx.Stdout.WriteLine($"Logs: kindling logs {submitted.AppId}");
            }
            WriteResult(ctx, format, submitted, result.Final);
            return result.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static void WriteConf(TextWriter writer, SparkSubmitPlan plan)
    {
        // As spark-submit --verbose prints it ("Spark config:"), redacted by spark.redaction.regex.
        writer.WriteLine("Spark config:");
        foreach (var (key, value) in plan.RedactedConf) writer.WriteLine($"({key},{value})");
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
            foreach (var obj in SparkSubmission.Printable(submission.OwnedObjects())) items.Add(JsonNode.Parse(KubernetesJson.Serialize(obj)));
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
        var sizes = result.Submission.Sizes;
        var value = new SubmitOutput(
            result.AppId,
            result.DriverPod,
            result.Submission.Names.DriverService,
            result.Submission.Names.ConfConfigMap,
            new SubmitSizes(SparkMemory.Quantity(sizes.Driver.PodMemoryMiB), SparkMemory.Quantity(sizes.Executor.PodMemoryMiB), sizes.Executors),
            final is null ? null : AppOutput.From(final));
        if (format == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, value, JsonOutput.Types.SubmitOutput);
        else JsonOutput.WriteYaml(ctx.Stdout, value, JsonOutput.Types.SubmitOutput);
    }
}
