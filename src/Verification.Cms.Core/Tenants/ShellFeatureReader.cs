using System.Data.Common;
using Verification.Cms.Data;

namespace Verification.Cms.Tenants;

/// <summary>Reads a tenant's enabled features straight from its database, before its container exists.</summary>
internal static class ShellFeatureReader
{
    public static async Task<IReadOnlyList<string>> ReadAsync(TenantDatabase database, CancellationToken cancellationToken)
    {
        if (database.FilePath is not null && !File.Exists(database.FilePath))
        {
            return [];
        }

        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"FeatureId\" FROM \"ShellFeatures\"";
        var features = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                features.Add(reader.GetString(0));
            }
        }
        catch (DbException)
        {
            // A tenant whose schema has not been created yet has no features beyond the essential ones.
            return [];
        }

        return features;
    }
}
