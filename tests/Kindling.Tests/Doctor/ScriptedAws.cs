using System.Text.Json;
using Kindling.Testing;

namespace Kindling.Tests.Doctor;

/// <summary>One scripted answer of the fake <c>aws</c>: what it prints and its exit code.</summary>
public sealed record AwsAnswer(string Stdout, string Stderr = "", int ExitCode = 0)
{
    public static AwsAnswer Json(object value) => new(JsonSerializer.Serialize(value));

    /// <summary>An AWS CLI service error, as the CLI prints it (exit 254).</summary>
    public static AwsAnswer Error(string code, string operation, string message) =>
        new("", $"\nAn error occurred ({code}) when calling the {operation} operation: {message}", 254);
}

/// <summary>
/// A recording <c>aws</c> executable that answers from a script: the key is the service, the operation and the
/// value of the operation's naming argument (<c>eks describe-addon vpc-cni</c>, <c>ecr describe-images spark</c>,
/// <c>iam get-role kindling-spark</c>); an unscripted call fails like an unknown operation would.
/// </summary>
public sealed class ScriptedAws : IDisposable
{
    private readonly TempDir dir = new();

    public ScriptedAws(IReadOnlyDictionary<string, AwsAnswer> answers)
    {
        File.WriteAllText(dir.File("answers.json"), JsonSerializer.Serialize(answers));
        var bin = dir.File("bin");
        Directory.CreateDirectory(bin);
        var script = System.IO.Path.Combine(bin, "aws");
        File.WriteAllText(script, $$"""
            #!/usr/bin/python3
            import json, sys
            argv = sys.argv[1:]
            with open({{JsonSerializer.Serialize(dir.File("calls.log"))}}, "a") as log:
                log.write(json.dumps(argv) + "\n")
            answers = json.load(open({{JsonSerializer.Serialize(dir.File("answers.json"))}}))
            names = ["--addon-name", "--repository-name", "--role-name", "--name"]
            name = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in names), "")
            key = " ".join(argv[:2] + [name])
            answer = answers.get(key)
            if answer is None:
                sys.stderr.write("fake aws: no answer scripted for " + key + "\n")
                sys.exit(252)
            sys.stdout.write(answer["Stdout"])
            sys.stderr.write(answer["Stderr"])
            sys.exit(answer["ExitCode"])
            """.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Path = $"{bin}{System.IO.Path.PathSeparator}/usr/bin{System.IO.Path.PathSeparator}/bin";
    }

    /// <summary>PATH with the fake first.</summary>
    public string Path { get; }

    /// <summary>Every call's arguments.</summary>
    public IReadOnlyList<string[]> Calls() =>
        File.Exists(dir.File("calls.log"))
            ? File.ReadAllLines(dir.File("calls.log")).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<string[]>(l)!).ToList()
            : [];

    public void Dispose() => dir.Dispose();
}
