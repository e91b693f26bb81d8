using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Verification.Cms.Rendering;

/// <summary>Chromium is not installed or would not start; the message says what to install.</summary>
public sealed class PdfUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Prints HTML to PDF with headless Debian Chromium over the DevTools protocol. One browser is
/// started on first use and kept warm (a cold start costs over a second; a warm print a few hundred
/// milliseconds); prints are serialized on one reused tab, and a browser that died is started again.
/// Chinese text wraps properly because Chromium lays it out (PDF libraries here cannot).
/// </summary>
public sealed class ChromiumPdf(IConfiguration configuration, ILogger<ChromiumPdf> logger) : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private Process? _browser;
    private ClientWebSocket? _socket;
    private string? _session;
    private string? _userDataDir;
    private int _nextId;

    public async Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await EnsureStartedAsync(cancellationToken);
                    var frame = await SendAsync("Page.getFrameTree", null, cancellationToken);
                    var frameId = frame["frameTree"]!["frame"]!["id"]!.GetValue<string>();
                    await SendAsync("Page.setDocumentContent", new JsonObject { ["frameId"] = frameId, ["html"] = html }, cancellationToken);
                    await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = "document.fonts.ready.then(() => true)", ["awaitPromise"] = true }, cancellationToken);
                    var pdf = await SendAsync("Page.printToPDF", new JsonObject { ["printBackground"] = true, ["preferCSSPageSize"] = true, ["generateTaggedPDF"] = false, ["generateDocumentOutline"] = false }, cancellationToken);
                    return Convert.FromBase64String(pdf["data"]!.GetValue<string>());
                }
                catch (Exception ex) when (attempt == 0 && ex is WebSocketException or InvalidOperationException or IOException)
                {
                    // The browser went away (killed, crashed): start a fresh one once.
                    logger.LogWarning(ex, "Chromium was not usable; starting it again.");
                    await StopAsync();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_socket is { State: WebSocketState.Open } && _browser is { HasExited: false })
        {
            return;
        }

        await StopAsync();
        var path = configuration["Cms:ChromiumPath"] is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
        {
            throw new PdfUnavailableException("Chromium is not installed on this server (apt-get install chromium fonts-wqy-microhei fonts-noto-cjk); the report can still be printed from the browser.");
        }

        _userDataDir = Directory.CreateTempSubdirectory("vcms-pdf-").FullName;
        var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio", "--remote-debugging-port=0", "--user-data-dir=" + _userDataDir, "about:blank" })
        {
            start.ArgumentList.Add(argument);
        }

        if (Environment.UserName == "root")
        {
            start.ArgumentList.Add("--no-sandbox");
        }

        try
        {
            _browser = Process.Start(start) ?? throw new PdfUnavailableException("Chromium did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new PdfUnavailableException("Chromium is not installed on this server (apt-get install chromium fonts-wqy-microhei fonts-noto-cjk); the report can still be printed from the browser.", ex);
        }

        _browser.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter();
        var endpoint = await ReadEndpointAsync(_browser, cancellationToken);
        _socket = new ClientWebSocket();
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        await _socket.ConnectAsync(new Uri(endpoint), cancellationToken);
        _ = Task.Run(() => ReceiveLoopAsync(_socket), CancellationToken.None);
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, cancellationToken, session: false);
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, cancellationToken, session: false);
        _session = attached["sessionId"]!.GetValue<string>();
        await SendAsync("Page.enable", null, cancellationToken);
        // The document comes from a tenant's template: nothing in it runs, and it loads nothing from the
        // network (no requests from the server to internal addresses); reports embed what they show.
        await SendAsync("Emulation.setScriptExecutionDisabled", new JsonObject { ["value"] = true }, cancellationToken);
        await SendAsync("Network.enable", null, cancellationToken);
        await SendAsync("Network.setBlockedURLs", new JsonObject { ["urls"] = new JsonArray("http://*", "https://*", "ws://*", "wss://*", "ftp://*", "file://*") }, cancellationToken);
    }

    private static async Task<string> ReadEndpointAsync(Process browser, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (await browser.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            const string marker = "DevTools listening on ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = browser.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return line[(at + marker.Length)..].Trim();
            }
        }

        throw new PdfUnavailableException("Chromium exited before it opened its DevTools endpoint.");
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken, bool session = true)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (session)
        {
            message["sessionId"] = _session;
        }

        var completion = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        var socket = _socket ?? throw new InvalidOperationException("Chromium is not connected.");
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await using var registration = timeout.Token.Register(() => completion.TrySetException(new InvalidOperationException($"Chromium did not answer {method} in time.")));
        return await completion.Task;
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.ToArray()) as JsonObject;
                message.SetLength(0);
                if (node?["id"] is { } idNode && _pending.TryRemove(idNode.GetValue<int>(), out var completion))
                {
                    if (node["error"] is { } error)
                    {
                        completion.TrySetException(new InvalidOperationException("Chromium: " + error["message"]));
                    }
                    else
                    {
                        completion.TrySetResult(node["result"] as JsonObject ?? []);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or JsonException)
        {
            // The browser went away; pending calls fail below and the next print starts a new one.
        }

        foreach (var (id, completion) in _pending)
        {
            if (_pending.TryRemove(id, out _))
            {
                completion.TrySetException(new IOException("Chromium closed the connection."));
            }
        }
    }

    private async Task StopAsync()
    {
        if (_socket is not null)
        {
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
                // Already gone.
            }

            _socket.Dispose();
            _socket = null;
        }

        if (_browser is not null)
        {
            try
            {
                if (!_browser.HasExited)
                {
                    _browser.Kill(entireProcessTree: true);
                    await _browser.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            _browser.Dispose();
            _browser = null;
        }

        if (_userDataDir is not null)
        {
            try
            {
                Directory.Delete(_userDataDir, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still hold a file for a moment; the temp folder is cleaned by the OS.
            }

            _userDataDir = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _gate.Dispose();
    }
}
