using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Verification.Cms.Tenants;

/// <summary>
/// Holds the tenants' settings and their running shells. A shell is created on the first request
/// that reaches its tenant and replaced when its features or settings change.
/// </summary>
public sealed class ShellHost(ShellSettingsStore store, ShellContainerFactory factory, ILogger<ShellHost> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ShellContext>>> _shells = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _settingsLock = new();
    private IReadOnlyList<ShellSettings>? _settings;

    public IReadOnlyList<ShellSettings> AllSettings
    {
        get
        {
            lock (_settingsLock)
            {
                return _settings ??= store.LoadAll();
            }
        }
    }

    public ShellSettings? Find(string name) =>
        AllSettings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<string> ArchivedNames() => store.LoadArchived().Select(s => s.Name).ToList();

    public bool IsShellRunning(string name) => _shells.ContainsKey(name);

    public int RunningShellCount => _shells.Count;

    public async Task<ShellContext> GetShellAsync(ShellSettings settings, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var lazy = _shells.GetOrAdd(settings.Name, _ => new Lazy<Task<ShellContext>>(() => factory.CreateAsync(settings, null, CancellationToken.None)));
            try
            {
                var shell = await lazy.Value.WaitAsync(cancellationToken);
                if (!shell.IsReleased)
                {
                    return shell;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _shells.TryRemove(new KeyValuePair<string, Lazy<Task<ShellContext>>>(settings.Name, lazy));
                logger.LogError(ex, "Shell {Tenant} could not be built", settings.Name);
                throw;
            }

            _shells.TryRemove(new KeyValuePair<string, Lazy<Task<ShellContext>>>(settings.Name, lazy));
        }
    }

    /// <summary>Saves settings and drops the running shell, so the next request builds it anew.</summary>
    public async Task UpdateSettingsAsync(ShellSettings settings)
    {
        lock (_settingsLock)
        {
            store.Save(settings);

            // Keep the caller's instance as the cached one, so every holder sees the same tenant state.
            _settings = (_settings ?? store.LoadAll())
                .Where(s => !string.Equals(s.Name, settings.Name, StringComparison.OrdinalIgnoreCase))
                .Append(settings)
                .ToList();
        }

        await ReleaseShellAsync(settings.Name);
    }

    /// <summary>Removes the tenant from the active list (its data is archived by the caller).</summary>
    public async Task ArchiveSettingsAsync(ShellSettings settings)
    {
        lock (_settingsLock)
        {
            store.Archive(settings);
            _settings = (_settings ?? store.LoadAll())
                .Where(s => !string.Equals(s.Name, settings.Name, StringComparison.OrdinalIgnoreCase))
                .ToList();
        }

        await ReleaseShellAsync(settings.Name);
    }

    public async Task ReleaseShellAsync(string name)
    {
        if (_shells.TryRemove(name, out var lazy) && lazy.IsValueCreated)
        {
            try
            {
                var shell = await lazy.Value;
                await shell.ReleaseAsync();
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Released shell {Tenant} had failed to build", name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _shells.Keys.ToList())
        {
            await ReleaseShellAsync(name);
        }
    }
}
