using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

public enum InboxOutcome
{
    Accepted,

    /// <summary>A message id already processed: nothing changes (replays and duplicate callbacks).</summary>
    Duplicate,

    Malformed,

    /// <summary>Unknown provider, bad signature or a timestamp outside the window; audited.</summary>
    Refused,
}

/// <summary>
/// A result message checked against its provider's key (or refused, with the reason code) and its answers
/// prepared for recording: the part of taking a result in that needs no database, so it can run anywhere.
/// </summary>
public sealed record CheckedResult(string Provider, QueryResult Result, string? Refusal, IReadOnlyList<Answer> Answers);

/// <summary>
/// Takes provider results in, from the HTTP callback, the in-process simulators, the status query
/// and offline imports alike: checks the provider's signature, the timestamp window and the message
/// id (processed once), then records each item's answer. A final answer is never overwritten, so
/// late, duplicated and out-of-order results change nothing they should not.
/// </summary>
public sealed class ResultInbox(TenantDbContext db, IAuditTrail audit, TimeProvider time)
{
    public async Task<InboxOutcome> AcceptAsync(string providerCode, string body, CancellationToken cancellationToken) =>
        Parse(body) is { } result ? await AcceptAsync(providerCode, result, checkFreshness: true, cancellationToken) : InboxOutcome.Malformed;

    /// <param name="checkFreshness">False for a result fetched by our own status query, which may be older than the window.</param>
    public async Task<InboxOutcome> AcceptAsync(string providerCode, QueryResult result, bool checkFreshness, CancellationToken cancellationToken)
    {
        var provider = await db.Set<ExchangeProviderRecord>().AsNoTracking().FirstOrDefaultAsync(p => p.Code == providerCode, cancellationToken);
        return await RecordAsync(Check(providerCode, result, provider?.PublicKeyPem, checkFreshness ? time.GetUtcNow() : null), cancellationToken);
    }

    /// <summary>A result message from its JSON body; null when it is not one.</summary>
    public static QueryResult? Parse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<QueryResult>(body, MessageSigner.Json) is { Header.MessageId: not null, Results: not null } result ? result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Checks the sender, signature and (when <paramref name="now"/> is given) the timestamp window, and prepares the answers.</summary>
    public static CheckedResult Check(string providerCode, QueryResult result, string? providerPublicKeyPem, DateTimeOffset? now)
    {
        var refusal = providerPublicKeyPem is null ? ReasonCodes.UnknownSender
            : result.Header.Sender != providerCode ? ReasonCodes.UnknownSender
            : !MessageSigner.Verify(result, providerPublicKeyPem) ? ReasonCodes.BadSignature
            : now is { } at && !ContractRules.IsFresh(result.Header, at) ? ReasonCodes.Stale
            : null;
        var answers = refusal is not null ? [] : result.Results.Where(r => r.Status is ItemStatus.Success or ItemStatus.Rejected).Select(r => new Answer(
            r.ReferenceId,
            r.Status == ItemStatus.Success ? QueryStates.Answered : QueryStates.Rejected,
            r.Status == ItemStatus.Success ? JsonSerializer.Serialize(r.Records ?? [], MessageSigner.Json) : null,
            r.ReasonCode)).ToList();
        return new CheckedResult(providerCode, result, refusal, answers);
    }

    /// <summary>Records a checked result: a refusal in the audit trail; otherwise its answers, once per message id.</summary>
    public async Task<InboxOutcome> RecordAsync(CheckedResult @checked, CancellationToken cancellationToken)
    {
        var (providerCode, result, refusal, answers) = @checked;
        if (refusal is not null)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "exchange.result.refused", "provider", providerCode, new Dictionary<string, string?> { ["reason"] = refusal, ["message"] = result.Header.MessageId }), cancellationToken);
            return InboxOutcome.Refused;
        }

        if (await db.Set<ReceivedMessage>().AnyAsync(m => m.MessageId == result.Header.MessageId, cancellationToken))
        {
            return InboxOutcome.Duplicate;
        }

        // Start from the database, not from entities an earlier step of the same scope left tracked.
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(new ReceivedMessage { MessageId = result.Header.MessageId, Provider = providerCode, ReceivedUtc = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same message arrived twice at once; the other delivery records it.
            db.ChangeTracker.Clear();
            return InboxOutcome.Duplicate;
        }

        var answered = answers.Count == 0 ? [] : await AnswerRecorder.RecordAsync(db, result.Header.CorrelationId ?? string.Empty, providerCode, answers, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (answered.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "exchange.result.received", "exchange-message", result.Header.MessageId, new Dictionary<string, string?>
            {
                ["provider"] = providerCode, ["request"] = result.Header.CorrelationId, ["answered"] = answered.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["cases"] = string.Join(",", answered.Select(q => q.CaseReference).Distinct().Take(50)),
            }) { Actor = "provider:" + providerCode }, cancellationToken);
        }

        return InboxOutcome.Accepted;
    }
}
