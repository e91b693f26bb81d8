using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verification.Exchange.Catalogue;

public sealed record CatalogueField(string Key, string Type, string Label);

/// <summary>A data item a provider answers, with its normalized fields and the findings category it feeds.</summary>
public sealed record CatalogueItem(string Code, string Name, string Category, IReadOnlyList<CatalogueField> Fields, string? AmountField);

/// <param name="Mode">"online" (queried over the network) or "offline" (batch files, R-5.2).</param>
public sealed record CatalogueSource(string Code, string Name, string Mode, IReadOnlyList<CatalogueItem> Items);

/// <summary>A providing department (民政, 公安, banks …) and its data sources.</summary>
public sealed record CatalogueProvider(string Code, string Name, IReadOnlyList<CatalogueSource> Sources);

/// <summary>The six groups of findings in the report (H annex E).</summary>
public sealed record FindingGroup(string Code, string Name);

/// <summary>A category of findings: income (G 7.2), property (G 7.3), expenditure (G 7.4), exclusions (G 7.5), basic situation.</summary>
public sealed record FindingCategory(string Code, string Group, string Name, string? Clause);

/// <summary>The data items a service item (R-3.5 aa…ah) requires (J table 1); tenants may change it.</summary>
public sealed record ServiceItemRequirement(string Code, string Name, IReadOnlyList<string> Items);

/// <summary>
/// The provider resource catalogue shipped with the product: providers, their data
/// sources and items, the normalized result schema of each item, and the findings categories.
/// </summary>
public sealed class DataSourceCatalogue
{
    private static readonly Lazy<DataSourceCatalogue> LazyShipped = new(() =>
    {
        using var stream = typeof(DataSourceCatalogue).Assembly.GetManifestResourceStream("Verification.Exchange.Data.data-sources.json")!;
        return Load(stream);
    });

    private Dictionary<string, (CatalogueProvider Provider, CatalogueSource Source, CatalogueItem Item)> _items = [];

    public static DataSourceCatalogue Shipped => LazyShipped.Value;

    public IReadOnlyList<FindingGroup> Groups { get; init; } = [];

    public IReadOnlyList<FindingCategory> Categories { get; init; } = [];

    public IReadOnlyList<CatalogueProvider> Providers { get; init; } = [];

    public IReadOnlyList<ServiceItemRequirement> ServiceItems { get; init; } = [];

    public IEnumerable<CatalogueSource> Sources => Providers.SelectMany(p => p.Sources);

    public IEnumerable<CatalogueItem> Items => Sources.SelectMany(s => s.Items);

    public CatalogueItem? Item(string code) => _items.TryGetValue(code, out var found) ? found.Item : null;

    /// <summary>The provider that answers a data item.</summary>
    public CatalogueProvider? ProviderOf(string itemCode) => _items.TryGetValue(itemCode, out var found) ? found.Provider : null;

    public CatalogueSource? SourceOf(string itemCode) => _items.TryGetValue(itemCode, out var found) ? found.Source : null;

    public FindingCategory? Category(string code) => Categories.FirstOrDefault(c => c.Code == code);

    public static DataSourceCatalogue Load(Stream json)
    {
        var catalogue = JsonSerializer.Deserialize<DataSourceCatalogue>(json, Options) ?? throw new JsonException("The catalogue is empty.");
        catalogue._items = catalogue.Providers.SelectMany(p => p.Sources.SelectMany(s => s.Items.Select(i => (p, s, i)))).ToDictionary(x => x.i.Code, x => (x.p, x.s, x.i), StringComparer.Ordinal);
        return catalogue;
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };
}
