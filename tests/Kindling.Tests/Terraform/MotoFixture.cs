using Kindling.Testing.Processes;

namespace Kindling.Tests.Terraform;

/// <summary>One moto_server per test class; classes run in parallel, each against its own server.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? server;

    public MotoServer Server => server ?? throw new InvalidOperationException("moto_server is not running");

    public async Task InitializeAsync() => server = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }
}
