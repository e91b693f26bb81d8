using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Verification.Cms.Data;

/// <summary>
/// Per-connection SQLite settings: with WAL, <c>synchronous=NORMAL</c> syncs at checkpoints instead of
/// on every commit. A process crash loses no committed transaction; a power cut may lose the last
/// few, never the file's integrity (docs/architecture.md, Data: servers keeping the only copy on SQLite should
/// sit on battery-backed storage, or use PostgreSQL).
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Sql = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
