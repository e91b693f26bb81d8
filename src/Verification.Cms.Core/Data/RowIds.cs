namespace Verification.Cms.Data;

/// <summary>
/// New primary keys for rows: time-ordered (UUID version 7) in the 32-hex-digit form, so that rows
/// written together land next to each other in the key's B-tree instead of at random places — a
/// yearly batch writes hundreds of thousands of provider queries and findings at once.
/// </summary>
public static class RowIds
{
    public static string New() => Guid.CreateVersion7().ToString("N");
}
