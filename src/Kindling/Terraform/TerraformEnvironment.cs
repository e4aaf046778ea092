namespace Kindling.Terraform;

/// <summary>
/// Where terraform is found and the environment it runs with. Variables come from the caller (the CLI context),
/// never from this process's globals, so tests can point PATH or AWS credentials elsewhere per run.
/// </summary>
/// <param name="GetVariable">Looks up an environment variable; null when unset.</param>
public sealed record TerraformEnvironment(Func<string, string?> GetVariable)
{
    /// <summary>The env var that points <c>terraform init</c> at a local provider mirror.</summary>
    public const string PluginDirVariable = "KINDLING_TF_PLUGIN_DIR";

    /// <summary>This process's own environment.</summary>
    public static TerraformEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    // terraform inherits this process's environment; these are what it and the AWS provider read, taken from
    // the caller so that its view wins. A null value removes the variable.
    private static readonly string[] Forwarded =
    [
        "PATH", "HOME", "TMPDIR",
        "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CA_BUNDLE",
        "AWS_EC2_METADATA_DISABLED", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "SSL_CERT_FILE",
        "TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR", "TF_LOG", "TF_LOG_PATH",
    ];

    /// <summary>The full path of <paramref name="executable"/> on this environment's PATH, or null.</summary>
    public string? Find(string executable)
    {
        string[] names = OperatingSystem.IsWindows() ? [executable + ".exe", executable] : [executable];
        foreach (var dir in (GetVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
            }
        }
        return null;
    }

    internal void ApplyTo(IDictionary<string, string?> environment)
    {
        foreach (var name in Forwarded)
        {
            var value = GetVariable(name);
            if (value is null) environment.Remove(name);
            else environment[name] = value;
        }
        // Plain output for a program to read: no "next steps" advice, never a prompt.
        environment["TF_IN_AUTOMATION"] = "1";
        environment["TF_INPUT"] = "0";
    }

    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() ||
        (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
