using System.Net;
using Kindling.Cluster;

namespace Kindling.Tests.Cluster;

public sealed class RetryingHandlerTests
{
    private static (HttpClient Client, ScriptedHandler Inner, AdvancingTimeProvider Time) Create(params Func<HttpResponseMessage>[] script)
    {
        var time = new AdvancingTimeProvider();
        var inner = new ScriptedHandler(script);
        var handler = new RetryingHandler(new KubeRetrySettings(Budget: TimeSpan.FromSeconds(60), BaseDelay: TimeSpan.FromMilliseconds(100), MaxDelay: TimeSpan.FromSeconds(5)), time)
        {
            InnerHandler = inner,
        };
        return (new HttpClient(handler), inner, time);
    }

    [Fact]
    public async Task Retries_5xx_until_the_server_recovers()
    {
        var (client, inner, time) = Create(
            () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            () => new HttpResponseMessage(HttpStatusCode.InternalServerError),
            () => new HttpResponseMessage(HttpStatusCode.OK));

        var response = await client.GetAsync("http://127.0.0.1/api");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        inner.Calls.Should().Be(3);
        time.Delays.Should().HaveCount(2).And.OnlyContain(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Honours_Retry_After_on_429()
    {
        var (client, inner, time) = Create(
            () =>
            {
                var throttled = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
                return throttled;
            },
            () => new HttpResponseMessage(HttpStatusCode.OK));

        var response = await client.GetAsync("http://127.0.0.1/api");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        inner.Calls.Should().Be(2);
        time.Delays.Should().Equal(TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData(10, 500)]
    [InlineData(20, 429)]
    public async Task Rides_out_a_long_burst_within_the_time_budget(int burst, int status)
    {
        var script = Enumerable.Repeat<Func<HttpResponseMessage>>(() => Throttled((HttpStatusCode)status), burst)
            .Append(() => new HttpResponseMessage(HttpStatusCode.OK)).ToArray();
        var (client, inner, time) = Create(script);

        var response = await client.GetAsync("http://127.0.0.1/api");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        inner.Calls.Should().Be(burst + 1);
        time.Now.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Gives_up_when_the_time_budget_is_spent_and_returns_the_last_failure()
    {
        var (client, inner, time) = Create(() => new HttpResponseMessage(HttpStatusCode.BadGateway));

        var response = await client.GetAsync("http://127.0.0.1/api");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        time.Now.Should().Be(TimeSpan.FromSeconds(60), "the last delay is cut to what is left of the budget");
        inner.Calls.Should().BeGreaterThan(12, "5 s delays at most fill 60 s");
        time.Delays.Should().OnlyContain(d => d <= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_refused_connection_is_retried_within_the_budget_once_the_server_has_answered()
    {
        var calls = 0;
        var (client, inner, _) = Create(() =>
        {
            calls++;
            return calls is > 1 and < 8 ? throw new HttpRequestException("refused") : new HttpResponseMessage(HttpStatusCode.OK);
        });

        (await client.GetAsync("http://127.0.0.1/api")).StatusCode.Should().Be(HttpStatusCode.OK);
        var response = await client.GetAsync("http://127.0.0.1/api");

        response.StatusCode.Should().Be(HttpStatusCode.OK, "an apiserver restarting refuses connections for a while");
        inner.Calls.Should().Be(8);
    }

    private static HttpResponseMessage Throttled(HttpStatusCode status)
    {
        var response = new HttpResponseMessage(status);
        if (status == HttpStatusCode.TooManyRequests) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
        return response;
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.Gone)]
    public async Task Does_not_retry_answers_that_repeat_would_not_change(HttpStatusCode status)
    {
        var (client, inner, _) = Create(() => new HttpResponseMessage(status), () => new HttpResponseMessage(HttpStatusCode.OK));

        var response = await client.GetAsync("http://127.0.0.1/api");

        response.StatusCode.Should().Be(status);
        inner.Calls.Should().Be(1);
    }

    [Theory]
    [InlineData("http://127.0.0.1/api/v1/namespaces/team/services/spark-drv-1-svc:4040/proxy/api/v1/applications", 1)]
    [InlineData("http://127.0.0.1/api/v1/namespaces/team/pods/jupyter-0:8888/proxy/api", 1)]
    [InlineData("http://127.0.0.1/api/v1/namespaces/proxy/services/proxy", 2)]
    public async Task A_proxied_backend_that_is_not_there_is_answered_at_once_not_waited_out(string url, int calls)
    {
        // The API server's proxy answers 503 for "no endpoints available" or a refused dial: the driver's UI is not up.
        var (client, inner, _) = Create(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), () => new HttpResponseMessage(HttpStatusCode.OK));

        var response = await client.GetAsync(url);

        inner.Calls.Should().Be(calls);
        response.StatusCode.Should().Be(calls == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
    }

    [Fact]
    public async Task Retries_a_transport_failure_only_a_few_times_so_an_unreachable_server_fails_fast()
    {
        var (client, inner, _) = Create(Enumerable.Repeat<Func<HttpResponseMessage>>(() => throw new HttpRequestException("refused"), 10).ToArray());

        var act = () => client.GetAsync("http://127.0.0.1/api");

        await act.Should().ThrowAsync<HttpRequestException>();
        inner.Calls.Should().Be(1 + RetryingHandler.UnreachableRetries);
    }

    private sealed class ScriptedHandler(Func<HttpResponseMessage>[] script) : HttpMessageHandler
    {
        private int calls;

        public int Calls => calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var index = Interlocked.Increment(ref calls) - 1;
            return Task.FromResult(script[Math.Min(index, script.Length - 1)]());
        }
    }
}
