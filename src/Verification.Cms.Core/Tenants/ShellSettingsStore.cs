using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Verification.Cms.Hosting;

namespace Verification.Cms.Tenants;

/// <summary>App_Data/tenants.json: the list of tenants and their shell settings; written atomically.</summary>
public sealed class ShellSettingsStore
{
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _file;
    private readonly string _archiveFile;
    private readonly Lock _lock = new();

    public ShellSettingsStore(CmsPaths paths)
    {
        _file = Path.Combine(paths.AppData, "tenants.json");
        _archiveFile = Path.Combine(paths.AppData, "tenants.archived.json");
    }

    public bool Exists => File.Exists(_file);

    public IReadOnlyList<ShellSettings> LoadAll()
    {
        lock (_lock)
        {
            return Read(_file);
        }
    }

    public IReadOnlyList<ShellSettings> LoadArchived()
    {
        lock (_lock)
        {
            return Read(_archiveFile);
        }
    }

    public void Save(ShellSettings settings)
    {
        lock (_lock)
        {
            var all = Read(_file).Where(s => !string.Equals(s.Name, settings.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            all.Add(settings);
            Write(_file, all);
        }
    }

    /// <summary>Moves the tenant's entry to the archived list (its data folder is archived by the caller).</summary>
    public void Archive(ShellSettings settings)
    {
        lock (_lock)
        {
            var all = Read(_file).Where(s => !string.Equals(s.Name, settings.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            Write(_file, all);
            var archived = Read(_archiveFile).ToList();
            archived.Add(settings);
            Write(_archiveFile, archived);
        }
    }

    private static List<ShellSettings> Read(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        using var stream = File.OpenRead(file);
        return JsonSerializer.Deserialize<List<ShellSettings>>(stream, JsonOptions) ?? [];
    }

    private static void Write(string file, List<ShellSettings> all)
    {
        var ordered = all.OrderBy(s => s.IsDefault ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        var temp = file + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(ordered, JsonOptions));
        File.Move(temp, file, overwrite: true);
    }
}
