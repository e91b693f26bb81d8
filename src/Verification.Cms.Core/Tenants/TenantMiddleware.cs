using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verification.Cms.Hosting;

namespace Verification.Cms.Tenants;

/// <summary>
/// The host pipeline's last step: resolves the tenant, moves its prefix into PathBase, and runs
/// the request through the tenant's own container and pipeline.
/// </summary>
public sealed class TenantMiddleware(RequestDelegate next, ShellHost shellHost, IOptions<CmsOptions> options, ILogger<TenantMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // On the host administration's own names only the host answers (tenant prefixes are not served
        // there); anywhere else the host administration is not served.
        var adminHost = HostAdministration.IsAdminHost(options.Value, context.Request.Host.Host);
        var settings = adminHost
            ? shellHost.AllSettings.FirstOrDefault(s => s.IsDefault)
            : TenantResolver.Resolve(shellHost.AllSettings, context.Request.Host, context.Request.Path);
        if (settings is null)
        {
            await next(context);
            return;
        }

        if (settings.IsDefault && !adminHost && HostAdministration.IsSeparate(options.Value))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("此地址没有该页面；核对机构的页面在其地址前缀下（如 /guangzhou/）。 No such page here; a centre's pages are under its prefix (e.g. /guangzhou/).");
            return;
        }

        switch (settings.State)
        {
            case TenantState.Disabled:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            case TenantState.Uninitialized:
            case TenantState.Initializing:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "10";
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("该核对机构站点正在设置中，请稍后再试。 This site is being set up; please try again shortly.");
                return;
        }

        if (!string.IsNullOrEmpty(settings.RequestUrlPrefix))
        {
            var prefix = "/" + settings.RequestUrlPrefix;
            if (context.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out var remaining))
            {
                context.Request.PathBase = context.Request.PathBase.Add(prefix);
                context.Request.Path = remaining;
            }
        }

        var shell = await shellHost.GetShellAsync(settings, context.RequestAborted);
        shell.Enter();
        var previousServices = context.RequestServices;
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            context.RequestServices = scope.ServiceProvider;
            using (logger.BeginScope(new Dictionary<string, object> { ["Tenant"] = settings.Name }))
            {
                await shell.Pipeline(context);
            }
        }
        finally
        {
            context.RequestServices = previousServices;
            await shell.ExitAsync();
        }
    }
}
