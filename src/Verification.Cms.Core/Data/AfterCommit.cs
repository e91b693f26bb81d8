using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Verification.Cms.Data;

/// <summary>
/// Work to do once the context's current transaction commits, dropped if it rolls back. The audit
/// trail uses it: an entry recorded inside a transaction (issuing a report with its number, receiving a
/// roster) is appended after the commit — never for something that was rolled back, and never while
/// the transaction holds SQLite's write lock, which the audit's own connection would wait on.
/// </summary>
public sealed class AfterCommit : DbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, List<Func<CancellationToken, Task>>> Pending = new();

    public static readonly AfterCommit Instance = new();

    /// <summary>Queues the work when the context is in a transaction; false (nothing queued) when it is not.</summary>
    public static bool TryDefer(DbContext context, Func<CancellationToken, Task> work)
    {
        if (context.Database.CurrentTransaction is null)
        {
            return false;
        }

        lock (Pending)
        {
            Pending.GetOrCreateValue(context).Add(work);
        }

        return true;
    }

    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        foreach (var work in Take(eventData.Context))
        {
            await work(cancellationToken);
        }
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        foreach (var work in Take(eventData.Context))
        {
            work(CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Take(eventData.Context);

    private static List<Func<CancellationToken, Task>> Take(DbContext? context)
    {
        if (context is null)
        {
            return [];
        }

        lock (Pending)
        {
            if (Pending.TryGetValue(context, out var work))
            {
                Pending.Remove(context);
                return work;
            }
        }

        return [];
    }
}
