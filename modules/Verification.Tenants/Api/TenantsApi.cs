using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Audit;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Cms.Tenants;

namespace Verification.Tenants.Api;

public sealed record TenantDto(string Name, string DisplayName, string State, string? Prefix, string? Host, string? Recipe, string Database, string? SetupError);

public sealed record CreateTenantRequest(string Name, string? DisplayName, string? Prefix, string? Host, string Recipe);

public sealed record CreateTenantResponse(TenantDto Tenant, IReadOnlyList<GeneratedLogin> Logins);

public sealed record ApiError(string Error, IReadOnlyList<string>? Details = null);

/// <summary>The host's management API for tenants (documented at /openapi/v1.json).</summary>
public static class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tenants")
            .WithTags("Tenants")
            .RequireAuthorization(PermissionPolicy.For(Permissions.ManageTenants.Name))
            .AddEndpointFilter(ValidateAntiforgeryOnWrites);
        group.MapGet("/", List).WithName("ListTenants").WithSummary("All tenants with their state.");
        group.MapPost("/", Create).WithName("CreateTenant").WithSummary("Creates a tenant and sets it up from a recipe; returns the generated demo logins once.");
        group.MapPost("/{name}/disable", Disable).WithName("DisableTenant").WithSummary("Stops serving a tenant; its data stays.");
        group.MapPost("/{name}/enable", Enable).WithName("EnableTenant").WithSummary("Serves a disabled tenant again.");
        group.MapDelete("/{name}", Archive).WithName("ArchiveTenant").WithSummary("Removes a tenant from service and archives its data (never destroyed).");
        return routes;
    }

    public static Ok<List<TenantDto>> List(ShellHost shellHost) =>
        TypedResults.Ok(shellHost.AllSettings.Select(ToDto).ToList());

    public static async Task<Results<Created<CreateTenantResponse>, BadRequest<ApiError>>> Create(CreateTenantRequest request, TenantSetupService setup, IAuditTrail audit, HttpContext http)
    {
        try
        {
            var settings = await setup.RegisterAsync(new NewTenant(request.Name, request.DisplayName, request.Prefix, request.Host, request.Recipe));
            await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, "tenant.created", "tenant", settings.Name, new Dictionary<string, string?> { ["recipe"] = request.Recipe, ["prefix"] = request.Prefix, ["host"] = request.Host }), http.RequestAborted);
            var output = await setup.SetupAsync(settings.Name, request.Recipe, new RecipeRunOptions { Actor = http.User.Identity?.Name }, http.RequestAborted);
            await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, "tenant.setup", "tenant", settings.Name), http.RequestAborted);
            return TypedResults.Created($"/api/tenants/{settings.Name}", new CreateTenantResponse(ToDto(settings), output.Logins));
        }
        catch (TenantRequestException ex)
        {
            return TypedResults.BadRequest(new ApiError(ex.Message));
        }
        catch (RecipeValidationException ex)
        {
            return TypedResults.BadRequest(new ApiError("The recipe is invalid.", ex.Errors.Select(e => e.ToString()).ToList()));
        }
    }

    public static Task<Results<NoContent, BadRequest<ApiError>>> Disable(string name, TenantSetupService setup, IAuditTrail audit, HttpContext http) =>
        Change(name, "tenant.disabled", () => setup.DisableAsync(name), audit, http);

    public static Task<Results<NoContent, BadRequest<ApiError>>> Enable(string name, TenantSetupService setup, IAuditTrail audit, HttpContext http) =>
        Change(name, "tenant.enabled", () => setup.EnableAsync(name), audit, http);

    public static Task<Results<NoContent, BadRequest<ApiError>>> Archive(string name, TenantSetupService setup, IAuditTrail audit, HttpContext http) =>
        Change(name, "tenant.archived", () => setup.ArchiveAsync(name, http.RequestAborted), audit, http);

    private static async Task<Results<NoContent, BadRequest<ApiError>>> Change(string name, string action, Func<Task> change, IAuditTrail audit, HttpContext http)
    {
        try
        {
            await change();
        }
        catch (TenantRequestException ex)
        {
            return TypedResults.BadRequest(new ApiError(ex.Message));
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, action, "tenant", name), http.RequestAborted);
        return TypedResults.NoContent();
    }

    public static TenantDto ToDto(ShellSettings s) =>
        new(s.Name, s.DisplayName, s.State.ToString(), s.RequestUrlPrefix, s.RequestUrlHost, s.RecipeName, s.DatabaseProvider.ToString(), s.SetupError);

    private static async ValueTask<object?> ValidateAntiforgeryOnWrites(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.BadRequest(new ApiError("Missing or invalid RequestVerificationToken header."));
            }
        }

        return await next(context);
    }
}
