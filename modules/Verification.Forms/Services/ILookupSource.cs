using Verification.Forms.Models;

namespace Verification.Forms.Services;

/// <summary>
/// Supplies the choices of lookup fields ("lookup": "PolicyNotice" → that type's published items).
/// The content module provides it; without one, lookups have no choices.
/// </summary>
public interface ILookupSource
{
    Task<IReadOnlyList<FormOption>> OptionsAsync(string lookup, CancellationToken cancellationToken);
}
