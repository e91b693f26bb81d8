using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Verification.Exchange.Catalogue;
using Verification.Exchange.Contract;

namespace Verification.Exchange.Simulation;

/// <summary>Fault injection of the simulators: shares of requests that time out, fail with 5xx or get malformed callbacks; duplicated and out-of-order callbacks.</summary>
public sealed record SimulationFaults(double TimeoutRate = 0, double ServerErrorRate = 0, double MalformedRate = 0, double DuplicateRate = 0, bool OutOfOrder = false, int LatencyMs = 0, int Seed = 1);

public enum SimulatedOutcome
{
    /// <summary>Acknowledged (accepted or rejected): <see cref="SimulatedAnswer.Acknowledgement"/> is the body.</summary>
    Acknowledged,

    /// <summary>The provider took the request but does not answer in time (the caller times out).</summary>
    Timeout,

    /// <summary>The provider fails with a 5xx and processes nothing.</summary>
    ServerError,
}

/// <param name="Callbacks">Bodies to POST to the callback address, in delivery order (possibly split, duplicated, reordered or malformed).</param>
public sealed record SimulatedAnswer(SimulatedOutcome Outcome, Acknowledgement? Acknowledgement, IReadOnlyList<string> Callbacks);

/// <summary>
/// Every data provider of the catalogue, simulated: each has its own signing key and its clients'
/// public keys; it verifies signatures, the timestamp window and the contract's rules, processes a
/// message id once (a repeated id gets the same acknowledgement and nothing more), answers with
/// <see cref="SyntheticData"/>, and injects the configured faults. Used in process by the demo
/// tenants and over HTTP by tools/Verification.ProviderSimulator.
/// </summary>
public sealed class ProviderSimulatorEngine : IDisposable
{
    private readonly DataSourceCatalogue _catalogue;
    private readonly SimulationFaults _faults;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ECDsa> _keys;
    private readonly ConcurrentDictionary<(string Provider, string Sender), string> _clients = new();
    // Each processed message's complete result, kept as its UTF-8 JSON for status queries: a yearly batch
    // answers hundreds of thousands of items, and the object graphs would hold far more memory.
    private readonly ConcurrentDictionary<(string Provider, string MessageId), byte[]> _transactions = new();
    private readonly ConcurrentDictionary<(string Provider, string Sender), byte[]> _offlineKeys = new();
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private long _received;
    private long _duplicates;

    private readonly SimulatorState? _state;

    /// <param name="stateFile">Where the providers' keys and registered clients are kept across restarts; none: in memory only.</param>
    public ProviderSimulatorEngine(DataSourceCatalogue catalogue, SimulationFaults faults, TimeProvider time, string? stateFile = null)
    {
        _catalogue = catalogue;
        _faults = faults;
        _time = time;
        _random = new Random(faults.Seed);
        _state = stateFile is null ? null : new SimulatorState(stateFile);
        var restored = _state?.Load();
        _keys = catalogue.Providers.ToDictionary(p => p.Code, p => restored?.Keys.GetValueOrDefault(p.Code) ?? MessageSigner.NewKey(), StringComparer.Ordinal);
        foreach (var (client, pem) in restored?.Clients ?? [])
        {
            _clients[client] = pem;
        }

        foreach (var (client, key) in restored?.OfflineKeys ?? [])
        {
            _offlineKeys[client] = key;
        }

        Persist();
    }

    public SimulationFaults Faults => _faults;

    public IEnumerable<string> ProviderCodes => _keys.Keys;

    /// <summary>Requests received, distinct messages processed, and repeated message ids received (answered from memory, not processed again).</summary>
    public (long Received, long Processed, long Duplicates) Counters => (Interlocked.Read(ref _received), _transactions.Count, Interlocked.Read(ref _duplicates));

    public string? PublicKey(string provider) => _keys.TryGetValue(provider, out var key) ? MessageSigner.PublicKeyPem(key) : null;

    /// <summary>Onboarding: the provider learns a client's public key (out of band in reality).</summary>
    public bool RegisterClient(string provider, string sender, string publicKeyPem)
    {
        if (!_keys.ContainsKey(provider))
        {
            return false;
        }

        _clients[(provider, sender)] = publicKeyPem;
        Persist();
        return true;
    }

    /// <summary>Onboarding for offline exchange: the AES key shared with a client (handed over out of band in reality).</summary>
    public bool RegisterOfflineKey(string provider, string sender, byte[] key)
    {
        if (!_keys.ContainsKey(provider) || key.Length != 32)
        {
            return false;
        }

        _offlineKeys[(provider, sender)] = key;
        Persist();
        return true;
    }

    private void Persist() => _state?.Save(_keys, _clients, _offlineKeys);

    /// <summary>Offline exchange: reads a client's encrypted batch file and answers it with an encrypted, signed result file (once per message id).</summary>
    public (byte[]? File, string? Error) AnswerOfflineFile(string provider, byte[] requestFile)
    {
        var (file, request, error) = OfflineFile.Open<QueryRequest>(requestFile, OfflineFile.RequestKind, f =>
            (_offlineKeys.GetValueOrDefault((provider, f.Sender)), _clients.GetValueOrDefault((provider, f.Sender))));
        if (error is not null || file!.Provider != provider || request is null)
        {
            return (null, error ?? "The file is addressed to another provider.");
        }

        if (!_clients.TryGetValue((provider, file.Sender), out var pem) || !MessageSigner.Verify(request, pem))
        {
            return (null, "The request inside the file is not signed by the client.");
        }

        var result = Status(provider, request.Header.MessageId).Result ?? Process(provider, request).Result;
        return (OfflineFile.Seal(OfflineFile.ResultKind, provider, provider, result.Header.MessageId, result, _offlineKeys[(provider, file.Sender)], _keys[provider], _time.GetUtcNow()), null);
    }

    public SimulatedAnswer Receive(string provider, QueryRequest request)
    {
        Interlocked.Increment(ref _received);
        var roll = Roll();
        if (roll < _faults.ServerErrorRate)
        {
            return new SimulatedAnswer(SimulatedOutcome.ServerError, null, []);
        }

        if (Check(provider, request) is { } refusal)
        {
            return new SimulatedAnswer(SimulatedOutcome.Acknowledged, refusal, []);
        }

        var key = (provider, request.Header.MessageId);
        if (_transactions.ContainsKey(key))
        {
            // The same message again (a retry after a lost answer): acknowledged, not processed twice.
            Interlocked.Increment(ref _duplicates);
            return new SimulatedAnswer(SimulatedOutcome.Acknowledged, new Acknowledgement(request.Header.MessageId, Acknowledgement.Accepted), []);
        }

        var (result, resultJson, first) = Process(provider, request);
        if (!first)
        {
            Interlocked.Increment(ref _duplicates);
            return new SimulatedAnswer(SimulatedOutcome.Acknowledged, new Acknowledgement(request.Header.MessageId, Acknowledgement.Accepted), []);
        }

        var callbacks = Callbacks(provider, request, result, resultJson);
        // A timeout happens after processing: the caller does not learn it was accepted and will retry the same message id.
        return roll < _faults.ServerErrorRate + _faults.TimeoutRate
            ? new SimulatedAnswer(SimulatedOutcome.Timeout, null, callbacks)
            : new SimulatedAnswer(SimulatedOutcome.Acknowledged, new Acknowledgement(request.Header.MessageId, Acknowledgement.Accepted), callbacks);
    }

    /// <summary>The synchronous variant: a single lookup answered at once (no faults but the contract's).</summary>
    public QueryResult? ReceiveSync(string provider, QueryRequest request, out Acknowledgement? refusal)
    {
        refusal = Check(provider, request);
        return refusal is null ? Answer(provider, request) : null;
    }

    public TransactionStatus Status(string provider, string messageId) =>
        _transactions.TryGetValue((provider, messageId), out var result)
            ? new TransactionStatus(messageId, TransactionStatus.Completed, JsonSerializer.Deserialize<QueryResult>(result, MessageSigner.Json))
            : new TransactionStatus(messageId, TransactionStatus.Unknown);

    /// <summary>Answers a message and keeps the result; of two concurrent deliveries of one message id, the first's result is kept and returned to both.</summary>
    private (QueryResult Result, byte[] Json, bool First) Process(string provider, QueryRequest request)
    {
        var key = (provider, request.Header.MessageId);
        var result = Answer(provider, request);
        var json = JsonSerializer.SerializeToUtf8Bytes(result, MessageSigner.Json);
        return _transactions.TryAdd(key, json) ? (result, json, true) : (Status(provider, request.Header.MessageId).Result!, _transactions[key], false);
    }

    private Acknowledgement? Check(string provider, QueryRequest request)
    {
        var id = request.Header.MessageId;
        if (!_keys.ContainsKey(provider) || request.Header.Receiver != provider)
        {
            return new Acknowledgement(id, Acknowledgement.RejectedStatus, ReasonCodes.UnknownSender, "Unknown receiver.");
        }

        if (!_clients.TryGetValue((provider, request.Header.Sender), out var pem))
        {
            return new Acknowledgement(id, Acknowledgement.RejectedStatus, ReasonCodes.UnknownSender, "The sender is not a registered client of this provider.");
        }

        if (!MessageSigner.Verify(request, pem))
        {
            return new Acknowledgement(id, Acknowledgement.RejectedStatus, ReasonCodes.BadSignature, "The signature does not verify.");
        }

        if (!ContractRules.IsFresh(request.Header, _time.GetUtcNow()))
        {
            return new Acknowledgement(id, Acknowledgement.RejectedStatus, ReasonCodes.Stale, "The timestamp is outside the window.");
        }

        return null;
    }

    private QueryResult Answer(string provider, QueryRequest request)
    {
        var results = new List<ItemResult>();
        foreach (var item in request.Items)
        {
            if (ContractRules.Refusal(item) is { } reason)
            {
                results.Add(new ItemResult(item.ReferenceId, ItemStatus.Rejected, reason));
                continue;
            }

            var unknown = item.DataItems.FirstOrDefault(d => _catalogue.ProviderOf(d)?.Code != provider);
            if (unknown is not null)
            {
                results.Add(new ItemResult(item.ReferenceId, ItemStatus.Rejected, ReasonCodes.UnknownDataItem));
                continue;
            }

            var records = item.DataItems.SelectMany(d => SyntheticData.For(item.SubjectIdNumber, item.SubjectName, _catalogue.Item(d)!)).ToList();
            results.Add(new ItemResult(item.ReferenceId, ItemStatus.Success, null, records));
        }

        return Signed(provider, request, results);
    }

    /// <param name="completeJson">The complete result as serialized already (the body when it goes out whole).</param>
    private List<string> Callbacks(string provider, QueryRequest request, QueryResult complete, byte[] completeJson)
    {
        var messages = new List<QueryResult>();
        List<string>? bodies = null;
        var roll = Roll();
        if (complete.Results.Count > 1 && (_faults.OutOfOrder || roll < 0.3))
        {
            // Partial results first (the rest pending), the remainder later.
            var half = complete.Results.Count / 2;
            messages.Add(Signed(provider, request, complete.Results.Select((r, i) => i < half ? r : new ItemResult(r.ReferenceId, ItemStatus.Pending)).ToList()));
            messages.Add(Signed(provider, request, complete.Results.Skip(half).ToList()));
            if (_faults.OutOfOrder)
            {
                messages.Reverse();
            }
        }
        else
        {
            bodies = [System.Text.Encoding.UTF8.GetString(completeJson)];
        }

        bodies ??= messages.Select(m => JsonSerializer.Serialize(m, MessageSigner.Json)).ToList();
        if (Roll() < _faults.MalformedRate)
        {
            bodies[0] = bodies[0][..(bodies[0].Length / 2)];
        }

        if (Roll() < _faults.DuplicateRate)
        {
            bodies.Add(bodies[^1]);
        }

        return bodies;
    }

    private QueryResult Signed(string provider, QueryRequest request, IReadOnlyList<ItemResult> results)
    {
        var header = new MessageHeader(Guid.NewGuid().ToString("N"), _time.GetUtcNow(), provider, request.Header.Sender, null, request.Header.MessageId);
        return MessageSigner.Sign(new QueryResult(header, results), _keys[provider]);
    }

    private double Roll()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
