using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

public sealed record OfflineExport(string FileName, byte[] Content, int Queries);

/// <param name="Error">Localized reason the file was refused; nothing was recorded then.</param>
public sealed record OfflineImport(int Answered, string? Error);

/// <summary>
/// Offline exchange and batch files: staff export a provider's pending queries as an
/// encrypted, signed file, carry it over, and import the provider's result file; staff also record a
/// paper reply by hand. Both end in the same normalized results as the online exchange.
/// </summary>
public sealed class OfflineExchange(TenantDbContext db, ExchangeKeys keys, ProviderExchange exchange, ResultInbox inbox, IAuditTrail audit, TimeProvider time, IStringLocalizer T)
{
    /// <summary>Offline answers may take weeks; after this the queries are recorded as unanswered.</summary>
    public static readonly TimeSpan AnswerWindow = TimeSpan.FromDays(30);

    public async Task<OfflineExport?> ExportAsync(string providerCode, string? user, CancellationToken cancellationToken)
    {
        var provider = await db.Set<ExchangeProviderRecord>().AsNoTracking().FirstOrDefaultAsync(p => p.Code == providerCode, cancellationToken);
        if (provider is null || exchange.OfflineKey(provider) is not { } sharedKey)
        {
            return null;
        }

        var queries = await db.Set<ProviderQuery>().Where(q => q.Provider == providerCode && q.State == QueryStates.Pending).OrderBy(q => q.CreatedUtc).Take(10_000).ToListAsync(cancellationToken);
        if (queries.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var messageId = Guid.NewGuid().ToString("N");
        using var key = await keys.SigningKeyAsync(cancellationToken);
        var request = MessageSigner.Sign(new QueryRequest(
            new MessageHeader(messageId, now, keys.SenderId, providerCode),
            queries.Select(q => new QueryItem(q.Id, q.SubjectIdNumber, q.SubjectName, JsonSerializer.Deserialize<List<string>>(q.DataItemsJson)!, q.AuthorizationNumber, q.Purpose)).ToList()), key);
        foreach (var query in queries)
        {
            query.MessageId = messageId;
            query.State = QueryStates.Sent;
        }

        db.Add(new OutboxMessage
        {
            MessageId = messageId, Provider = providerCode, RequestJson = JsonSerializer.Serialize(request, MessageSigner.Json), State = OutboxStates.Sent, Attempts = 1,
            SentUtc = now.UtcDateTime, DeadlineUtc = now.UtcDateTime + AnswerWindow, CreatedUtc = now.UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "exchange.offline.exported", "exchange-message", messageId, new Dictionary<string, string?>
        {
            ["provider"] = providerCode, ["queries"] = queries.Count.ToString(CultureInfo.InvariantCulture), ["cases"] = string.Join(",", queries.Select(q => q.CaseReference).Distinct().Take(50)),
        }) { Actor = user }, cancellationToken);
        var content = OfflineFile.Seal(OfflineFile.RequestKind, providerCode, keys.SenderId, messageId, request, sharedKey, key, now);
        return new OfflineExport($"{providerCode}-{now.ToOffset(TimeSpan.FromHours(8)):yyyyMMdd-HHmm}-{messageId[..8]}.vcx", content, queries.Count);
    }

    public async Task<OfflineImport> ImportAsync(string providerCode, byte[] content, string? user, CancellationToken cancellationToken)
    {
        var provider = await db.Set<ExchangeProviderRecord>().AsNoTracking().FirstOrDefaultAsync(p => p.Code == providerCode, cancellationToken);
        if (provider is null)
        {
            return new OfflineImport(0, T["Unknown provider."]);
        }

        var sharedKey = exchange.OfflineKey(provider);
        var (file, result, error) = OfflineFile.Open<QueryResult>(content, OfflineFile.ResultKind, _ => (sharedKey, provider.PublicKeyPem));
        if (error is null && (file!.Provider != providerCode || file.Sender != providerCode))
        {
            error = "The file comes from another provider.";
        }

        if (error is not null || result is null)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "exchange.offline.refused", "provider", providerCode, new Dictionary<string, string?> { ["reason"] = error }) { Actor = user }, cancellationToken);
            return new OfflineImport(0, T[error ?? "This is not an exchange file of the expected kind."]);
        }

        var before = await AnsweredAsync(result.Header.CorrelationId, cancellationToken);
        var outcome = await inbox.AcceptAsync(providerCode, result, checkFreshness: false, cancellationToken);
        if (outcome == InboxOutcome.Duplicate)
        {
            return new OfflineImport(0, T["This result file was imported already; nothing was changed."]);
        }

        if (outcome != InboxOutcome.Accepted)
        {
            return new OfflineImport(0, T["The result inside the file is not signed by the provider."]);
        }

        var answered = await AnsweredAsync(result.Header.CorrelationId, cancellationToken) - before;
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "exchange.offline.imported", "exchange-message", result.Header.MessageId, new Dictionary<string, string?>
        {
            ["provider"] = providerCode, ["answered"] = answered.ToString(CultureInfo.InvariantCulture),
        }) { Actor = user }, cancellationToken);
        return new OfflineImport(answered, null);
    }

    /// <summary>A paper reply typed in by staff: the query becomes answered with these records (none = the provider holds nothing).</summary>
    public async Task<bool> RecordManualReplyAsync(string queryId, IReadOnlyList<DataRecord> records, string? user, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(records, MessageSigner.Json);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.Set<ProviderQuery>()
            .Where(q => q.Id == queryId).Where(QueryStates.NotFinal)
            .ExecuteUpdateAsync(u => u.SetProperty(q => q.State, QueryStates.Answered).SetProperty(q => q.RecordsJson, json).SetProperty(q => q.AnsweredUtc, now).SetProperty(q => q.ReasonCode, "manual"), cancellationToken);
        if (changed == 1)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "exchange.result.manual", "provider-query", queryId, new Dictionary<string, string?> { ["records"] = records.Count.ToString(CultureInfo.InvariantCulture) }) { Actor = user }, cancellationToken);
        }

        return changed == 1;
    }

    private Task<int> AnsweredAsync(string? messageId, CancellationToken cancellationToken) =>
        db.Set<ProviderQuery>().CountAsync(q => q.MessageId == messageId && (q.State == QueryStates.Answered || q.State == QueryStates.Rejected), cancellationToken);
}
