using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Verification.Cms.Data;

/// <summary>
/// Runs many rows through one parameterized statement shape per chunk size: a command built for a full
/// chunk is re-executed with each chunk's values (SQLite keeps it prepared), a shorter last chunk gets a
/// command of its own. On SQLite a statement carries one row — Microsoft.Data.Sqlite binds parameters
/// by name with a linear search, so a statement's binding cost grows with the square of its parameters
/// (measured: 100,000 rows of ten columns ~1 s one row per execution, 5–6 s in 999-parameter statements);
/// PostgreSQL takes many rows per statement.
/// </summary>
public static class ChunkedStatements
{
    /// <summary>One on SQLite; <paramref name="otherwise"/> (at least one) elsewhere.</summary>
    public static int RowsPerStatement(DbConnection connection, int otherwise) => connection is SqliteConnection ? 1 : Math.Max(1, otherwise);

    /// <param name="create">Builds the command text for a chunk of the given size.</param>
    /// <param name="execute">Sets the chunk's parameters on the command and executes it.</param>
    public static async Task RunAsync<T>(IEnumerable<T> rows, int perStatement, Func<int, DbCommand> create, Func<DbCommand, T[], Task> execute)
    {
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                var command = chunk.Length == perStatement ? full ??= create(chunk.Length) : create(chunk.Length);
                try
                {
                    await execute(command, chunk);
                }
                finally
                {
                    if (command != full)
                    {
                        await command.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }
}
