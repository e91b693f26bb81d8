using Verification.Cms.Modules;

namespace Verification.Cms.Tests.Unit;

public sealed class ModuleCatalogTests
{
    private static readonly ModuleCatalog Catalog = ModuleCatalog.FromApplicationDirectory();

    [Fact]
    [Trait("Req", "R-1.3")]
    public void EveryShippedModuleIsDiscovered()
    {
        var ids = Catalog.Modules.Select(m => m.Manifest.Id).ToList();
        Assert.Contains("Verification.Users", ids);
        Assert.Contains("Verification.OrgUnits", ids);
        Assert.Contains("Verification.Tenants", ids);
        Assert.Contains("TheAdmin", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("Test.", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Req", "R-1.3")]
    public void EnablingAFeatureEnablesItsDependenciesFirst()
    {
        var catalog = TestCatalog();
        var order = catalog.ResolveEnabled(["Test.Reports"]).Select(f => f.Info.Id).ToList();
        Assert.Equal(["Test.Always", "Test.Base", "Test.Cases", "Test.Reports"], order);
    }

    [Fact]
    public void AlwaysEnabledFeaturesComeWithoutBeingAsked()
    {
        var enabled = TestCatalog().ResolveEnabled([]).Select(f => f.Info.Id);
        Assert.Equal(["Test.Always"], enabled);
    }

    [Fact]
    public void AnUnknownFeatureIsNamed()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => TestCatalog().ResolveEnabled(["Test.Nope"]));
        Assert.Contains("Test.Nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADependencyCycleIsReportedWithItsPath()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ModuleCatalog([typeof(CyclicManifest).Assembly], [typeof(CyclicManifest)]).ResolveEnabled(["Test.CycleA"]));
        Assert.Contains("Test.CycleA → Test.CycleB → Test.CycleA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisablingAFeatureNamesEveryFeatureThatDependsOnIt()
    {
        var dependents = TestCatalog().Dependents("Test.Base", ["Test.Always", "Test.Base", "Test.Cases", "Test.Reports"]);
        Assert.Equal(["Test.Cases", "Test.Reports"], dependents);
    }

    private static ModuleCatalog TestCatalog() => new([typeof(ChainManifest).Assembly], [typeof(ChainManifest)]);

    public sealed class ChainManifest : ModuleManifest
    {
        public override string Id => "Test.Chain";

        public override string Name => "Chain";

        public override IEnumerable<FeatureInfo> Features =>
        [
            new("Test.Always", "Always", "Test", typeof(NoStartup), []) { AlwaysEnabled = true },
            new("Test.Base", "Base", "Test", typeof(NoStartup), []),
            new("Test.Cases", "Cases", "Test", typeof(NoStartup), ["Test.Base"]),
            new("Test.Reports", "Reports", "Test", typeof(NoStartup), ["Test.Cases", "Test.Base"]),
        ];
    }

    public sealed class CyclicManifest : ModuleManifest
    {
        public override string Id => "Test.Cyclic";

        public override string Name => "Cyclic";

        public override IEnumerable<FeatureInfo> Features =>
        [
            new("Test.CycleA", "A", "Test", typeof(NoStartup), ["Test.CycleB"]),
            new("Test.CycleB", "B", "Test", typeof(NoStartup), ["Test.CycleA"]),
        ];
    }

    public sealed class NoStartup : FeatureStartup
    {
        public override void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
        {
        }
    }
}
