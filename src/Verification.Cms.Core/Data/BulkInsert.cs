using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Verification.Cms.Data;

/// <summary>
/// Inserts many new rows with multi-row <c>INSERT</c> statements (the same SQL on SQLite and PostgreSQL),
/// using the entity's EF mapping for table, columns and value conversions — for batches of hundreds of
/// thousands of rows (provider queries, findings, a yearly roster) where change tracking costs more than
/// the database. Runs in the context's current transaction when there is one. Store-generated keys are
/// left to the database and not read back; the rows must not be tracked afterwards.
/// </summary>
public static class BulkInsert
{
    /// <summary>
    /// Parameters per statement. Far below both databases' limits on purpose: Microsoft.Data.Sqlite binds
    /// parameters by name, which costs more per parameter the more a statement has.
    /// </summary>
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
        var perStatement = Math.Max(1, MaxParameters / columns.Count);
        var connection = db.Database.GetDbConnection();
        var openedHere = connection.State != System.Data.ConnectionState.Open;
        if (openedHere)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                var sql = new StringBuilder("INSERT INTO \"").Append(table.Name).Append("\" (")
                    .AppendJoin(", ", columns.Select(c => "\"" + c.Name + "\"")).Append(") VALUES ");
                var n = 0;
                for (var r = 0; r < chunk.Length; r++)
                {
                    sql.Append(r == 0 ? "(" : ", (");
                    for (var c = 0; c < columns.Count; c++)
                    {
                        var (property, _, mapping) = columns[c];
                        // The mapping applies the property's value converter (enums stored as text …).
                        var value = property.GetGetter().GetClrValue(chunk[r]);
                        var parameter = mapping.CreateParameter(command, "@p" + n++, value, property.IsNullable);
                        command.Parameters.Add(parameter);
                        sql.Append(c == 0 ? string.Empty : ", ").Append(parameter.ParameterName);
                    }

                    sql.Append(')');
                }

                command.CommandText = sql.ToString();
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (openedHere)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
