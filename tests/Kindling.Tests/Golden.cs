using System.Runtime.CompilerServices;

namespace Kindling.Tests;

/// <summary>
/// Golden files under tests/Kindling.Tests/Golden. A mismatch fails with a diff hint; run the tests with
/// KINDLING_UPDATE_GOLDEN=1 to rewrite them, then review the change in git.
/// </summary>
public static class Golden
{
    /// <summary>tests/Kindling.Tests/Golden in the source tree, wherever the caller sits.</summary>
    public static string Directory() => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(ThisFile())!, "Golden");

    private static string ThisFile([CallerFilePath] string path = "") => path;

    public static void Match(string relativePath, string actual)
    {
        var path = System.IO.Path.Combine(Directory(), relativePath);
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("KINDLING_UPDATE_GOLDEN") == "1")
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        File.Exists(path).Should().BeTrue($"golden file {relativePath} should exist (run with KINDLING_UPDATE_GOLDEN=1 to create it)");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        actual.Should().Be(expected, $"output should match golden file {relativePath} (KINDLING_UPDATE_GOLDEN=1 rewrites it)");
    }
}
