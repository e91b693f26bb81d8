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
        var written = await WriteMessagesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var (sent, retried, dead) = await SendDueAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var unanswered = await SweepAsync(cancellationToken);
        db.ChangeTracker.Clear();
        // In-process simulators answer at once; taking their callbacks now spares a round.
        callbacks += await TakeSimulatedCallbacksAsync(cancellationToken);
        return new DispatchSummary(callbacks, written, sent, retried, dead, unanswered);
    }

    private async Task<int> TakeSimulatedCallbacksAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var (provider, body) in InProcessSimulators.Drain(keys.SenderId).ToList())
        {
            await inbox.AcceptAsync(provider, body, cancellationToken);
            count++;
        }

        return count;
    }

    private async Task<int> WriteMessagesAsync(CancellationToken cancellationToken)
    {
        var providers = await db.Set<ExchangeProviderRecord>().AsNoTracking()
            .Where(p => p.Enabled && p.PublicKeyPem != null && p.Mode != ExchangeModes.Offline).ToListAsync(cancellationToken);
        var written = 0;
        foreach (var provider in providers)
        {
            while (written < MessagesPerRound)
            {
                // The message and its queries are written together: after a crash, either both exist or neither.
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var messageId = Guid.NewGuid().ToString("N");
                var batch = await TakePendingAsync(provider, messageId, cancellationToken);
                if (batch.Count == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    break;
                }

                var request = new QueryRequest(
                    new MessageHeader(messageId, time.GetUtcNow(), keys.SenderId, provider.Code, CallbackUrl(provider.Code)),
                    batch.OrderBy(q => q.CreatedUtc).ThenBy(q => q.Id, StringComparer.Ordinal)
                        .Select(q => new QueryItem(q.Id, q.SubjectIdNumber, q.SubjectName, JsonSerializer.Deserialize<List<string>>(q.DataItemsJson)!, q.AuthorizationNumber, q.Purpose)).ToList());
                db.Add(new OutboxMessage { MessageId = messageId, Provider = provider.Code, RequestJson = JsonSerializer.Serialize(request, MessageSigner.Json), NextAttemptUtc = time.GetUtcNow().UtcDateTime, CreatedUtc = time.GetUtcNow().UtcDateTime });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                written++;
            }
        }

        return written;
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

    private async Task<(int Sent, int Retried, int Dead)> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Set<OutboxMessage>().Where(m => m.State == OutboxStates.Queued && m.NextAttemptUtc <= now)
            .OrderBy(m => m.NextAttemptUtc).Take(MessagesPerRound).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return (0, 0, 0);
        }

        var providers = await db.Set<ExchangeProviderRecord>().AsNoTracking().ToDictionaryAsync(p => p.Code, cancellationToken);
        using var key = await keys.SigningKeyAsync(cancellationToken);
        int sent = 0, retried = 0, dead = 0;
        // Requests are prepared here and sent concurrently (providers are slow); each outcome is recorded
        // below as soon as its send ends, one at a time (one DbContext), while the others are still under way.
        var outcomes = due.Select(message =>
        {
            // Each attempt carries a fresh timestamp (the provider's window) but the same message id and items.
            var stored = JsonSerializer.Deserialize<QueryRequest>(message.RequestJson, MessageSigner.Json)!;
            return (Message: message, Request: MessageSigner.Sign(stored with { Header = stored.Header with { Timestamp = time.GetUtcNow() } }, key), Answer: (TransportAnswer?)null, Milliseconds: 0);
        }).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ended = System.Threading.Channels.Channel.CreateUnbounded<int>();
        var sending = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForAsync(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentSends, CancellationToken = stop.Token }, async (i, ct) => await SendOneAsync(i, ct));
            }
            finally
            {
                ended.Writer.Complete();
            }
        }, CancellationToken.None);

        async Task SendOneAsync(int i, CancellationToken ct)
        {
            var provider = providers[outcomes[i].Message.Provider];
            var transport = transports.First(t => t.Mode == provider.Mode);
            var started = Stopwatch.GetTimestamp();
            TransportAnswer answer;
            try
            {
                answer = await resilience.For(provider).ExecuteAsync(async token => await transport.SendAsync(provider, outcomes[i].Request, outcomes[i].Request.Header.CallbackUrl!, token), ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or BrokenCircuitException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                answer = TransportAnswer.Failed(ex.GetType().Name + ": " + ex.Message);
            }

            outcomes[i] = outcomes[i] with { Answer = answer, Milliseconds = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds };
            await ended.Writer.WriteAsync(i, ct);
        }

        try
        {
            await foreach (var index in ended.Reader.ReadAllAsync(cancellationToken))
            {
                var (message, _, answer, milliseconds) = outcomes[index];
                await RecordOutcomeAsync(message, providers[message.Provider], answer!, milliseconds, cancellationToken);
                // In-process simulators answer as the send ends: their results are recorded here, while other sends are still under way.
                await TakeSimulatedCallbacksAsync(cancellationToken);
                // Sent, given up on, or left queued for a retry.
                sent += message.State == OutboxStates.Sent ? 1 : 0;
                dead += message.State == OutboxStates.DeadLetter ? 1 : 0;
                retried += message.State == OutboxStates.Queued ? 1 : 0;
            }
        }
        catch
        {
            // Leave no send running behind a failed recording.
            await stop.CancelAsync();
            await Task.WhenAny(sending);
            throw;
        }

        await sending;
        return (sent, retried, dead);
    }

    /// <summary>Records what became of one message's send: the call for provider health, the message's and its queries' states, the audit entry.</summary>
    private async Task RecordOutcomeAsync(OutboxMessage message, ExchangeProviderRecord provider, TransportAnswer answer, int milliseconds, CancellationToken cancellationToken)
    {
        // The inbox starts each result from a cleared change tracker.
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
