using Kindling.Operations;

namespace Kindling.Cli.Json;

/// <summary><c>version -o json</c>; <see cref="Cluster"/> is absent with <c>--client</c>.</summary>
internal sealed record VersionOutput(ClientVersionOutput Client, ClusterVersions? Cluster = null);

/// <summary>This binary and the Spark/Python the images pin.</summary>
internal sealed record ClientVersionOutput(string Version, string Runtime, string SparkVersion, string PythonVersion);

/// <summary><c>init -o json</c>.</summary>
internal sealed record InitOutput(string Path, bool Overwritten, IReadOnlyList<string> GitignoreAdded);

/// <summary><c>kill -o json</c>.</summary>
internal sealed record KillOutput(string AppId, string Name, string? DriverPod, bool Killed = true);

/// <summary><c>submit -o json|yaml</c>: the names of what was created, the pod sizes and, with <c>--wait</c>, the final state.</summary>
internal sealed record SubmitOutput(string AppId, string DriverPod, string DriverService, string ConfigMap, SubmitSizes Sizes, AppOutput? Final);

/// <summary>The effective pod memory (Spark's overhead included) and executor count.</summary>
internal sealed record SubmitSizes(string DriverMemory, string ExecutorMemory, int Executors);
