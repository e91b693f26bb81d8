using System.Security.Cryptography;
using System.Text.Json;

namespace Verification.Exchange.Simulation;

/// <summary>
/// What a simulated provider must remember across restarts, as a real one does: its own signing keys and
/// its registered clients (public keys, offline keys). Without it every query after a restart was refused
/// "sender.unknown". One JSON file (mode 0600), rewritten whole on each registration.
/// </summary>
internal sealed class SimulatorState(string file)
{
    private readonly Lock _lock = new();

    public Snapshot? Load()
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(file)) ?? throw new InvalidDataException("The simulator state file is empty: " + file);
        return new Snapshot(
            stored.Keys.ToDictionary(k => k.Key, k => Import(k.Value), StringComparer.Ordinal),
            stored.Clients.ToDictionary(c => (c.Provider, c.Sender), c => c.Value),
            stored.OfflineKeys.ToDictionary(c => (c.Provider, c.Sender), c => Convert.FromBase64String(c.Value)));
    }

    public void Save(IReadOnlyDictionary<string, ECDsa> keys, IEnumerable<KeyValuePair<(string Provider, string Sender), string>> clients, IEnumerable<KeyValuePair<(string Provider, string Sender), byte[]>> offlineKeys)
    {
        var stored = new Stored(
            keys.ToDictionary(k => k.Key, k => Convert.ToBase64String(k.Value.ExportPkcs8PrivateKey()), StringComparer.Ordinal),
            clients.Select(c => new Entry(c.Key.Provider, c.Key.Sender, c.Value)).OrderBy(e => e.Provider, StringComparer.Ordinal).ThenBy(e => e.Sender, StringComparer.Ordinal).ToList(),
            offlineKeys.Select(c => new Entry(c.Key.Provider, c.Key.Sender, Convert.ToBase64String(c.Value))).OrderBy(e => e.Provider, StringComparer.Ordinal).ThenBy(e => e.Sender, StringComparer.Ordinal).ToList());
        lock (_lock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(stored));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, file, overwrite: true);
        }
    }

    private static ECDsa Import(string pkcs8)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(pkcs8), out _);
        return key;
    }

    public sealed record Snapshot(Dictionary<string, ECDsa> Keys, Dictionary<(string, string), string> Clients, Dictionary<(string, string), byte[]> OfflineKeys);

    private sealed record Entry(string Provider, string Sender, string Value);

    private sealed record Stored(Dictionary<string, string> Keys, List<Entry> Clients, List<Entry> OfflineKeys);
}
