using Microsoft.AspNetCore.DataProtection;

namespace Verification.Workflows.Services;

/// <summary>
/// Tokens for signals over HTTP: protected (encrypted and authenticated) with the tenant's data
/// protection keys, naming what they may signal — one waiting instance, or starting a definition.
/// A replayed signal finds its wait already taken and does nothing.
/// </summary>
public sealed class SignalTokens(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Verification.Workflows.Signal.v1");

    public string ForInstance(string instanceId, string signal) => _protector.Protect("instance|" + instanceId + "|" + signal);

    public string ForDefinition(string definitionName, string signal) => _protector.Protect("definition|" + definitionName + "|" + signal);

    /// <summary>What the token allows, or null when it is forged, from another tenant, or for another signal.</summary>
    public (string Kind, string Target)? Read(string token, string signal)
    {
        try
        {
            var parts = _protector.Unprotect(token).Split('|');
            return parts.Length == 3 && parts[2] == signal ? (parts[0], parts[1]) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
