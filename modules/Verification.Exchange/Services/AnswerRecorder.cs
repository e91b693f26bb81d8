using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Verification.Cms.Data;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

/// <summary>One item's answer to record: the query, its new state, its records (JSON) and reason.</summary>
public sealed record Answer(string QueryId, string State, string? RecordsJson, string? ReasonCode);

/// <summary>
/// Records a result message's answers with set-based, conditional statements
/// (<c>UPDATE … FROM (SELECT … UNION ALL …) … RETURNING</c>, the same SQL on SQLite ≥ 3.35 and
/// PostgreSQL): a query already answered or rejected is left alone, so of two results answering it
/// at once only one records it. Returns the queries it changed. PostgreSQL takes 200 answers per
/// statement, SQLite one per execution of a prepared statement (<see cref="ChunkedStatements"/>).
/// </summary>
public static class AnswerRecorder
{
    public static async Task<List<(string Id, string CaseReference)>> RecordAsync(TenantDbContext db, string messageId, string provider, IReadOnlyList<Answer> answers, DateTime now, CancellationToken cancellationToken)
    {
        var changed = new List<(string, string)>();
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await ChunkedStatements.RunAsync(answers, ChunkedStatements.RowsPerStatement(connection, 200), size => Command(connection, size), async (command, chunk) =>
        {
            command.Transaction = transaction;
            command.Parameters.Clear();
            for (var i = 0; i < chunk.Length; i++)
            {
                Add(command, "i" + i, chunk[i].QueryId);
                Add(command, "s" + i, chunk[i].State);
                Add(command, "r" + i, chunk[i].RecordsJson);
                Add(command, "c" + i, chunk[i].ReasonCode);
            }

            Add(command, "m", messageId);
            Add(command, "p", provider);
            var at = command.CreateParameter();
            at.ParameterName = "at";
            at.Value = now;
            command.Parameters.Add(at);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                changed.Add((reader.GetString(0), reader.GetString(1)));
            }
        });

        return changed;
    }

    private static DbCommand Command(DbConnection connection, int answers)
    {
        // Table and column names are constants; every value is a parameter.
        const string Open = $"q.\"MessageId\" = @m AND q.\"Provider\" = @p AND q.\"State\" <> '{QueryStates.Answered}' AND q.\"State\" <> '{QueryStates.Rejected}'";
        const string Late = $"\"Late\" = (q.\"State\" = '{QueryStates.Unanswered}'), \"AnsweredUtc\" = @at";
        var command = connection.CreateCommand();
        if (answers == 1)
        {
            command.CommandText = $"""
                UPDATE "ProviderQueries" AS q SET "State" = @s0, "RecordsJson" = @r0, "ReasonCode" = @c0, {Late}
                WHERE q."Id" = @i0 AND {Open} RETURNING "Id", "CaseReference"
                """;
            return command;
        }

        var values = new StringBuilder();
        for (var i = 0; i < answers; i++)
        {
            values.Append(i == 0 ? "SELECT " : " UNION ALL SELECT ");
            values.Append(System.Globalization.CultureInfo.InvariantCulture, $"@i{i} AS i, @s{i} AS s, @r{i} AS r, @c{i} AS c");
        }

        command.CommandText = $"""
            UPDATE "ProviderQueries" AS q SET "State" = v.s, "RecordsJson" = v.r, "ReasonCode" = v.c, {Late}
            FROM ({values}) AS v WHERE q."Id" = v.i AND {Open} RETURNING "Id", "CaseReference"
            """;
        return command;
    }

    private static void Add(DbCommand command, string name, string? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.String;
        parameter.Value = (object?)value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
