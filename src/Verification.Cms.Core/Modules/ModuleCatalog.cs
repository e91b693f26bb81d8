using System.Reflection;
using Verification.Cms.Modules;

namespace Verification.Cms.Modules;

/// <summary>Every module and feature shipped with this build, found by scanning Verification.*.dll.</summary>
public sealed class ModuleCatalog
{
    private readonly Dictionary<string, CatalogFeature> _features;

    /// <param name="only">Restricts the catalogue to these manifest types (tests).</param>
    public ModuleCatalog(IEnumerable<Assembly> assemblies, IReadOnlyCollection<Type>? only = null)
    {
        var modules = new List<CatalogModule>();
        foreach (var assembly in assemblies.Distinct())
        {
            foreach (var type in SafeTypes(assembly).Where(t => t is { IsAbstract: false, IsClass: true } && typeof(ModuleManifest).IsAssignableFrom(t) && (only is null || only.Contains(t))))
            {
                var manifest = (ModuleManifest)Activator.CreateInstance(type)!;
                modules.Add(new CatalogModule(manifest, assembly));
            }
        }

        Modules = modules.OrderBy(m => m.Manifest.Id, StringComparer.Ordinal).ToList();
        _features = new Dictionary<string, CatalogFeature>(StringComparer.Ordinal);
        foreach (var module in Modules)
        {
            foreach (var feature in module.Manifest.Features)
            {
                if (!_features.TryAdd(feature.Id, new CatalogFeature(feature, module)))
                {
                    throw new InvalidOperationException($"Feature '{feature.Id}' is declared by two modules.");
                }
            }
        }

        foreach (var feature in _features.Values)
        {
            foreach (var dependency in feature.Info.Dependencies.Where(d => !_features.ContainsKey(d)))
            {
                throw new InvalidOperationException($"Feature '{feature.Info.Id}' depends on unknown feature '{dependency}'.");
            }
        }
    }

    public IReadOnlyList<CatalogModule> Modules { get; }

    public IEnumerable<CatalogFeature> Features => _features.Values;

    /// <summary>Loads every Verification.*.dll beside the application and catalogues it.</summary>
    public static ModuleCatalog FromApplicationDirectory()
    {
        var assemblies = new List<Assembly>();
        foreach (var path in Directory.EnumerateFiles(AppContext.BaseDirectory, "Verification.*.dll"))
        {
            if (Path.GetFileNameWithoutExtension(path).EndsWith(".Tests", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                assemblies.Add(Assembly.Load(AssemblyName.GetAssemblyName(path)));
            }
            catch (FileNotFoundException)
            {
                // Beside another application (a benchmark, a tool) that this process does not depend on.
            }
        }

        return new ModuleCatalog(assemblies);
    }

    public bool Exists(string featureId) => _features.ContainsKey(featureId);

    public CatalogFeature Get(string featureId) => _features.TryGetValue(featureId, out var feature)
        ? feature
        : throw new KeyNotFoundException($"Unknown feature '{featureId}'.");

    /// <summary>
    /// The requested features plus the always-enabled ones plus all their dependencies,
    /// dependencies before dependents. Throws on unknown ids or cycles.
    /// </summary>
    public IReadOnlyList<CatalogFeature> ResolveEnabled(IEnumerable<string> requested)
    {
        var ordered = new List<CatalogFeature>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = visiting, true = done
        var roots = _features.Values.Where(f => f.Info.AlwaysEnabled).Select(f => f.Info.Id)
            .Concat(requested)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(id => id, StringComparer.Ordinal);
        foreach (var id in roots)
        {
            Visit(id, [], ordered, state);
        }

        return ordered;
    }

    /// <summary>Features that depend, directly or not, on <paramref name="featureId"/> among the enabled ones.</summary>
    public IReadOnlyList<string> Dependents(string featureId, IEnumerable<string> enabled)
    {
        var enabledSet = enabled.ToHashSet(StringComparer.Ordinal);
        var result = new HashSet<string>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var id in enabledSet.Where(id => !result.Contains(id) && Exists(id)))
            {
                var deps = Get(id).Info.Dependencies;
                if (deps.Contains(featureId) || deps.Any(result.Contains))
                {
                    changed |= result.Add(id);
                }
            }
        }
        while (changed);
        return result.OrderBy(x => x, StringComparer.Ordinal).ToList();
    }

    private void Visit(string id, List<string> path, List<CatalogFeature> ordered, Dictionary<string, bool> state)
    {
        if (state.TryGetValue(id, out var done))
        {
            if (!done)
            {
                throw new InvalidOperationException($"Feature dependency cycle: {string.Join(" → ", path.Append(id))}.");
            }

            return;
        }

        if (!_features.TryGetValue(id, out var feature))
        {
            throw new KeyNotFoundException($"Unknown feature '{id}'.");
        }

        state[id] = false;
        path.Add(id);
        foreach (var dependency in feature.Info.Dependencies.OrderBy(d => d, StringComparer.Ordinal))
        {
            Visit(dependency, path, ordered, state);
        }

        path.RemoveAt(path.Count - 1);
        state[id] = true;
        ordered.Add(feature);
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
    }
}

public sealed record CatalogModule(ModuleManifest Manifest, Assembly Assembly);

public sealed record CatalogFeature(FeatureInfo Info, CatalogModule Module);
