using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Verification.Exchange.Catalogue;
using Verification.Exchange.Contract;
using Verification.Exchange.Simulation;

// Every data provider of the catalogue, simulated over HTTP on 127.0.0.1 (issue: provider exchange).
// Options: --port 5090 --latency-ms 0 --timeout-rate 0 --error-rate 0 --malformed-rate 0
//          --duplicate-rate 0 --out-of-order false --seed 1 --timeout-ms 20000
//          --state FILE (the providers' keys and registered clients, kept across restarts)
// The process prints "listening on http://127.0.0.1:{port}" once it accepts requests.
var options = Options.Parse(args);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
builder.Services.AddHttpClient("callbacks", c => c.Timeout = TimeSpan.FromSeconds(10));
var app = builder.Build();
var engine = new ProviderSimulatorEngine(DataSourceCatalogue.Shipped, options.Faults, TimeProvider.System, options.StateFile);
var callbacks = app.Services.GetRequiredService<IHttpClientFactory>();

app.MapGet("/providers", () => engine.ProviderCodes.Select(code => new { code, publicKey = engine.PublicKey(code) }));
app.MapGet("/providers/{code}/public-key", (string code) => engine.PublicKey(code) is { } pem ? Results.Text(pem) : Results.NotFound());
app.MapPost("/providers/{code}/clients", (string code, ClientRegistration client) =>
    engine.RegisterClient(code, client.Sender, client.PublicKeyPem) ? Results.Ok() : Results.NotFound());

app.MapPost("/providers/{code}/offline-key", (string code, OfflineKeyRegistration registration) =>
    engine.RegisterOfflineKey(code, registration.Sender, Convert.FromBase64String(registration.Key)) ? Results.Ok() : Results.NotFound());

// Offline exchange: the client's encrypted batch file in, the encrypted result file out.
app.MapPost("/providers/{code}/offline", async (string code, HttpRequest http, CancellationToken cancellationToken) =>
{
    using var body = new MemoryStream();
    await http.Body.CopyToAsync(body, cancellationToken);
    var (file, error) = engine.AnswerOfflineFile(code, body.ToArray());
    return file is not null ? Results.File(file, "application/json", $"{code}-result.vcx") : Results.BadRequest(new { error });
});

app.MapPost("/providers/{code}/queries", async (string code, HttpRequest http, CancellationToken cancellationToken) =>
{
    var request = await ReadAsync(http, cancellationToken);
    if (request is null)
    {
        return Results.BadRequest(new Acknowledgement("", Acknowledgement.RejectedStatus, ReasonCodes.Malformed, "Unreadable request."));
    }

    if (options.Faults.LatencyMs > 0)
    {
        await Task.Delay(options.Faults.LatencyMs, cancellationToken);
    }

    var answer = engine.Receive(code, request);
    if (answer.Callbacks.Count > 0 && request.Header.CallbackUrl is { } url)
    {
        _ = DeliverAsync(url, answer.Callbacks);
    }

    switch (answer.Outcome)
    {
        case SimulatedOutcome.ServerError:
            return Results.StatusCode(503);
        case SimulatedOutcome.Timeout:
            // Processed, but the answer comes too late for the caller.
            await Task.Delay(options.TimeoutMs, cancellationToken);
            return Results.StatusCode(504);
        default:
            return Results.Json(answer.Acknowledgement, MessageSigner.Json, statusCode: answer.Acknowledgement!.Status == Acknowledgement.Accepted ? 202 : 400);
    }
});

app.MapPost("/providers/{code}/query-sync", async (string code, HttpRequest http, CancellationToken cancellationToken) =>
{
    var request = await ReadAsync(http, cancellationToken);
    var result = request is null ? null : engine.ReceiveSync(code, request, out var refusal);
    return result is not null ? Results.Json(result, MessageSigner.Json) : Results.BadRequest();
});

app.MapGet("/providers/{code}/status/{messageId}", (string code, string messageId) => Results.Json(engine.Status(code, messageId), MessageSigner.Json));
app.MapGet("/stats", () => { var (received, processed, duplicates) = engine.Counters; return new { received, processed, duplicates }; });

await app.StartAsync();
Console.WriteLine($"listening on http://127.0.0.1:{options.Port}");
await app.WaitForShutdownAsync();

async Task DeliverAsync(string url, IReadOnlyList<string> bodies)
{
    var client = callbacks.CreateClient("callbacks");
    foreach (var body in bodies)
    {
        // A few tries per callback; what is still lost is found by the platform's status query.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var response = await client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
                if ((int)response.StatusCode < 500)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200 * (attempt + 1));
        }
    }
}

static async Task<QueryRequest?> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
{
    try
    {
        return await http.ReadFromJsonAsync<QueryRequest>(MessageSigner.Json, cancellationToken);
    }
    catch (System.Text.Json.JsonException)
    {
        return null;
    }
}

internal sealed record ClientRegistration(string Sender, string PublicKeyPem);

internal sealed record OfflineKeyRegistration(string Sender, string Key);

internal sealed record Options(int Port, SimulationFaults Faults, int TimeoutMs, string? StateFile)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault();
        double Rate(string name) => double.Parse(Value(name) ?? "0", CultureInfo.InvariantCulture);
        return new Options(
            int.Parse(Value("port") ?? "5090", CultureInfo.InvariantCulture),
            new SimulationFaults(Rate("timeout-rate"), Rate("error-rate"), Rate("malformed-rate"), Rate("duplicate-rate"), Value("out-of-order") == "true",
                int.Parse(Value("latency-ms") ?? "0", CultureInfo.InvariantCulture), int.Parse(Value("seed") ?? "1", CultureInfo.InvariantCulture)),
            int.Parse(Value("timeout-ms") ?? "20000", CultureInfo.InvariantCulture),
            Value("state"));
    }
}
