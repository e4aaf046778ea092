using System.Net;
using Kindling.Jupyter;
using Kindling.Testing;

namespace Kindling.Tests.Verify;

/// <summary>The kernel-protocol client against Debian's real Jupyter server: REST, the channels websocket, the token.</summary>
public sealed class JupyterClientTests : IAsyncLifetime
{
    private const string Token = "0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly TempDir dir = new();
    private JupyterServer? server;

    public async Task InitializeAsync() => server = await JupyterServer.StartAsync(dir.Path, Token, new Dictionary<string, string>());

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
        dir.Dispose();
    }

    private JupyterClient Client(string token = Token) => new(new Uri($"http://127.0.0.1:{server!.Port}/"), token, TimeSpan.FromSeconds(30), TimeProvider.System);

    [Fact]
    public async Task A_kernel_runs_code_reports_streams_and_errors_and_is_deleted()
    {
        using var client = Client();
        var version = await client.CheckAsync(CancellationToken.None);
        var id = await client.StartKernelAsync("python3", CancellationToken.None);
        KernelExecution printed, failed, after;
        await using (var kernel = await client.ConnectAsync(id, CancellationToken.None))
        {
            (await kernel.KernelInfoAsync(CancellationToken.None)).Should().Be("python");
            printed = await kernel.ExecuteAsync("import sys\nprint(6 * 7)\nprint('warned', file=sys.stderr)", CancellationToken.None);
            failed = await kernel.ExecuteAsync("raise ValueError('boom')", CancellationToken.None);
            after = await kernel.ExecuteAsync("print('still alive')", CancellationToken.None);
        }
        (await client.ListKernelsAsync(CancellationToken.None)).Should().Contain(id);
        await client.DeleteKernelAsync(id, CancellationToken.None);

        version.Should().MatchRegex(@"^\d+\.\d+");
        printed.Ok.Should().BeTrue();
        printed.Stdout.Should().Be("42\n");
        printed.Stderr.Should().Be("warned\n");
        failed.Ok.Should().BeFalse();
        failed.Error.Should().Be("ValueError: boom");
        failed.Traceback.Should().Contain(l => l.Contains("ValueError", StringComparison.Ordinal)).And.NotContain(l => l.Contains('\u001b'));
        after.Stdout.Should().Be("still alive\n", "an error ends that request only; the kernel keeps serving");
        (await client.ListKernelsAsync(CancellationToken.None)).Should().NotContain(id);
        // Deleting a kernel that is already gone is not an error (a retried clean-up).
        await client.DeleteKernelAsync(id, CancellationToken.None);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_the_message_never_carries_a_token()
    {
        const string wrong = "ffffffffffffffffffffffffffffffffffffffffffffffff";
        using var client = Client(wrong);

        var refused = await FluentActions.Awaiting(() => client.CheckAsync(CancellationToken.None)).Should().ThrowAsync<JupyterException>();
        var start = await FluentActions.Awaiting(() => client.StartKernelAsync("python3", CancellationToken.None)).Should().ThrowAsync<JupyterException>();

        refused.Which.StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized);
        refused.Which.Message.Should().Contain("refused the token").And.NotContain(wrong).And.NotContain(Token);
        start.Which.Message.Should().NotContain(wrong);
        using var right = Client();
        (await right.ListKernelsAsync(CancellationToken.None)).Should().BeEmpty("a refused request started nothing");
    }

    [Fact]
    public async Task A_cell_cut_short_is_interrupted_and_the_kernel_serves_the_next_one()
    {
        using var client = Client();
        var id = await client.StartKernelAsync("python3", CancellationToken.None);
        await using (var kernel = await client.ConnectAsync(id, CancellationToken.None))
        {
            await kernel.KernelInfoAsync(CancellationToken.None);
            using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await FluentActions.Awaiting(() => kernel.ExecuteAsync("import time\ntime.sleep(600)", cut.Token)).Should().ThrowAsync<OperationCanceledException>();
            await client.InterruptAsync(id, CancellationToken.None);
            // A cut-short wait leaves the websocket open: the same connection serves the next request.
            (await AfterAbortsAsync(kernel, "print('same')")).Stdout.Should().Be("same\n");
        }
        // A new connection to the same kernel (as after a dropped port-forward) gets the next request's output.
        await using var again = await client.ConnectAsync(id, CancellationToken.None);
        await again.KernelInfoAsync(CancellationToken.None);
        var next = await AfterAbortsAsync(again, "print('next')");

        next.Stdout.Should().Be("next\n");
        await client.DeleteKernelAsync(id, CancellationToken.None);
    }

    /// <summary>
    /// ipykernel aborts requests that arrive right after an error (stop_on_error: <c>execute_reply</c> status
    /// <c>aborted</c>, no output) until its queue is flushed; a client asks again.
    /// </summary>
    private static async Task<KernelExecution> AfterAbortsAsync(KernelChannels kernel, string code)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await kernel.ExecuteAsync(code, CancellationToken.None);
            if (result.Status != "aborted" || attempt == 10) return result;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Nothing_listening_is_reported_as_not_answering()
    {
        using var client = new JupyterClient(new Uri($"http://127.0.0.1:{FreePort.Next()}/"), Token, TimeSpan.FromSeconds(5), TimeProvider.System);

        var error = await FluentActions.Awaiting(() => client.CheckAsync(CancellationToken.None)).Should().ThrowAsync<JupyterException>();

        error.Which.Message.Should().Contain("did not answer GET /api").And.NotContain(Token);
    }
}
