using System.Collections.Concurrent;

namespace Verification.Users.Services;

/// <summary>
/// Failed sign-ins counted per client address: after <see cref="MaxFailures"/> within the window the
/// address may not try again until the window has passed, whichever accounts it tries — so nobody can lock out
/// one account after another, nor guess passwords at speed. A success clears the address's count.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);

    public bool IsBlocked(string address) =>
        _failures.TryGetValue(address, out var entry) && entry.Count >= MaxFailures && time.GetUtcNow() - entry.Since < Window;

    public void Failed(string address)
    {
        var now = time.GetUtcNow();
        _failures.AddOrUpdate(address, _ => (1, now), (_, entry) => now - entry.Since >= Window ? (1, now) : (entry.Count + 1, entry.Since));
        if (_failures.Count > 100_000)
        {
            // Old entries go; a flood of addresses cannot grow this without bound.
            foreach (var stale in _failures.Where(e => now - e.Value.Since >= Window).Select(e => e.Key).ToList())
            {
                _failures.TryRemove(stale, out _);
            }
        }
    }

    public void Succeeded(string address) => _failures.TryRemove(address, out _);
}
