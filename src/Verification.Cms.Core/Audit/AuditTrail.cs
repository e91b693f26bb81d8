using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Tenants;

namespace Verification.Cms.Audit;

/// <summary>
/// Appends to the tenant's keyed hash chain and checkpoints its head outside the database. Appends are serialized per tenant (in process by a gate,
/// across processes by the Sequence primary key plus a PostgreSQL advisory lock), and written
/// through a context of their own so a caller's unsaved changes are never committed by auditing.
/// </summary>
public sealed class AuditTrail(
    DbContextOptions<TenantDbContext> options,
    TenantDatabase database,
    IEnumerable<IEntityModelContributor> contributors,
    ITenantContext tenant,
    IHttpContextAccessor httpContextAccessor,
    TimeProvider clock,
    TenantDbContext scoped,
    AuditKeyring keyring,
    AuditCheckpoints checkpoints) : IAuditTrail
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);
    private static readonly JsonSerializerOptions DetailsJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        // Inside the caller's transaction: appended when it commits, dropped if it rolls back.
        if (AfterCommit.TryDefer(scoped, ct => RecordNowAsync(entry, httpContextAccessor.HttpContext, ct)))
        {
            return;
        }

        await RecordNowAsync(entry, httpContextAccessor.HttpContext, cancellationToken);
    }

    private async Task RecordNowAsync(AuditEntry entry, HttpContext? http, CancellationToken cancellationToken)
    {
        var actor = entry.Actor ?? http?.User.Identity?.Name ?? "system";
        var details = entry.Details is { Count: > 0 } ? JsonSerializer.Serialize(entry.Details, DetailsJson) : null;
        var gate = Gates.GetOrAdd(tenant.Settings.Name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await AppendAsync(entry, actor, details, http, cancellationToken);
                    return;
                }
                catch (DbUpdateException) when (attempt < 5)
                {
                    // Another process appended the same sequence number first: read the new tail and retry.
                    await Task.Delay(10 * attempt, cancellationToken);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task AppendAsync(AuditEntry entry, string actor, string? details, HttpContext? http, CancellationToken cancellationToken)
    {
        await using var db = new TenantDbContext(options, database, contributors);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (database.Dialect == DatabaseDialect.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7318001)", cancellationToken);
        }

        var tail = await db.AuditEvents.AsNoTracking()
            .OrderByDescending(a => a.Sequence)
            .Select(a => new { a.Sequence, a.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        var e = new AuditEvent
        {
            Sequence = (tail?.Sequence ?? 0) + 1,
            TimestampUtc = AuditChain.Normalize(clock.GetUtcNow().UtcDateTime),
            Category = entry.Category,
            Action = entry.Action,
            Actor = Truncate(actor, 256),
            SubjectType = entry.SubjectType,
            SubjectId = entry.SubjectId,
            Details = details,
            IpAddress = http?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(http?.Request.Headers.UserAgent.ToString(), 512),
            RequestPath = http is null ? null : Truncate(http.Request.PathBase + http.Request.Path, 512),
            PreviousHash = tail?.Hash ?? AuditChain.Genesis,
            Hash = string.Empty,
        };
        var key = keyring.GetOrCreate(e.Sequence);
        e.Hash = AuditChain.ComputeHash(e, e.Sequence >= key.KeyedFrom ? key.Secret : null);
        db.AuditEvents.Add(e);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The head, signed, outside the database: truncating or wiping the table no longer goes unseen.
        checkpoints.Write(key, e.Sequence, e.Hash, e.TimestampUtc);
    }

    private static string? Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= max ? value : value[..max];
}
