using Kindling.Configuration;

namespace Kindling.Tests.Cluster;

public sealed class JupyterTokenTests
{
    [Fact]
    public void A_new_token_is_256_random_bits_in_hex()
    {
        var first = JupyterToken.New();
        var second = JupyterToken.New();

        first.Should().MatchRegex("^[0-9a-f]{64}$");
        second.Should().NotBe(first);
    }

    [Fact]
    public void A_token_left_in_old_local_state_is_dropped_on_the_next_save_and_the_file_is_private()
    {
        using var dir = new TempDir();
        var store = new LocalStateStore(Path.Combine(dir.Path, ".kindling"));
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(store.FilePath, """{ "jupyterToken": "old-secret" }""");

        store.Update(s => s);

        File.ReadAllText(store.FilePath).Should().NotContain("old-secret");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(store.FilePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(store.Directory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
