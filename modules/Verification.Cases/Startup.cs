using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Modules;

namespace Verification.Cases;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, CasesModel>();
        services.AddSingleton<IDataMigration, CasesMigration>();
        services.AddScoped<CaseService>();
        services.AddScoped<AuthorizationGate>();
        services.AddScoped<CaseExchange>();
    }
}
