using Kindling.Configuration;

namespace Kindling.Tests.Cluster;

public sealed class JupyterTokenTests
{
    [Fact]
    public void Creates_a_256_bit_hex_token_once_and_reuses_it()
    {
        using var dir = new TempDir();
        var store = new LocalStateStore(Path.Combine(dir.Path, ".kindling"));

        var first = JupyterToken.Ensure(store);
        var second = JupyterToken.Ensure(store);

        first.Should().MatchRegex("^[0-9a-f]{64}$");
        second.Should().Be(first);
        store.Load().JupyterToken.Should().Be(first);
    }

    [Fact]
    public void Keeps_a_token_render_already_saved()
    {
        using var dir = new TempDir();
        var store = new LocalStateStore(Path.Combine(dir.Path, ".kindling"));
        store.Save(new LocalState { JupyterToken = "from-render" });

        JupyterToken.Ensure(store).Should().Be("from-render");
    }
}
