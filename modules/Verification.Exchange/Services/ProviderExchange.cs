using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Exchange.Catalogue;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

/// <summary>A member to query: who, which data items, and the authorization and purpose it rests on.</summary>
public sealed record SubjectQuery(string CaseReference, string SubjectIdNumber, string SubjectName, IReadOnlyList<string> DataItems, string AuthorizationNumber, string Purpose);

/// <summary>Why a query was not even queued (the contract's own refusal, or an item no connected provider answers).</summary>
public sealed record QueryRefusal(string CaseReference, string ReasonCode, string? DataItem = null);

public sealed record QueueResult(IReadOnlyList<ProviderQuery> Queued, IReadOnlyList<QueryRefusal> Refused);

/// <summary>
/// What other modules code against (the verification pipeline): queue queries for members, read
/// their state and results, connect providers, retry dead letters. Queries go out through the
/// outbox (<see cref="ExchangeDispatcher"/>); nothing here talks to a provider directly.
/// </summary>
public sealed class ProviderExchange(TenantDbContext db, ExchangeKeys keys, IEnumerable<IProviderTransport> transports, IDataProtectionProvider protection, ResultInbox inbox, IAuditTrail audit, TimeProvider time)
{
    public DataSourceCatalogue Catalogue => DataSourceCatalogue.Shipped;

    /// <summary>
    /// Splits each member's data items by provider and queues one query per provider. The contract
    /// refuses, here already, any item without an authorization number and purpose.
    /// </summary>
    public async Task<QueueResult> QueueAsync(IEnumerable<SubjectQuery> subjects, CancellationToken cancellationToken)
    {
        var providers = await db.Set<ExchangeProviderRecord>().AsNoTracking().Where(p => p.Enabled).Select(p => p.Code).ToListAsync(cancellationToken);
        var queued = new List<ProviderQuery>();
        var refused = new List<QueryRefusal>();
        foreach (var subject in subjects)
        {
            var probe = new QueryItem(subject.CaseReference, subject.SubjectIdNumber, subject.SubjectName, subject.DataItems, subject.AuthorizationNumber, subject.Purpose);
            if (ContractRules.Refusal(probe) is { } reason)
            {
                refused.Add(new QueryRefusal(subject.CaseReference, reason));
                continue;
            }

            foreach (var group in subject.DataItems.Distinct().GroupBy(i => Catalogue.ProviderOf(i)?.Code))
            {
                if (group.Key is null || !providers.Contains(group.Key))
                {
                    refused.AddRange(group.Select(i => new QueryRefusal(subject.CaseReference, ReasonCodes.UnknownDataItem, i)));
                    continue;
                }

                var query = new ProviderQuery
                {
                    CaseReference = subject.CaseReference,
                    Provider = group.Key,
                    SubjectIdNumber = subject.SubjectIdNumber,
                    SubjectName = subject.SubjectName,
                    DataItemsJson = JsonSerializer.Serialize(group.ToList()),
                    AuthorizationNumber = subject.AuthorizationNumber,
                    Purpose = subject.Purpose,
                    CreatedUtc = time.GetUtcNow().UtcDateTime,
                };
                queued.Add(query);
            }
        }

        // Hundreds of thousands of new rows at once (a yearly batch): bulk inserts, no change tracking. Written
        // provider by provider, so the queries a message takes (one provider's, oldest first) sit side by side in
        // the table and each later state change writes a few pages, not one page per query.
        // Their keys are given in that order too, so the key index is appended to rather than written all over.
        queued = [.. queued.OrderBy(q => q.Provider, StringComparer.Ordinal)];
        queued.ForEach(q => q.Id = RowIds.New());
        await BulkInsert.InsertAsync(db, queued, cancellationToken);
        return new QueueResult(queued, refused);
    }

    /// <summary>
    /// The synchronous variant (a single lookup, e.g. at the counter): one query per provider sent at
    /// once and answered in the same call; recorded and audited like any other. A query the provider
    /// does not answer stays queued for the outbox.
    /// </summary>
    public async Task<QueueResult> LookupAsync(SubjectQuery subject, CancellationToken cancellationToken)
    {
        var queued = await QueueAsync([subject], cancellationToken);
        using var key = await keys.SigningKeyAsync(cancellationToken);
        foreach (var query in queued.Queued)
        {
            var provider = await db.Set<ExchangeProviderRecord>().AsNoTracking().FirstAsync(p => p.Code == query.Provider, cancellationToken);
            if (provider.Mode == ExchangeModes.Offline)
            {
                continue;
            }

            var request = MessageSigner.Sign(new QueryRequest(
                new MessageHeader(Guid.NewGuid().ToString("N"), time.GetUtcNow(), keys.SenderId, provider.Code),
                [new QueryItem(query.Id, query.SubjectIdNumber, query.SubjectName, JsonSerializer.Deserialize<List<string>>(query.DataItemsJson)!, query.AuthorizationNumber, query.Purpose)]), key);
            await db.Set<ProviderQuery>().Where(q => q.Id == query.Id).ExecuteUpdateAsync(u => u.SetProperty(q => q.MessageId, request.Header.MessageId).SetProperty(q => q.State, QueryStates.Sent), cancellationToken);
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "exchange.lookup.sent", "provider-query", query.Id, new Dictionary<string, string?> { ["provider"] = provider.Code, ["case"] = query.CaseReference }), cancellationToken);
            if (await Transport(provider).QuerySyncAsync(provider, request, cancellationToken) is { } result)
            {
                await inbox.AcceptAsync(provider.Code, result, checkFreshness: true, cancellationToken);
            }
            else
            {
                // No answer now: the outbox sends it like any other query.
                await db.Set<ProviderQuery>().Where(q => q.Id == query.Id).ExecuteUpdateAsync(u => u.SetProperty(q => q.MessageId, (string?)null).SetProperty(q => q.State, QueryStates.Pending), cancellationToken);
            }
        }

        return queued with { Queued = await db.Set<ProviderQuery>().AsNoTracking().Where(q => queued.Queued.Select(x => x.Id).Contains(q.Id)).ToListAsync(cancellationToken) };
    }

    public Task<List<ProviderQuery>> QueriesAsync(string caseReference, CancellationToken cancellationToken) =>
        db.Set<ProviderQuery>().AsNoTracking().Where(q => q.CaseReference == caseReference).OrderBy(q => q.Provider).ToListAsync(cancellationToken);

    /// <summary>The records of an answered query, in the catalogue's normalized shape.</summary>
    public static IReadOnlyList<DataRecord> Records(ProviderQuery query) =>
        query.RecordsJson is null ? [] : JsonSerializer.Deserialize<List<DataRecord>>(query.RecordsJson, MessageSigner.Json) ?? [];

    /// <summary>
    /// Connects a provider: exchanges public keys with it and hands it the AES key of offline
    /// batch files (kept protected by the tenant's data-protection keys); recorded in the audit trail.
    /// </summary>
    public async Task ConnectAsync(string code, string? user, CancellationToken cancellationToken)
    {
        var provider = await db.Set<ExchangeProviderRecord>().FirstAsync(p => p.Code == code, cancellationToken);
        var offlineKey = provider.OfflineKeyProtected is { } existing ? Convert.FromBase64String(OfflineKeys.Unprotect(existing)) : RandomNumberGenerator.GetBytes(32);
        var key = await Transport(provider).ConnectAsync(provider, keys.SenderId, await keys.PublicKeyPemAsync(cancellationToken), offlineKey, cancellationToken)
            ?? throw new InvalidOperationException($"Provider {code} did not give its public key.");
        provider.PublicKeyPem = key;
        provider.OfflineKeyProtected ??= OfflineKeys.Protect(Convert.ToBase64String(offlineKey));
        provider.ConnectedUtc = time.GetUtcNow().UtcDateTime;
        provider.ConnectedBy = user;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "exchange.provider.connected", "provider", code, new Dictionary<string, string?>
        {
            ["mode"] = provider.Mode, ["baseUrl"] = provider.BaseUrl, ["key"] = MessageSigner.Fingerprint(key),
        }) { Actor = user }, cancellationToken);
    }

    /// <summary>The provider's offline file key, or null before it is connected.</summary>
    public byte[]? OfflineKey(ExchangeProviderRecord provider) =>
        provider.OfflineKeyProtected is { } protectedKey ? Convert.FromBase64String(OfflineKeys.Unprotect(protectedKey)) : null;

    /// <summary>How to reach a provider: by its mode; an offline provider is onboarded through its address if it has one, else the in-process simulators.</summary>
    public IProviderTransport Transport(ExchangeProviderRecord provider) => transports.First(t => t.Mode == provider.Mode switch
    {
        ExchangeModes.Offline => provider.BaseUrl is null ? ExchangeModes.Simulated : ExchangeModes.Online,
        var mode => mode,
    });

    private IDataProtector OfflineKeys => protection.CreateProtector("Verification.Exchange.OfflineKey");

    /// <summary>Puts dead-lettered messages back in the queue (same message ids, so a provider that did get them answers from memory).</summary>
    public async Task<int> RetryDeadLettersAsync(string? provider, string? user, CancellationToken cancellationToken)
    {
        var messages = await db.Set<OutboxMessage>().Where(m => m.State == OutboxStates.DeadLetter && (provider == null || m.Provider == provider)).ToListAsync(cancellationToken);
        var ids = messages.Select(m => m.MessageId).ToList();
        foreach (var message in messages)
        {
            message.State = OutboxStates.Queued;
            message.Attempts = 0;
            message.NextAttemptUtc = time.GetUtcNow().UtcDateTime;
        }

        foreach (var query in await db.Set<ProviderQuery>().Where(q => q.State == QueryStates.DeadLetter && ids.Contains(q.MessageId!)).ToListAsync(cancellationToken))
        {
            query.State = QueryStates.Queued;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (messages.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "exchange.dead-letters.retried", "provider", provider ?? "*", new Dictionary<string, string?> { ["messages"] = messages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }) { Actor = user }, cancellationToken);
        }

        return messages.Count;
    }
}
