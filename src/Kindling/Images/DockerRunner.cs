using Kindling.Tools;

namespace Kindling.Images;

/// <summary>One <c>docker buildx build</c>.</summary>
/// <param name="ContextDirectory">The build context (it holds the Dockerfile).</param>
/// <param name="Reference">The image reference to tag the result with.</param>
/// <param name="BuildArgs">Build arguments, passed as <c>--build-arg NAME=value</c> in the given order.</param>
/// <param name="Labels">Labels added to the image, passed as <c>--label NAME=value</c>.</param>
/// <param name="Platform">The nodes' platform (<c>linux/amd64</c>, <c>linux/arm64</c>), passed as <c>--platform</c>.</param>
internal sealed record DockerBuild(
    string ContextDirectory,
    string Reference,
    IReadOnlyDictionary<string, string> BuildArgs,
    IReadOnlyDictionary<string, string> Labels,
    string Platform);

/// <summary>
/// Runs the real <c>docker</c> executable (found on the caller's PATH), one argument per
/// <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/> entry. Failures carry the end of docker's output.
/// </summary>
internal sealed class DockerRunner(ToolEnvironment environment)
{
    /// <summary>Said when <c>docker info</c> gets no answer from the daemon.</summary>
    public const string NotRunningMessage = "Docker is not running: start it, or set images.build: false and give images explicitly";

    /// <summary>Checks that the daemon answers (<c>docker info</c>).</summary>
    /// <exception cref="KindlingException">The daemon is not reachable; docker's own reason follows the message.</exception>
    public async Task EnsureDaemonAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["info", "--format", "{{.ServerVersion}}"], ToolOutput.Capture, null, cancellationToken);
        if (result.ExitCode != 0 || result.Stdout.Trim().Length == 0)
        {
            var reason = result.Tail.Trim();
            throw new KindlingException(reason.Length == 0 ? NotRunningMessage : $"{NotRunningMessage}\n{reason}");
        }
    }

    /// <summary>
    /// The value of <paramref name="label"/> on the local image <paramref name="reference"/>: null when the image
    /// does not exist, empty when it exists without the label (<c>docker image inspect</c>).
    /// </summary>
    public async Task<string?> GetImageLabelAsync(string reference, string label, CancellationToken cancellationToken)
    {
        // The label name is passed as a Go template string literal; label names hold no quotes.
        var format = $"{{{{ index .Config.Labels \"{label}\" }}}}";
        var result = await RunAsync(["image", "inspect", "--format", format, reference], ToolOutput.Capture, null, cancellationToken);
        if (result.ExitCode != 0) return null;
        var value = result.Stdout.Trim();
        return value == "<no value>" ? "" : value;
    }

    /// <summary>
    /// Builds one image for its platform with BuildKit (<c>docker buildx build --platform P --load</c>): without
    /// <c>--platform</c> docker builds for the machine it runs on, and an arm64 laptop's image fails on x86 nodes
    /// with "exec format error". <c>--load</c> puts the single-platform result in the local image store, where the
    /// Jupyter build finds the Spark image FROM which it is built and where <c>docker push</c> takes it from.
    /// Every output line goes to <paramref name="onLine"/>.
    /// </summary>
    public async Task BuildAsync(DockerBuild build, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "buildx", "build", "--platform", build.Platform, "--tag", build.Reference };
        foreach (var (name, value) in build.BuildArgs)
        {
            arguments.Add("--build-arg");
            arguments.Add($"{name}={value}");
        }
        foreach (var (name, value) in build.Labels)
        {
            arguments.Add("--label");
            arguments.Add($"{name}={value}");
        }
        arguments.Add("--load");
        arguments.Add(build.ContextDirectory);
        var result = await RunAsync(arguments, ToolOutput.Lines, onLine, cancellationToken);
        if (result.ExitCode != 0)
            throw new ExternalToolException(ImageTools.Docker.Name, result.ExitCode, result.Tail, $"building {build.Reference} for {build.Platform} failed{BuildHint(result.Tail, build.Platform)}");
    }

    // The two set-up gaps a cross-platform build hits first, said in words rather than left in docker's tail.
    private static string BuildHint(string tail, string platform) =>
        tail.Contains("is not a docker command", StringComparison.Ordinal) || tail.Contains("unknown command: docker buildx", StringComparison.Ordinal)
            ? ": docker buildx is missing; install the Docker Buildx plugin (Docker Desktop has it; Debian/Ubuntu: docker-buildx-plugin)"
            : tail.Contains("exec format error", StringComparison.Ordinal)
                ? $": this machine cannot run {platform} build steps; install QEMU emulation (docker run --privileged --rm tonistiigi/binfmt --install {ImagePlatform.Architecture(platform)}) or set images.platform"
                : "";

    /// <summary>Pushes one image.</summary>
    public async Task PushAsync(string reference, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["push", reference], ToolOutput.Lines, onLine, cancellationToken);
        if (result.ExitCode != 0)
            throw new ExternalToolException(ImageTools.Docker.Name, result.ExitCode, result.Tail, $"pushing {reference} failed");
    }

    /// <summary>
    /// Starts <c>docker login --username U --password-stdin HOST</c> reading the password from
    /// <paramref name="password"/>, so the password never appears on a command line.
    /// </summary>
    public ToolProcess StartLogin(string registryHost, string username, Stream password) =>
        ToolProcess.Start(Options(["login", "--username", username, "--password-stdin", registryHost], ToolOutput.Capture, null) with
        {
            Input = password,
        });

    private Task<ToolResult> RunAsync(IReadOnlyList<string> arguments, ToolOutput output, Action<string>? onLine, CancellationToken cancellationToken) =>
        ToolProcess.RunAsync(Options(arguments, output, onLine), cancellationToken);

    // docker build writes its progress to stderr (BuildKit) or stdout (classic builder): both go to onLine.
    private ToolRunOptions Options(IReadOnlyList<string> arguments, ToolOutput output, Action<string>? onLine) => new()
    {
        Tool = ImageTools.Docker,
        Arguments = arguments,
        Environment = environment,
        Output = output,
        OnOutputLine = onLine,
        OnErrorLine = onLine,
    };
}
