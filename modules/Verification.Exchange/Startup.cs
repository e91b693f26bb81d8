using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Background;
using Verification.Cms.Data;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Exchange.Models;
using Verification.Exchange.Recipes;
using Verification.Exchange.Services;

namespace Verification.Exchange;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, ExchangeModel>();
        services.AddSingleton<IDataMigration, ExchangeMigration>();
        services.AddHttpClient("exchange");
        services.AddSingleton<ProviderResilience>();
        services.AddScoped<ExchangeKeys>();
        services.AddScoped<IProviderTransport, HttpProviderTransport>();
        services.AddScoped<IProviderTransport, SimulatedProviderTransport>();
        services.AddScoped<ResultInbox>();
        services.AddScoped<ProviderExchange>();
        services.AddScoped<ExchangeDispatcher>();
        services.AddScoped<ITenantBackgroundWork>(sp => sp.GetRequiredService<ExchangeDispatcher>());
        services.AddScoped<ProviderHealth>();
        services.AddScoped<OfflineExchange>();
        services.AddScoped<IRecipeStepHandler, ProvidersStepHandler>();
        services.AddScoped<IRecipeExportContributor, ProvidersStepHandler>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
    }

    /// <summary>Providers deliver results here; they are anonymous to the web stack and proven by their signature instead.</summary>
    public override void MapEndpoints(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/exchange/callback/{provider}", async (string provider, HttpRequest request, ResultInbox inbox, CancellationToken cancellationToken) =>
        {
            if (request.ContentLength is > 20 * 1024 * 1024)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            using var reader = new StreamReader(request.Body);
            var outcome = await inbox.AcceptAsync(provider, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
            return outcome switch
            {
                InboxOutcome.Accepted or InboxOutcome.Duplicate => Results.Ok(new { status = outcome.ToString().ToLowerInvariant() }),
                InboxOutcome.Malformed => Results.BadRequest(new { status = "malformed" }),
                _ => Results.Json(new { status = "refused" }, statusCode: StatusCodes.Status401Unauthorized),
            };
        }).AllowAnonymous().DisableAntiforgery();
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ViewExchange = new("ViewExchange", "See the provider catalogue, exchange health and queues", "Verification");
    public static readonly Permission ManageExchange = new("ManageExchange", "Connect providers and retry dead letters", "Verification");

    public IEnumerable<Permission> GetPermissions() => [ViewExchange, ManageExchange];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ViewExchange, ManageExchange])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() => [new("Data providers", "admin/exchange", Permissions.ViewExchange.Name, "Verification", 30)];
}
