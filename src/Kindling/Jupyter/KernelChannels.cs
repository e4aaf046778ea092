using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Kindling.Jupyter;

/// <summary>What one <c>execute_request</c> produced.</summary>
/// <param name="Status"><c>ok</c>, <c>error</c> or <c>aborted</c> from the <c>execute_reply</c>.</param>
/// <param name="Stdout">Everything the cell wrote to stdout (<c>stream</c> messages on iopub).</param>
/// <param name="Stderr">Everything it wrote to stderr.</param>
/// <param name="Error">The exception, as <c>ename: evalue</c>, when the cell raised one.</param>
/// <param name="Traceback">The exception's traceback lines, ANSI colours removed.</param>
internal sealed record KernelExecution(string Status, string Stdout, string Stderr, string? Error, IReadOnlyList<string> Traceback)
{
    public bool Ok => Status == "ok";
}

/// <summary>
/// One client of a kernel over its channels websocket, speaking the Jupyter messaging protocol 5.x in the JSON
/// text framing (each frame one message with a <c>channel</c> field). A request is finished when the shell
/// channel's reply has arrived and iopub has reported the kernel idle for that request, the order-independent
/// completion rule of the messaging spec ("Kernel status": idle after all outputs of a request).
/// </summary>
internal sealed class KernelChannels : IAsyncDisposable
{
    private const string ProtocolVersion = "5.3";
    private readonly ClientWebSocket socket;
    private readonly string session;
    private readonly TimeProvider time;
    private readonly Channel<JsonNode> inbox = Channel.CreateUnbounded<JsonNode>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource pumpStop = new();
    private readonly Task pump;

    internal KernelChannels(ClientWebSocket socket, string session, TimeProvider time)
    {
        this.time = time;
        pump = Task.Run(PumpAsync);
        this.socket = socket;
        this.session = session;
    }

    /// <summary>
    /// Asks the kernel for its info until both its reply (shell) and a status message for the request (iopub) have
    /// arrived: a fresh iopub subscription can miss the first messages (ZeroMQ's late joiner), and outputs of a cell
    /// sent before it is live would be lost. Jupyter Server's own <c>nudge</c> does the same on connect.
    /// </summary>
    public async Task<string> KernelInfoAsync(CancellationToken cancellationToken)
    {
        string? language = null;
        while (true)
        {
            var id = await SendAsync("kernel_info_request", new JsonObject(), cancellationToken).ConfigureAwait(false);
            var iopub = false;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                while (language is null || !iopub)
                {
                    var message = await ReceiveAsync(wait.Token).ConfigureAwait(false);
                    if (ParentId(message) != id) continue;
                    if (MsgType(message) == "kernel_info_reply")
                        language = message["content"]?["language_info"]?["name"]?.GetValue<string>() ?? "unknown";
                    else if (MsgType(message) == "status") iopub = true;
                }
                return language;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not both yet: ask again; the caller's token bounds how long.
            }
        }
    }

    /// <summary>Runs <paramref name="code"/> and collects its output until the request is complete.</summary>
    public async Task<KernelExecution> ExecuteAsync(string code, CancellationToken cancellationToken)
    {
        var id = await SendAsync("execute_request", new JsonObject
        {
            ["code"] = code,
            ["silent"] = false,
            ["store_history"] = false,
            ["user_expressions"] = new JsonObject(),
            ["allow_stdin"] = false,
            ["stop_on_error"] = true,
        }, cancellationToken).ConfigureAwait(false);

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        string? status = null;
        string? error = null;
        IReadOnlyList<string> traceback = [];
        var idle = false;
        while (status is null || !idle)
        {
            var message = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (ParentId(message) != id) continue;
            var content = message["content"];
            switch (MsgType(message))
            {
                case "stream":
                    (content?["name"]?.GetValue<string>() == "stderr" ? stderr : stdout).Append(content?["text"]?.GetValue<string>());
                    break;
                case "error":
                    error = $"{content?["ename"]?.GetValue<string>()}: {content?["evalue"]?.GetValue<string>()}";
                    traceback = [.. (content?["traceback"] as JsonArray ?? []).Select(t => StripAnsi(t?.GetValue<string>() ?? ""))];
                    break;
                case "execute_reply":
                    status = content?["status"]?.GetValue<string>() ?? "error";
                    if (status == "error" && error is null)
                        error = $"{content?["ename"]?.GetValue<string>()}: {content?["evalue"]?.GetValue<string>()}";
                    break;
                case "status":
                    idle |= content?["execution_state"]?.GetValue<string>() == "idle";
                    break;
            }
        }
        return new KernelExecution(status, stdout.ToString(), stderr.ToString(), error, traceback);
    }

    private async Task<string> SendAsync(string type, JsonObject content, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var message = new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["msg_id"] = id,
                ["msg_type"] = type,
                ["session"] = session,
                ["username"] = "kindling",
                ["date"] = time.GetUtcNow().ToString("o", CultureInfo.InvariantCulture),
                ["version"] = ProtocolVersion,
            },
            ["parent_header"] = new JsonObject(),
            ["metadata"] = new JsonObject(),
            ["content"] = content,
            ["channel"] = "shell",
            ["buffers"] = new JsonArray(),
        };
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new JupyterException($"the kernel's websocket closed while sending {type}: {e.Message}", null, e);
        }
        return id;
    }

    /// <summary>
    /// The next message. Reading from the pump's queue, not the socket, so a cancelled wait leaves the websocket open
    /// (a cancelled <see cref="ClientWebSocket.ReceiveAsync(ArraySegment{byte}, CancellationToken)"/> aborts it).
    /// </summary>
    private async Task<JsonNode> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e) when (e.InnerException is JupyterException closed)
        {
            throw new JupyterException(closed.Message, null, e);
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var frame = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, pumpStop.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        inbox.Writer.TryComplete(new JupyterException(
                            $"Jupyter closed the kernel's websocket ({result.CloseStatus} {result.CloseStatusDescription}); did the kernel die?"));
                        return;
                    }
                    frame.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                // Binary frames carry messages with buffers (widgets, comm data); nothing Kindling sends produces them.
                if (result.MessageType != WebSocketMessageType.Text) continue;
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(frame.ToArray());
                }
                catch (System.Text.Json.JsonException)
                {
                    continue;
                }
                if (node is not null) await inbox.Writer.WriteAsync(node, pumpStop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            inbox.Writer.TryComplete(new JupyterException("the kernel's websocket was closed"));
        }
        catch (WebSocketException e)
        {
            inbox.Writer.TryComplete(new JupyterException($"the kernel's websocket broke: {e.Message}", null, e));
        }
    }

    private static string? ParentId(JsonNode message) => message["parent_header"]?["msg_id"]?.GetValue<string>();

    private static string? MsgType(JsonNode message) =>
        message["msg_type"]?.GetValue<string>() ?? message["header"]?["msg_type"]?.GetValue<string>();

    private static string StripAnsi(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The kernel is deleted next; a close that does not complete changes nothing.
        }
        await pumpStop.CancelAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        pumpStop.Dispose();
        socket.Dispose();
    }
}
