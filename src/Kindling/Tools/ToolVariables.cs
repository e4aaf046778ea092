namespace Kindling.Tools;

/// <summary>
/// The environment variables one external tool gets from the caller's <see cref="ToolEnvironment"/>, and any it
/// always gets. A child inherits this process's environment; the forwarded names are the ones the tool reads, so
/// the caller's view of them (which may differ from the process's, e.g. in tests) is the one the tool sees.
/// </summary>
/// <param name="Forwarded">Names copied from the caller's environment; a name the caller has unset is removed.</param>
internal sealed record ToolVariables(IReadOnlyList<string> Forwarded)
{
    /// <summary>Where any tool finds its executables and its per-user configuration.</summary>
    public static IReadOnlyList<string> Basics { get; } = ["PATH", "HOME"];

    /// <summary>What the AWS CLI and SDKs read for the account, region and credentials to use.</summary>
    public static IReadOnlyList<string> AwsCredentials { get; } =
    [
        "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CA_BUNDLE",
    ];

    /// <summary>Values set whatever the caller's environment holds (e.g. switching a tool's prompts off).</summary>
    public IReadOnlyDictionary<string, string> Fixed { get; init; } = new Dictionary<string, string>();
}
