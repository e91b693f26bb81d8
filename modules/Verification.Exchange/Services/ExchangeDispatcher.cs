using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Verification.Cms.Audit;
using Verification.Cms.Background;
using Verification.Cms.Data;
using Verification.Cms.Tenants;
using Verification.Cms.Workflows;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

/// <summary>What one round of the dispatcher did.</summary>
public sealed record DispatchSummary(int Callbacks, int MessagesWritten, int Sent, int Retried, int DeadLettered, int Unanswered);

/// <summary>
/// The outbox worker: takes in waiting callbacks, writes pending queries into signed
/// messages (message id fixed before anything is sent), sends due messages through the provider's
/// resilience pipeline, backs off durably after failures and dead-letters after
/// <see cref="MaxAttempts"/>, and after the answer timeout asks the provider for the transaction's
/// status and records what is still missing as unanswered. Every step is safe to repeat after a crash.
/// </summary>
public sealed class ExchangeDispatcher(
    TenantDbContext db, ExchangeKeys keys, IEnumerable<IProviderTransport> transports, ProviderResilience resilience, ResultInbox inbox,
    IAuditTrail audit, TimeProvider time, IConfiguration configuration, ITenantContext tenant, IWorkflowEvents workflows, ILogger<ExchangeDispatcher> logger) : ITenantBackgroundWork
{
    public const int MaxAttempts = 6;
    private const int ConcurrentSends = 4;
    private const int MessagesPerRound = 200;

    public string Name => "exchange";

    public TimeSpan Interval => TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken);

    public async Task<DispatchSummary> RunOnceAsync(CancellationToken cancellationToken)
    {
        // Each phase starts from the database: the others change rows with set-based updates.
        var callbacks = await TakeSimulatedCallbacksAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var (written, sent, retried, dead) = await WriteAndSendAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var unanswered = await SweepAsync(cancellationToken);
        db.ChangeTracker.Clear();
        // In-process simulators answer at once; taking their callbacks now spares a round.
        callbacks += await TakeSimulatedCallbacksAsync(cancellationToken);
        return new DispatchSummary(callbacks, written, sent, retried, dead, unanswered);
    }

    private async Task<int> TakeSimulatedCallbacksAsync(CancellationToken cancellationToken)
    {
        var providers = await db.Set<ExchangeProviderRecord>().AsNoTracking().ToDictionaryAsync(p => p.Code, cancellationToken);
        var results = CheckSimulatedResults(providers);
        foreach (var result in results)
        {
            await inbox.RecordAsync(result, cancellationToken);
        }

        return results.Count;
    }

    /// <summary>
    /// The in-process simulators' results waiting for this tenant, parsed and checked (no database: the senders
    /// run it on their core as each send ends); what is not a result message is dropped, as the HTTP callback drops it.
    /// </summary>
    private List<CheckedResult> CheckSimulatedResults(IReadOnlyDictionary<string, ExchangeProviderRecord> providers) =>
        InProcessSimulators.Drain(keys.SenderId)
            .Select(callback => ResultInbox.Parse(callback.Body) is { } result ? ResultInbox.Check(callback.Provider, result, providers.GetValueOrDefault(callback.Provider)?.PublicKeyPem, time.GetUtcNow()) : null)
            .OfType<CheckedResult>().ToList();

    /// <summary>
    /// Writes the providers' pending queries into messages and sends them, both at once: each message goes to
    /// the senders as soon as it is written (after the messages already due: retries), sends run concurrently
    /// (providers are slow; the in-process simulators work on the other core), and each outcome is recorded as
    /// soon as its send ends. All database work stays on this scope's one context, one step at a time.
    /// </summary>
    private async Task<(int Written, int Sent, int Retried, int Dead)> WriteAndSendAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Set<OutboxMessage>().Where(m => m.State == OutboxStates.Queued && m.NextAttemptUtc <= now)
            .OrderBy(m => m.NextAttemptUtc).Take(MessagesPerRound).ToListAsync(cancellationToken);
        var providers = await db.Set<ExchangeProviderRecord>().AsNoTracking().ToDictionaryAsync(p => p.Code, cancellationToken);
        var writable = providers.Values.Where(p => p.Enabled && p.PublicKeyPem != null && p.Mode != ExchangeModes.Offline).OrderBy(p => p.Code, StringComparer.Ordinal).ToList();
        using var key = await keys.SigningKeyAsync(cancellationToken);
        var toSend = System.Threading.Channels.Channel.CreateUnbounded<OutboxMessage>();
        var ended = System.Threading.Channels.Channel.CreateUnbounded<SendOutcome>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(toSend.Reader.ReadAllAsync(stop.Token), new ParallelOptions { MaxDegreeOfParallelism = ConcurrentSends, CancellationToken = stop.Token }, async (message, ct) =>
                    await ended.Writer.WriteAsync(await SendOneAsync(message, providers, key, ct), ct));
            }
            finally
            {
                ended.Writer.Complete();
            }
        }, CancellationToken.None);
        foreach (var message in due)
        {
            toSend.Writer.TryWrite(message);
        }

        int written = 0, sent = 0, retried = 0, dead = 0, provider = 0;
        try
        {
            while (true)
            {
                // What has ended is recorded first: the senders wait for nothing but the providers.
                while (ended.Reader.TryRead(out var outcome))
                {
                    await RecordOutcomeAsync(outcome.Message, providers[outcome.Message.Provider], outcome.Answer, outcome.Milliseconds, cancellationToken);
                    foreach (var result in outcome.SimulatedResults)
                    {
                        await inbox.RecordAsync(result, cancellationToken);
                    }

                    // Sent, given up on, or left queued for a retry.
                    sent += outcome.Message.State == OutboxStates.Sent ? 1 : 0;
                    dead += outcome.Message.State == OutboxStates.DeadLetter ? 1 : 0;
                    retried += outcome.Message.State == OutboxStates.Queued ? 1 : 0;
                }

                if (provider < writable.Count && written < MessagesPerRound)
                {
                    if (await WriteMessageAsync(writable[provider], cancellationToken) is { } message)
                    {
                        written++;
                        toSend.Writer.TryWrite(message);
                    }
                    else
                    {
                        provider++;
                    }

                    continue;
                }

                toSend.Writer.TryComplete();
                if (!await ended.Reader.WaitToReadAsync(cancellationToken))
                {
                    break;
                }
            }
        }
        catch
        {
            // Leave no send running behind a failed step; what was written stays queued for the next round.
            toSend.Writer.TryComplete();
            await stop.CancelAsync();
            await Task.WhenAny(sending);
            throw;
        }

        await sending;
        return (written, sent, retried, dead);
    }

    /// <summary>
    /// One message of the provider's oldest pending queries (null when none is pending), written with its
    /// queries in one transaction: after a crash, either both exist or neither. The message id is fixed here,
    /// before anything is sent, so a retry is recognised by the provider.
    /// </summary>
    private async Task<OutboxMessage?> WriteMessageAsync(ExchangeProviderRecord provider, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var messageId = Guid.NewGuid().ToString("N");
        var batch = await TakePendingAsync(provider, messageId, cancellationToken);
        if (batch.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        var request = new QueryRequest(
            new MessageHeader(messageId, time.GetUtcNow(), keys.SenderId, provider.Code, CallbackUrl(provider.Code)),
            batch.OrderBy(q => q.CreatedUtc).ThenBy(q => q.Id, StringComparer.Ordinal)
                .Select(q => new QueryItem(q.Id, q.SubjectIdNumber, q.SubjectName, JsonSerializer.Deserialize<List<string>>(q.DataItemsJson)!, q.AuthorizationNumber, q.Purpose)).ToList());
        var message = new OutboxMessage { MessageId = messageId, Provider = provider.Code, RequestJson = JsonSerializer.Serialize(request, MessageSigner.Json), NextAttemptUtc = time.GetUtcNow().UtcDateTime, CreatedUtc = time.GetUtcNow().UtcDateTime };
        db.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return message;
    }

    /// <summary>
    /// Puts up to a message's worth of the provider's oldest pending queries into the message, in one
    /// statement that takes and returns them (the same SQL on SQLite and PostgreSQL). A query another
    /// dispatcher (another node) took meanwhile is no longer pending and is left out, so nothing is sent
    /// twice. "State || ''" keeps SQLite's planner on the primary key for the outer condition.
    /// </summary>
    private Task<List<ProviderQuery>> TakePendingAsync(ExchangeProviderRecord provider, string messageId, CancellationToken cancellationToken) =>
        db.Set<ProviderQuery>().FromSql($"""
            UPDATE "ProviderQueries" SET "MessageId" = {messageId}, "State" = {QueryStates.Queued}
            WHERE "Id" IN (SELECT "Id" FROM "ProviderQueries" WHERE "State" = {QueryStates.Pending} AND "Provider" = {provider.Code} ORDER BY "CreatedUtc" LIMIT {provider.MaxBatch})
              AND "State" || '' = {QueryStates.Pending}
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>What one send came to, with the results the in-process simulators delivered meanwhile (checked, to be recorded).</summary>
    private sealed record SendOutcome(OutboxMessage Message, TransportAnswer Answer, int Milliseconds, IReadOnlyList<CheckedResult> SimulatedResults);

    /// <summary>
    /// One attempt: the stored request with a fresh timestamp (the provider's window) and signature, the same
    /// message id and items. In-process simulators answer during the send; their results are parsed and checked
    /// here, on the sender's core, and recorded by the round.
    /// </summary>
    private async Task<SendOutcome> SendOneAsync(OutboxMessage message, IReadOnlyDictionary<string, ExchangeProviderRecord> providers, System.Security.Cryptography.ECDsa key, CancellationToken cancellationToken)
    {
        var provider = providers[message.Provider];
        var stored = JsonSerializer.Deserialize<QueryRequest>(message.RequestJson, MessageSigner.Json)!;
        QueryRequest request;
        // Senders share the tenant's key object: one signature at a time.
        lock (key)
        {
            request = MessageSigner.Sign(stored with { Header = stored.Header with { Timestamp = time.GetUtcNow() } }, key);
        }

        var transport = transports.First(t => t.Mode == provider.Mode);
        var started = Stopwatch.GetTimestamp();
        TransportAnswer answer;
        try
        {
            answer = await resilience.For(provider).ExecuteAsync(async token => await transport.SendAsync(provider, request, request.Header.CallbackUrl!, token), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or BrokenCircuitException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            answer = TransportAnswer.Failed(ex.GetType().Name + ": " + ex.Message);
        }

        return new SendOutcome(message, answer, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds, CheckSimulatedResults(providers));
    }

    /// <summary>Records what became of one message's send: the call for provider health, the message's and its queries' states, the audit entry.</summary>
    private async Task RecordOutcomeAsync(OutboxMessage message, ExchangeProviderRecord provider, TransportAnswer answer, int milliseconds, CancellationToken cancellationToken)
    {
        // Writing a message and recording a result each end with a cleared change tracker: the message may be detached.
        if (db.Entry(message).State == EntityState.Detached)
        {
            db.Attach(message);
        }

        db.Add(new ProviderCall { Provider = provider.Code, StartedUtc = time.GetUtcNow().UtcDateTime, DurationMs = milliseconds, Succeeded = answer.Acknowledgement is not null, Error = answer.TransientError });
        var queries = await db.Set<ProviderQuery>().AsNoTracking().Where(q => q.MessageId == message.MessageId).Select(q => q.CaseReference).ToListAsync(cancellationToken);
        var open = db.Set<ProviderQuery>().Where(q => q.MessageId == message.MessageId).Where(QueryStates.NotFinal);
        message.Attempts++;
        // Query states change by conditional updates: a callback may already have answered some while this request was under way.
        if (answer.Acknowledgement is { Status: Acknowledgement.Accepted })
        {
            message.State = OutboxStates.Sent;
            message.SentUtc = time.GetUtcNow().UtcDateTime;
            message.DeadlineUtc = message.SentUtc.Value.AddSeconds(provider.AnswerTimeoutSeconds);
            message.LastError = null;
            await open.Where(q => q.State == QueryStates.Queued).ExecuteUpdateAsync(u => u.SetProperty(q => q.State, QueryStates.Sent), cancellationToken);
        }
        else if (answer.Acknowledgement is { } configuration && ReasonCodes.IsConfiguration(configuration.ReasonCode))
        {
            // Refused for how we are set up: dead-lettered for the administrator (reconnect, then retry on the
            // exchange page); the queries wait instead of becoming "refused" findings in reports.
            message.State = OutboxStates.DeadLetter;
            message.LastError = "configuration: " + configuration.ReasonCode + " " + configuration.Reason;
            await RaiseFailedAsync(open, configuration.ReasonCode!, cancellationToken);
            await open.ExecuteUpdateAsync(u => u.SetProperty(q => q.State, QueryStates.DeadLetter).SetProperty(q => q.ReasonCode, configuration.ReasonCode), cancellationToken);
            logger.LogError("Provider {Provider} refused message {MessageId} for a configuration reason ({Reason}); its queries wait until the provider is reconnected and the message retried", provider.Code, message.MessageId, configuration.ReasonCode);
        }
        else if (answer.Acknowledgement is { } rejection)
        {
            message.State = OutboxStates.Closed;
            message.LastError = rejection.ReasonCode + " " + rejection.Reason;
            await RaiseFailedAsync(open, rejection.ReasonCode ?? "rejected", cancellationToken);
            await open.ExecuteUpdateAsync(u => u.SetProperty(q => q.State, QueryStates.Rejected).SetProperty(q => q.ReasonCode, rejection.ReasonCode), cancellationToken);
        }
        else if (message.Attempts >= MaxAttempts)
        {
            message.State = OutboxStates.DeadLetter;
            message.LastError = answer.TransientError;
            await open.ExecuteUpdateAsync(u => u.SetProperty(q => q.State, QueryStates.DeadLetter), cancellationToken);
            logger.LogWarning("Message {MessageId} to {Provider} is dead-lettered after {Attempts} attempts: {Error}", message.MessageId, provider.Code, message.Attempts, answer.TransientError);
        }
        else
        {
            message.LastError = answer.TransientError;
            message.NextAttemptUtc = time.GetUtcNow().UtcDateTime + Backoff(message.Attempts);
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "exchange.request." + message.State, "exchange-message", message.MessageId, new Dictionary<string, string?>
        {
            ["provider"] = provider.Code, ["attempt"] = message.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), ["queries"] = queries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cases"] = string.Join(",", queries.Distinct().Take(50)), ["error"] = message.LastError,
        }) { Actor = "exchange" }, cancellationToken);
    }

    /// <summary>After the answer timeout: ask the provider, take what it has, and record the rest as unanswered.</summary>
    private async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var overdue = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.State == OutboxStates.Sent && m.DeadlineUtc <= now).Take(MessagesPerRound).ToListAsync(cancellationToken);
        var providers = await db.Set<ExchangeProviderRecord>().AsNoTracking().ToDictionaryAsync(p => p.Code, cancellationToken);
        var unanswered = 0;
        foreach (var message in overdue)
        {
            var provider = providers[message.Provider];
            if (provider.Mode != ExchangeModes.Offline && await db.Set<ProviderQuery>().Where(q => q.MessageId == message.MessageId).AnyAsync(QueryStates.NotFinal, cancellationToken)
                && await transports.First(t => t.Mode == provider.Mode).StatusAsync(provider, message.MessageId, cancellationToken) is { Status: TransactionStatus.Completed, Result: { } result })
            {
                await inbox.AcceptAsync(provider.Code, result, checkFreshness: false, cancellationToken);
            }

            // What is still open after the status query is recorded as unanswered — unless an answer lands meanwhile.
            await RaiseFailedAsync(db.Set<ProviderQuery>().Where(q => q.MessageId == message.MessageId).Where(QueryStates.Waiting), ReasonCodes.NoAnswer, cancellationToken);
            unanswered += await db.Set<ProviderQuery>()
                .Where(q => q.MessageId == message.MessageId).Where(QueryStates.Waiting)
                .ExecuteUpdateAsync(u => u.SetProperty(q => q.State, QueryStates.Unanswered).SetProperty(q => q.ReasonCode, ReasonCodes.NoAnswer), cancellationToken);
            // The inbox cleared this scope's tracked entities; the message is closed by a direct update.
            await db.Set<OutboxMessage>().Where(m => m.MessageId == message.MessageId).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, OutboxStates.Closed), cancellationToken);
        }

        return unanswered;
    }

    /// <summary>
    /// Tells workflows that queries ended without an answer (R-5: staff follow up by hand). The correlation
    /// is the requester's reference up to its first '/' (the case, for the pipeline's "case/member" references).
    /// </summary>
    private async Task RaiseFailedAsync(IQueryable<ProviderQuery> failing, string reason, CancellationToken cancellationToken)
    {
        var failed = await failing.Select(q => new { q.CaseReference, q.Provider }).Distinct().ToListAsync(cancellationToken);
        await workflows.RaiseManyAsync(failed.Select(f => new WorkflowEvent(WorkflowEventNames.ProviderQueryFailed, f.CaseReference.Split('/')[0], new Dictionary<string, string?>
        {
            ["provider"] = f.Provider,
            ["reference"] = f.CaseReference,
            ["reason"] = reason,
        })).ToList(), cancellationToken);
    }

    private string CallbackUrl(string provider) =>
        $"{Verification.Cms.Hosting.CmsOptions.PublicUrl(configuration, tenant.Settings.RequestUrlPrefix is { Length: > 0 } prefix ? "/" + prefix : string.Empty)}/api/exchange/callback/{provider}";

    /// <summary>2, 4, 8 … seconds (at most 5 minutes), each ±50 % so retries of many messages spread out.</summary>
    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempts), 300) * (0.5 + Random.Shared.NextDouble()));
}
