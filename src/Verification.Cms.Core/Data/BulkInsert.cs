using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Verification.Cms.Data;

/// <summary>
/// Inserts many new rows — for batches of hundreds of thousands (provider queries, findings, a yearly
/// roster) where change tracking costs more than the database — using the entity's EF mapping for table,
/// columns and value conversions, in one transaction (the caller's when there is one). Store-generated
/// keys are left to the database and not read back; the rows must not be tracked afterwards. PostgreSQL
/// gets multi-row <c>INSERT</c>s, SQLite one prepared single-row <c>INSERT</c> per row (<see cref="ChunkedStatements"/>).
/// </summary>
public static class BulkInsert
{
    /// <summary>Parameters per multi-row statement on PostgreSQL.</summary>
    private const int MaxParameters = 999;

    public static async Task InsertAsync<T>(DbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException(typeof(T).Name + " is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => !(p.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd && p.IsPrimaryKey() && p.ClrType == typeof(long)))
            .Select(p => (Property: p, Name: p.GetColumnName(table)!, Mapping: (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();
        var getters = columns.Select(c => c.Property.GetGetter()).ToArray();
        var connection = db.Database.GetDbConnection();
        var perStatement = ChunkedStatements.RowsPerStatement(connection, MaxParameters / columns.Count);
        var openedHere = connection.State != System.Data.ConnectionState.Open;
        if (openedHere)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        // All or nothing, and on SQLite one commit rather than one per row.
        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await ChunkedStatements.RunAsync(rows, perStatement, size => Command(connection, table.Name, columns, size), async (command, chunk) =>
            {
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                // A command's parameters are made once by the type mappings and only get new values afterwards.
                var fresh = command.Parameters.Count == 0;
                var n = 0;
                foreach (var row in chunk)
                {
                    for (var c = 0; c < columns.Count; c++, n++)
                    {
                        var (property, _, mapping) = columns[c];
                        var value = getters[c].GetClrValue(row);
                        if (fresh)
                        {
                            // The mapping applies the property's value converter (enums stored as text …) and the parameter's type.
                            command.Parameters.Add(mapping.CreateParameter(command, "@p" + n, value, property.IsNullable));
                        }
                        else
                        {
                            command.Parameters[n].Value = value is null ? DBNull.Value : mapping.Converter?.ConvertToProvider(value) ?? value;
                        }
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            });

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            if (openedHere)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static DbCommand Command(DbConnection connection, string table, List<(IProperty Property, string Name, RelationalTypeMapping Mapping)> columns, int rows)
    {
        var sql = new StringBuilder("INSERT INTO \"").Append(table).Append("\" (")
            .AppendJoin(", ", columns.Select(c => "\"" + c.Name + "\"")).Append(") VALUES ");
        var n = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                sql.Append(c == 0 ? "@p" : ", @p").Append(n++);
            }

            sql.Append(')');
        }

        var command = connection.CreateCommand();
        command.CommandText = sql.ToString();
        return command;
    }
}
