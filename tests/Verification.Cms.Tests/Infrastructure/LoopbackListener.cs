using System.Net;
using System.Text;

namespace Verification.Cms.Tests.Infrastructure;

/// <summary>An HTTP endpoint on loopback standing for another system (a department's callback, a workflow's HTTP target).</summary>
public sealed class LoopbackListener : IDisposable
{
    private readonly HttpListener _listener = new();

    public LoopbackListener(string path = "/results/")
    {
        Url = $"http://127.0.0.1:{FreePort()}{path}";
        _listener.Prefixes.Add(Url);
        _listener.Start();
    }

    public string Url { get; }

    /// <summary>The next request's body and X-Signature header, answered 200.</summary>
    public async Task<(string Body, string Signature)> NextAsync(TimeSpan timeout)
    {
        var context = await _listener.GetContextAsync().WaitAsync(timeout);
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var signature = context.Request.Headers["X-Signature"] ?? string.Empty;
        context.Response.StatusCode = 200;
        context.Response.Close();
        return (body, signature);
    }

    /// <summary>The next request, left unanswered for the caller to answer (or never).</summary>
    public Task<HttpListenerContext> AcceptAsync(TimeSpan timeout) => _listener.GetContextAsync().WaitAsync(timeout);

    public void Dispose() => _listener.Close();

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
